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
    "kpi_name",
    "is_share",
    "kpi_label",
    "applies_to",
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
    """

    name: str
    label: str
    unit: str
    share: bool = False
    kinds: tuple[str, ...] = ("voice", "chat", "email")

    def axis_label(self) -> str:
        """``"Service level (share)"``: the label with its unit, capitalised, for an axis."""
        return f"{self.label[0].upper()}{self.label[1:]} ({self.unit})"


_REALTIME = ("voice", "chat")
_DEFERRED = ("email",)

KPIS: dict[str, Kpi] = {kpi.name: kpi for kpi in (
    Kpi("offered", "offered", "contacts"),
    Kpi("deflected", "deflected", "contacts"),
    Kpi("offered_to_agents", "offered to agents", "contacts"),
    Kpi("answered", "answered", "contacts"),
    Kpi("abandoned", "abandoned", "contacts", kinds=_REALTIME),
    Kpi("in_system_end", "still in system at end", "contacts"),
    Kpi("p_wait", "probability of waiting", "share", share=True, kinds=_REALTIME),
    Kpi("service_level", "service level", "share", share=True),
    Kpi("service_level_excluding_short_abandons", "service level excluding short abandons", "share",
        share=True, kinds=_REALTIME),
    Kpi("service_level_of_answered", "service level of answered contacts", "share", share=True),
    Kpi("asa_seconds", "average speed of answer", "seconds", kinds=_REALTIME),
    Kpi("mean_wait_seconds", "mean wait", "seconds", kinds=_REALTIME),
    Kpi("p90_wait_seconds", "90th percentile wait", "seconds", kinds=_REALTIME),
    Kpi("abandon_rate", "abandon rate", "share", share=True, kinds=_REALTIME),
    Kpi("blocked", "blocked (queue full or lines busy)", "contacts", kinds=_REALTIME),
    Kpi("block_rate", "block rate", "share", share=True, kinds=_REALTIME),
    Kpi("occupancy", "occupancy", "share", share=True),
    Kpi("mean_queue_length", "mean queue", "contacts", kinds=_REALTIME),
    Kpi("backlog_end", "backlog at interval end", "contacts", kinds=_DEFERRED),
    Kpi("mean_response_seconds", "mean response time", "seconds", kinds=_DEFERRED),
    Kpi("p50_response_seconds", "median response time", "seconds", kinds=_DEFERRED),
    Kpi("p90_response_seconds", "90th percentile response time", "seconds", kinds=_DEFERRED),
    Kpi("p90_response_hours", "90th percentile response time", "hours", kinds=_DEFERRED),
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

SUMMARY_VIEW_KPIS = ("offered", "answered", "abandoned", "service_level", "asa_seconds", "abandon_rate",
                     "p90_wait_seconds", "occupancy", "backlog_end", "p90_response_seconds")
"""KPIs of a simulation's summary over the horizon, in the order reports show them."""


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


def applies_to(kpi: str, kind: str) -> bool:
    """Whether ``kpi`` is reported for a channel of ``kind`` (voice, chat, email)."""
    entry = KPIS.get(kpi)
    return entry is None or kind in entry.kinds
