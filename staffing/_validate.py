"""Input validation shared by the analytic functions.

Every public function in :mod:`staffing` checks its arguments here before any maths runs, so a
bad value is reported with the argument's name and the allowed range instead of surfacing as a
NaN or a traceback deep inside NumPy or SciPy.
"""

from __future__ import annotations

import numpy as np

from ccplan_errors import InputError

__all__ = [
    "StaffingInputError",
    "as_float_array",
    "as_agents_array",
    "as_probability",
]


class StaffingInputError(InputError):
    """An argument of an analytic staffing function is outside its allowed range."""


def _describe(values: np.ndarray) -> str:
    bad = values.ravel()
    shown = ", ".join(repr(float(v)) for v in bad[:3])
    return shown + (", ..." if bad.size > 3 else "")


def as_float_array(
    value,
    name: str,
    *,
    minimum: float = 0.0,
    allow_equal_minimum: bool = True,
    maximum: float | None = None,
    allow_inf: bool = False,
) -> np.ndarray:
    """Return ``value`` as a float array after checking it is finite and within range.

    Parameters
    ----------
    value : array_like
        The argument as the user gave it.
    name : str
        The argument's name, used in the error message.
    minimum : float
        Smallest allowed value.
    allow_equal_minimum : bool
        Whether ``minimum`` itself is allowed (``>=``) or excluded (``>``).
    maximum : float, optional
        Largest allowed value (inclusive).
    allow_inf : bool
        Whether ``+inf`` is allowed (for example an infinitely patient customer).
    """
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise StaffingInputError(f"{name} must be a number or an array of numbers, got {value!r}") from exc
    if array.size == 0:
        raise StaffingInputError(f"{name} is empty; give at least one value")
    nan = np.isnan(array)
    if nan.any():
        raise StaffingInputError(f"{name} must not be NaN")
    if not allow_inf and np.isinf(array).any():
        raise StaffingInputError(f"{name} must be finite, got {_describe(array[np.isinf(array)])}")
    low = array < minimum if allow_equal_minimum else array <= minimum
    if low.any():
        relation = ">=" if allow_equal_minimum else ">"
        raise StaffingInputError(f"{name} must be {relation} {minimum:g}, got {_describe(array[low])}")
    if maximum is not None and (array > maximum).any():
        raise StaffingInputError(f"{name} must be <= {maximum:g}, got {_describe(array[array > maximum])}")
    return array


def as_agents_array(value, name: str = "agents") -> np.ndarray:
    """Return ``value`` as a float array of whole, non-negative agent counts."""
    array = as_float_array(value, name, minimum=0.0)
    if (array != np.floor(array)).any():
        bad = array[array != np.floor(array)]
        raise StaffingInputError(f"{name} must be whole numbers (0, 1, 2, ...), got {_describe(bad)}")
    return array


def as_probability(value, name: str) -> np.ndarray:
    """Return ``value`` as a float array strictly inside (0, 1)."""
    array = as_float_array(value, name, minimum=-np.inf)
    outside = (array <= 0.0) | (array >= 1.0)
    if outside.any():
        raise StaffingInputError(f"{name} must be in the open interval (0, 1), got {_describe(array[outside])}")
    return array
