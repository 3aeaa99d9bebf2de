"""Scenario files (YAML or TOML) -> validated, frozen :class:`~scenarios.document.scenario.Scenario`.

Every problem becomes one :class:`~scenarios.errors.ScenarioError` whose message reads
``FILE: FIELD.PATH: reason`` (``FILE: line L, column C: YAML syntax error: ...`` for syntax
errors), raised before anything runs. Relative paths inside the file (history CSVs, profile
CSVs) are taken from the file's folder. YAML keys that appear twice in one mapping are refused
(PyYAML would silently keep the last one).
"""

from __future__ import annotations

import difflib
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from scenarios.document.fields import FieldIssue
from scenarios.document.scenario import Scenario
from scenarios.errors import ScenarioError

__all__ = ["SUFFIXES", "load_scenario", "parse_scenario", "scenario_error"]

SUFFIXES = (".yaml", ".yml", ".toml")
"""File suffixes :func:`load_scenario` reads."""

# loc parts pydantic adds for a discriminated union's branch: skipped in field paths
_TAGGED_FIELDS = {"handle_time", "patience", "after_contact_work", "bot_time", "delay", "setup"}
_TAGS = {"exponential", "lognormal", "gamma", "weibull", "constant", "uniform", "triangular", "empirical", "in-house",
         "virtual", "cloud"}


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader refusing a key given twice in one mapping and reading ``10:30`` as text.

    YAML 1.1 (PyYAML) reads an unquoted ``10:30`` as the base-60 integer 630 but ``08:30`` as a
    string; scenario files are full of clock times, so base-60 numbers are switched off.
    """


_INT = re.compile(r"""^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$""", re.X)
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", re.X)
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in one mapping", mark)
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _field_path(loc: tuple) -> str:
    out = ""
    previous: list = []
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        elif item in _TAGS and previous and (
                previous[-1] in _TAGGED_FIELDS or (isinstance(previous[-1], int) and len(previous) > 1 and previous[-2] == "setups")):
            pass
        else:
            out += f".{item}" if out else str(item)
        previous.append(item)
    return out


def _models_in(annotation) -> list[type[BaseModel]]:
    """Pydantic model classes inside a type annotation (through Optional, Annotated, tuple, dict)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for argument in typing.get_args(annotation) for model in _models_in(argument)]


def _allowed_keys(loc: tuple, root: type[BaseModel] = Scenario) -> set[str]:
    """Keys allowed in the mapping at ``loc`` (raw pydantic location), best effort."""
    candidates = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        inner = [m for model in candidates if part in model.model_fields
                 for m in _models_in(model.model_fields[part].annotation)]
        if not inner:  # a dict key (channel name) or a union branch tag: narrow by tag, else stay
            inner = [m for m in candidates if "kind" in m.model_fields
                     and part in typing.get_args(m.model_fields["kind"].annotation)] or candidates
        candidates = inner
    return {name for model in candidates for name in model.model_fields}


def _unknown_key_reason(loc: tuple, root: type[BaseModel]) -> str:
    key = str(loc[-1])
    allowed = sorted(_allowed_keys(tuple(loc[:-1]), root))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key; {hint}allowed here: {', '.join(allowed)}" if allowed else "unknown key"


def _join(*parts: str) -> str:
    out = ""
    for part in parts:
        if not part:
            continue
        out += part if not out or part.startswith("[") else f".{part}"
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def scenario_error(exc: ValidationError, source: str, root: type[BaseModel] = Scenario) -> ScenarioError:
    """Turn a pydantic ``ValidationError`` into one :class:`ScenarioError` (first problem, count of others).

    ``root`` is the model that was validated (for the allowed keys of an unknown-key message).
    """
    errors = exc.errors(include_url=False)
    # pydantic also reports a list as too short when its only item failed: a consequence, not a problem
    errors = [e for e in errors if not (e["type"] == "too_short" and any(
        len(o["loc"]) > len(e["loc"]) and tuple(o["loc"][:len(e["loc"])]) == tuple(e["loc"]) for o in errors))] or errors
    first = errors[0]
    path = _field_path(tuple(first["loc"]))
    issue = (first.get("ctx") or {}).get("error")
    kind = first["type"]
    if isinstance(issue, FieldIssue):
        path, reason = _join(path, issue.path), issue.reason
    elif kind == "extra_forbidden":
        reason = _unknown_key_reason(tuple(first["loc"]), root)
    elif kind == "missing":
        reason = "is required"
    else:
        reason = first["msg"]
        reason = re.sub(r"^(Value error|Assertion failed), ", "", reason)
        if kind not in ("value_error",) and "input" in first and not isinstance(first["input"], dict):
            reason += f", got {_short(first['input'])}"
    if len(errors) > 1:
        reason += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return ScenarioError(file=source, field_path=path or None, reason=reason)


def parse_scenario(data: Any, *, source: str = "<scenario>", base_dir: str | Path | None = None) -> Scenario:
    """Validate already-parsed data (a mapping) into a :class:`Scenario`.

    Parameters
    ----------
    data : mapping
        The scenario as plain data (from YAML, TOML, JSON or Python).
    source : str
        Name used in error messages (the file).
    base_dir : str or pathlib.Path, optional
        Folder for relative paths in the scenario (default: the current directory).

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    if not isinstance(data, dict):
        raise ScenarioError(file=source, reason=f"the scenario must be a mapping of keys (name, channels, staff...), got {type(data).__name__}")
    try:
        return Scenario.model_validate(data, context={"base_dir": str(base_dir or ".")})
    except ValidationError as exc:
        raise scenario_error(exc, source) from None


def read_document(path: str | Path, kind: str, expected: str) -> Any:
    """Read a YAML or TOML document, refusing what is not one with a one-line :class:`ScenarioError`.

    Parameters
    ----------
    path : str or pathlib.Path
        The file (``.yaml``, ``.yml`` or ``.toml``).
    kind : str
        What the file should be, for messages (``"a scenario file"``).
    expected : str
        What an empty file should have held, for messages (``"a scenario (name, ...)"``).

    Returns
    -------
    Any
        The parsed document (a mapping when the file is well formed).

    Raises
    ------
    ScenarioError
        Unsupported suffix, a directory, not UTF-8, a syntax error (YAML with line and column) or
        an empty file.
    FileNotFoundError
        The file does not exist.
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ScenarioError(file=source, reason=f"unsupported file type {path.suffix or '(none)'!r}; expected one of {', '.join(SUFFIXES)}")
    if path.is_dir():
        raise ScenarioError(file=source, reason=f"is a directory; expected {kind}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(file=source, reason=f"not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(file=source, reason=f"TOML syntax error: {exc}") from None
    else:
        try:
            data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ScenarioError(file=source, field_path=where, reason=f"YAML syntax error: {problem}") from None
    if data is None:
        raise ScenarioError(file=source, reason=f"the file is empty; expected {expected}")
    return data


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.toml``).

    Raises
    ------
    ScenarioError
        Unsupported suffix, unreadable file, syntax error (with line and column) or invalid content
        (with the field path and the reason).
    FileNotFoundError
        The file does not exist.
    """
    path = Path(path)
    data = read_document(path, "a scenario file", "a scenario (name, intervals, channels, staff)")
    return parse_scenario(data, source=str(path), base_dir=path.parent)
