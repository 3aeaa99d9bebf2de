"""The dashboard's views, one module each, every one a ``render(state)`` function.

Each view reads the current :class:`dashboard.state.ScenarioState`, asks
:mod:`dashboard.compute` for tables (cached) and draws them with :mod:`dashboard.charts`.
"""

from . import (
    backtest,
    compare,
    scenario,
    scenarios_compare,
    schedule,
    seasonal,
    sensitivity,
    simulation,
    staffing,
)

VIEWS = {
    "Scenario": scenario.render,
    "Staffing": staffing.render,
    "Schedule": schedule.render,
    "Simulation": simulation.render,
    "Compare setups": compare.render,
    "Saved scenarios": scenarios_compare.render,
    "Seasonal plan": seasonal.render,
    "Sensitivity": sensitivity.render,
    "Backtest": backtest.render,
}
"""View label -> render function, in the order of the view selector."""

__all__ = ["VIEWS"]
