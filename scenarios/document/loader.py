"""Scenario files (YAML or TOML) -> validated, frozen :class:`~scenarios.document.scenario.Scenario`.

Every problem becomes one :class:`~scenarios.errors.ScenarioError` whose message reads
``FILE: FIELD.PATH: reason`` (``FILE: line L, column C: YAML syntax error: ...`` for syntax
errors), raised before anything runs. Relative paths inside the file (history CSVs, profile
CSVs) are taken from the file's folder. YAML keys that appear twice in one mapping are refused
(PyYAML would silently keep the last one).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from scenarios.document.fields import FieldIssue
from scenarios.document.files import FileRoot, bounded_text, excerpt
from scenarios.document.scenario import Scenario
from scenarios.errors import ScenarioError

__all__ = ["SUFFIXES", "MAX_DOCUMENT_BYTES", "MAX_DOCUMENT_NODES", "MAX_DOCUMENT_DEPTH", "load_scenario", "parse_scenario",
           "parse_document_text", "read_document", "scenario_error"]

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
_FLOAT = re.compile(r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", re.X)
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


_PLAIN_KEYS = (str, int, float, bool, type(None), dt.date)


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain names or numbers, not lists or mappings ('? [a, b]')", key_node.start_mark)
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, _PLAIN_KEYS):
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain names or numbers", key_node.start_mark)
        if key in seen:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(
                None, None, f"key {excerpt(key)} appears twice in one mapping", mark)
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


MAX_DOCUMENT_BYTES = 5_000_000
"""Largest scenario, sweep or seasonal-plan file read (bytes)."""

MAX_DOCUMENT_NODES = 1_000_000
"""Most values (scalars, lists, mappings) a document may hold once YAML aliases are expanded."""

MAX_DOCUMENT_DEPTH = 40
"""Deepest nesting of lists and mappings a document may have."""


def _check_yaml_graph(root: yaml.Node) -> None:
    """Refuse alias bombs, recursive aliases and deep nesting before anything is built.

    Counts the values of the document *as expanded* (an alias counts as the whole value it
    names) with one memoised pass over the node graph, so the check itself stays linear.
    """
    sizes: dict[int, int] = {}
    depths: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            depths[key] = 1 + max((depths[id(c)] for c in children), default=0)
            if sizes[key] > MAX_DOCUMENT_NODES:
                raise ScenarioError(reason=f"the document expands to more than {MAX_DOCUMENT_NODES:,} values "
                                           "(YAML aliases repeat their value each time they are used)")
            if depths[key] > MAX_DOCUMENT_DEPTH:
                raise ScenarioError(reason=f"lists and mappings are nested more than {MAX_DOCUMENT_DEPTH} levels deep")
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise ScenarioError(reason="a YAML alias refers to a value that contains it (recursive alias)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_data_depth(data: Any) -> None:
    """Refuse data nested deeper than :data:`MAX_DOCUMENT_DEPTH` (TOML, or data given in Python)."""
    stack = [(data, 1)]
    count = 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if depth > MAX_DOCUMENT_DEPTH:
            raise ScenarioError(reason=f"lists and mappings are nested more than {MAX_DOCUMENT_DEPTH} levels deep")
        if count > MAX_DOCUMENT_NODES:
            raise ScenarioError(reason=f"the document holds more than {MAX_DOCUMENT_NODES:,} values")
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list | tuple):
            stack.extend((v, depth + 1) for v in value)


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
            text = str(item) if len(str(item)) <= 64 else str(item)[:61] + "..."
            out += f".{text}" if out else text
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
    key = str(loc[-1])[:200]
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
    return excerpt(value, 60)


_NAMED_LISTS = {"staff": "name", "segments": "name", "setups": "kind", "outbound": "name"}
"""Lists whose items a message names by a key of the item (``staff "voice team"``) instead of an index."""


def readable_path(path: str, data: Any) -> str:
    """A field path in the user's words: items of named lists by their name, other list items 1-based.

    ``staff[0].agents`` -> ``staff "voice team" agents``; ``demand.segments[1].share`` ->
    ``demand.segments "35-plus" share``; ``setups[0].kind`` -> ``setups "cloud" kind``;
    ``...incidents[0].day`` -> ``...incidents item 1 day``. The machine path stays in
    :attr:`ScenarioError.field_path`.
    """
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    out, node = "", data
    for part in parts:
        if part.startswith("["):
            index = int(part[1:-1])
            key = out.rsplit(".", 1)[-1].rsplit(" ", 1)[-1]
            item = node[index] if isinstance(node, list) and index < len(node) else None
            label = item.get(_NAMED_LISTS.get(key, "")) if isinstance(item, dict) else None
            out += f' "{label}"' if isinstance(label, str) and label else f" item {index + 1}"
            node = item
            continue
        if out:
            out += " " if re.search(r'("| item \d+)$', out) else "."
        out += part
        node = node.get(part) if isinstance(node, dict) else None
    return out


def scenario_error(exc: ValidationError, source: str, root: type[BaseModel] = Scenario, data: Any = None) -> ScenarioError:
    """Turn a pydantic ``ValidationError`` into one :class:`ScenarioError` (first problem, count of others).

    ``root`` is the model that was validated (for the allowed keys of an unknown-key message);
    with ``data`` (what was validated), the message names list items as :func:`readable_path` does.
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
    shown = readable_path(path, data) if path and data is not None else path
    message = ": ".join(part for part in (source, shown, reason) if part)
    return ScenarioError(message, file=source, field_path=path or None, reason=reason)


def parse_scenario(data: Any, *, source: str = "<scenario>", base_dir: str | Path | None = None,
                   files: FileRoot | None = None) -> Scenario:
    """Validate already-parsed data (a mapping) into a :class:`Scenario`.

    Parameters
    ----------
    data : mapping
        The scenario as plain data (from YAML, TOML, JSON or Python).
    source : str
        Name used in error messages (the file).
    base_dir : str or pathlib.Path, optional
        Folder for relative paths in the scenario, read with the command line's policy
        (default: the current directory). Ignored when ``files`` is given.
    files : FileRoot, optional
        Where the files the scenario names may come from (:class:`FileRoot.upload` for uploads).

    Raises
    ------
    ScenarioError
        ``source: field.path: reason``.
    """
    if not isinstance(data, dict):
        raise ScenarioError(file=source, reason=f"the scenario must be a mapping of keys (name, channels, staff...), got {type(data).__name__}")
    try:
        _check_data_depth(data)
    except ScenarioError as exc:
        raise ScenarioError(file=source, reason=exc.reason) from None
    root = files if files is not None else FileRoot.local(base_dir or ".")
    try:
        return Scenario.model_validate(data, context={"files": root})
    except ValidationError as exc:
        raise scenario_error(exc, source, data=data) from None
    except RecursionError:
        raise ScenarioError(file=source, reason="lists and mappings are nested too deeply") from None


def parse_document_text(text: str | bytes, source: str, kind: str, expected: str, *, suffix: str = ".yaml") -> Any:
    """Parse the text of a YAML or TOML document with every safety check, into plain data.

    The checks of :func:`read_document` without the file: UTF-8, at most
    :data:`MAX_DOCUMENT_BYTES`, YAML syntax with line and column, keys given twice, keys that are
    not plain names, YAML aliases expanding to more than :data:`MAX_DOCUMENT_NODES` values, nesting
    deeper than :data:`MAX_DOCUMENT_DEPTH`, an empty document.

    Parameters
    ----------
    text : str or bytes
        The document.
    source : str
        Its name in messages.
    kind, expected : str
        What the document should be and what an empty one should have held, for messages.
    suffix : str
        ``.toml`` for TOML, else YAML.

    Raises
    ------
    ScenarioError
        One line naming ``source``.
    """
    if len(text) > MAX_DOCUMENT_BYTES:
        raise ScenarioError(file=source, reason=f"is larger than {MAX_DOCUMENT_BYTES:,} bytes; {kind} is much smaller")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(file=source, reason=f"not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    try:
        if suffix.lower() == ".toml":
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                raise ScenarioError(file=source, reason=f"TOML syntax error: {bounded_text(exc)}") from None
        else:
            data = _load_yaml(text, source)
        if data is None:
            raise ScenarioError(file=source, reason=f"the file is empty; expected {expected}")
        _check_data_depth(data)
    except RecursionError:
        raise ScenarioError(file=source, reason=f"lists and mappings are nested too deeply (more than {MAX_DOCUMENT_DEPTH} levels)") from None
    except ScenarioError as exc:
        if exc.file is None:
            raise ScenarioError(file=source, field_path=exc.field_path, reason=exc.reason) from None
        raise
    return data


def _check_yaml_depth(text: str) -> None:
    """Refuse deep nesting from the event stream (iterative), before the recursive composer runs."""
    depth = 0
    for event in yaml.parse(text, Loader=_UniqueKeyLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DOCUMENT_DEPTH:
                raise ScenarioError(reason=f"lists and mappings are nested more than {MAX_DOCUMENT_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_yaml(text: str, source: str) -> Any:
    try:
        _check_yaml_depth(text)
        loader = _UniqueKeyLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_yaml_graph(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ScenarioError(file=source, field_path=where, reason=f"YAML syntax error: {bounded_text(problem)}") from None


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
        Unsupported suffix, a directory, too large, not UTF-8, a syntax error (YAML with line and
        column), alias bombs, deep nesting or an empty file (see :func:`parse_document_text`).
    FileNotFoundError
        The file does not exist.
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ScenarioError(file=source, reason=f"unsupported file type {excerpt(path.suffix or '(none)')}; expected one of {', '.join(SUFFIXES)}")
    if path.is_dir():
        raise ScenarioError(file=source, reason=f"is a directory; expected {kind}")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ScenarioError(file=source, reason=f"cannot be read ({exc.strerror or exc})") from None
    if size > MAX_DOCUMENT_BYTES:
        raise ScenarioError(file=source, reason=f"is larger than {MAX_DOCUMENT_BYTES:,} bytes; {kind} is much smaller")
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ScenarioError(file=source, reason=f"is a directory; expected {kind}") from None
    except PermissionError as exc:
        raise ScenarioError(file=source, reason=f"cannot be read ({exc.strerror or exc})") from None
    return parse_document_text(data, source, kind, expected, suffix=path.suffix)


def load_scenario(path: str | Path, *, files: FileRoot | None = None) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.toml``).

    Files it names are taken from its folder (``files``: another policy, e.g.
    :meth:`FileRoot.upload` of the upload's folder).

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
    return parse_scenario(data, source=str(path), files=files or FileRoot.local(path.parent))
