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

Numerics: where ``s`` and ``x`` are at most ``1e6`` the Kummer function ``1F1`` (SciPy's
``hyp1f1``) is used where ``x <= s`` (accurate to ~1e-14 there, whereas ``gammainc`` loses digits
deep in its lower tail for ``s`` near 1e6) and ``gammainc`` / ``gammaincc`` where ``x > s`` (where
``hyp1f1`` loses digits); every product is formed in log space. Beyond ``1e6`` (long patience
relative to the handle time in a large centre: patience / AHT >= 3e5 with 3e4 Erlangs gave NaN
before) those routines overflow or lose every digit, and all measures come instead from one
Gauss-Legendre quadrature of the log-concave integrand ``e^g``, ``g(y) = -(s+1) y + x (1 - e^-y)``
(``J - 1 = x I0``, ``K / x = I0 + x I1``, ``P(answered, 0 < W <= t) = pi_n s I0(theta t)`` with
``I0``, ``I1`` the integrals of ``e^g`` and ``(1 - e^-y) e^g``), written around its peak so
that no term of size ``x`` is subtracted from another. It agrees with the closed forms to ~1e-13
where both apply and stays finite and accurate for ``s``, ``x`` up to 1e21 (the largest the
accepted ranges allow: 1e9 agents, patience / AHT <= 1e12).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from ._poisson import _bd0, log_inverse_erlang_b, log_poisson_pmf
from ._validate import (
    MAX_PATIENCE_RATIO,
    MAX_TRAFFIC_ERLANGS,
    ArrayOrInt,
    StaffingInputError,
    StaffingWarning,
    as_agents_array,
    as_float_array,
    as_probability,
    broadcast,
)

__all__ = ["HIGH_ABANDON_THRESHOLD", "ErlangAResult", "erlang_a", "required_agents_erlang_a", "erlang_a_requirement"]

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


def _core(log_inv_b: np.ndarray, x: np.ndarray, s: np.ndarray) -> _Core:
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


#: Above this many "service completions per mean patience" (``s``, or ``x``), the Kummer
#: function and incomplete gamma routines of SciPy lose accuracy or overflow (NaN for
#: ``s ~ 1e10``); there every measure comes from one log-space quadrature instead.
_QUADRATURE_MIN_SIZE = 1e6


def _h(z: np.ndarray) -> np.ndarray:
    """``z + expm1(-z)`` (``>= 0``), by its Taylor series near 0 so no digit cancels."""
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    small = np.abs(z) < 0.05
    if small.any():
        zs = z[small]
        term = zs * zs / 2.0
        total = term.copy()
        for k in range(3, 14):  # |z|^14 / 14! < 1e-28 for |z| < 0.05
            term = term * (-zs) / k
            total = total + term
        out[small] = total
    large = ~small
    out[large] = z[large] + np.expm1(-z[large])
    return out


@dataclass(frozen=True)
class _Integrals:
    """Logs of the integrals of ``e^g``, ``g(y) = -(s + 1) y + x (1 - e^-y)``, over ``y > 0``."""

    log_peak: np.ndarray  # g(y*), the log of the integrand's peak (kept apart: it can be ~1e20)
    log_i0: np.ndarray  # log int_0^inf e^g dy - g(y*)
    log_i1: np.ndarray  # log int_0^inf (1 - e^-y) e^g dy - g(y*)
    log_i0_target: np.ndarray  # log int_0^tau e^g dy - g(y*), tau = target / patience
    mean_y: np.ndarray  # int y e^g / int e^g = E[ln(x / Z) | Z < x], Z ~ Gamma(s + 1)


def _integrals(x: np.ndarray, s: np.ndarray, d: np.ndarray, tau: np.ndarray) -> _Integrals:
    """Gauss-Legendre quadrature of the integrals behind every Erlang A measure.

    With ``y = y* + z`` around the maximiser ``y* = max(0, ln(x / (s + 1)))`` the exponent is
    ``g(y*) + G(z)`` with ``G(z) = (c - s - 1) z - c (z + expm1(-z))``, ``c = min(x, s + 1)``
    and ``g(y*) = bd0(s + 1, x)`` (Loader's deviance) for an interior maximum: no term of size
    ``x`` or ``s`` is ever subtracted from another, so the quadrature keeps full relative accuracy
    for ``s`` and ``x`` up to 1e21 and more. ``d = x - s`` is passed computed as
    ``(traffic - agents) patience / AHT`` so that it carries no cancellation either. The window
    holds all the mass of the log-concave integrand down to ``exp(-46)`` of its peak.
    """
    m = s + 1.0
    interior = d > 1.0
    ystar = np.zeros_like(x)
    ystar[interior] = np.log1p((d[interior] - 1.0) / m[interior])
    c = np.where(interior, m, x)
    sigma = np.where(interior, 0.0, d - 1.0)  # slope of G at 0, <= 0
    gmax = np.zeros_like(x)
    if interior.any():
        gmax[interior] = _bd0(m[interior], x[interior])

    def big_g(z):
        return sigma * z - c * _h(z)

    def big_g_2d(z):
        return sigma[:, None] * z - c[:, None] * _h(z.ravel()).reshape(z.shape)

    # Right end of the window: G(z) <= c - (s + 1) z, G(z) <= sigma z, and G(z) <= -c z^2 / 3
    # for 0 <= z <= 1, so the level -46 is reached before the smallest of these bounds.
    with np.errstate(divide="ignore", invalid="ignore"):
        hi = (c + _WINDOW_LOG_DROP) / m
        hi = np.where(sigma < 0.0, np.minimum(hi, _WINDOW_LOG_DROP / -sigma), hi)
        gauss = np.sqrt(3.0 * _WINDOW_LOG_DROP / c)
        hi = np.where(gauss <= 1.0, np.minimum(hi, gauss), hi)
    lo_r, hi_r = np.zeros_like(hi), hi
    lo_l, hi_l = -ystar, np.zeros_like(hi)
    level = -_WINDOW_LOG_DROP
    for _ in range(64):
        mid = 0.5 * (lo_r + hi_r)
        up = big_g(mid) > level
        lo_r = np.where(up, mid, lo_r)
        hi_r = np.where(up, hi_r, mid)
        mid = 0.5 * (lo_l + hi_l)
        up = big_g(mid) > level
        hi_l = np.where(up, mid, hi_l)
        lo_l = np.where(up, lo_l, mid)
    left = np.where(big_g(-ystar) > level, -ystar, lo_l)
    right = hi_r

    half = 0.5 * (right - left)
    z = (0.5 * (right + left))[:, None] + half[:, None] * _GL_NODES[None, :]
    w = np.exp(big_g_2d(z)) * _GL_WEIGHTS[None, :]  # G <= 0 and G(0) = 0 inside the window
    y = ystar[:, None] + z
    total = w.sum(axis=1)
    log_i0 = np.log(half) + np.log(total)
    log_i1 = np.log(half) + np.log((-np.expm1(-y) * w).sum(axis=1))
    mean_y = (y * w).sum(axis=1) / total

    # Up to the target: y <= tau, i.e. z <= tau - y*. On [-y*, upper] the integrand peaks at
    # top = min(upper, 0); the window must hold the mass relative to that peak, not to G(0).
    upper = np.minimum(right, tau - ystar)
    log_i0_target = np.full_like(x, -np.inf)
    some = upper > -ystar
    if some.any():
        up_t, floor_t = upper[some], -ystar[some]
        sig_t, c_t = sigma[some], c[some]

        def g_t(z):
            return sig_t * z - c_t * _h(z)

        top = np.minimum(up_t, 0.0)
        level_t = g_t(top) - _WINDOW_LOG_DROP
        lo_t, hi_t = floor_t.copy(), top.copy()
        cut = g_t(floor_t) <= level_t
        if cut.any():
            for _ in range(64):
                mid = 0.5 * (lo_t + hi_t)
                up = g_t(mid) > level_t
                hi_t = np.where(up, mid, hi_t)
                lo_t = np.where(up, lo_t, mid)
        low_t = np.where(cut, lo_t, floor_t)
        half_t = 0.5 * (up_t - low_t)
        zt = (0.5 * (up_t + low_t))[:, None] + half_t[:, None] * _GL_NODES[None, :]
        et = sig_t[:, None] * zt - c_t[:, None] * _h(zt.ravel()).reshape(zt.shape)
        peak = et.max(axis=1)
        wt = np.exp(et - peak[:, None]) * _GL_WEIGHTS[None, :]
        log_i0_target[some] = peak + np.log(half_t) + np.log(wt.sum(axis=1))
    return _Integrals(gmax, log_i0, log_i1, log_i0_target, mean_y)


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
    arrays = broadcast(
        arrival_rate_per_hour=lam_h, aht_seconds=aht, patience_seconds=patience, agents=n, target_seconds=target
    )
    check_load_and_patience(arrays[0], arrays[1], arrays[2])
    return arrays


def check_load_and_patience(lam_h: np.ndarray, aht: np.ndarray, patience: np.ndarray) -> None:
    """Refuse an offered load above ``MAX_TRAFFIC_ERLANGS`` or a patience/AHT above ``MAX_PATIENCE_RATIO``."""
    with np.errstate(over="ignore"):
        traffic = lam_h / 3600.0 * aht
        ratio = patience / aht
    if (traffic > MAX_TRAFFIC_ERLANGS).any():
        raise StaffingInputError(
            f"the offered load arrival_rate_per_hour x aht_seconds / 3600 must be <= {MAX_TRAFFIC_ERLANGS:g} "
            f"Erlangs, got {float(traffic.max()):g}"
        )
    finite = np.isfinite(patience)
    if (ratio[finite] > MAX_PATIENCE_RATIO).any():
        raise StaffingInputError(
            f"patience_seconds / aht_seconds must be <= {MAX_PATIENCE_RATIO:g} (use patience_seconds=inf "
            f"for Erlang C), got {float(ratio[finite].max()):g}"
        )


@dataclass(frozen=True)
class _General:
    """Log-space measures of M/M/n+M with arrivals, ``n >= 1`` and finite patience."""

    log_pi_n: np.ndarray
    log_p_wait: np.ndarray
    log_p_abandon: np.ndarray
    log_queue: np.ndarray
    log_no_wait: np.ndarray
    log_answered_after_wait: np.ndarray  # P(answered, 0 < W <= t)
    log_answered_waiting: np.ndarray | None  # P(answered, W > 0), with ``asa``
    mean_y: np.ndarray | None  # E[ln(x / Z) | Z < x], with ``asa``


def _general(a, m, h, pat, t, *, asa: bool) -> _General:
    """Every measure in log space; the quadrature of :func:`_integrals` where ``s`` or ``x`` is big."""
    ratio = pat / h
    x = a * ratio
    s = m * ratio
    log_inv_b = log_inverse_erlang_b(a, m)
    shape = a.shape
    log_pi_n = np.empty(shape)
    log_p_wait = np.empty(shape)
    log_ab = np.empty(shape)
    log_queue = np.empty(shape)
    log_after = np.empty(shape)
    log_waiting = np.empty(shape if asa else 0)  # filled only with ``asa`` (None in the result otherwise)
    mean_y = np.empty(shape if asa else 0)
    with np.errstate(divide="ignore"):
        log_x = np.log(x)

    big = np.maximum(x, s) > _QUADRATURE_MIN_SIZE
    small = ~big
    if small.any():
        core = _core(log_inv_b[small], x[small], s[small])
        log_pi_n[small] = core.log_pi_n
        log_p_wait[small] = core.log_pi_n + core.log_j
        log_queue[small] = core.log_pi_n + core.log_k
        log_ab[small] = core.log_pi_n + core.log_k - log_x[small]
        log_after[small] = _log_answered_after_wait(core, np.exp(-t[small] / pat[small]))
        if asa:
            log_waiting[small] = _log_answered_after_wait(core, np.zeros(int(small.sum())))
            mean_y[small] = _mean_log_ratio(s[small], x[small])
    if big.any():
        xb, sb, lxb = x[big], s[big], log_x[big]
        q = _integrals(xb, sb, (a[big] - m[big]) * ratio[big], t[big] / pat[big])
        # Every measure is a ratio with the denominator 1/pi_n = 1/B + x I0 (J - 1 = x I0);
        # numerator and denominator are both divided by the peak e^g(y*) before any log is
        # added, so a peak of size 1e7 or 1e20 cannot eat the digits of the result.
        log_den = np.logaddexp(log_inv_b[big] - q.log_peak, lxb + q.log_i0)
        log_pi_n[big] = -q.log_peak - log_den
        log_p_wait[big] = np.logaddexp(-q.log_peak, lxb + q.log_i0) - log_den
        # K / x = I0 + x I1 (integration by parts of K = x + (x - s)(J - 1): no cancellation).
        log_k_over_x = np.logaddexp(q.log_i0, lxb + q.log_i1)
        log_ab[big] = log_k_over_x - log_den
        log_queue[big] = lxb + log_k_over_x - log_den
        log_after[big] = np.log(sb) + q.log_i0_target - log_den
        if asa:
            log_waiting[big] = np.log(sb) + q.log_i0 - log_den
            mean_y[big] = q.mean_y

    # No wait: pi_n (1/B - 1); when B is near 1, use 1/B(n) - 1 = n / (a B(n - 1)).
    log_inv_b_minus_1 = log_inv_b + _log1mexp(-log_inv_b)
    near_one = log_inv_b < np.log(2.0)
    if near_one.any():
        log_inv_b_minus_1[near_one] = (
            np.log(m[near_one]) - np.log(a[near_one]) + log_inverse_erlang_b(a[near_one], m[near_one] - 1.0)
        )
    return _General(
        log_pi_n=log_pi_n,
        log_p_wait=log_p_wait,
        log_p_abandon=log_ab,
        log_queue=log_queue,
        log_no_wait=log_pi_n + log_inv_b_minus_1,
        log_answered_after_wait=log_after,
        log_answered_waiting=log_waiting if asa else None,
        mean_y=mean_y if asa else None,
    )


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
    arriving = traffic > 0.0

    # Zero agents with arrivals: everybody waits, nobody is answered.
    none = (n == 0) & arriving
    p_wait[none] = 1.0
    p_abandon[none] = np.where(np.isinf(patience[none]), 0.0, 1.0)
    sl[none] = 0.0
    queue[none] = np.where(np.isinf(patience[none]), np.inf, lam[none] * patience[none])
    occ[none] = 0.0

    # Infinite patience: Erlang C (and an unstable queue when traffic >= agents).
    patient = np.isinf(patience) & (n > 0) & arriving
    if patient.any():
        from .erlang import _erlang_c_parts

        a, m, h, t = traffic[patient], n[patient], aht[patient], target[patient]
        c, no_wait, stable = _erlang_c_parts(a, m)
        p_wait[patient] = c
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            sl[patient] = np.where(stable, no_wait + c * -np.expm1(-(m - a) * t / h), 0.0)
            queue[patient] = np.where(stable, c * a / (m - a), np.inf)
        occ[patient] = np.minimum(a / m, 1.0)

    general = np.isfinite(patience) & (n > 0) & arriving
    if general.any():
        a, m = traffic[general], n[general]
        g = _general(a, m, aht[general], patience[general], target[general], asa=False)
        p_wait[general] = np.exp(g.log_p_wait)
        p_abandon[general] = np.exp(g.log_p_abandon)
        queue[general] = np.exp(g.log_queue)
        sl[general] = np.exp(g.log_no_wait) + np.exp(g.log_answered_after_wait)
        occ[general] = np.minimum(a * -np.expm1(g.log_p_abandon) / m, 1.0)

    p_wait = np.clip(p_wait, 0.0, 1.0)
    p_abandon = np.clip(p_abandon, 0.0, 1.0)
    sl = np.clip(sl, 0.0, 1.0)
    asa_inputs = (lam_h, aht, patience, n) if with_asa else ()
    return p_wait, p_abandon, sl, queue, occ, asa_inputs


def _asa_seconds(lam_h, aht, patience, n) -> np.ndarray:
    """Mean wait of answered calls in seconds (see the module docstring)."""
    lam = lam_h / 3600.0
    traffic = lam * aht
    arriving = traffic > 0.0
    out = np.zeros(lam.shape)
    out[(n == 0) & arriving] = np.inf
    patient = np.isinf(patience) & (n > 0) & arriving
    if patient.any():
        from .erlang import _erlang_c_parts

        a, m, h = traffic[patient], n[patient], aht[patient]
        c, _, stable = _erlang_c_parts(a, m)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[patient] = np.where(stable, c * h / np.where(stable, m - a, 1.0), np.inf)
    general = np.isfinite(patience) & (n > 0) & arriving
    if general.any():
        pat = patience[general]
        g = _general(traffic[general], n[general], aht[general], pat, np.zeros_like(pat), asa=True)
        log_answered = _log1mexp(g.log_p_abandon)
        out[general] = np.exp(g.log_answered_waiting - log_answered) * pat * g.mean_y
    return out


def erlang_a(arrival_rate_per_hour: ArrayLike, aht_seconds: ArrayLike, patience_seconds: ArrayLike, agents: ArrayLike, target_seconds: ArrayLike) -> ErlangAResult:
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


#: Abandonment share above which :func:`required_agents_erlang_a` warns (:class:`StaffingWarning`)
#: when no ``max_abandon_rate`` was given: 10 % of callers hanging up is well beyond the usual
#: planning range (2-5 %), and a plan that meets its service level only because the callers who
#: would wait longest give up should be a visible decision, not a silent one.
HIGH_ABANDON_THRESHOLD = 0.1


def required_agents_erlang_a(
    arrival_rate_per_hour: ArrayLike,
    aht_seconds: ArrayLike,
    patience_seconds: ArrayLike,
    target_seconds: ArrayLike,
    service_level_goal: ArrayLike,
    *,
    max_abandon_rate: ArrayLike | None = None,
    max_occupancy: ArrayLike | None = None,
    asa_goal_seconds: ArrayLike | None = None,
) -> ArrayOrInt:
    """Smallest number of agents meeting every goal given, for the Erlang A (M/M/n+M) queue.

    The search covers staffing below the offered load too: with impatient callers fewer
    agents than the load can meet the goal, and a search that starts at the load over-staffs.
    Every goal is monotone in the number of agents, so the answer is the largest of the
    per-goal requirements.

    Parameters
    ----------
    arrival_rate_per_hour : array_like
        Calls per hour, ``>= 0``; the offered load ``arrival_rate_per_hour x aht_seconds / 3600``
        must be at most 1e7 Erlangs.
    aht_seconds : array_like
        Mean handle time, seconds, ``> 0``.
    patience_seconds : array_like
        Mean patience, seconds, ``> 0`` and at most ``1e12 x aht_seconds`` (``inf`` for Erlang C).
    target_seconds : array_like
        Answer-within target, seconds, ``>= 0``.
    service_level_goal : array_like
        Goal for the fraction of all arrivals answered within target, in ``(0, 1)``.
    max_abandon_rate : array_like, optional
        Highest allowed abandonment probability (abandoned over offered calls), in ``(0, 1)``.
    max_occupancy : array_like, optional
        Highest allowed occupancy (carried load over agents, see :class:`ErlangAResult`), in
        ``(0, 1]``.
    asa_goal_seconds : array_like, optional
        Highest allowed mean wait of answered calls, seconds, ``> 0``.

    Returns
    -------
    int or ndarray of int
        Required agents (0 where no calls arrive).

    Warns
    -----
    StaffingWarning
        When ``max_abandon_rate`` is not given and, at the recommended staffing, more than
        :data:`HIGH_ABANDON_THRESHOLD` (10 %) of callers abandon in some case.

    Raises
    ------
    StaffingInputError
        For an argument out of range, arrays that do not broadcast, or goals that need more
        than ``staffing.MAX_AGENTS`` (1e9) agents.

    Examples
    --------
    >>> int(required_agents_erlang_a(600 * 3600 / 240, 240, 120, 20, 0.8))
    545
    """
    agents, _, p_abandon = erlang_a_requirement(
        arrival_rate_per_hour, aht_seconds, patience_seconds, target_seconds, service_level_goal,
        max_abandon_rate=max_abandon_rate, max_occupancy=max_occupancy, asa_goal_seconds=asa_goal_seconds,
    )
    if max_abandon_rate is None:
        warn_high_abandonment(p_abandon, "required_agents_erlang_a", stacklevel=3)
    return int(agents) if np.ndim(agents) == 0 else agents.astype(np.int64)


def warn_high_abandonment(p_abandon: np.ndarray, caller: str, *, stacklevel: int = 2) -> None:
    """Issue a :class:`StaffingWarning` if any abandonment share exceeds :data:`HIGH_ABANDON_THRESHOLD`."""
    p_abandon = np.asarray(p_abandon, dtype=float)
    high = p_abandon > HIGH_ABANDON_THRESHOLD
    if high.any():
        warnings.warn(
            StaffingWarning(
                f"{caller}: at the recommended staffing {float(p_abandon.max()):.1%} of callers abandon "
                f"(above {HIGH_ABANDON_THRESHOLD:.0%}) in {int(high.sum())} of {p_abandon.size} case(s); "
                "the service-level goal is met because callers hang up. Give max_abandon_rate to cap it."
            ),
            stacklevel=stacklevel,
        )


def erlang_a_requirement(
    arrival_rate_per_hour,
    aht_seconds,
    patience_seconds,
    target_seconds,
    service_level_goal,
    *,
    max_abandon_rate=None,
    max_occupancy=None,
    asa_goal_seconds=None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The requirement of :func:`required_agents_erlang_a` without the warning.

    Returns
    -------
    tuple of ndarray
        Agents (float), the binding goal per case (see :func:`staffing.sizing.binding_goals`)
        and the abandonment probability at that staffing.
    """
    from .sizing import (
        binding_goals,
        bracketed_search,
        optional_goals,
        square_root_staffing_unchecked,
    )

    lam_h, aht, patience, _, target = _validated(
        arrival_rate_per_hour, aht_seconds, patience_seconds, 0, target_seconds
    )
    named = {
        "arrival_rate_per_hour": lam_h,
        "aht_seconds": aht,
        "patience_seconds": patience,
        "target_seconds": target,
        "service_level_goal": as_probability(service_level_goal, "service_level_goal"),
    }
    named.update(optional_goals(max_occupancy=max_occupancy, asa_goal_seconds=asa_goal_seconds,
                                max_abandon_rate=max_abandon_rate))
    arrays = broadcast(**named)
    shape = arrays[0].shape
    flat = dict(zip(named, (x.ravel() for x in arrays), strict=True))
    lam_h, aht, patience, target, goal = (
        flat[k] for k in ("arrival_rate_per_hour", "aht_seconds", "patience_seconds", "target_seconds", "service_level_goal")
    )
    max_ab = flat.get("max_abandon_rate")
    max_occ = flat.get("max_occupancy")
    asa_goal = flat.get("asa_goal_seconds")
    traffic = lam_h / 3600.0 * aht
    idle = traffic == 0.0

    def evaluate(agents: np.ndarray, idx: np.ndarray):
        _, p_ab, sl, _, occ, _ = _measures(lam_h[idx], aht[idx], patience[idx], agents, target[idx], with_asa=False)
        met = {"service_level": (sl >= goal[idx]) | idle[idx]}
        if max_occ is not None:
            met["occupancy"] = (occ <= max_occ[idx]) | idle[idx]
        if asa_goal is not None:
            with np.errstate(invalid="ignore"):
                asa = _asa_seconds(lam_h[idx], aht[idx], patience[idx], agents)
            met["asa"] = (asa <= asa_goal[idx]) | idle[idx]
        if max_ab is not None:
            met["abandon"] = (p_ab <= max_ab[idx]) | idle[idx]
        return met, p_ab

    def feasible(agents: np.ndarray, idx: np.ndarray) -> np.ndarray:
        return np.logical_and.reduce(list(evaluate(agents, idx)[0].values()))

    goals = "the goals (" + ", ".join(k for k in named if k in {"service_level_goal", "max_abandon_rate", "max_occupancy", "asa_goal_seconds"}) + ")"
    start = square_root_staffing_unchecked(traffic, aht, target, goal)
    result = bracketed_search(start, feasible, lower=np.zeros(traffic.shape), goals=goals)
    result = np.where(idle, 0.0, result)
    everything = np.arange(result.size)
    met_below, _ = evaluate(np.maximum(result - 1.0, 0.0), everything)
    met_below = {name: met | idle for name, met in met_below.items()}
    _, p_abandon = evaluate(result, everything)
    p_abandon = np.where(idle, 0.0, p_abandon)
    return result.reshape(shape), binding_goals(met_below, shape), p_abandon.reshape(shape)
