"""A multichannel discrete-event (SimPy) model of a contact centre.

Build a :class:`SimulationModel` (frozen, validated at construction) and call
:func:`simulate`; see :mod:`simulator.engine` for the event design, :mod:`simulator.kpis` for
the KPI definitions and confidence intervals, and :mod:`simulator.streams` for the random streams.

The public names of ``__all__`` are loaded on first use (PEP 562), so ``import simulator`` does
not import SimPy, pandas or SciPy; ``from simulator import simulate`` works as usual.

Examples
--------
The single voice queue of issue 3 (240 calls per 30 minutes, AHT 180 s, mean patience 120 s,
26 agents, 8 hours):

>>> import simulator as sim
>>> voice = sim.ChannelModel("voice", "voice", arrivals_per_interval=[240],
...                          handle_time=sim.Distribution.exponential(180),
...                          patience=sim.Distribution.exponential(120),
...                          service_level_target_seconds=20)
>>> team = sim.AgentGroupModel("voice team", ["voice"], agents_per_interval=[26])
>>> model = sim.SimulationModel(interval_seconds=1800, intervals=16, channels=[voice], groups=[team])
>>> result = sim.simulate(model, replications=5, seed=1)
>>> kpis = result.to_json_dict()["channels"]["voice"]
>>> round(kpis["offered"]["mean"], 1), round(kpis["service_level"]["mean"], 3)
(3803.2, 0.864)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__all__ = [
    "ModelError",
    "Distribution",
    "BotModel",
    "RetrialModel",
    "TransferModel",
    "ChannelModel",
    "AgentGroupModel",
    "ElasticPolicy",
    "SimulationModel",
    "OutboundCampaign",
    "CHANNEL_KINDS",
    "DISTRIBUTION_KINDS",
    "simulate",
    "SimulationResult",
    "ContactRecord",
    "SUMMARY_KPIS",
    "STREAM_NAMES",
    "ci95_half_width",
    "confidence_interval",
    "PrecisionTarget",
    "PrecisionReport",
]

# Public name -> submodule that defines it. Loaded on first access (PEP 562), so ``import
# simulator`` stays cheap: SimPy, pandas and SciPy are imported only when a name needs them.
_HOMES = {
    "ModelError": "errors",
    "Distribution": "model",
    "BotModel": "model",
    "RetrialModel": "model",
    "TransferModel": "model",
    "ChannelModel": "model",
    "AgentGroupModel": "model",
    "ElasticPolicy": "model",
    "SimulationModel": "model",
    "OutboundCampaign": "model",
    "CHANNEL_KINDS": "model",
    "DISTRIBUTION_KINDS": "model",
    "simulate": "run",
    "SimulationResult": "results",
    "ContactRecord": "engine",
    "SUMMARY_KPIS": "kpis",
    "STREAM_NAMES": "streams",
    "ci95_half_width": "kpis",
    "confidence_interval": "kpis",
    "PrecisionTarget": "precision",
    "PrecisionReport": "precision",
}

if TYPE_CHECKING:
    from .engine import ContactRecord
    from .errors import ModelError
    from .kpis import SUMMARY_KPIS, ci95_half_width, confidence_interval
    from .model import (
        CHANNEL_KINDS,
        DISTRIBUTION_KINDS,
        AgentGroupModel,
        BotModel,
        ChannelModel,
        Distribution,
        ElasticPolicy,
        OutboundCampaign,
        RetrialModel,
        SimulationModel,
        TransferModel,
    )
    from .precision import PrecisionReport, PrecisionTarget
    from .results import SimulationResult
    from .run import simulate
    from .streams import STREAM_NAMES


def __getattr__(name: str):
    """Load a public name from its submodule on first access (PEP 562) and cache it here."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
