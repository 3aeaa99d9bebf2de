"""Building blocks shared by the scenario schema, setups and costs (private).

* :class:`StrictModel`: the pydantic base (``extra="forbid"``: a typo in a key is an error;
  ``frozen=True``: a validated scenario never changes).
* :data:`PerInterval` / :data:`PerIntervalCount`: one number or a list with one value per
  interval, normalised to a tuple (so error paths stay clean: no union branch names).
* :class:`FieldIssue`: a cross-field rule broken; carries the field path *relative to the model
  that raised it*, which the loader joins with pydantic's location into
  ``channels.voice.arrivals_per_interval``.
* :data:`ClockTime`: ``"HH:MM"`` (``"24:00"`` allowed as an end of day), stored as minutes.
"""

from __future__ import annotations

import math
import typing
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

from scenarios.document.clock import format_clock, parse_clock

__all__ = [
    "StrictModel",
    "FieldIssue",
    "PerInterval",
    "PerIntervalCount",
    "ClockTime",
    "format_clock",
    "parse_clock",
]


class StrictModel(BaseModel):
    """Base of every scenario model: unknown keys refused, values frozen after validation.

    A number field takes numbers only: ``true`` is not 1 and the text ``"12"`` is not 12 (pydantic
    would convert both silently).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in _number_fields(cls):
                value = data.get(name)
                if isinstance(value, bool | str | bytes):
                    shown = repr(value[:40]) if isinstance(value, str | bytes) else repr(value)
                    raise FieldIssue(name, f"must be a number, got {shown}")
        return data


_NUMBER_FIELDS: dict[type, tuple[str, ...]] = {}


def _number_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Names of ``model``'s fields typed ``int`` or ``float`` (optionally ``| None``)."""
    if model not in _NUMBER_FIELDS:
        names = []
        for name, field in model.model_fields.items():
            options = set(typing.get_args(field.annotation)) or {field.annotation}
            options.discard(type(None))
            converted = any(isinstance(item, BeforeValidator) for item in field.metadata)  # e.g. ClockTime
            if options and options <= {int, float} and not converted:
                names.append(name)
        _NUMBER_FIELDS[model] = tuple(names)
    return _NUMBER_FIELDS[model]


class FieldIssue(ValueError):
    """A cross-field rule is broken.

    Parameters
    ----------
    path : str
        Field path relative to the model whose validator raised it (``"arrivals_per_interval"``,
        ``"staff[1].agents"``); empty for the model itself.
    reason : str
        What is wrong and what is allowed.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


MAX_PER_INTERVAL = 10_000_000
"""Largest per-interval value (contacts per interval, agents per interval)."""

MAX_AGENTS = 100_000
"""Most agents one group may have in one interval."""


def _as_number_tuple(value: Any, *, integer: bool) -> Any:
    """One number or a list of numbers -> tuple of floats (or ints); other input left to pydantic."""
    upper = MAX_AGENTS if integer else MAX_PER_INTERVAL
    if isinstance(value, bool):
        raise ValueError(f"must be a number or a list of numbers, got {value!r}")
    if isinstance(value, int | float):
        value = [value]
    if isinstance(value, list | tuple):
        out = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ValueError(f"item {index + 1} must be a number, got {_brief(item) if isinstance(item, str) else type(item).__name__}")
            if not math.isfinite(item):
                raise ValueError(f"item {index + 1} must be finite, got {item!r}")
            if item < 0:
                raise ValueError(f"item {index + 1} must be >= 0, got {item!r}")
            if item > upper:
                raise ValueError(f"item {index + 1} must be <= {upper:,}, got {item:g}")
            if integer:
                if item != math.floor(item):
                    raise ValueError(f"item {index + 1} must be a whole number of agents, got {item!r}")
                item = int(item)
            out.append(item if integer else float(item))
        if not out:
            raise ValueError("must not be an empty list")
        return tuple(out)
    raise ValueError(f"must be a number or a list of numbers, got {type(value).__name__} {_brief(value)}")


def _brief(value: Any) -> str:
    text = repr(value[:64]) if isinstance(value, str) else f"<{type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


PerInterval = Annotated[
    tuple[float, ...],
    BeforeValidator(lambda v: _as_number_tuple(v, integer=False)),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": MAX_PER_INTERVAL},
                              {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": MAX_PER_INTERVAL},
                               "minItems": 1}],
                    "description": f"A number in [0, {MAX_PER_INTERVAL:g}] or one per interval."}),
]
"""Non-negative number, or a list of them with one value per interval (stored as a tuple)."""

PerIntervalCount = Annotated[
    tuple[int, ...],
    BeforeValidator(lambda v: _as_number_tuple(v, integer=True)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": MAX_AGENTS},
                              {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": MAX_AGENTS}, "minItems": 1}],
                    "description": f"A whole number in [0, {MAX_AGENTS}] or one per interval."}),
]
"""Whole number >= 0, or a list of them with one value per interval (stored as a tuple)."""

ClockTime = Annotated[
    int,
    BeforeValidator(parse_clock),
    PlainSerializer(format_clock, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,2}:\d{2}$"}),
]
"""A clock time written ``"HH:MM"`` (``"24:00"`` = end of day), stored as minutes after midnight,
written back as ``"HH:MM"`` in JSON."""
