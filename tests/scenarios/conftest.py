"""Fixtures of the scenario-layer tests: the issue-3 minimal scenario, file writers, CLI runner."""

from __future__ import annotations

import copy
import textwrap

import pytest
import yaml

from scenarios import cli

#: The minimal scenario exactly as issue 3 writes it (comments included).
MINIMAL_YAML = textwrap.dedent("""\
    name: Single voice queue
    interval_minutes: 30
    intervals: 16
    channels:
      voice:
        arrivals_per_interval: 240      # one number, or a list with one value per interval
        aht_seconds: 180
        patience_seconds: 120           # mean, exponential; omit for no abandonment
        service_level: {target_seconds: 20, goal: 0.8}
    staff:
      - name: voice team
        channels: [voice]
        agents: 26                      # one number, or a list with one value per interval
    """)


@pytest.fixture
def minimal_data() -> dict:
    """The minimal scenario as plain data (a fresh copy per test)."""
    return copy.deepcopy(yaml.safe_load(MINIMAL_YAML))


@pytest.fixture
def write_file(tmp_path):
    """``write_file(name, text_or_data)`` -> path string; dicts are dumped as YAML."""

    def write(name: str, content) -> str:
        path = tmp_path / name
        if not isinstance(content, str):
            content = yaml.safe_dump(content, sort_keys=False)
        path.write_text(content, encoding="utf-8")
        return str(path)

    return write


@pytest.fixture
def run_cli(capsys):
    """``run_cli(*argv)`` -> (status, stdout, stderr) of ``ccplan``."""

    def run(*argv):
        try:
            status = cli.main([str(a) for a in argv])
        except SystemExit as exc:  # a flag outside its range is an argparse usage error
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def minimal_yaml() -> str:
    """The minimal scenario's YAML text, exactly as issue 3 writes it."""
    return MINIMAL_YAML
