"""Input validation shared by the analytic functions.

Every public function in :mod:`staffing` checks its arguments here before any maths runs, so a
bad value is reported with the argument's name and the allowed range instead of surfacing as a
NaN or a traceback deep inside NumPy or SciPy.
"""

from __future__ import annotations

import numbers

import numpy as np

from ccplan_errors import InputError

ArrayOrFloat = np.ndarray | float
"""What a vectorised function returns: a float for scalar inputs, an array for array inputs."""

ArrayOrInt = np.ndarray | int
"""What a vectorised requirement returns: whole agents, an int for scalar inputs or an array."""

__all__ = [
    "ArrayOrFloat",
    "ArrayOrInt",
    "StaffingInputError",
    "StaffingWarning",
    "MAX_TRAFFIC_ERLANGS",
    "MAX_AGENTS",
    "MAX_PATIENCE_RATIO",
    "as_float_array",
    "as_agents_array",
    "as_traffic_array",
    "as_probability",
    "as_whole_number",
    "broadcast",
]

#: Largest offered load accepted by the queueing formulas, in Erlangs (1e7: ten million
#: simultaneous calls, far beyond any contact centre; every formula is checked accurate up to it).
MAX_TRAFFIC_ERLANGS = 1e7
#: Largest number of agents accepted or returned (1e9). A goal that needs more is refused.
MAX_AGENTS = 1e9
#: Largest finite mean patience relative to the mean handle time (``patience / AHT``) accepted
#: by Erlang A (1e12); ``patience = inf`` (Erlang C) is always accepted.
MAX_PATIENCE_RATIO = 1e12


class StaffingInputError(InputError):
    """An argument of an analytic staffing function is outside its allowed range."""


class StaffingWarning(UserWarning):
    """A result is valid but probably not what the planner wants (for example a requirement
    that meets the service-level goal only because many callers abandon)."""


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
    array = _numeric(value, name)
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


def _numeric(value, name: str) -> np.ndarray:
    """``value`` as a float array; strings, booleans, complex and non-numbers are refused."""
    kind_error = StaffingInputError(f"{name} must be a number or an array of numbers, got {value!r}")
    if isinstance(value, str | bytes | bool | np.bool_):
        raise kind_error
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise kind_error from exc
    if raw.dtype.kind == "O":
        if not all(isinstance(v, numbers.Real) and not isinstance(v, bool | np.bool_) for v in raw.ravel()):
            raise kind_error
    elif raw.dtype.kind not in "iuf":
        raise kind_error  # strings, booleans, complex numbers, dates
    try:
        return np.asarray(raw, dtype=float)
    except (TypeError, ValueError, OverflowError) as exc:
        raise StaffingInputError(f"{name} must be a number of at most about 1e308, got {value!r}") from exc


def as_agents_array(value, name: str = "agents", *, maximum: float = MAX_AGENTS) -> np.ndarray:
    """Return ``value`` as a float array of whole agent counts in ``[0, maximum]``."""
    array = as_float_array(value, name, minimum=0.0, maximum=maximum)
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


def as_traffic_array(value, name: str = "traffic") -> np.ndarray:
    """Return ``value`` as a float array of offered loads in ``[0, MAX_TRAFFIC_ERLANGS]`` Erlangs."""
    return as_float_array(value, name, minimum=0.0, maximum=MAX_TRAFFIC_ERLANGS)


def as_whole_number(value, name: str, *, minimum: int = 0) -> int:
    """Return ``value`` as a Python ``int`` after checking it is a whole number ``>= minimum``."""
    array = as_float_array(value, name, minimum=-np.inf)
    if array.ndim != 0:
        raise StaffingInputError(f"{name} must be one whole number, got shape {array.shape}")
    number = float(array)
    if number != np.floor(number) or number < minimum:
        raise StaffingInputError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(number)


def broadcast(**named: np.ndarray) -> list[np.ndarray]:
    """``np.broadcast_arrays`` of validated arrays; a shape mismatch names the arguments.

    Parameters
    ----------
    **named : ndarray
        The arrays by argument name, in the order they are returned.
    """
    try:
        return list(np.broadcast_arrays(*named.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {np.shape(array)}" for name, array in named.items())
        raise StaffingInputError(
            f"arguments must broadcast to one shape (scalars, equal shapes or length-1 axes); got {shapes}"
        ) from None
