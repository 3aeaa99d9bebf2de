"""Presenting results: KPI vocabulary, confidence intervals per interval, text tables and charts.

Modules: :mod:`scenarios.report.kpis` (labels, units, shares, KPI lists),
:mod:`scenarios.report.stats` (mean and confidence interval per interval),
:mod:`scenarios.report.text` (plain-text tables of the CLI), :mod:`scenarios.report.charts`
(matplotlib figures from the tables the studies return).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios._lazy import lazy_exports

_EXPORTS = {
    "Kpi": "scenarios.report.kpis",
    "KPIS": "scenarios.report.kpis",
    "SHARE_KPIS": "scenarios.report.kpis",
    "HEADLINE_KPIS": "scenarios.report.kpis",
    "INTERVAL_KPIS": "scenarios.report.kpis",
    "SUMMARY_VIEW_KPIS": "scenarios.report.kpis",
    "is_share": "scenarios.report.kpis",
    "kpi_label": "scenarios.report.kpis",
    "applies_to": "scenarios.report.kpis",
    "mean_ci": "scenarios.report.stats",
    "interval_mean_ci": "scenarios.report.stats",
    "interval_summary": "scenarios.report.stats",
}

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.report.kpis import (  # noqa: F401
        HEADLINE_KPIS,
        INTERVAL_KPIS,
        KPIS,
        SHARE_KPIS,
        SUMMARY_VIEW_KPIS,
        Kpi,
        applies_to,
        is_share,
        kpi_label,
    )
    from scenarios.report.stats import interval_mean_ci, interval_summary, mean_ci  # noqa: F401
