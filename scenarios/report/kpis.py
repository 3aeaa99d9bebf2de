"""KPI names, labels, units and which KPIs are shares: the one vocabulary of every report.

The simulator defines what each KPI *means* (:mod:`simulator.kpis`); this module says how the
product *shows* it: a label in words with its unit, whether it is a share (shown as a
percentage, confidence interval kept inside [0, 1]), which channels it applies to, and the
lists of KPIs each report shows. The CLI's text and JSON, the sweep tables, the dashboard and the
charts all take their names from here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Kpi",
    "KPIS",
    "SHARE_KPIS",
    "HEADLINE_KPIS",
    "INTERVAL_KPIS",
    "SUMMARY_VIEW_KPIS",
    "CAMPAIGN_VIEW_KPIS",
    "CAMPAIGN_INTERVAL_KPIS",
    "kpi_name",
    "is_share",
    "kpi_label",
    "applies_to",
    "definition",
    "display_scale",
    "display_unit",
    "REQUIREMENT_OUTPUT_NAMES",
]


@dataclass(frozen=True)
class Kpi:
    """How one KPI is shown.

    Attributes
    ----------
    name : str
        Column name in every table (``service_level``).
    label : str
        Words for a reader (``"service level"``).
    unit : str
        Unit shown after the label (``"share"``, ``"seconds"``, ``"contacts"``, ``"hours"``).
    share : bool
        A proportion in [0, 1] (shown as a percentage).
    kinds : tuple of str
        Channel kinds the KPI applies to.
    meaning : str
        What the number counts, stated once for every output (``definitions`` in ``--json``).
    shown_in : str
        Unit it is *shown* in when that differs from ``unit`` (response times: ``"hours"``).
    """

    name: str
    label: str
    unit: str
    share: bool = False
    kinds: tuple[str, ...] = ("voice", "chat", "email")
    meaning: str = ""
    shown_in: str = ""

    def axis_label(self) -> str:
        """``"Service level (share)"``: the label with its unit, capitalised, for an axis."""
        return f"{self.label[0].upper()}{self.label[1:]} ({self.shown_in or self.unit})"


_REALTIME = ("voice", "chat")
_DEFERRED = ("email",)
_OUTBOUND = ("outbound",)  # campaign KPIs: they apply to no channel kind

KPIS: dict[str, Kpi] = {kpi.name: kpi for kpi in (
    Kpi("offered", "offered", "contacts", meaning="contacts that arrived after the warm-up (retrial attempts and "
        "deflected ones included), counted in their arrival interval; shown rounded"),
    Kpi("deflected", "deflected", "contacts", meaning="resolved without an agent (self-service, notification, bot)"),
    Kpi("offered_to_agents", "offered to agents", "contacts", meaning="offered minus deflected: reached the agent queue"),
    Kpi("answered", "answered", "contacts", meaning="picked up by an agent"),
    Kpi("abandoned", "abandoned", "contacts", kinds=_REALTIME, meaning="left the queue before an agent answered"),
    Kpi("in_system_end", "still in system at end", "contacts", meaning="still waiting (or with the bot) at the horizon"),
    Kpi("p_wait", "probability of waiting", "share", share=True, kinds=_REALTIME,
        meaning="found no free agent and waited / offered to agents"),
    Kpi("service_level", "service level", "share", share=True, meaning=(
        "voice and chat: answered within the target / all offered to agents (abandoned contacts, also those "
        "abandoning within the target, count as missed; as Erlang A); email: answered within the response "
        "target / (answered + items that became due unanswered), items open and not yet due are left out")),
    Kpi("service_level_excluding_short_abandons", "service level excluding short abandons", "share",
        share=True, kinds=_REALTIME, meaning="answered within the target / (offered to agents - contacts that "
        "abandoned within the target)"),
    Kpi("service_level_of_answered", "service level of answered contacts", "share", share=True,
        meaning="answered within the target / answered"),
    Kpi("asa_seconds", "average speed of answer", "seconds", kinds=_REALTIME, meaning="mean wait of answered contacts"),
    Kpi("mean_wait_seconds", "mean wait", "seconds", kinds=_REALTIME,
        meaning="mean wait of every contact that left the queue (answered or abandoned)"),
    Kpi("p90_wait_seconds", "90th percentile wait", "seconds", kinds=_REALTIME),
    Kpi("abandon_rate", "abandon rate", "share", share=True, kinds=_REALTIME, meaning="abandoned / offered to agents"),
    Kpi("blocked", "blocked (queue full or lines busy)", "contacts", kinds=_REALTIME,
        meaning="contacts refused because the queue was full or every line was busy"),
    Kpi("block_rate", "block rate", "share", share=True, kinds=_REALTIME, meaning="blocked / offered"),
    Kpi("messages", "left a message", "contacts", kinds=_REALTIME,
        meaning="left the queue as a message (deferred work) at the channel's max wait or when it closed"),
    Kpi("disconnected", "disconnected", "contacts", kinds=_REALTIME,
        meaning="disconnected at the channel's max wait or when it closed (not abandonment)"),
    Kpi("max_wait_exits", "reached the max wait", "contacts", kinds=_REALTIME,
        meaning="contacts still waiting at the channel's max wait: messages, disconnections and callbacks"),
    Kpi("first_attempts", "first attempts", "contacts",
        meaning="offered contacts that are a customer's first attempt (offered minus retries, transferred-in "
        "contacts and message items)"),
    Kpi("transferred", "transferred out", "contacts", kinds=_REALTIME,
        meaning="answered contacts transferred after their first talk to another channel's queue (by their "
        "arrival interval)"),
    Kpi("transferred_in", "transferred in", "contacts", kinds=_REALTIME,
        meaning="contacts transferred in from another channel; part of this channel's offered (by the interval "
        "of the transfer)"),
    Kpi("messages_in", "message items received", "items", kinds=_DEFERRED,
        meaning="messages of voice/chat channels (messages_to) received as work items; part of this channel's "
        "offered (by the interval the message was left)"),
    Kpi("end_to_end_seconds", "mean end-to-end time", "seconds", kinds=_REALTIME,
        meaning="per answered customer: arrival to the end of its last talk (second talk if transferred), by "
        "the channel it arrived on; models with transfers only"),
    Kpi("end_to_end_transferred_seconds", "mean end-to-end time of transferred contacts", "seconds",
        kinds=_REALTIME, meaning="the same over transferred customers whose second service started"),
    Kpi("retrials", "retries", "contacts", kinds=_REALTIME,
        meaning="offered attempts that are a customer's retry after abandoning or being blocked"),
    Kpi("mean_total_wait_seconds", "mean total wait per customer", "seconds", kinds=_REALTIME, meaning=(
        "per customer whose first attempt arrived after the warm-up and reached the queue (or was blocked): "
        "the waits of all its attempts added up, averaged over those customers; attempts still waiting at "
        "the end add nothing (none with drain)")),
    Kpi("occupancy", "occupancy", "share", share=True, meaning=(
        "load-seconds / agent-seconds present; a chat loads its agent by 1 / concurrency, so for chat this is "
        "slot utilisation")),
    Kpi("agents_busy_share", "agents holding a contact", "share", share=True,
        meaning="share of present agents holding at least one contact"),
    Kpi("mean_queue_length", "mean queue", "contacts", kinds=_REALTIME),
    Kpi("backlog_end", "backlog at interval end", "contacts", kinds=_DEFERRED),
    Kpi("open_not_due", "open, not yet due, at the end", "items", kinds=_DEFERRED,
        meaning="email items open at the horizon whose response target has not passed (not missed)"),
    Kpi("open_not_due_age_seconds", "mean age of open, not yet due, items", "seconds", kinds=_DEFERRED,
        shown_in="hours"),
    Kpi("mean_response_seconds", "mean response time", "seconds", kinds=_DEFERRED, shown_in="hours",
        meaning="arrival to the end of handling, answered items"),
    Kpi("p50_response_seconds", "median response time", "seconds", kinds=_DEFERRED, shown_in="hours"),
    Kpi("p90_response_seconds", "90th percentile response time", "seconds", kinds=_DEFERRED, shown_in="hours"),
    Kpi("p90_response_hours", "90th percentile response time", "hours", kinds=_DEFERRED),
    Kpi("dials", "dials", "calls", kinds=_OUTBOUND,
        meaning="outbound attempts started after the warm-up, by the interval they started in"),
    Kpi("connects", "right-party contacts", "calls", kinds=_OUTBOUND, meaning="attempts that reached the customer"),
    Kpi("completed", "connected calls completed", "calls", kinds=_OUTBOUND,
        meaning="connected outbound calls that ended before the horizon"),
    Kpi("unreached", "attempts without contact", "calls", kinds=_OUTBOUND,
        meaning="attempts that ended without reaching the customer (no answer, busy, wrong party)"),
    Kpi("dropped", "dropped (no agent free)", "calls", kinds=_OUTBOUND,
        meaning="power dialling: customers reached when no agent of the campaign was free for them (nuisance calls)"),
    Kpi("attempts_in_progress_end", "attempts in progress at end", "calls", kinds=_OUTBOUND,
        meaning="attempts still running at the horizon; dials = completed + unreached + dropped + in progress"),
    Kpi("connect_rate", "connect rate", "share", share=True, kinds=_OUTBOUND, meaning="connects / dials"),
    Kpi("drop_rate", "drop rate", "share", share=True, kinds=_OUTBOUND, meaning="dropped / connects"),
    Kpi("mean_handle_seconds", "mean outbound talk time", "seconds", kinds=_OUTBOUND,
        meaning="mean talk time of completed connected calls (wrap-up excluded)"),
    Kpi("outbound_agent_hours", "agent time on outbound", "hours", kinds=_OUTBOUND,
        meaning="agent-hours spent on outbound attempts (preview, dialling, talk, wrap-up)"),
    Kpi("outbound_share", "outbound share of agent time", "share", share=True, kinds=_OUTBOUND,
        meaning="agent time on outbound / agent time present in the campaign's groups (group occupancy counts "
                "outbound work as busy)"),
    Kpi("scheduled_agents", "scheduled agents", "agents",
        meaning="the roster: agents on shift in the interval, before shrinkage"),
    Kpi("required_after_shrinkage", "required after shrinkage", "agents",
        meaning="agents the analytic requirement says to schedule: required / (1 - shrinkage), rounded up"),
    Kpi("cost_per_contact", "cost per contact", "currency"),
    Kpi("cost_per_answered", "cost per answered contact", "currency"),
    Kpi("total_cost", "total cost", "currency"),
)}
"""Every KPI a report shows, by name."""

SHARE_KPIS = frozenset(name for name, kpi in KPIS.items() if kpi.share)
"""KPIs that are proportions in [0, 1]."""

HEADLINE_KPIS = ("offered", "answered", "service_level", "asa_seconds", "abandon_rate", "occupancy")
"""KPIs summarised per run and channel in sweep tables (mean and 95 % half-width)."""

INTERVAL_KPIS = ("service_level", "asa_seconds", "abandon_rate", "occupancy", "mean_queue_length", "backlog_end",
                 "offered", "answered", "abandoned")
"""Per-interval KPIs summarised over replications (mean and 95 % half-width) for reports and charts."""

SUMMARY_VIEW_KPIS = ("offered", "answered", "abandoned", "service_level", "service_level_excluding_short_abandons",
                     "service_level_of_answered", "asa_seconds", "abandon_rate", "p90_wait_seconds", "occupancy",
                     "agents_busy_share", "backlog_end", "open_not_due", "mean_response_seconds", "p90_response_seconds")
"""KPIs of a simulation's summary over the horizon, in the order reports show them (response times
are shown in hours: :func:`display_scale`)."""


CAMPAIGN_VIEW_KPIS = ("dials", "connects", "completed", "unreached", "dropped", "attempts_in_progress_end",
                      "connect_rate", "drop_rate", "mean_handle_seconds", "outbound_agent_hours", "outbound_share")
"""KPIs of an outbound campaign over the horizon, in the order reports show them (the simulator's
:data:`simulator.kpis.CAMPAIGN_KPIS`)."""

CAMPAIGN_INTERVAL_KPIS = ("dials", "connects", "outbound_share")
"""Per-interval campaign KPIs of the interval tables (``<campaign>.<kpi>`` columns)."""

COMPARED_CAMPAIGN_KPIS = ("dials", "connects", "outbound_agent_hours", "outbound_share")
"""Campaign KPIs of a comparison of setups (``<campaign>.<kpi>`` metrics beside the channels')."""


def kpi_name(metric: str) -> str:
    """The KPI of a metric name (``"voice.service_level"`` -> ``"service_level"``)."""
    return metric.rsplit(".", 1)[-1]


def is_share(metric: str) -> bool:
    """Whether ``metric`` (a KPI or ``channel.kpi``) is a proportion in [0, 1]."""
    return kpi_name(metric) in SHARE_KPIS


def kpi_label(metric: str, *, unit: bool = True) -> str:
    """Words for ``metric``: ``"voice.asa_seconds"`` -> ``"Voice: average speed of answer (seconds)"``.

    Unknown KPI names are shown with underscores as spaces.
    """
    channel, _, name = metric.rpartition(".")
    kpi = KPIS.get(name)
    text = kpi.axis_label() if kpi is not None and unit else (kpi.label if kpi else name.replace("_", " "))
    if not channel:
        return text[0].upper() + text[1:]
    return f"{channel[0].upper()}{channel[1:]}: {text[0].lower()}{text[1:]}"


_UNIT_SCALE = {("seconds", "hours"): 1.0 / 3600.0}

REQUIREMENT_OUTPUT_NAMES = {"scheduled_agents": "required_after_shrinkage"}
"""Requirement-table columns renamed in the ``ccplan staff`` outputs (CSV, JSON): staffing's
``scheduled_agents`` (``required / (1 - shrinkage)``) is the requirement after shrinkage, not the
roster, which is what "scheduled agents" means everywhere else."""


def definition(kpi: str) -> str:
    """What ``kpi`` counts (empty when it needs no words beyond its label)."""
    entry = KPIS.get(kpi_name(kpi))
    return entry.meaning if entry is not None else ""


def display_unit(kpi: str) -> str:
    """The unit ``kpi`` is shown in (response times in hours everywhere)."""
    entry = KPIS.get(kpi_name(kpi))
    if entry is None:
        return ""
    return entry.shown_in or entry.unit


def display_scale(kpi: str) -> float:
    """Multiply a value of ``kpi`` by this to show it in :func:`display_unit` (1 / 3600 for seconds shown as hours)."""
    entry = KPIS.get(kpi_name(kpi))
    if entry is None or not entry.shown_in:
        return 1.0
    return _UNIT_SCALE[(entry.unit, entry.shown_in)]


def applies_to(kpi: str, kind: str) -> bool:
    """Whether ``kpi`` is reported for a channel of ``kind`` (voice, chat, email)."""
    entry = KPIS.get(kpi)
    return entry is None or kind in entry.kinds
