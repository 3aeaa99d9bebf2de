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
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer, WithJsonSchema

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
    """Base of every scenario model: unknown keys refused, values frozen after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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


def _as_number_tuple(value: Any, *, integer: bool) -> Any:
    """One number or a list of numbers -> tuple of floats (or ints); other input left to pydantic."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number or a list of numbers, got {value!r}")
    if isinstance(value, int | float):
        value = [value]
    if isinstance(value, list | tuple):
        out = []
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise ValueError(f"item {index} must be a number, got {item!r}")
            if not math.isfinite(item):
                raise ValueError(f"item {index} must be finite, got {item!r}")
            if item < 0:
                raise ValueError(f"item {index} must be >= 0, got {item!r}")
            if integer:
                if item != math.floor(item):
                    raise ValueError(f"item {index} must be a whole number of agents, got {item!r}")
                item = int(item)
            out.append(item if integer else float(item))
        if not out:
            raise ValueError("must not be an empty list")
        return tuple(out)
    raise ValueError(f"must be a number or a list of numbers, got {type(value).__name__} {value!r}")


PerInterval = Annotated[
    tuple[float, ...],
    BeforeValidator(lambda v: _as_number_tuple(v, integer=False)),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0},
                              {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 1}]}),
]
"""Non-negative number, or a list of them with one value per interval (stored as a tuple)."""

PerIntervalCount = Annotated[
    tuple[int, ...],
    BeforeValidator(lambda v: _as_number_tuple(v, integer=True)),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0},
                              {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}]}),
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
