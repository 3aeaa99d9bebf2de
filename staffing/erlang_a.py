"""Erlang A: the M/M/n+M queue (Poisson arrivals, exponential service and patience).

Notation (per second): arrival rate ``lam``, service rate ``mu = 1 / AHT``, abandonment rate
``theta = 1 / mean patience``, ``n`` agents. Offered load ``a = lam / mu`` Erlangs. Two
dimensionless quantities drive everything::

    x = lam / theta        (arrivals during one mean patience)
    s = n mu / theta       (service completions during one mean patience at full occupancy)

Stationary law (Palm 1946; Garnett, Mandelbaum & Reiman, *Designing a call center with
impatient customers*, MSOM 2002; Mandelbaum & Zeltyn, *The M/M/n+G queue: summary of
performance measures*, 2005): ``pi_j = pi_n a^(j-n) n!/j!`` for ``j <= n`` and
``pi_(n+k) = pi_n q_k`` with ``q_k = prod_(i=1..k) x / (s + i)``. With

* ``1 / B`` the inverse Erlang B function (``sum_(j<=n) pi_j / pi_n``),
* ``J = sum_k q_k = 1F1(1; s + 1; x) = P(s, x) / f(s; x)`` where ``P`` is the regularised
  lower incomplete gamma function and ``f(s; x) = x^s e^-x / Gamma(s + 1)``,
* ``K = sum_k k q_k = x / (s + 1) 1F1(2; s + 2; x) = s + (x - s) J``,

the exact measures are ``pi_n = 1 / (1/B + J - 1)``, ``P(W > 0) = pi_n J``,
``E[queue] = pi_n K``, ``P(abandon) = E[queue] / x`` (abandonments happen at rate
``theta E[queue]``), and, for a target ``t`` with ``u = exp(-theta t)``::

    P(answered within t) = pi_n (1/B - 1)                                   (no wait)
                         + pi_n (s / x) [P(s+1, x) - P(s+1, x u)] / f(s; x)  (waited <= t)

The second term follows from the tagged customer's path: with ``k`` customers ahead it is
served with probability ``s / (s + k + 1)`` after a sum of exponential stages whose
``exp(-theta T)`` is Beta(s + 1, k + 1) distributed; summing over ``k`` gives the incomplete
gamma difference. The mean wait of answered customers is
``E[W | served] = P(served, W > 0) E[ln(x / Z) | Z < x] / (theta P(served))`` with
``Z ~ Gamma(s + 1)``, evaluated by Gauss-Legendre quadrature.

Numerics: the Kummer function ``1F1`` (SciPy's ``hyp1f1``) is used where ``x <= s`` (accurate to
~1e-14 there, whereas ``gammainc`` loses digits deep in its lower tail for ``s`` near 1e6) and
``gammainc`` / ``gammaincc`` where ``x > s`` (where ``hyp1f1`` loses digits); every product is
formed in log space, so loads up to 1e5 Erlangs and 2e5 agents neither overflow nor cancel.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import special

from ._poisson import log_inverse_erlang_b, log_poisson_pmf
from ._validate import as_agents_array, as_float_array, as_probability

__all__ = ["ErlangAResult", "erlang_a", "required_agents_erlang_a"]

_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)
_WINDOW_LOG_DROP = 46.0  # integrand mass outside the window is below exp(-46) ~ 1e-20


def _scalar_or_array(value: np.ndarray):
    return float(value) if np.ndim(value) == 0 else value


def _log1mexp(log_value: np.ndarray) -> np.ndarray:
    """``log(1 - exp(v))`` for ``v <= 0`` without cancellation (Maechler 2012)."""
    v = np.asarray(log_value, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(v > -0.6931, np.log(-np.expm1(v)), np.log1p(-np.exp(v)))


def _log_lower_gamma_regularised(order: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``log P(order, y)`` accurate in both tails (``order > 0``, ``y >= 0``)."""
    out = np.full(np.broadcast(order, y).shape, -np.inf)
    order, y = np.broadcast_arrays(order, y)
    lower = (y <= order) & (y > 0)
    if lower.any():
        o, v = order[lower], y[lower]
        # P(o, v) = f(o; v) 1F1(1; o + 1; v), f the continuous Poisson "pmf" of size o at v.
        out[lower] = log_poisson_pmf(o, v) + np.log(special.hyp1f1(1.0, o + 1.0, v))
    upper = y > order
    if upper.any():
        out[upper] = np.log1p(-special.gammaincc(order[upper], y[upper]))
    return out


@dataclass(frozen=True)
class _Core:
    """Log-space stationary quantities of M/M/n+M for ``lam > 0``, ``1 <= n``, finite patience."""

    log_pi_n: np.ndarray
    log_inv_b: np.ndarray
    log_j: np.ndarray
    log_k: np.ndarray
    x: np.ndarray
    s: np.ndarray


def _core(traffic: np.ndarray, agents: np.ndarray, x: np.ndarray, s: np.ndarray) -> _Core:
    log_inv_b = log_inverse_erlang_b(traffic, agents)
    log_j = np.empty_like(x)
    log_j_minus_1 = np.empty_like(x)
    log_k = np.empty_like(x)
    below = x <= s
    if below.any():
        xb, sb = x[below], s[below]
        ratio = xb / (sb + 1.0)
        j1 = special.hyp1f1(1.0, sb + 2.0, xb)  # J of order s + 1
        log_j_minus_1[below] = np.log(ratio * j1)
        log_j[below] = np.log1p(ratio * j1)
        log_k[below] = np.log(ratio * special.hyp1f1(2.0, sb + 2.0, xb))
    above = ~below
    if above.any():
        xa, sa = x[above], s[above]
        lj = np.log1p(-special.gammaincc(sa, xa)) - log_poisson_pmf(sa, xa)
        log_j[above] = lj
        log_j_minus_1[above] = lj + _log1mexp(-lj)
        log_k[above] = np.logaddexp(np.log(sa), np.log(xa - sa) + lj)
    log_inv_pi_n = np.logaddexp(log_inv_b, log_j_minus_1)
    return _Core(-log_inv_pi_n, log_inv_b, log_j, log_k, x, s)


def _log_answered_after_wait(core: _Core, u: np.ndarray) -> np.ndarray:
    """``log P(answered, 0 < W <= t)`` with ``u = exp(-theta t)``."""
    x, s = core.x, core.s
    out = np.full(x.shape, -np.inf)
    below = x <= s
    with np.errstate(divide="ignore", invalid="ignore"):
        if below.any():
            xb, sb, ub = x[below], s[below], u[below]
            # (s / (s + 1)) [J1(x) - r J1(x u)], r = u^(s+1) e^(x (1 - u)) <= 1.
            log_r = (sb + 1.0) * np.log(ub) + xb * (1.0 - ub)
            diff = special.hyp1f1(1.0, sb + 2.0, xb) - np.exp(log_r) * special.hyp1f1(1.0, sb + 2.0, xb * ub)
            out[below] = core.log_pi_n[below] + np.log(sb / (sb + 1.0)) + np.log(np.maximum(diff, 0.0))
        above = ~below
        if above.any():
            xa, sa, ua = x[above], s[above], u[above]
            order = sa + 1.0
            y = xa * ua
            high = y >= order  # both arguments in the upper tail: difference of Q values
            diff = np.empty_like(xa)
            if high.any():
                diff[high] = special.gammaincc(order[high], y[high]) - special.gammaincc(order[high], xa[high])
            low = ~high
            if low.any():
                p_x = np.exp(_log_lower_gamma_regularised(order[low], xa[low]))
                p_y = np.exp(_log_lower_gamma_regularised(order[low], y[low]))
                diff[low] = p_x - p_y
            out[above] = (
                core.log_pi_n[above] + np.log(sa / xa) + np.log(np.maximum(diff, 0.0)) - log_poisson_pmf(sa, xa)
            )
    return out


def _window(s: np.ndarray, x: np.ndarray):
    """Interval of ``y`` holding all the mass of ``exp(g(y))``, ``g = -(s+1) y + x (1 - e^-y)``."""

    def g(y):
        return -(s + 1.0) * y + x * (-np.expm1(-y))

    peak = np.maximum(0.0, np.log(x / (s + 1.0)))
    g_max = g(peak)
    level = g_max - _WINDOW_LOG_DROP
    # Right end: g(y) <= x - (s + 1) y, so this bracket reaches the level.
    hi = np.maximum(peak + 1e-12, (x - level) / (s + 1.0))
    lo_r, hi_r = peak.copy(), hi
    # Left end: only when the level is reached before y = 0.
    lo_l, hi_l = np.zeros_like(peak), peak.copy()
    for _ in range(40):
        mid = 0.5 * (lo_r + hi_r)
        above = g(mid) > level
        lo_r = np.where(above, mid, lo_r)
        hi_r = np.where(above, hi_r, mid)
        mid = 0.5 * (lo_l + hi_l)
        above = g(mid) > level
        hi_l = np.where(above, mid, hi_l)
        lo_l = np.where(above, lo_l, mid)
    left = np.where(g(np.zeros_like(peak)) > level, 0.0, lo_l)
    return left, hi_r, g


def _mean_log_ratio(s: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``E[ln(x / Z) | Z < x]`` for ``Z ~ Gamma(s + 1, 1)``, by Gauss-Legendre quadrature.

    Substituting ``Z = x e^-y`` gives ``int y e^g dy / int e^g dy`` over ``y > 0`` with the
    concave exponent ``g`` of :func:`_window`.
    """
    left, right, _ = _window(s, x)
    half = 0.5 * (right - left)
    mid = 0.5 * (right + left)
    y = mid[:, None] + half[:, None] * _GL_NODES[None, :]
    exponent = -(s[:, None] + 1.0) * y + x[:, None] * (-np.expm1(-y))
    w = np.exp(exponent - exponent.max(axis=1, keepdims=True)) * _GL_WEIGHTS[None, :]
    return (w * y).sum(axis=1) / w.sum(axis=1)


@dataclass(frozen=True)
class ErlangAResult:
    """Performance of the M/M/n+M (Erlang A) queue; array fields broadcast like the inputs.

    Attributes
    ----------
    p_wait : ndarray
        Probability that an arrival has to wait, ``P(W > 0)``.
    p_abandon : ndarray
        Probability that an arrival abandons (fraction of all arrivals).
    service_level : ndarray
        Fraction of ALL arrivals answered within the target (abandoned calls count as missed).
    average_queue_length : ndarray
        Time-average number of callers waiting.
    occupancy : ndarray
        Fraction of agent time busy: carried load ``a (1 - p_abandon)`` over ``agents``.
    asa_seconds : ndarray
        Mean wait of answered calls, seconds (computed on first access).
    """

    p_wait: np.ndarray
    p_abandon: np.ndarray
    service_level: np.ndarray
    average_queue_length: np.ndarray
    occupancy: np.ndarray
    _asa_inputs: tuple = ()

    @cached_property
    def asa_seconds(self):
        return _scalar_or_array(_asa_seconds(*self._asa_inputs))

    @property
    def abandon_rate(self):
        """Alias of ``p_abandon``: abandoned calls over offered calls."""
        return self.p_abandon

    def to_dict(self) -> dict:
        """The measures as a dict of floats or lists (for JSON output)."""
        out = {}
        for name in ("p_wait", "p_abandon", "service_level", "asa_seconds", "average_queue_length", "occupancy"):
            value = getattr(self, name)
            out[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return out


def _validated(arrival_rate_per_hour, aht_seconds, patience_seconds, agents, target_seconds):
    lam_h = as_float_array(arrival_rate_per_hour, "arrival_rate_per_hour", minimum=0.0)
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False)
    patience = as_float_array(
        patience_seconds, "patience_seconds", minimum=0.0, allow_equal_minimum=False, allow_inf=True
    )
    n = as_agents_array(agents, "agents")
    target = as_float_array(target_seconds, "target_seconds", minimum=0.0)
    return np.broadcast_arrays(lam_h, aht, patience, n, target)


def _measures(lam_h, aht, patience, n, target, *, with_asa: bool):
    """All measures as arrays (no validation); ``with_asa`` adds the inputs for the lazy ASA."""
    shape = lam_h.shape
    lam = lam_h / 3600.0
    traffic = lam * aht
    p_wait = np.zeros(shape)
    p_abandon = np.zeros(shape)
    sl = np.ones(shape)
    queue = np.zeros(shape)
    occ = np.zeros(shape)

    # Zero agents with arrivals: everybody waits, nobody is answered.
    none = (n == 0) & (lam > 0)
    p_wait[none] = 1.0
    p_abandon[none] = np.where(np.isinf(patience[none]), 0.0, 1.0)
    sl[none] = 0.0
    queue[none] = np.where(np.isinf(patience[none]), np.inf, lam[none] * patience[none])

    # Infinite patience: Erlang C (and an unstable queue when traffic >= agents).
    patient = np.isinf(patience) & (n > 0) & (lam > 0)
    if patient.any():
        from .erlang import _erlang_c_parts

        a, m, h, t = traffic[patient], n[patient], aht[patient], target[patient]
        c, no_wait, stable = _erlang_c_parts(a, m)
        p_wait[patient] = c
        with np.errstate(divide="ignore", invalid="ignore"):
            sl[patient] = np.where(stable, no_wait + c * -np.expm1(-(m - a) * t / h), 0.0)
            queue[patient] = np.where(stable, c * a / (m - a), np.inf)
        occ[patient] = np.minimum(a / m, 1.0)

    general = np.isfinite(patience) & (n > 0) & (lam > 0)
    if general.any():
        a, m, h, pat, t = traffic[general], n[general], aht[general], patience[general], target[general]
        x = a * pat / h
        s = m * pat / h
        core = _core(a, m, x, s)
        p_wait[general] = np.exp(core.log_pi_n + core.log_j)
        log_ab = core.log_pi_n + core.log_k - np.log(x)
        p_abandon[general] = np.exp(log_ab)
        queue[general] = np.exp(core.log_pi_n + core.log_k)
        # No wait: pi_n (1/B - 1); when B is near 1, use 1/B(n) - 1 = n / (a B(n - 1)).
        log_inv_b_minus_1 = core.log_inv_b + _log1mexp(-core.log_inv_b)
        near_one = core.log_inv_b < np.log(2.0)
        if near_one.any():
            log_inv_b_minus_1[near_one] = (
                np.log(m[near_one])
                - np.log(a[near_one])
                + log_inverse_erlang_b(a[near_one], m[near_one] - 1.0)
            )
        log_no_wait = core.log_pi_n + log_inv_b_minus_1
        log_after = _log_answered_after_wait(core, np.exp(-t / pat))
        sl[general] = np.exp(log_no_wait) + np.exp(log_after)
        occ[general] = np.minimum(a * -np.expm1(log_ab) / m, 1.0)

    p_wait = np.clip(p_wait, 0.0, 1.0)
    p_abandon = np.clip(p_abandon, 0.0, 1.0)
    sl = np.clip(sl, 0.0, 1.0)
    asa_inputs = (lam_h, aht, patience, n) if with_asa else ()
    return p_wait, p_abandon, sl, queue, occ, asa_inputs


def _asa_seconds(lam_h, aht, patience, n) -> np.ndarray:
    """Mean wait of answered calls in seconds (see the module docstring)."""
    lam = lam_h / 3600.0
    traffic = lam * aht
    out = np.zeros(lam.shape)
    out[(n == 0) & (lam > 0)] = np.inf
    patient = np.isinf(patience) & (n > 0) & (lam > 0)
    if patient.any():
        from .erlang import _erlang_c_parts

        a, m, h = traffic[patient], n[patient], aht[patient]
        c, _, stable = _erlang_c_parts(a, m)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[patient] = np.where(stable, c * h / (m - a), np.inf)
    general = np.isfinite(patience) & (n > 0) & (lam > 0)
    if general.any():
        a, m, h, pat = traffic[general], n[general], aht[general], patience[general]
        x = a * pat / h
        s = m * pat / h
        core = _core(a, m, x, s)
        log_answered_waiting = _log_answered_after_wait(core, np.zeros_like(x))  # t = infinity
        log_ab = core.log_pi_n + core.log_k - np.log(x)
        log_answered = _log1mexp(log_ab)
        out[general] = np.exp(log_answered_waiting - log_answered) * pat * _mean_log_ratio(s, x)
    return out


def erlang_a(arrival_rate_per_hour, aht_seconds, patience_seconds, agents, target_seconds) -> ErlangAResult:
    """Exact performance of the Erlang A (M/M/n+M) queue.

    Parameters
    ----------
    arrival_rate_per_hour : array_like
        Poisson arrival rate, calls per hour, ``>= 0``.
    aht_seconds : array_like
        Mean (exponential) handle time in seconds, ``> 0``.
    patience_seconds : array_like
        Mean (exponential) patience in seconds, ``> 0``; ``inf`` gives Erlang C.
    agents : array_like
        Number of agents (whole numbers ``>= 0``).
    target_seconds : array_like
        Service-level target in seconds, ``>= 0``.

    Returns
    -------
    ErlangAResult
        ``p_wait``, ``p_abandon``, ``service_level`` (answered within target over all
        arrivals), ``asa_seconds`` (mean wait of answered calls), ``average_queue_length`` and
        ``occupancy``; floats for scalar input, arrays otherwise.

    References
    ----------
    O. Garnett, A. Mandelbaum and M. Reiman, "Designing a call center with impatient
    customers", MSOM 4(3), 2002. A. Mandelbaum and S. Zeltyn, "The M/M/n+G queue: summary of
    performance measures", technical note, Technion, 2005.

    Examples
    --------
    >>> r = erlang_a(1200, 180, 120, 62, 20)
    >>> round(r.p_abandon, 4), round(r.service_level, 4)
    (0.0414, 0.8797)
    """
    arrays = _validated(arrival_rate_per_hour, aht_seconds, patience_seconds, agents, target_seconds)
    p_wait, p_abandon, sl, queue, occ, asa_inputs = _measures(*arrays, with_asa=True)
    return ErlangAResult(
        p_wait=_scalar_or_array(p_wait),
        p_abandon=_scalar_or_array(p_abandon),
        service_level=_scalar_or_array(sl),
        average_queue_length=_scalar_or_array(queue),
        occupancy=_scalar_or_array(occ),
        _asa_inputs=asa_inputs,
    )


def required_agents_erlang_a(
    arrival_rate_per_hour,
    aht_seconds,
    patience_seconds,
    target_seconds,
    service_level_goal,
    *,
    max_abandon_rate=None,
):
    """Smallest number of agents meeting the service-level (and abandonment) goals, Erlang A.

    The search covers staffing below the offered load too: with impatient callers fewer
    agents than the load can meet the goal, and a search that starts at the load over-staffs.

    Parameters
    ----------
    arrival_rate_per_hour : array_like
        Calls per hour, ``>= 0``.
    aht_seconds : array_like
        Mean handle time, seconds, ``> 0``.
    patience_seconds : array_like
        Mean patience, seconds, ``> 0`` (``inf`` for Erlang C).
    target_seconds : array_like
        Answer-within target, seconds, ``>= 0``.
    service_level_goal : array_like
        Goal for the fraction of all arrivals answered within target, in ``(0, 1)``.
    max_abandon_rate : array_like, optional
        Highest allowed abandonment probability, in ``(0, 1)``.

    Returns
    -------
    int or ndarray of int
        Required agents (0 where no calls arrive).

    Examples
    --------
    >>> int(required_agents_erlang_a(600 * 3600 / 240, 240, 120, 20, 0.8))
    545
    """
    lam_h, aht, patience, _, target = _validated(
        arrival_rate_per_hour, aht_seconds, patience_seconds, 0, target_seconds
    )
    goal = as_probability(service_level_goal, "service_level_goal")
    arrays = [lam_h, aht, patience, target, goal]
    if max_abandon_rate is not None:
        arrays.append(as_probability(max_abandon_rate, "max_abandon_rate"))
    arrays = np.broadcast_arrays(*arrays)
    shape = arrays[0].shape
    lam_h, aht, patience, target, goal = (x.ravel() for x in arrays[:5])
    max_ab = arrays[5].ravel() if max_abandon_rate is not None else None
    traffic = lam_h / 3600.0 * aht

    def feasible(agents: np.ndarray, idx: np.ndarray) -> np.ndarray:
        _, p_ab, sl, _, _, _ = _measures(
            lam_h[idx], aht[idx], patience[idx], agents, target[idx], with_asa=False
        )
        ok = sl >= goal[idx]
        if max_ab is not None:
            ok &= p_ab <= max_ab[idx]
        return ok

    from .sizing import bracketed_search, square_root_staffing_unchecked

    start = square_root_staffing_unchecked(traffic, aht, target, goal)
    result = bracketed_search(start, feasible, lower=np.zeros(traffic.shape))
    result = np.where(traffic == 0.0, 0.0, result).reshape(shape)
    return int(result) if np.ndim(result) == 0 else result.astype(np.int64)
