"""Named scenarios kept in the session: save, load, delete, and download/upload them as a bundle.

A bundle is a zip of scenario files (``<name>.yaml``, written by
:func:`dashboard.state.scenario_to_yaml`); reading one validates every file like an upload
(:func:`dashboard.state.parse_scenario_text`), so a bad file is refused with its name and
nothing of the bundle is kept. Everything except :func:`saved`, :func:`save` and :func:`delete`
is free of Streamlit.
"""

from __future__ import annotations

import io
import re
import zipfile

import streamlit as st

from dashboard.state import MAX_UPLOAD_BYTES, parse_scenario_text, scenario_to_yaml
from scenarios import ScenarioError
from scenarios.document.files import zip_member_bytes
from scenarios.document.scenario import Scenario

__all__ = ["LIBRARY_KEY", "MAX_BUNDLE_FILES", "file_name", "bundle_bytes", "read_bundle", "saved", "save", "delete"]

LIBRARY_KEY = "ccplan_saved_scenarios"
"""Session key of the saved scenarios (name -> Scenario, in the order saved)."""

MAX_BUNDLE_FILES = 50
"""Most scenario files read from one bundle."""


def file_name(name: str) -> str:
    """A file name for a saved scenario: ``"Peak + 10 %"`` -> ``"Peak + 10 %.yaml"`` (path characters replaced)."""
    clean = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "-", name).strip(" .") or "scenario"
    return f"{clean}.yaml"


def bundle_bytes(scenarios: dict[str, Scenario]) -> bytes:
    """A zip with one YAML scenario file per saved scenario (the saved name is the file's stem)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for name, scenario in scenarios.items():
            entry = file_name(name)
            stem, index = entry[:-5], 2
            while entry.lower() in used:
                entry = f"{stem} ({index}).yaml"
                index += 1
            used.add(entry.lower())
            archive.writestr(entry, scenario_to_yaml(scenario))
    return buffer.getvalue()


def read_bundle(data: bytes, source: str = "bundle.zip") -> dict[str, Scenario]:
    """The scenarios of a bundle (zip of .yaml/.yml/.toml files), name (file stem) -> Scenario.

    Raises
    ------
    ScenarioError
        ``source: reason`` if the file is not a zip, holds no scenario file or more than
        :data:`MAX_BUNDLE_FILES`; ``source/<file>: field: reason`` for an invalid scenario.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ScenarioError(file=source, reason="not a zip file; download a bundle from the dashboard first") from None
    with archive:
        entries = [i for i in archive.infolist() if not i.is_dir() and i.filename.lower().endswith((".yaml", ".yml", ".toml"))
                   and not i.filename.rsplit("/", 1)[-1].startswith(".")]
        if not entries:
            raise ScenarioError(file=source, reason="holds no scenario file (.yaml, .yml or .toml)")
        if len(entries) > MAX_BUNDLE_FILES:
            raise ScenarioError(file=source, reason=f"holds {len(entries)} scenario files; at most {MAX_BUNDLE_FILES}")
        out: dict[str, Scenario] = {}
        for entry in entries:
            base = entry.filename.rsplit("/", 1)[-1]
            data = zip_member_bytes(archive, entry, MAX_UPLOAD_BYTES, source)  # over the limit: refused below
            try:
                out[base.rsplit(".", 1)[0]] = parse_scenario_text(data, base)
            except ScenarioError as exc:  # name the member inside its bundle
                raise ScenarioError(f"{source}/{exc}") from None
    return out


def saved() -> dict[str, Scenario]:
    """The session's saved scenarios (name -> Scenario)."""
    return st.session_state.setdefault(LIBRARY_KEY, {})


def save(name: str, scenario: Scenario) -> None:
    """Keep ``scenario`` under ``name`` (replacing a scenario of that name).

    Raises
    ------
    ScenarioError
        If the name is empty.
    """
    name = name.strip()
    if not name:
        raise ScenarioError("Saved scenario name: give a name, e.g. 'peak + 10 %'")
    library = dict(saved())
    library[name] = scenario
    st.session_state[LIBRARY_KEY] = library


def delete(name: str) -> None:
    """Forget the saved scenario ``name`` (nothing happens if there is none)."""
    library = dict(saved())
    library.pop(name, None)
    st.session_state[LIBRARY_KEY] = library
