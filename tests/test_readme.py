"""The README's examples run: its Python snippets, its scenario and its ``ccplan`` commands.

Kind: documentation test. Commands that start a server (``ccplan dashboard``, tested end to end
in tests/dashboard) or need a remote Dask scheduler (``--scheduler tcp://...``, tested with a
LocalCluster in tests/scenarios/test_sweep.py) are only checked to parse; every other
``ccplan`` line is run in a temporary folder and must exit 0.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from scenarios import cli
from scenarios.document.loader import parse_scenario

REPOSITORY = Path(__file__).resolve().parents[1]
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")

pytestmark = [pytest.mark.slow]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def ccplan_lines() -> list[str]:
    lines = []
    for block in blocks("bash"):
        for line in block.splitlines():
            line = line.split("#")[0].strip()
            if "ccplan " in line and not line.startswith("pip "):
                lines.append(line[line.index("ccplan "):])
    return lines


def test_readme_has_the_two_quick_start_commands():
    quick_start = README.split("## Quick start")[1].split("## ")[0]
    commands = [b.strip() for b in re.findall(r"```bash\n(.*?)```", quick_start, flags=re.S)]
    assert commands == ['pip install -e ".[all]" && ccplan demo', "scripts/test"]


@pytest.mark.parametrize("snippet", blocks("python"), ids=lambda s: s.splitlines()[0][:40])
def test_python_snippets_run(snippet, monkeypatch):
    monkeypatch.chdir(REPOSITORY)
    exec(compile(snippet, "README.md", "exec"), {})


def test_scenario_snippets_are_valid():
    """Every whole scenario in the README validates; every other YAML snippet is a block of a
    scenario file and validates inside the smallest scenario."""
    snippets = blocks("yaml")
    whole = [s for s in snippets if s.startswith("name: ")]
    smallest = yaml.safe_load(next(s for s in whole if s.startswith("name: Single voice queue")))
    assert parse_scenario(smallest).name == "Single voice queue"
    for snippet in snippets:
        data = yaml.safe_load(snippet)
        parse_scenario(data if snippet in whole else _merged(smallest, data))


def _merged(base: dict, block: dict) -> dict:
    """``base`` with ``block`` laid over it, mappings merged key by key (a README block of a file)."""
    out = dict(base)
    for key, value in block.items():
        out[key] = _merged(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return out


@pytest.mark.parametrize("line", ccplan_lines())
def test_ccplan_commands_run(line, tmp_path, monkeypatch, capsys):
    argv = shlex.split(line)[1:]
    argv = [str(REPOSITORY / a) if a.startswith("scenarios/") else a for a in argv]
    if argv[0] == "dashboard" or "--scheduler" in argv:
        with pytest.raises(SystemExit) as info:
            cli.main([argv[0], "--help"])
        assert info.value.code == 0
        return
    monkeypatch.chdir(tmp_path)
    if argv[0] in ("simulate", "plan", "sweep", "compare", "demo"):
        argv.append("--quiet")
    status = cli.main(argv)
    out, err = capsys.readouterr()
    assert status == 0, f"{line}\n{err}"
    assert out.strip()
