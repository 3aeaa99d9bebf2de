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
import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

import streamlit as st
import yaml

from scenarios import CcplanError, ScenarioError, format_clock
from scenarios.document.files import FileRoot, bounded_text, excerpt, zip_member_bytes
from scenarios.document.limits import DASHBOARD_LIMITS, RunTooLarge, check_scenario_size
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
    "parse_upload",
    "parse_seasonal_upload",
    "store_upload",
    "EXAMPLES_FOLDER",
    "EXAMPLES_ROOT",
    "MAX_UPLOAD_FILES",
    "MAX_UPLOAD_BYTES",
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

USER_ERRORS = (CcplanError,)
"""Errors that describe bad input (the scenario layer turns every validation problem into one); the app
shows them as one inline message."""

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
    files : FileRoot
        Where the files the scenario names come from: its upload's own folder, or the bundled
        examples' folder. Edits are validated under it.
    """

    scenario: Scenario
    source: str
    error: str | None = None
    revision: int = 0
    files: FileRoot | None = None

    @property
    def file_root(self) -> FileRoot:
        """:attr:`files`, defaulting to the bundled examples' folder."""
        return self.files if self.files is not None else EXAMPLES_ROOT


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
    return load_scenario(examples[label], files=EXAMPLES_ROOT)


# --------------------------------------------------------------------------- uploads
EXAMPLES_FOLDER = Path(str(resources.files("scenarios").joinpath("examples")))
"""Folder of the bundled examples: the files their scenarios name are read from here only."""

MAX_UPLOAD_FILES = 20
"""Most files one upload may hold (the scenario or plan, its CSVs; a .zip counts its members)."""

MAX_UPLOAD_BYTES = 20_000_000
"""Most bytes one upload may hold in all (a .zip: once unpacked)."""

_DOCUMENT_SUFFIXES = (".yaml", ".yml", ".toml")
_COMPANION_SUFFIXES = (".csv",)


def _upload_error(reason: str, source: str = "upload") -> ScenarioError:
    return ScenarioError(file=source, reason=reason)


def _safe_member(name: str) -> PurePosixPath | None:
    """A zip member's path if it is a plain relative path without ``..`` (else None)."""
    text = name.replace("\\", "/")
    path = PurePosixPath(text)
    if not text or text.startswith("/") or (len(text) > 1 and text[1] == ":") or ".." in path.parts:
        return None
    return path


def store_upload(files: Sequence[tuple[str, bytes]]) -> Path:
    """Write uploaded files (and the members of uploaded .zip files) into a new private folder.

    Only file *names* are kept (folders of a .zip are kept below the new folder); absolute names,
    ``..``, links and other file kinds are refused, and the upload is limited to
    :data:`MAX_UPLOAD_FILES` files and :data:`MAX_UPLOAD_BYTES` bytes.

    Parameters
    ----------
    files : sequence of (name, bytes)
        The uploaded files as the browser named them.

    Returns
    -------
    pathlib.Path
        The upload's folder (the only place the uploaded documents may read files from).

    Raises
    ------
    ScenarioError
        A name, kind, count or size outside the limits (the message names the upload's file).
    """
    folder = Path(tempfile.mkdtemp(prefix="ccplan-upload-"))
    total = 0
    count = 0

    def put(relative: PurePosixPath, data: bytes, shown: str) -> None:
        nonlocal total, count
        count += 1
        total += len(data)
        if count > MAX_UPLOAD_FILES:
            raise _upload_error(f"more than {MAX_UPLOAD_FILES} files; upload the scenario and the files it names only")
        if total > MAX_UPLOAD_BYTES:
            raise _upload_error(f"more than {MAX_UPLOAD_BYTES:,} bytes in all (the dashboard's upload limit)")
        if relative.suffix.lower() not in _DOCUMENT_SUFFIXES + _COMPANION_SUFFIXES:
            raise _upload_error(f"unsupported file type {excerpt(relative.suffix or '(none)')}; "
                                "upload .yaml, .yml, .toml and the .csv files they name (or a .zip of them)", shown)
        target = folder / relative
        if target.exists():
            raise _upload_error(f"two uploaded files are named {excerpt(str(relative))}", shown)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    try:
        for name, data in files:
            base = PurePosixPath(str(name).replace("\\", "/")).name
            shown = excerpt(base)[1:-1] if base else "upload"
            if not base or base in (".", ".."):
                raise _upload_error("a file without a name")
            if base.lower().endswith(".zip"):
                try:
                    archive = zipfile.ZipFile(io.BytesIO(data))
                except zipfile.BadZipFile:
                    raise _upload_error("not a readable .zip file", shown) from None
                with archive:
                    for info in archive.infolist():
                        if info.is_dir():
                            continue
                        member = _safe_member(info.filename)
                        is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
                        if member is None or is_link:
                            raise _upload_error(f"member {excerpt(info.filename)} is not a plain file name "
                                                "(absolute paths, '..' and links are refused)", shown)
                        if info.file_size > MAX_UPLOAD_BYTES - total:
                            raise _upload_error(f"more than {MAX_UPLOAD_BYTES:,} bytes in all once unpacked "
                                                "(the dashboard's upload limit)", shown)
                        put(member, zip_member_bytes(archive, info, MAX_UPLOAD_BYTES - total, shown), shown)
            else:
                put(PurePosixPath(base), bytes(data), shown)
    except ScenarioError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def _documents_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in _DOCUMENT_SUFFIXES)


def parse_upload(files: Sequence[tuple[str, bytes]]) -> tuple[Scenario, FileRoot]:
    """Validate an uploaded scenario with the files it names (several files, or a .zip).

    The upload is stored by :func:`store_upload`; the one scenario document in it is read with
    every check of a file, and the files it names (``history_csv``, profile CSVs) may only be
    files of the same upload (:meth:`scenarios.document.files.FileRoot.upload`): never a path on
    the server. Messages name the upload's files by their names, never a server path.

    Returns
    -------
    (Scenario, FileRoot)
        The scenario and the policy its edits keep using.

    Raises
    ------
    ScenarioError
        ``name: field.path: reason``.
    """
    folder = store_upload(files)
    documents = _documents_in(folder)
    if len(documents) != 1:
        shutil.rmtree(folder, ignore_errors=True)
        found = ", ".join(excerpt(str(p.relative_to(folder))) for p in documents[:4])
        raise _upload_error("no scenario file (.yaml, .yml, .toml) in the upload" if not documents else
                            f"upload one scenario file at a time, with the CSV files it names; found {found}")
    path = documents[0]
    name = str(path.relative_to(folder))
    root = FileRoot.upload(folder)
    try:
        scenario = load_scenario(path, files=root)
        check_scenario_size(scenario, limits=DASHBOARD_LIMITS, what=name)
        return scenario, root
    except RunTooLarge as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ScenarioError(file=name, reason=str(exc)) from None
    except ScenarioError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        text = str(exc).replace(str(path), name).replace(str(folder.resolve()) + "/", "").replace(str(folder) + "/", "")
        raise ScenarioError(text) from None


def parse_scenario_text(text: str | bytes, source: str) -> Scenario:
    """Validate the text of one uploaded scenario file (no companion files) into a :class:`Scenario`.

    Same checks as :func:`parse_upload` with ``[(source, text)]``: a file it names must be
    uploaded with it.

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    suffix = Path(source).suffix.lower() or ".yaml"
    if suffix not in _DOCUMENT_SUFFIXES:
        raise ScenarioError(file=source, reason=f"unsupported file type {excerpt(suffix)}; expected .yaml, .yml or .toml")
    name = PurePosixPath(str(source).replace("\\", "/")).name or f"upload{suffix}"
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    return parse_upload([(name, data)])[0]


def parse_seasonal_upload(files: Sequence[tuple[str, bytes]]) -> tuple[Any, FileRoot, str]:
    """Validate an uploaded seasonal plan with its history CSV (several files, or a .zip).

    Returns
    -------
    (SeasonalFile, FileRoot, str)
        The plan, the policy its history is read under (the upload's folder only) and its name.

    Raises
    ------
    ScenarioError
        ``name: field.path: reason``.
    """
    from scenarios.document.seasonal_file import parse_seasonal_text

    folder = store_upload(files)
    documents = _documents_in(folder)
    if len(documents) != 1 or documents[0].suffix.lower() == ".toml":
        shutil.rmtree(folder, ignore_errors=True)
        raise _upload_error("upload one seasonal-plan YAML file, with the history CSV it names")
    path = documents[0]
    name = str(path.relative_to(folder))
    try:
        return parse_seasonal_text(path.read_bytes(), name), FileRoot.upload(folder), name
    except ScenarioError:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _format_clocks(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _format_clocks(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_format_clocks(v) for v in value]
    if key in _CLOCK_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return format_clock(value)
    return value


def _relative_files(data: dict, folder: Path) -> dict:
    """File fields holding a path inside ``folder`` written back as names relative to it."""
    inside = folder.resolve()

    def relative(value):
        if isinstance(value, str) and value.lower().endswith(".csv") and Path(value).is_absolute():
            path = Path(value)
            if path.is_relative_to(inside):
                return str(path.relative_to(inside))
        return value

    for channel in (data.get("channels") or {}).values():
        if isinstance(channel, dict):
            for key in ("history_csv", "profile"):
                if key in channel:
                    channel[key] = relative(channel[key])
    if isinstance(data.get("demand"), dict) and "profile" in data["demand"]:
        data["demand"]["profile"] = relative(data["demand"]["profile"])
    return data


EXAMPLES_ROOT = FileRoot.upload(EXAMPLES_FOLDER)
"""Policy of the bundled examples in the app: the files they name come from their folder only."""


def scenario_data(scenario: Scenario, files: FileRoot = EXAMPLES_ROOT) -> dict:
    """The scenario as plain data: the keys its file gave (and edits), in file form.

    Values are JSON types (tuples become lists) and clock times ``"HH:MM"``; files the scenario
    names inside ``files.folder`` are written as names relative to it (never a server path).
    Feeding the result to :func:`scenario_from_data` with the same ``files`` gives back an equal
    scenario.
    """
    return _relative_files(_format_clocks(scenario.model_dump(mode="json", exclude_unset=True)), files.folder)


def scenario_from_data(data: Mapping, source: str = "edited scenario", files: FileRoot = EXAMPLES_ROOT) -> Scenario:
    """Validate plain data (from :func:`scenario_data` plus edits) into a :class:`Scenario`.

    Files the data names are read under ``files`` (default: the bundled examples' folder only;
    an uploaded scenario's edits pass its upload's :class:`FileRoot`), never from elsewhere on
    the server.

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    scenario = parse_scenario(dict(data), source=source, files=files)
    check_scenario_size(scenario, limits=DASHBOARD_LIMITS, what=source)
    return scenario


class _FileDumper(yaml.SafeDumper):
    """SafeDumper writing lists of numbers or strings on one line (``agents: [10, 12, 14]``)."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(item, int | float | str | bool) or item is None for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_FileDumper.add_representer(list, _represent_list)


def scenario_to_yaml(scenario: Scenario, files: FileRoot = EXAMPLES_ROOT) -> str:
    """The scenario as a YAML scenario file (valid input to ``ccplan`` and to the upload).

    Files it names are written by their names relative to their upload (or examples) folder.
    """
    header = f"# ccplan scenario, downloaded from the dashboard: {scenario.name[:200]}\n"
    body = yaml.dump(scenario_data(scenario, files), Dumper=_FileDumper, sort_keys=False, allow_unicode=True, width=100)
    return header + body


MAX_MESSAGE_CHARS = 600
"""Longest message the app shows for a rejected input (longer ones are cut)."""


def error_message(exc: BaseException) -> str:
    """One line for the user: the project's message, bounded."""
    text = str(exc).strip().replace("\n", "; ") or type(exc).__name__
    return bounded_text(text, MAX_MESSAGE_CHARS)


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
        st.error(f"{what}: unexpected error ({type(exc).__name__}: {bounded_text(exc, 200)}). Please report it with the scenario file.")


# --------------------------------------------------------------------------- session state
def init_state() -> ScenarioState:
    """Put the default scenario in the session on first run; return the state."""
    if _STATE_KEY not in st.session_state:
        st.session_state[_STATE_KEY] = ScenarioState(load_example(DEFAULT_LABEL), DEFAULT_LABEL)
    return st.session_state[_STATE_KEY]


def current() -> ScenarioState:
    """The session's :class:`ScenarioState`."""
    return init_state()


def accept(scenario: Scenario, source: str, files: FileRoot | None = None) -> ScenarioState:
    """Make ``scenario`` current (clearing any error) and return the new state.

    ``files``: where the files it names come from (its upload's folder; default: the previous
    state's for an edit, else the bundled examples' folder).
    """
    previous = init_state()
    state = ScenarioState(scenario, source, None, previous.revision + 1, files)
    st.session_state[_STATE_KEY] = state
    for key in [k for k in st.session_state if str(k).startswith(EDIT_PREFIX)]:
        del st.session_state[key]  # the edit form shows the new scenario's values
    return state


def reject(message: str) -> ScenarioState:
    """Record a rejected input's message, keeping the last good scenario."""
    previous = init_state()
    state = ScenarioState(previous.scenario, previous.source, bounded_text(message, MAX_MESSAGE_CHARS), previous.revision,
                          previous.files)
    st.session_state[_STATE_KEY] = state
    return state
