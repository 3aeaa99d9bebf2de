"""A multichannel discrete-event (SimPy) model of a contact centre.

Build a :class:`SimulationModel` (frozen, validated at construction) and call
:func:`simulate`; see :mod:`simulator.engine` for the event design, :mod:`simulator.kpis` for
the KPI definitions and :mod:`simulator.streams` for the random streams.

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

from .engine import ContactRecord
from .errors import ModelError
from .kpis import SUMMARY_KPIS, ci95_half_width
from .model import (
    CHANNEL_KINDS,
    DISTRIBUTION_KINDS,
    AgentGroupModel,
    BotModel,
    ChannelModel,
    Distribution,
    ElasticPolicy,
    RetrialModel,
    SimulationModel,
)
from .results import SimulationResult
from .run import simulate
from .streams import STREAM_NAMES

__all__ = [
    "ModelError",
    "Distribution",
    "BotModel",
    "RetrialModel",
    "ChannelModel",
    "AgentGroupModel",
    "ElasticPolicy",
    "SimulationModel",
    "CHANNEL_KINDS",
    "DISTRIBUTION_KINDS",
    "simulate",
    "SimulationResult",
    "ContactRecord",
    "SUMMARY_KPIS",
    "STREAM_NAMES",
    "ci95_half_width",
]
