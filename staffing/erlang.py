"""Erlang B and Erlang C (M/M/n) formulas, exact and stable for very large centres.

Traffic ``a`` is in Erlangs (arrival rate x mean handle time), ``agents`` ``n`` is a whole number
of agents. All functions broadcast their arguments like NumPy ufuncs and return a float for
scalar input.

Supported range: traffic in ``[0, 1e7]`` Erlangs and whole agents in ``[0, 1e9]``
(``staffing.MAX_TRAFFIC_ERLANGS``, ``staffing.MAX_AGENTS``); values outside, NaN, infinities,
strings and booleans are refused with :class:`staffing.StaffingInputError`. Every quantity is
derived from ``log(1 / B)`` (see :mod:`staffing._poisson`), so nothing overflows in that range:

* Erlang C: ``C = 1 / (rho + (1 - rho) / B)`` with ``rho = a / n`` (Gans, Koole & Mandelbaum,
  *Telephone call centers: tutorial, review and research prospects*, MSOM 2003, section 4.1).
* Service level: ``P(W <= t) = 1 - C exp(-(n - a) t / AHT)`` computed as
  ``(1 - C) + C (1 - exp(-(n - a) t / AHT))`` so that no digit is lost when it is small.
* Average speed of answer (over all arrivals): ``C AHT / (n - a)``.

Conventions: when ``traffic >= agents`` the queue is unstable: ``erlang_c = 1``,
``service_level = 0``, ``average_speed_of_answer = inf``. When ``traffic == 0`` nobody arrives:
blocking and waiting probabilities are 0, the service level is 1 and the ASA 0 s.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._poisson import log_inverse_erlang_b
from ._validate import (
    ArrayOrFloat,
    as_agents_array,
    as_float_array,
    as_traffic_array,
    broadcast,
)

__all__ = [
    "erlang_b",
    "erlang_c",
    "service_level",
    "average_speed_of_answer",
    "occupancy",
]


def _scalar_or_array(value: np.ndarray):
    return float(value) if np.ndim(value) == 0 else value


def _erlang_c_parts(traffic: np.ndarray, agents: np.ndarray):
    """Return ``(C, 1 - C, stable mask)`` with ``1 - C`` computed without cancellation."""
    traffic, agents = np.broadcast_arrays(traffic, agents)
    prob_wait = np.ones(traffic.shape)
    prob_no_wait = np.zeros(traffic.shape)
    zero = traffic == 0.0
    prob_wait[zero] = 0.0
    prob_no_wait[zero] = 1.0
    stable = (traffic < agents) & ~zero
    if stable.any():
        a, n = traffic[stable], agents[stable]
        rho = a / n
        log_inv_b = log_inverse_erlang_b(a, n)
        log_den = np.logaddexp(np.log(rho), np.log1p(-rho) + log_inv_b)
        prob_wait[stable] = np.exp(-log_den)
        # 1 - C = (1 - rho) (1/B - 1) / (rho + (1 - rho)/B), and 1/B - 1 = (1/B)(1 - B).
        log_inv_b_minus_1 = log_inv_b + np.log1p(-np.exp(-log_inv_b))
        prob_no_wait[stable] = np.exp(np.log1p(-rho) + log_inv_b_minus_1 - log_den)
    return prob_wait, prob_no_wait, stable


def erlang_b(traffic: ArrayLike, agents: ArrayLike) -> ArrayOrFloat:
    """Blocking probability of the Erlang loss system M/M/n/n.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs (arrival rate x mean holding time), ``>= 0``.
    agents : array_like
        Number of servers (whole numbers ``>= 0``).

    Returns
    -------
    float or ndarray
        ``B(a, n) = (a^n / n!) / sum_{k<=n} a^k / k!``.

    References
    ----------
    A. K. Erlang (1917); computed as ``P(Poisson(a) = n) / P(Poisson(a) <= n)`` in log space.

    Examples
    --------
    >>> round(erlang_b(10.0, 10), 6)
    0.214582
    """
    a = as_traffic_array(traffic)
    n = as_agents_array(agents, "agents")
    a, n = broadcast(traffic=a, agents=n)
    out = np.zeros(a.shape)
    pos = a > 0.0
    if pos.any():
        out[pos] = np.exp(-log_inverse_erlang_b(a[pos], n[pos]))
    return _scalar_or_array(out)


def erlang_c(traffic: ArrayLike, agents: ArrayLike) -> ArrayOrFloat:
    """Probability that an arrival waits, ``P(W > 0)``, in the M/M/n (Erlang C) queue.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, ``>= 0``.
    agents : array_like
        Number of agents (whole numbers ``>= 0``).

    Returns
    -------
    float or ndarray
        The Erlang C probability; 1.0 when ``traffic >= agents`` (unstable queue), 0.0 when
        ``traffic == 0``.

    Examples
    --------
    >>> round(erlang_c(10.0, 12), 6)
    0.449388
    """
    a = as_traffic_array(traffic)
    n = as_agents_array(agents, "agents")
    a, n = broadcast(traffic=a, agents=n)
    prob_wait, _, _ = _erlang_c_parts(a, n)
    return _scalar_or_array(prob_wait)


def service_level(traffic: ArrayLike, agents: ArrayLike, aht_seconds: ArrayLike, target_seconds: ArrayLike) -> ArrayOrFloat:
    """Fraction of calls answered within ``target_seconds`` in the M/M/n queue.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, ``>= 0``.
    agents : array_like
        Number of agents (whole numbers ``>= 0``).
    aht_seconds : array_like
        Mean handle time in seconds, ``> 0``.
    target_seconds : array_like
        Service-level target (answer within this many seconds), ``>= 0``.

    Returns
    -------
    float or ndarray
        ``P(W <= t) = 1 - C(a, n) exp(-(n - a) t / AHT)``; 0.0 when ``traffic >= agents``.

    Examples
    --------
    >>> round(service_level(10.0, 12, 180.0, 20.0), 6)
    0.640158
    """
    a = as_traffic_array(traffic)
    n = as_agents_array(agents, "agents")
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False)
    target = as_float_array(target_seconds, "target_seconds", minimum=0.0)
    a, n, aht, target = broadcast(traffic=a, agents=n, aht_seconds=aht, target_seconds=target)
    prob_wait, prob_no_wait, stable = _erlang_c_parts(a, n)
    out = np.where(a == 0.0, 1.0, 0.0)
    if stable.any():
        decay = -np.expm1(-(n[stable] - a[stable]) * target[stable] / aht[stable])
        out[stable] = prob_no_wait[stable] + prob_wait[stable] * decay
    return _scalar_or_array(np.clip(out, 0.0, 1.0))


def average_speed_of_answer(traffic: ArrayLike, agents: ArrayLike, aht_seconds: ArrayLike) -> ArrayOrFloat:
    """Mean waiting time over all arrivals (ASA) in seconds for the M/M/n queue.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, ``>= 0``.
    agents : array_like
        Number of agents (whole numbers ``>= 0``).
    aht_seconds : array_like
        Mean handle time in seconds, ``> 0``.

    Returns
    -------
    float or ndarray
        ``C(a, n) AHT / (n - a)`` seconds; ``inf`` when ``traffic >= agents``.

    Examples
    --------
    >>> round(average_speed_of_answer(10.0, 12, 180.0), 4)
    40.4449
    """
    a = as_traffic_array(traffic)
    n = as_agents_array(agents, "agents")
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False)
    a, n, aht = broadcast(traffic=a, agents=n, aht_seconds=aht)
    prob_wait, _, stable = _erlang_c_parts(a, n)
    out = np.where(a == 0.0, 0.0, np.inf)
    if stable.any():
        out[stable] = prob_wait[stable] * aht[stable] / (n[stable] - a[stable])
    return _scalar_or_array(out)


def occupancy(traffic: ArrayLike, agents: ArrayLike) -> ArrayOrFloat:
    """Agent occupancy ``traffic / agents``, capped at 1.

    Parameters
    ----------
    traffic : array_like
        Offered load in Erlangs, ``>= 0``.
    agents : array_like
        Number of agents (whole numbers ``>= 0``); zero agents give occupancy 1 if any traffic
        is offered and 0 otherwise.

    Returns
    -------
    float or ndarray
        Fraction of agent time spent handling contacts, in ``[0, 1]``.
    """
    a = as_traffic_array(traffic)
    n = as_agents_array(agents, "agents")
    a, n = broadcast(traffic=a, agents=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(n > 0, a / np.where(n > 0, n, 1.0), np.where(a > 0, 1.0, 0.0))
    return _scalar_or_array(np.minimum(out, 1.0))
