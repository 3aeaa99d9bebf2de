"""Seasonal capacity plans from a plan file: forecast, required FTE and one hiring plan per setup.

The file (schema: :mod:`scenarios.document.seasonal_file`) becomes required FTE per period (volumes
given or forecast from a history CSV, see :mod:`staffing.forecast`; workload method, see
:mod:`staffing.seasonal`), then one hiring plan per setup (:func:`run_seasonal`). The
``ccplan seasonal`` command (:mod:`scenarios.cli.seasonal`) prints and draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scenarios.bridge.seasonal import compile_seasonal
from scenarios.document.files import FileRoot
from scenarios.document.seasonal_file import SeasonalFile, load_seasonal_file
from staffing import seasonal as sea

__all__ = ["SeasonalReport", "plan_seasonal", "run_seasonal"]


@dataclass(frozen=True)
class SeasonalReport:
    """The result of a seasonal plan file.

    Attributes
    ----------
    name : str
        The plan's title.
    periods : list of str
        Period labels.
    required_by_channel : pandas.DataFrame
        Volume and required FTE per period and channel (tidy).
    forecast_methods : dict
        Channel -> method used ("given", "holt-winters" or "seasonal-naive").
    comparison : staffing.seasonal.CapacityComparison
        One plan per setup.
    """

    name: str
    periods: list[str]
    required_by_channel: pd.DataFrame
    forecast_methods: dict
    comparison: sea.CapacityComparison

    def plans_frame(self) -> pd.DataFrame:
        """All setups' per-period tables stacked, with a leading ``setup`` column."""
        frames = [plan.to_frame().assign(setup=name) for name, plan in self.comparison.plans.items()]
        table = pd.concat(frames, ignore_index=True)
        return table[["setup", *sea.CAPACITY_COLUMNS]]


def plan_seasonal(file: SeasonalFile, *, base_dir: str | Path | FileRoot = ".") -> SeasonalReport:
    """Required FTE and one least-cost hiring plan per setup of a validated seasonal-plan file.

    Parameters
    ----------
    file : SeasonalFile
        The validated plan.
    base_dir : str, Path or FileRoot
        Folder the plan's history CSV is relative to (a :class:`FileRoot` also says whether the
        history may only come from that folder, as for an upload).
    """
    by_channel, total, workforce, options, methods, settings = compile_seasonal(file, base_dir=base_dir)
    comparison = sea.compare_capacity_options(total, workforce, options, **settings)
    return SeasonalReport(file.name, list(settings["periods"]), by_channel, dict(methods), comparison)


def run_seasonal(path: str | Path) -> SeasonalReport:
    """Load, compile and plan a seasonal-plan file (see the module docstring)."""
    path = Path(path)
    return plan_seasonal(load_seasonal_file(path), base_dir=path.parent)


