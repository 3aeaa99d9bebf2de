"""Numerically stable Poisson / gamma building blocks shared by the Erlang formulas.

Everything is computed in log space so that traffic up to 1e5 Erlangs and agent counts up to
2e5 neither overflow nor lose precision:

* ``log_poisson_pmf(k, lam)`` uses Loader's saddle-point form
  ``-stirlerr(k) - bd0(k, lam) - log(2 pi k) / 2`` (C. Loader, *Fast and accurate computation
  of binomial probabilities*, 2000; the algorithm behind R's ``dpois``). It is accurate to a few
  ulps in absolute log terms even where ``k log(lam) - lam - lgamma(k + 1)`` would cancel
  catastrophically (both terms near 1e6 for the largest centres). ``k`` may be real (used by
  Erlang A, whose "agents" become ``n mu / theta``).
* ``log_inverse_erlang_b(traffic, agents)`` is ``log(1 / B(traffic, agents))`` =
  ``log P(Poisson(a) <= n) - log P(Poisson(a) = n)``, with the regularised upper incomplete gamma
  function from SciPy for the CDF and a finite positive series where that CDF underflows (heavy
  overload, ``a >> n``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

__all__ = ["log_poisson_pmf", "log_inverse_erlang_b", "chunked"]

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
# Series coefficients of Stirling's error term (Loader 2000, eq. 3).
_S0, _S1, _S2, _S3, _S4 = 1.0 / 12, 1.0 / 360, 1.0 / 1260, 1.0 / 1680, 1.0 / 1188


def _stirlerr(n: np.ndarray) -> np.ndarray:
    """``log(n!) - log(sqrt(2 pi n) (n / e)^n)`` for real ``n > 0``."""
    n = np.asarray(n, dtype=float)
    out = np.empty_like(n)
    small = n <= 15.0
    if small.any():
        ns = n[small]
        out[small] = special.gammaln(ns + 1.0) - (ns + 0.5) * np.log(ns) + ns - _LOG_SQRT_2PI
    large = ~small
    if large.any():
        nl = n[large]
        nn = nl * nl
        out[large] = (_S0 - (_S1 - (_S2 - (_S3 - _S4 / nn) / nn) / nn) / nn) / nl
    return out


def _bd0(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Deviance term ``x log(x / mean) + mean - x`` without cancellation (Loader 2000)."""
    x = np.asarray(x, dtype=float)
    mean = np.asarray(mean, dtype=float)
    out = np.empty(np.broadcast(x, mean).shape)
    x, mean = np.broadcast_arrays(x, mean)
    near = np.abs(x - mean) < 0.1 * (x + mean)
    if near.any():
        xn, mn = x[near], mean[near]
        v = (xn - mn) / (xn + mn)
        total = (xn - mn) * v
        ej = 2.0 * xn * v
        v2 = v * v
        # |v| < 0.1: twelve odd terms reach far below double precision.
        for j in range(1, 13):
            ej = ej * v2
            total = total + ej / (2 * j + 1)
        out[near] = total
    far = ~near
    if far.any():
        xf, mf = x[far], mean[far]
        out[far] = xf * np.log(xf / mf) + mf - xf
    return out


def log_poisson_pmf(k, lam) -> np.ndarray:
    """Natural log of ``lam**k exp(-lam) / Gamma(k + 1)`` for real ``k >= 0``, ``lam > 0``."""
    k, lam = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(lam, dtype=float))
    out = np.empty(k.shape)
    zero = k == 0.0
    out[zero] = -lam[zero]
    pos = ~zero
    if pos.any():
        kp, lp = k[pos], lam[pos]
        out[pos] = -_stirlerr(kp) - _bd0(kp, lp) - _LOG_SQRT_2PI - 0.5 * np.log(kp)
    return out


def _inverse_erlang_b_series(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """``1 / B`` as ``sum_j prod_{i<j} (n - i) / a``; converges fast when ``a >> n``."""
    total = np.ones_like(traffic)
    term = np.ones_like(traffic)
    active = np.ones(traffic.shape, dtype=bool)
    j = 0
    while active.any():
        factor = np.clip(agents[active] - j, 0.0, None) / traffic[active]
        term[active] *= factor
        total[active] += term[active]
        active[active] = term[active] > 1e-18 * total[active]
        j += 1
    return total


#: Arrays at least this long are split into chunks evaluated on a thread pool: SciPy's special
#: functions and NumPy's ufuncs release the GIL, so large vectors use every core.
PARALLEL_MIN_SIZE = 200_000
if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor  # only big vectors use threads

        _POOL = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="ccplan-erlang")
    return _POOL


def chunked(func, *arrays: np.ndarray) -> np.ndarray:
    """Apply an element-wise ``func`` to broadcast ``arrays``, in parallel chunks when large.

    The result is identical to ``func(*arrays)``: each element is computed by the same code
    whatever the chunking.
    """
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in arrays))
    shape = arrays[0].shape
    size = arrays[0].size
    workers = os.cpu_count() or 1
    if size < PARALLEL_MIN_SIZE or workers == 1:
        return func(*arrays)
    flat = [np.ascontiguousarray(x).ravel() for x in arrays]
    bounds = np.linspace(0, size, 4 * workers + 1).astype(int)
    futures = [
        _pool().submit(func, *(x[lo:hi] for x in flat)) for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    return np.concatenate([f.result() for f in futures]).reshape(shape)


def log_inverse_erlang_b(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """``log(1 / B(traffic, agents))`` for ``traffic > 0`` and whole ``agents >= 0``."""
    return chunked(_log_inverse_erlang_b, traffic, agents)


def _log_inverse_erlang_b(traffic: np.ndarray, agents: np.ndarray) -> np.ndarray:
    traffic, agents = np.broadcast_arrays(traffic, agents)
    out = np.zeros(traffic.shape)  # agents == 0: B = 1
    pos = agents > 0
    if not pos.any():
        return out
    a, n = traffic[pos], agents[pos]
    cdf = special.gammaincc(n + 1.0, a)  # P(Poisson(a) <= n)
    with np.errstate(divide="ignore"):
        log_cdf = np.log(cdf)
    tiny = cdf < 1e-250
    if tiny.any():
        log_cdf[tiny] = 0.0
        series = _inverse_erlang_b_series(a[tiny], n[tiny])
        result = log_cdf - log_poisson_pmf(n, a)
        result[tiny] = np.log(series)
    else:
        result = log_cdf - log_poisson_pmf(n, a)
    out[pos] = result
    return out
