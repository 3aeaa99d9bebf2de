"""Seasonal volume forecasts for capacity planning (monthly or weekly contact volumes).

Two documented methods:

``"holt-winters"``
    Additive-trend, multiplicative-season exponential smoothing (Holt 1957; Winters 1960),
    fitted by maximum likelihood with :class:`statsmodels.tsa.holtwinters.ExponentialSmoothing`
    (``initialization_method="estimated"``). A series with zeros uses an additive season. Needs
    at least two full seasons of history and the optional ``statsmodels`` package.
``"seasonal-naive"``
    Seasonal naive times trend: the forecast for ``h``
    periods ahead repeats the same period of the last observed season, ``y[n - m + (h - 1) % m]``
    (0-based, ``n`` observations), multiplied by ``g ** k`` with ``k = ceil(h / m)`` the seasons
    ahead and ``g`` the ratio of the last season's total to the one before (``g = 1`` with a
    single season). See Hyndman &
    Athanasopoulos, *Forecasting: Principles and Practice* (3rd ed., 2021), sections 5.2 and 8.3.

``"auto"`` (default) chooses from the data alone, never from what is installed: Holt-Winters when
the history holds two full seasons, the seasonal naive method otherwise; the result says which
ran. When Holt-Winters is chosen and ``statsmodels`` is missing, the call fails with a message
naming the extra to install (``ccplan[forecast]``) or the method to choose instead, so the same
input gives the same forecast on every machine.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from ._validate import StaffingInputError, as_float_array, as_whole_number

__all__ = ["FORECAST_METHODS", "Forecast", "seasonal_forecast", "holt_winters_available"]

#: The accepted ``method`` values of :func:`seasonal_forecast`.
FORECAST_METHODS = ("auto", "holt-winters", "seasonal-naive")


def holt_winters_available() -> bool:
    """Whether the optional ``statsmodels`` package (Holt-Winters) can be imported."""
    try:
        import statsmodels.tsa.holtwinters  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class Forecast:
    """A volume forecast.

    Attributes
    ----------
    values : numpy.ndarray
        Forecast volume per future period (contacts per period, >= 0), shape ``(horizon,)``.
    method : str
        ``"holt-winters"`` or ``"seasonal-naive"``: the method that produced ``values``.
    season_length : int
        Periods per season (12 for months, 52 for weeks).
    growth_per_season : float
        The seasonal-naive growth factor ``g`` (NaN for Holt-Winters).
    """

    values: np.ndarray
    method: str
    season_length: int
    growth_per_season: float


def seasonal_forecast(history: ArrayLike, horizon: int, *, season_length: int = 12, method: str = "auto") -> Forecast:
    """Forecast ``horizon`` periods of volume after ``history``.

    Parameters
    ----------
    history : array_like
        Observed volume per period, oldest first (contacts per period, >= 0); at least one full
        season (two for Holt-Winters).
    horizon : int
        Periods to forecast (>= 1).
    season_length : int
        Periods per season (default 12: months in a year), >= 2.
    method : {"auto", "holt-winters", "seasonal-naive"}
        See the module docstring.

    Returns
    -------
    Forecast
    """
    series = as_float_array(history, "history", minimum=0.0)
    if series.ndim != 1:
        raise StaffingInputError(f"history must be 1-D (one volume per period), got shape {series.shape}")
    horizon = as_whole_number(horizon, "horizon", minimum=1)
    season_length = as_whole_number(season_length, "season_length", minimum=2)
    if method not in FORECAST_METHODS:
        raise StaffingInputError(f"method must be one of {', '.join(FORECAST_METHODS)}, got {method!r}")
    horizon, season_length = int(horizon), int(season_length)
    if series.size < season_length:
        raise StaffingInputError(
            f"history has {series.size} periods; at least one season ({season_length}) is needed"
        )
    if method == "auto":
        method = "holt-winters" if series.size >= 2 * season_length else "seasonal-naive"
    if method == "holt-winters":
        if series.size < 2 * season_length:
            raise StaffingInputError(
                f"holt-winters needs two full seasons of history ({2 * season_length} periods), got {series.size}"
            )
        if not holt_winters_available():
            raise StaffingInputError(
                "holt-winters (chosen by method 'auto' for two seasons of history) needs the optional statsmodels "
                "package: pip install 'ccplan[forecast]', or set method to 'seasonal-naive'")
        return Forecast(_holt_winters(series, horizon, season_length), "holt-winters", season_length, float("nan"))
    values, growth = _seasonal_naive(series, horizon, season_length)
    return Forecast(values, "seasonal-naive", season_length, growth)


def _seasonal_naive(series: np.ndarray, horizon: int, season_length: int) -> tuple[np.ndarray, float]:
    last = series[-season_length:]
    growth = 1.0
    if series.size >= 2 * season_length:
        before = series[-2 * season_length:-season_length].sum()
        if before > 0:
            growth = float(last.sum() / before)
    steps = np.arange(1, horizon + 1)
    values = last[(steps - 1) % season_length] * growth ** np.ceil(steps / season_length)
    return values, growth


def _holt_winters(series: np.ndarray, horizon: int, season_length: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    seasonal = "mul" if (series > 0).all() else "add"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter from the optimiser; the fit is still usable
        model = ExponentialSmoothing(
            series, trend="add", seasonal=seasonal, seasonal_periods=season_length, initialization_method="estimated"
        )
        fitted = model.fit()
        values = np.asarray(fitted.forecast(horizon), dtype=float)
    return np.clip(values, 0.0, None)
