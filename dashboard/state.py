"""The dashboard's scenario state: the current scenario, the last good one, and their files.

A scenario enters the app in one of three ways: the embedded default (the bundled example day,
``scenarios/examples/example_day.yaml``), another bundled example (``scenarios/examples/*.yaml``) or an upload. Edits made
in the app are applied to the scenario's *data* (the keys the user gave, as plain values) and
validated again by :func:`scenarios.document.loader.parse_scenario`, so an edit is subject to exactly the
checks of a file. A scenario that fails validation never replaces the current one: the app keeps
the last good scenario and shows the error (with the field path) until the next good one.

Everything here except :func:`init_state`, :func:`current`, :func:`accept` and :func:`reject`
is free of Streamlit, so it is tested directly.
"""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import streamlit as st
import yaml
from pydantic import ValidationError

from scenarios import CcplanError, ScenarioError, format_clock
from scenarios.document.loader import load_scenario, parse_scenario
from scenarios.document.scenario import Scenario

__all__ = [
    "DEFAULT_SCENARIO_PATH",
    "DEFAULT_LABEL",
    "EDIT_PREFIX",
    "USER_ERRORS",
    "ScenarioState",
    "bundled_examples",
    "load_example",
    "parse_scenario_text",
    "scenario_data",
    "scenario_from_data",
    "scenario_to_yaml",
    "error_message",
    "guarded",
    "init_state",
    "current",
    "accept",
    "reject",
]

DEFAULT_SCENARIO_PATH = Path(str(resources.files("scenarios").joinpath("examples/example_day.yaml")))
"""The embedded default scenario: the bundled example day (one weekday, voice + chat + email)."""

DEFAULT_LABEL = "Weekday, multichannel (default)"
"""Label of the default scenario in the example picker."""

USER_ERRORS = (CcplanError, ValidationError)
"""Errors that describe bad input; the app shows them as one inline message."""

_STATE_KEY = "ccplan_scenario_state"

EDIT_PREFIX = "edit."
"""Prefix of the keys of the scenario form's widgets (reset when another scenario is accepted)."""

# Clock-time fields are stored as minutes after midnight; files write them as "HH:MM".
_CLOCK_KEYS = {"start_time", "open", "close", "start", "end"}


@dataclass(frozen=True)
class ScenarioState:
    """What the app holds between reruns.

    Attributes
    ----------
    scenario : Scenario
        The current (last good) scenario.
    source : str
        Where it came from: an example's label, an upload's file name, or ``"edited"``.
    error : str or None
        The message of the last rejected input (cleared by the next accepted scenario).
    revision : int
        Incremented on every accepted scenario (widgets key on it to show the new values).
    """

    scenario: Scenario
    source: str
    error: str | None = None
    revision: int = 0


# --------------------------------------------------------------------------- pure helpers
def bundled_examples() -> dict[str, Path]:
    """Label -> file of every scenario the picker offers: the default, then ``scenarios/examples``.

    Returns
    -------
    dict of str to pathlib.Path
        The embedded default first, then the bundled examples sorted by file name (files of the
        examples folder that are not valid scenarios, such as seasonal plans and sweeps, are left out).
    """
    out = {DEFAULT_LABEL: DEFAULT_SCENARIO_PATH}
    folder = resources.files("scenarios") / "examples"
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return out
    for entry in entries:
        path = Path(str(entry))
        if path == DEFAULT_SCENARIO_PATH:
            continue
        if path.suffix in (".yaml", ".yml") and _is_scenario(str(path), path.stat().st_mtime_ns):
            out[f"example: {path.name}"] = path
    return out


@functools.lru_cache(maxsize=64)
def _is_scenario(path: str, mtime_ns: int) -> bool:
    """Whether a bundled YAML file is a valid scenario (the folder also holds seasonal and sweep files)."""
    del mtime_ns  # part of the cache key only
    try:
        load_scenario(path)
    except (CcplanError, OSError):
        return False
    return True


def load_example(label: str) -> Scenario:
    """Load the scenario offered under ``label`` (see :func:`bundled_examples`).

    Raises
    ------
    ScenarioError
        If ``label`` is unknown or the file is invalid.
    """
    examples = bundled_examples()
    if label not in examples:
        raise ScenarioError(f"unknown example {label!r}; examples are {', '.join(examples)}")
    return load_scenario(examples[label])


def parse_scenario_text(text: str | bytes, source: str) -> Scenario:
    """Validate the text of a scenario file (an upload) into a :class:`Scenario`.

    The text goes through :func:`scenarios.document.loader.load_scenario` (so uploads get exactly the
    checks of files: YAML syntax with line and column, duplicate keys, schema, cross-field rules)
    via a temporary file whose name is replaced by ``source`` in the message.

    Parameters
    ----------
    text : str or bytes
        The file's content (UTF-8).
    source : str
        The upload's file name; its suffix (``.yaml``, ``.yml``, ``.toml``) selects the parser.

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    suffix = Path(source).suffix.lower() or ".yaml"
    if suffix not in (".yaml", ".yml", ".toml"):
        raise ScenarioError(file=source, reason=f"unsupported file type {suffix!r}; expected .yaml, .yml or .toml")
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="ccplan-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return load_scenario(path)
        except ScenarioError as exc:
            if exc.file == str(path):
                raise ScenarioError(file=source, field_path=exc.field_path, reason=exc.reason) from None
            raise ScenarioError(str(exc).replace(str(path), source)) from None


def _format_clocks(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _format_clocks(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_format_clocks(v) for v in value]
    if key in _CLOCK_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return format_clock(value)
    return value


def scenario_data(scenario: Scenario) -> dict:
    """The scenario as plain data: the keys its file gave (and edits), in file form.

    Values are JSON types (tuples become lists) and clock times ``"HH:MM"``; feeding the result to
    :func:`scenario_from_data` gives back an equal scenario.
    """
    return _format_clocks(scenario.model_dump(mode="json", exclude_unset=True))


def scenario_from_data(data: Mapping, source: str = "edited scenario") -> Scenario:
    """Validate plain data (from :func:`scenario_data` plus edits) into a :class:`Scenario`.

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    return parse_scenario(dict(data), source=source)


class _FileDumper(yaml.SafeDumper):
    """SafeDumper writing lists of numbers or strings on one line (``agents: [10, 12, 14]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(item, int | float | str | bool) or item is None for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_FileDumper.add_representer(list, _represent_list)


def scenario_to_yaml(scenario: Scenario) -> str:
    """The scenario as a YAML scenario file (valid input to ``ccplan`` and to the upload)."""
    header = f"# ccplan scenario, downloaded from the dashboard: {scenario.name}\n"
    body = yaml.dump(scenario_data(scenario), Dumper=_FileDumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def error_message(exc: BaseException) -> str:
    """One line for the user: the project's messages as they are, pydantic's first problem."""
    if isinstance(exc, ValidationError):
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"])
        return f"{path}: {first['msg']}" if path else first["msg"]
    return str(exc).strip().replace("\n", "; ") or type(exc).__name__


def guarded(render: Callable[[], None], *, what: str) -> None:
    """Run ``render`` and show a user error as an inline message instead of a traceback.

    Parameters
    ----------
    render : callable
        Draws one view.
    what : str
        Name of the view, for the message.
    """
    try:
        render()
    except USER_ERRORS as exc:
        st.error(f"{what}: {error_message(exc)}")
    except Exception as exc:  # noqa: BLE001 - the app never shows a traceback
        st.error(f"{what}: unexpected error ({type(exc).__name__}: {exc}). Please report it with the scenario file.")


# --------------------------------------------------------------------------- session state
def init_state() -> ScenarioState:
    """Put the default scenario in the session on first run; return the state."""
    if _STATE_KEY not in st.session_state:
        st.session_state[_STATE_KEY] = ScenarioState(load_example(DEFAULT_LABEL), DEFAULT_LABEL)
    return st.session_state[_STATE_KEY]


def current() -> ScenarioState:
    """The session's :class:`ScenarioState`."""
    return init_state()


def accept(scenario: Scenario, source: str) -> ScenarioState:
    """Make ``scenario`` current (clearing any error) and return the new state."""
    previous = init_state()
    state = ScenarioState(scenario, source, None, previous.revision + 1)
    st.session_state[_STATE_KEY] = state
    for key in [k for k in st.session_state if str(k).startswith(EDIT_PREFIX)]:
        del st.session_state[key]  # the edit form shows the new scenario's values
    return state


def reject(message: str) -> ScenarioState:
    """Record a rejected input's message, keeping the last good scenario."""
    previous = init_state()
    state = ScenarioState(previous.scenario, previous.source, message, previous.revision)
    st.session_state[_STATE_KEY] = state
    return state
