"""Named random streams: reproducible, independent, and stable across models (common random numbers).

Each replication ``r`` gets ``SeedSequence(seed).spawn(replications)[r]``. That sequence spawns
one child per name of :data:`STREAM_NAMES`, in that fixed order (new streams are only ever
appended at the end). Streams that belong to a channel or a group are further keyed by a stable
digest of its *name* (SHA-256, never Python's ``hash()``), so adding a channel, reordering groups
or changing the staffing leaves every other channel's customers untouched: two models with the
same demand see the same customers (same arrival times, handle times, patience...).

Draw order inside a channel's stream is by interval, then by arrival within the interval; every
would-be arrival draws its attributes (even if later deflected), so a change of deflection or bot
share does not shift the other customers' draws.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

__all__ = ["STREAM_NAMES", "name_key", "replication_seeds", "Streams"]

STREAM_NAMES = (
    "arrivals",        # per channel: Poisson counts and arrival times per interval
    "patience",        # per channel: patience of each arrival
    "handling",        # per channel: handle time of each arrival
    "bot",             # per channel: bot resolution and bot time of each arrival
    "shrinkage",       # per group and interval: one uniform per scheduled agent (binomial thinning)
    "retrial",         # per channel: retry decision of each arrival
    "deflection",      # per channel: self-service deflection of each would-be arrival
    "forecast_error",  # per channel: day-level gamma multipliers of the arrival rate
    "retrial_events",  # per channel: delay and new patience of each retrial, in event order
    "notification",    # per channel: proactive-notification deflection of each would-be arrival
    "routing",         # random agent selection (one uniform per routed contact with a choice)
    "after_contact",   # per channel: random after-contact work of each arrival
    "busyness",        # the whole centre: one Gamma(mean 1) arrival-rate factor per calendar day
    "outbound",        # per campaign: contact outcome, dial and talk time of each attempt, in attempt order
    "transfer",        # per channel: transfer decision of each arrival (channels with a transfer)
    "transfer_legs",   # per target channel: handle, wrap-up and patience of each transferred contact, in event order
    "message_items",   # per email channel: handle and wrap-up of each message item it receives, in event order
)
"""Stream names in their fixed spawn order; append new names at the end only."""


def name_key(name: str) -> int:
    """A stable 32-bit key for a channel or group name (first 4 bytes of its SHA-256 digest)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:4], "big")


def replication_seeds(seed: int | np.random.SeedSequence | None,
                      replications: int) -> tuple[int | Sequence[int] | None, list[np.random.SeedSequence]]:
    """Return the root entropy (to echo in results) and one SeedSequence per replication."""
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    return root.entropy, root.spawn(replications)


class Streams:
    """The generators of one replication, created lazily by (stream name, owner name)."""

    def __init__(self, replication_seed: np.random.SeedSequence) -> None:
        children = np.random.SeedSequence(
            entropy=replication_seed.entropy, spawn_key=replication_seed.spawn_key
        ).spawn(len(STREAM_NAMES))
        self._roots = dict(zip(STREAM_NAMES, children, strict=True))
        self._cache: dict[tuple[str, str], np.random.Generator] = {}

    def get(self, stream: str, owner: str) -> np.random.Generator:
        """The generator of ``stream`` (one of :data:`STREAM_NAMES`) for channel/group ``owner``."""
        key = (stream, owner)
        generator = self._cache.get(key)
        if generator is None:
            root = self._roots[stream]
            child = np.random.SeedSequence(entropy=root.entropy, spawn_key=root.spawn_key + (name_key(owner),))
            generator = np.random.Generator(np.random.PCG64(child))
            self._cache[key] = generator
        return generator

    def for_interval(self, stream: str, owner: str, interval: int) -> np.random.Generator:
        """A fresh generator of ``stream`` for ``owner`` in one interval.

        Used where a draw must not shift later draws when its size changes (shrinkage: agent ``k``
        of interval ``i`` always gets the same uniform, so more scheduled agents never means fewer
        available ones).
        """
        root = self._roots[stream]
        child = np.random.SeedSequence(entropy=root.entropy, spawn_key=root.spawn_key + (name_key(owner), interval))
        return np.random.Generator(np.random.PCG64(child))
