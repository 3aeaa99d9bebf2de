"""Sweep files: a base scenario, parameters to vary, how to combine them (validated, frozen).

A sweep file (YAML or TOML) reads::

    name: Bot deflection x chat agents
    base: sweep_base.yaml            # a scenario file, relative to this file (or an inline mapping)
    parameters:                      # dotted paths into the scenario document
      channels.chat.bot.resolved_share: {start: 0.0, stop: 0.5, step: 0.1}
      staff[1].agents: [6, 7, 8]
    combine: grid                    # grid (every combination, default) or zip (i-th with i-th)
    setups: [as-given]               # optional: as-given, in-house, virtual, cloud (crossed with the runs)
    replications: 5                  # default: the base scenario's replications
    seed: 2024                       # default: the base scenario's seed, else fresh entropy
    common_random_numbers: false     # true: every run uses the sweep seed (same customers everywhere)
    out: bot_deflection_results      # output folder, relative to this file (default: <stem>_results
                                     # in the current folder)

Parameter values are a list (``[6, 7, 8]``, ``[[5, 6], [6, 7]]``, mappings for a whole block) or a
range: ``{start, stop, step}`` (``start, start + step, ...`` up to ``stop`` *included* when it
falls on a step, like a researcher's ``0..0.5``) or ``{start, stop, num}`` (``num`` evenly spaced
values, both ends included, as :func:`numpy.linspace`). Range values are rounded to 12 decimals
(so ``0.1 * 3`` is ``0.3``, and digests stay stable) and stay whole numbers when ``start`` and
``step`` are.

A parameter path names a field of the *validated* base scenario, written as in error messages:
``channels.voice.patience_seconds``, ``staff[0].agents``, ``setup.seats``. Every field of the
schema exists there (optional ones as null), so a path may set a field the base file omits, but
not one inside a block the base leaves out (``channels.chat.bot.resolved_share`` when chat has no
bot: vary ``channels.chat.bot`` with whole blocks instead). ``replications`` and ``seed`` are
the sweep's own keys, not parameters.

Everything is checked before a run starts; problems become one
:class:`~scenarios.errors.ScenarioError` ``FILE: FIELD.PATH: reason``.
"""

from __future__ import annotations

import copy
import difflib
import itertools
import math
import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator

from scenarios.document.fields import FieldIssue, StrictModel
from scenarios.document.loader import load_scenario, parse_scenario, read_document, scenario_error
from scenarios.document.scenario import PrecisionSpec, Scenario
from scenarios.document.setups import AS_GIVEN, SetupChoice
from scenarios.errors import ScenarioError

__all__ = [
    "RESERVED_PATHS",
    "ValueRange",
    "SweepSpec",
    "SweepFile",
    "load_sweep",
    "parse_sweep",
    "parse_path",
    "get_path",
    "set_path",
    "expand_values",
]

"""Setup kinds a sweep may run; ``as-given`` is the scenario as written (its own ``setup``, if any)."""

RESERVED_PATHS = ("replications", "precision", "seed")
"""Scenario keys set by the sweep itself, not by parameters."""

_DECIMALS = 12
_MAX_RUNS = 1_000_000
_PART = re.compile(r"([^.\[\]]+)|\[(-?\d+)\]")


# --------------------------------------------------------------------------- paths
def parse_path(path: str) -> tuple[str | int, ...]:
    """``"staff[0].agents"`` -> ``("staff", 0, "agents")``.

    Raises
    ------
    ValueError
        If ``path`` is not ``key(.key | [index])*`` with non-empty keys.
    """
    if not isinstance(path, str) or not path:
        raise ValueError(f"must be a dotted path such as channels.voice.patience_seconds, got {path!r}")
    parts: list[str | int] = []
    position = 0
    expect_key = True
    while position < len(path):
        if path[position] == "." and not expect_key and parts:
            position += 1
            expect_key = True
            continue
        match = _PART.match(path, position)
        if match is None or (match.group(1) is not None and not expect_key and parts) \
                or (match.group(2) is not None and not parts):
            raise ValueError(f"is not a dotted path (keys joined by '.', list items as [i]): {path!r}")
        parts.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
        expect_key = False
    if expect_key:
        raise ValueError(f"is not a dotted path (ends with '.'): {path!r}")
    return tuple(parts)


def _format_path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def get_path(document: Any, parts: tuple[str | int, ...]) -> Any:
    """The value at ``parts`` in a nested mapping/list document.

    Raises
    ------
    KeyError
        Naming the first part that does not exist, with the keys (or list length) found there.
    """
    node = document
    for depth, part in enumerate(parts):
        where = _format_path(parts[:depth]) or "the scenario"
        if isinstance(part, int):
            if not isinstance(node, list):
                raise KeyError(f"{where} is not a list (found {_kind(node)}), so [{part}] does not apply")
            if not -len(node) <= part < len(node):
                raise KeyError(f"{where} has {len(node)} item{'s' if len(node) != 1 else ''}, so [{part}] does not exist")
            node = node[part]
        else:
            if not isinstance(node, dict):
                if node is None:
                    raise KeyError(f"{where} is not set in the base scenario, so it has no {part!r}; "
                                   f"vary {where} with whole blocks instead")
                raise KeyError(f"{where} is {_kind(node)}, so it has no key {part!r}")
            if part not in node:
                close = difflib.get_close_matches(str(part), [str(k) for k in node], n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"keys: {', '.join(sorted(map(str, node))) or 'none'}"
                raise KeyError(f"{where} has no key {part!r} ({hint})")
            node = node[part]
    return node


def set_path(document: Any, parts: tuple[str | int, ...], value: Any) -> None:
    """Set ``value`` at ``parts`` (which must exist, see :func:`get_path`) in place."""
    parent = get_path(document, parts[:-1])
    parent[parts[-1]] = copy.deepcopy(value)


def _kind(node: Any) -> str:
    if isinstance(node, dict):
        return "a mapping"
    if isinstance(node, list):
        return "a list"
    return f"a value ({node!r})"


# --------------------------------------------------------------------------- values
class ValueRange(StrictModel):
    """Evenly spaced values: ``{start, stop, step}`` (stop included if on a step) or ``{start, stop, num}``."""

    start: float | int = Field(description="First value.")
    stop: float | int = Field(description="Last value (included when it falls on a step; always with num).")
    step: float | int | None = Field(None, description="Distance between values (non-zero, towards stop).")
    num: int | None = Field(None, ge=1, description="Number of values, both ends included (>= 1).")

    @model_validator(mode="after")
    def _check(self) -> ValueRange:
        for name in ("start", "stop", "step"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise FieldIssue(name, f"must be finite, got {value!r}")
        if (self.step is None) == (self.num is None):
            raise FieldIssue("", "give exactly one of step or num with start and stop")
        if self.step is not None:
            if self.step == 0:
                raise FieldIssue("step", "must not be 0")
            if (self.stop - self.start) * self.step < 0:
                raise FieldIssue("step", f"goes away from stop ({self.start:g} -> {self.stop:g} by {self.step:g})")
            if abs(self.stop - self.start) / abs(self.step) + 1 > _MAX_RUNS:
                raise FieldIssue("step", f"gives more than {_MAX_RUNS} values")
        return self

    def values(self) -> list[float | int]:
        """The values, in order (whole numbers stay ints when start and step are ints)."""
        def is_int(x) -> bool:
            return isinstance(x, int) and not isinstance(x, bool)

        if self.num is not None:
            if self.num == 1:
                return [self.start]
            out = [round(self.start + (self.stop - self.start) * k / (self.num - 1), _DECIMALS) for k in range(self.num)]
            if is_int(self.start) and is_int(self.stop) and all(float(x).is_integer() for x in out):
                return [int(x) for x in out]
            return out
        step = self.step
        if step is None:  # excluded by the validator: exactly one of step and num
            raise ValueError("a value range needs step or num")
        count = math.floor((self.stop - self.start) / step + 1e-9) + 1
        out = [round(self.start + k * step, _DECIMALS) for k in range(count)]
        if is_int(self.start) and is_int(step):
            return [int(x) for x in out]
        return [float(x) for x in out]


def expand_values(spec: list | ValueRange) -> list:
    """A parameter's values: the list as given, or the range's values."""
    return spec.values() if isinstance(spec, ValueRange) else list(spec)


# --------------------------------------------------------------------------- the sweep file
class SweepSpec(StrictModel):
    """The content of a sweep file (before the base scenario is read)."""

    name: str = Field("sweep", min_length=1, description="Sweep name (reports).")
    description: str = Field("", description="Free text.")
    base: str | dict[str, Any] = Field(
        description="Base scenario: a scenario file path (relative to the sweep file) or an inline scenario mapping.")
    parameters: dict[str, Any] = Field(
        default_factory=dict, description="Dotted scenario path -> list of values or {start, stop, step|num}.")
    combine: Literal["grid", "zip"] = Field(
        "grid", description="grid: every combination (last parameter fastest); zip: i-th values together.")
    setups: tuple[SetupChoice, ...] = Field(
        (AS_GIVEN,), min_length=1, description="Setups to run each combination under (outermost loop). Default as-given.")
    replications: int | None = Field(None, ge=1, description=(
        "A fixed number of replications per run. Default: the base scenario's (excludes `precision`)."))
    precision: PrecisionSpec | None = Field(None, description=(
        "Run each run's replications until its headline KPIs (service level, abandon rate, ASA per channel) have "
        "95 % half-widths within these targets, or max_replications is reached (excludes `replications`; "
        "CLI --precision overrides share_points). Default: the base scenario's precision block, else its replications."))
    seed: int | None = Field(None, ge=0, description="Sweep seed (runs derive theirs from it). Default: the base's, else fresh.")
    common_random_numbers: bool = Field(
        False, description="Every run uses the sweep seed itself (same customers in every run: sharper "
                           "differences between runs, but runs are not independent). Default false: each "
                           "run's seed is derived from the sweep seed and its parameters.")
    warmup_minutes: float | None = Field(None, ge=0, description="Overrides the base scenario's warm-up (minutes).")
    out: str | None = Field(None, description="Output folder, relative to the sweep file. Default <stem>_results in the current folder.")

    @field_validator("setups", mode="before")
    @classmethod
    def _one_setup(cls, value):
        return [value] if isinstance(value, str) else value

    @field_validator("parameters", mode="before")
    @classmethod
    def _parameter_values(cls, value):
        if not isinstance(value, dict):
            return value
        out = {}
        for path, spec in value.items():
            path = str(path)
            if isinstance(spec, dict):
                unknown = sorted(set(spec) - {"start", "stop", "step", "num"})
                if unknown:
                    raise FieldIssue(path, f"a range takes start, stop and step or num; unknown key {unknown[0]!r} "
                                           f"(to vary a whole block, give a list of blocks)")
                try:
                    out[path] = ValueRange.model_validate(spec)
                except ValidationError as exc:
                    first = exc.errors(include_url=False)[0]
                    issue = (first.get("ctx") or {}).get("error")
                    if isinstance(issue, FieldIssue):
                        where, reason = issue.path, issue.reason
                    else:
                        where = ".".join(str(p) for p in first["loc"])
                        reason = first["msg"] if first["type"] != "missing" else "is required"
                        if first["type"] not in ("missing", "value_error") and "input" in first:
                            reason += f", got {first['input']!r}"
                    raise FieldIssue(f"{path}.{where}" if where else path, reason) from None
            elif not isinstance(spec, list | tuple):
                raise FieldIssue(path, f"must be a list of values or a range {{start, stop, step|num}}, got {spec!r}")
            elif not spec:
                raise FieldIssue(path, "is an empty list; give at least one value")
            else:
                out[path] = list(spec)
        return out

    @model_validator(mode="after")
    def _check(self) -> SweepSpec:
        if not self.parameters and len(self.setups) < 2:
            raise FieldIssue("parameters", "give at least one parameter to vary (or two or more setups)")
        for path in self.parameters:
            try:
                parts = parse_path(path)
            except ValueError as exc:
                raise FieldIssue(f"parameters.{path}", str(exc)) from None
            if parts[0] in RESERVED_PATHS:
                raise FieldIssue(f"parameters.{path}", f"{parts[0]} is set by the sweep's own {parts[0]!r} key, not varied")
        if self.replications is not None and self.precision is not None:
            raise FieldIssue("precision", "give replications (a fixed count per run) or precision (a target), not both")
        if len(set(self.setups)) != len(self.setups):
            raise FieldIssue("setups", f"lists a setup twice: {list(self.setups)}")
        if self.combine == "zip":
            lengths = {path: len(expand_values(spec)) for path, spec in self.parameters.items()}
            if len(set(lengths.values())) > 1:
                first, *_ = lengths
                other = next(p for p, n in lengths.items() if n != lengths[first])
                raise FieldIssue(f"parameters.{other}", f"has {lengths[other]} values but {first} has {lengths[first]}; "
                                                        f"combine: zip needs equal lengths")
        total = math.prod(len(expand_values(s)) for s in self.parameters.values()) if self.combine == "grid" \
            else (len(expand_values(next(iter(self.parameters.values())))) if self.parameters else 1)
        if total * len(self.setups) > _MAX_RUNS:
            raise FieldIssue("parameters", f"gives {total * len(self.setups)} runs (more than {_MAX_RUNS})")
        return self

    def combinations(self) -> list[dict[str, Any]]:
        """Parameter overrides of every combination, in run order (without setups)."""
        paths = list(self.parameters)
        values = [expand_values(self.parameters[p]) for p in paths]
        if not paths:
            return [{}]
        rows = itertools.product(*values) if self.combine == "grid" else zip(*values, strict=True)
        return [dict(zip(paths, row, strict=True)) for row in rows]


class SweepFile:
    """A validated sweep: the spec, the validated base scenario and its document.

    Attributes
    ----------
    spec : SweepSpec
        The sweep file's content.
    source : str
        The sweep file (``"<sweep>"`` for in-memory data), used in error messages.
    base : Scenario
        The validated base scenario.
    base_document : dict
        ``base.model_dump(mode="json")``: every schema field present (optional ones null), file
        paths already resolved; parameter overrides apply to copies of it.
    base_dir : pathlib.Path
        Folder of the sweep file (relative ``out``).
    """

    def __init__(self, spec: SweepSpec, source: str, base: Scenario, base_dir: Path) -> None:
        self.spec = spec
        self.source = source
        self.base = base
        self.base_document = base.model_dump(mode="json")
        self.base_dir = base_dir
        for path in spec.parameters:
            parts = parse_path(path)
            try:
                get_path(self.base_document, parts)
            except KeyError as exc:
                raise ScenarioError(file=source, field_path=f"parameters.{path}",
                                    reason=f"not a field of the base scenario: {exc.args[0]}") from None


def _sweep_error(exc: ValidationError, source: str) -> ScenarioError:
    error = scenario_error(exc, source)
    reason = error.reason or ""
    if reason.startswith("unknown key"):
        reason = "unknown key (a sweep file takes name, description, base, parameters, combine, setups, " \
                 "replications, seed, common_random_numbers, warmup_minutes, out)"
        if error.field_path and "." in error.field_path and error.field_path.startswith("parameters."):
            reason = "unknown key"
    path = error.field_path
    return ScenarioError(file=source, field_path=path, reason=reason)


def parse_sweep(data: Any, *, source: str = "<sweep>", base_dir: str | Path | None = None) -> SweepFile:
    """Validate already-parsed sweep data and its base scenario.

    Parameters
    ----------
    data : mapping
        The sweep document.
    source : str
        Name used in error messages (the sweep file).
    base_dir : str or pathlib.Path, optional
        Folder for the relative ``base`` and ``out`` paths (default: the current folder).

    Raises
    ------
    ScenarioError
        ``source: field.path: reason`` for the sweep file; errors of a base scenario file name
        that file.
    """
    base_dir = Path(base_dir or ".")
    if not isinstance(data, dict):
        raise ScenarioError(file=source, reason=f"a sweep file must be a mapping (base, parameters...), got {type(data).__name__}")
    if isinstance(data.get("parameters"), dict):  # keep paths as strings (YAML may read `1: [..]` as an int key)
        data = {**data, "parameters": {str(k): v for k, v in data["parameters"].items()}}
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        raise _sweep_error(exc, source) from None
    if isinstance(spec.base, str):
        path = Path(spec.base)
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            raise ScenarioError(file=source, field_path="base", reason=f"scenario file not found: {path}")
        base = load_scenario(path)
    else:
        try:
            base = parse_scenario(spec.base, source=source, base_dir=base_dir)
        except ScenarioError as exc:
            raise ScenarioError(file=source, field_path=f"base.{exc.field_path}" if exc.field_path else "base",
                                reason=exc.reason) from None
    return SweepFile(spec, source, base, base_dir)


def load_sweep(path: str | os.PathLike[str]) -> SweepFile:
    """Read and validate a sweep file (``.yaml``, ``.yml`` or ``.toml``) and its base scenario.

    Raises
    ------
    ScenarioError
        Unsupported suffix, syntax error (with line and column), unknown keys, empty value lists,
        parameter paths that are not fields of the base scenario, an invalid base scenario.
    FileNotFoundError
        The sweep file does not exist.
    """
    path = Path(path)
    data = read_document(path, "a sweep file", "a sweep (base, parameters)")
    return parse_sweep(data, source=str(path), base_dir=path.parent)
