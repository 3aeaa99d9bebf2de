"""Chat staffing: agents who hold up to ``concurrency`` chats at once.

Two models are offered; both take the handle time of a chat handled *alone*
(``aht_seconds``) and both count a chat as waiting only while every agent already holds
``concurrency`` chats.

``method="slots"`` (the classic approximation)
    Each agent is ``concurrency`` independent servers ("slots") and every chat takes
    ``aht_seconds`` whatever else the agent is doing. The queue is then M/M/s with
    ``s = concurrency x agents`` slots and Erlang C applies directly (Erlang 1917, see
    Gans, Koole & Mandelbaum 2003, section 4). The requirement is the smallest number of
    slots meeting the goal, divided by ``concurrency`` and rounded up. It ignores that an
    agent typing in three chats answers each of them more slowly, so with real concurrency
    it promises more capacity than agents deliver.

``method="stretch"`` (the default)
    A chat handled while the agent holds ``k`` chats takes

    ``aht_at_k = aht_seconds x (1 + concurrency_stretch x (k - 1))``

    (the same definition the simulator uses, with ``k`` counted when the chat starts), so an
    agent holding ``k`` chats completes chats at rate ``k / aht_at_k``. Chats are spread as
    evenly as possible over the agents (the simulator routes a new chat to the least-busy
    agent), so with ``j`` chats in the system and ``n`` agents, ``j mod n`` agents hold
    ``j // n + 1`` chats and the rest hold ``j // n``; the total completion rate is
    ``mu(j) = sum over agents of k_i / aht_at_k_i``. Beyond ``n x concurrency`` chats every
    agent is full and the rate is ``M = n x concurrency / aht_at_concurrency``. This is a
    birth-death process solved exactly (stationary distribution in log space); arrivals
    that find all slots busy wait an exponential time with rate ``M - lambda``, which gives
    P(wait), the service level ``1 - P(wait) exp(-(M - lambda) t)`` and the ASA
    ``P(wait) / (M - lambda)`` as in Erlang C. The one approximation is that the stretch
    follows the agent's *current* number of chats rather than being fixed when each chat
    starts (a processor-sharing view of the agent).

Why ``stretch`` is the default: it is the slots model plus the one effect that matters for
chat (concurrency slows each chat), with ``concurrency_stretch=0`` it is *exactly* the
slots model (``mu(j) = j / aht``, M/M/(n x concurrency)), and it uses the same handle-time
rule as the simulator, so an analytic requirement and a simulated check agree on what an
agent can do. The slots answer is still reported beside it as the familiar benchmark.

All functions are vectorised: arguments broadcast together; results are arrays (0-d for
scalar input).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    import pandas as pd

from ._validate import (
    ArrayOrFloat,
    StaffingInputError,
    as_agents_array,
    as_float_array,
    as_probability,
    broadcast,
)
from .defaults import DEFAULT_CONCURRENCY_STRETCH
from .erlang import average_speed_of_answer, erlang_c, occupancy, service_level
from .sizing import required_agents

__all__ = [
    "DEFAULT_CONCURRENCY_STRETCH",
    "CHAT_METHODS",
    "ChatResult",
    "chat_handle_time",
    "chat_metrics",
    "chat_required_agents",
]


#: The allowed values of ``method``.
CHAT_METHODS = ("stretch", "slots")

_SECONDS_PER_HOUR = 3600.0
#: Most agents a chat queue may have (the exact stretch model walks every state up to
#: ``agents x concurrency``), and most chats per agent.
MAX_CHAT_AGENTS = 1e6
MAX_CONCURRENCY = 100


@dataclass(frozen=True)
class ChatResult:
    """Staffing and performance of a chat queue (arrays broadcast to one shape).

    Attributes
    ----------
    agents : numpy.ndarray
        Agents (whole numbers) the metrics refer to: the requirement for
        :func:`chat_required_agents`, the given staffing for :func:`chat_metrics`.
    traffic : numpy.ndarray
        Offered load in single-chat Erlangs, ``arrival rate x aht_seconds``.
    agent_load : numpy.ndarray
        Agents that are busy on average if all of them run at full concurrency (the stability
        bound: ``agents`` must exceed it), ``arrival rate x aht_at_concurrency / concurrency``.
    p_wait : numpy.ndarray
        Probability that a chat waits for a free slot, P(W > 0).
    service_level : numpy.ndarray
        P(W <= target_seconds): share of chats accepted by an agent within the target.
    asa_seconds : numpy.ndarray
        Mean wait over all chats in seconds (``inf`` when overloaded).
    occupancy : numpy.ndarray
        Mean number of chats held per agent divided by ``concurrency`` (slot occupancy).
    method : str
        ``"stretch"`` or ``"slots"``.
    """

    agents: np.ndarray
    traffic: np.ndarray
    agent_load: np.ndarray
    p_wait: np.ndarray
    service_level: np.ndarray
    asa_seconds: np.ndarray
    occupancy: np.ndarray
    method: str

    def to_frame(self) -> pd.DataFrame:
        """Return the result as a DataFrame, one row per element of the broadcast shape."""
        import pandas as pd

        columns = ("agents", "traffic", "agent_load", "p_wait", "service_level", "asa_seconds", "occupancy")
        frame = pd.DataFrame({name: np.ravel(getattr(self, name)) for name in columns})
        frame["agents"] = frame["agents"].astype(int)
        frame["method"] = self.method
        return frame


def chat_handle_time(aht_seconds: ArrayLike, concurrency: ArrayLike, concurrency_stretch: ArrayLike=DEFAULT_CONCURRENCY_STRETCH) -> ArrayOrFloat:
    """Handle time of one chat when the agent holds ``concurrency`` chats.

    Parameters
    ----------
    aht_seconds : array_like
        Handle time of a chat handled alone, seconds (> 0).
    concurrency : array_like
        Number of chats the agent holds, including this one (whole number >= 1).
    concurrency_stretch : array_like
        Relative slow-down per extra chat (>= 0).

    Returns
    -------
    numpy.ndarray
        ``aht_seconds x (1 + concurrency_stretch x (concurrency - 1))`` in seconds.
    """
    aht = as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False)
    chats = _as_concurrency(concurrency)
    stretch = as_float_array(concurrency_stretch, "concurrency_stretch", minimum=0.0)
    return aht * (1.0 + stretch * (chats - 1.0))


def chat_metrics(
    arrival_rate_per_hour: ArrayLike,
    aht_seconds: ArrayLike,
    concurrency: ArrayLike,
    agents: ArrayLike,
    target_seconds: ArrayLike,
    *,
    concurrency_stretch: ArrayLike=DEFAULT_CONCURRENCY_STRETCH,
    method: Literal["stretch", "slots"] = "stretch",
) -> ChatResult:
    """Service level, ASA, P(wait) and occupancy of a chat queue with ``agents`` agents.

    Parameters
    ----------
    arrival_rate_per_hour : array_like
        Chats offered per hour (>= 0).
    aht_seconds : array_like
        Handle time of a chat handled alone, seconds (> 0).
    concurrency : array_like
        Most chats an agent holds at once (whole number >= 1).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    target_seconds : array_like
        Service-level target: the wait counted as answered in time, seconds (>= 0).
    concurrency_stretch : array_like, optional
        Relative slow-down of a chat per extra chat held (>= 0); used by ``method="stretch"``
        only (the slots model takes ``aht_seconds`` as the handle time at any concurrency).
    method : {"stretch", "slots"}
        The model; see the module docstring. ``"stretch"`` is the default.

    Returns
    -------
    ChatResult
        Arrays broadcast over all arguments.

    Examples
    --------
    With no stretch the two models agree, and both are Erlang C on ``2 x 5`` slots:

    >>> a = chat_metrics(60, 300, 2, 5, 30, concurrency_stretch=0.0)
    >>> b = chat_metrics(60, 300, 2, 5, 30, method="slots")
    >>> bool(abs(a.service_level - b.service_level) < 1e-12)
    True
    """
    method = _check_method(method)
    rate, aht, chats, stretch, agents_array, target = broadcast(
        arrival_rate_per_hour=as_float_array(arrival_rate_per_hour, "arrival_rate_per_hour", minimum=0.0),
        aht_seconds=as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False),
        concurrency=_as_concurrency(concurrency),
        concurrency_stretch=as_float_array(concurrency_stretch, "concurrency_stretch", minimum=0.0),
        agents=as_agents_array(agents, "agents", maximum=MAX_CHAT_AGENTS),
        target_seconds=as_float_array(target_seconds, "target_seconds", minimum=0.0),
    )
    _check_chat_load(rate, aht, chats, stretch)
    if method == "slots":
        stretch = np.zeros_like(stretch)
    return _metrics(rate, aht, chats, stretch, agents_array, target, method)


def chat_required_agents(
    arrival_rate_per_hour: ArrayLike,
    aht_seconds: ArrayLike,
    concurrency: ArrayLike,
    target_seconds: ArrayLike,
    service_level_goal: ArrayLike,
    *,
    concurrency_stretch: ArrayLike=DEFAULT_CONCURRENCY_STRETCH,
    method: Literal["stretch", "slots"] = "stretch",
) -> ChatResult:
    """Fewest agents whose chat service level meets the goal, with the metrics at that staffing.

    Parameters
    ----------
    arrival_rate_per_hour : array_like
        Chats offered per hour (>= 0). Zero arrivals need zero agents.
    aht_seconds : array_like
        Handle time of a chat handled alone, seconds (> 0).
    concurrency : array_like
        Most chats an agent holds at once (whole number >= 1).
    target_seconds : array_like
        Service-level target, seconds (>= 0).
    service_level_goal : array_like
        Required P(W <= target_seconds), in (0, 1).
    concurrency_stretch : array_like, optional
        Relative slow-down of a chat per extra chat held (>= 0), ``method="stretch"`` only.
    method : {"stretch", "slots"}
        ``"stretch"`` (default): exact search on the birth-death model of the module
        docstring. ``"slots"``: :func:`staffing.required_agents` on
        ``arrival rate x aht_seconds`` Erlangs gives the slots, and the agents are
        ``ceil(slots / concurrency)``.

    Returns
    -------
    ChatResult
        ``agents`` is the requirement; the other fields are the metrics at that staffing.

    Examples
    --------
    >>> result = chat_required_agents(120, 600, 2, 60, 0.8, method="slots")
    >>> int(result.agents)  # 20 Erlangs need 24 slots for 80/60
    12
    """
    method = _check_method(method)
    rate, aht, chats, stretch, target, goal = broadcast(
        arrival_rate_per_hour=as_float_array(arrival_rate_per_hour, "arrival_rate_per_hour", minimum=0.0),
        aht_seconds=as_float_array(aht_seconds, "aht_seconds", minimum=0.0, allow_equal_minimum=False),
        concurrency=_as_concurrency(concurrency),
        concurrency_stretch=as_float_array(concurrency_stretch, "concurrency_stretch", minimum=0.0),
        target_seconds=as_float_array(target_seconds, "target_seconds", minimum=0.0),
        service_level_goal=as_probability(service_level_goal, "service_level_goal"),
    )
    _check_chat_load(rate, aht, chats, stretch)
    if method == "slots":
        stretch = np.zeros_like(stretch)
        traffic = rate / _SECONDS_PER_HOUR * aht
        busy = traffic > 0
        agents = np.zeros(rate.shape)
        if busy.any():
            slots = np.asarray(required_agents(traffic[busy], aht[busy], target[busy], goal[busy]), dtype=float)
            agents[busy] = np.ceil(slots / chats[busy])
    else:
        agents = np.zeros(rate.shape)
        for index in np.ndindex(rate.shape):
            agents[index] = _stretch_requirement(
                rate[index], aht[index], int(chats[index]), stretch[index], target[index], goal[index]
            )
    return _metrics(rate, aht, chats, stretch, agents, target, method)


# --- internals ---------------------------------------------------------------------------


def _as_concurrency(value) -> np.ndarray:
    chats = as_agents_array(value, "concurrency", maximum=MAX_CONCURRENCY)
    if (chats < 1).any():
        raise StaffingInputError("concurrency must be a whole number >= 1, got 0")
    return chats


def _check_chat_load(rate, aht, chats, stretch) -> None:
    """The stretch model sums a chain of ``agents x concurrency`` states: bound the agents needed."""
    with np.errstate(over="ignore"):
        agent_load = rate / _SECONDS_PER_HOUR * aht * (1.0 + stretch * (chats - 1.0)) / chats
    if (agent_load > MAX_CHAT_AGENTS / 2).any():
        raise StaffingInputError(
            "the chat load arrival_rate_per_hour x aht_seconds / 3600 (stretched, per concurrency) must be "
            f"<= {MAX_CHAT_AGENTS / 2:g} agents' worth, got {float(agent_load.max()):g}"
        )


def _check_method(method: str) -> Literal["stretch", "slots"]:
    if method not in CHAT_METHODS:
        raise StaffingInputError(f"method must be one of {', '.join(CHAT_METHODS)}, got {method!r}")
    return "slots" if method == "slots" else "stretch"


def _metrics(rate, aht, chats, stretch, agents, target, method) -> ChatResult:
    aht_full = aht * (1.0 + stretch * (chats - 1.0))
    traffic = rate / _SECONDS_PER_HOUR * aht
    agent_load = rate / _SECONDS_PER_HOUR * aht_full / chats
    shape = rate.shape
    p_wait = np.zeros(shape)
    level = np.ones(shape)
    asa = np.zeros(shape)
    busy = np.zeros(shape)
    if method == "slots":
        active = traffic > 0
        if active.any():
            slots = agents[active] * chats[active]
            p_wait[active] = erlang_c(traffic[active], slots)
            level[active] = service_level(traffic[active], slots, aht[active], target[active])
            asa[active] = average_speed_of_answer(traffic[active], slots, aht[active])
            busy[active] = occupancy(traffic[active], slots)
    else:
        for index in np.ndindex(shape):
            if rate[index] > 0:
                p_wait[index], level[index], asa[index], busy[index] = _stretch_point(
                    rate[index], aht[index], int(chats[index]), stretch[index], int(agents[index]), target[index]
                )
    return ChatResult(
        agents=agents.astype(int),
        traffic=traffic,
        agent_load=agent_load,
        p_wait=p_wait,
        service_level=level,
        asa_seconds=asa,
        occupancy=busy,
        method=method,
    )


def _stretch_point(rate_per_hour, aht, concurrency, stretch, agents, target):
    """(p_wait, service_level, asa_seconds, occupancy) of the stretch birth-death model."""
    arrival = rate_per_hour / _SECONDS_PER_HOUR  # chats per second
    if agents == 0:
        return 1.0, 0.0, np.inf, 1.0
    held = np.arange(concurrency + 1, dtype=float)
    per_agent = np.zeros(concurrency + 1)  # completions per second of an agent holding k chats
    per_agent[1:] = held[1:] / (aht * (1.0 + stretch * (held[1:] - 1.0)))
    full_rate = agents * per_agent[concurrency]
    if arrival >= full_rate:
        return 1.0, 0.0, np.inf, 1.0
    slots = agents * concurrency
    chats = np.arange(1, slots + 1)
    low, extra = np.divmod(chats, agents)  # `extra` agents hold low + 1 chats, the rest hold low
    high = np.minimum(low + 1, concurrency)
    total_rate = extra * per_agent[high] + (agents - extra) * per_agent[low]
    log_pi = np.concatenate(([0.0], np.cumsum(np.log(arrival) - np.log(total_rate))))  # states 0..slots
    ratio = arrival / full_rate
    log_tail = log_pi[-1] - np.log1p(-ratio)  # P(N >= slots), unnormalised
    log_terms = np.append(log_pi[:-1], log_tail)
    peak = log_terms.max()
    weights = np.exp(log_terms - peak)
    norm = weights.sum()
    p_wait = weights[-1] / norm
    mean_busy = (np.dot(np.arange(slots), weights[:-1]) + slots * weights[-1]) / norm
    decay = full_rate - arrival
    level = 1.0 - p_wait * np.exp(-decay * target)
    asa = p_wait / decay
    return float(p_wait), float(level), float(asa), float(mean_busy / slots)


def _stretch_requirement(rate_per_hour, aht, concurrency, stretch, target, goal) -> int:
    if rate_per_hour == 0:
        return 0
    aht_full = aht * (1.0 + stretch * (concurrency - 1.0))

    def meets(agents: int) -> bool:
        return _stretch_point(rate_per_hour, aht, concurrency, stretch, agents, target)[1] >= goal

    # Stability needs agents > agent load; the slots answer at the full-concurrency handle time
    # is an upper bound (agents below full concurrency only work faster).
    low = int(np.floor(rate_per_hour / _SECONDS_PER_HOUR * aht_full / concurrency)) + 1
    traffic_full = rate_per_hour / _SECONDS_PER_HOUR * aht_full
    slots = float(np.asarray(required_agents(traffic_full, aht_full, target, goal)))
    high = max(low, int(np.ceil(slots / concurrency)))
    while not meets(high):  # guard: never expected, kept so the search cannot return a miss
        high *= 2
    if meets(low):
        return low
    while high - low > 1:  # invariant: low misses, high meets
        middle = (low + high) // 2
        if meets(middle):
            high = middle
        else:
            low = middle
    return high
