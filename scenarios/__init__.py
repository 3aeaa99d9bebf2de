"""Scenario files, setups and studies (compare, plan, sweep, seasonal) and the ``ccplan`` CLI.

The pipeline, one sub-package per step (see ``docs/architecture.md``):

* :mod:`scenarios.document` -- files in, validated :class:`Scenario` objects (:func:`load_scenario`);
* :mod:`scenarios.bridge` -- a scenario under a setup becomes engine input (:func:`compile_scenario`,
  :func:`scenario_requirements`; setup effects in one place);
* :mod:`scenarios.studies` -- runs of the engines (:func:`run_setup`, :func:`compare`,
  :func:`plan_staffing`, :func:`sweep`, :func:`run_seasonal`);
* :mod:`scenarios.report` -- KPI names, confidence intervals, tables, text and charts;
* :mod:`scenarios.cli` -- the ``ccplan`` command line.

Names load on first use, so ``import scenarios`` is instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scenarios import bridge, document, studies  # cheap: their names load lazily too
from scenarios._lazy import lazy_exports

_EXPORTS = {
    "CcplanError": "scenarios.errors",
    "InputError": "scenarios.errors",
    "ScenarioError": "scenarios.errors",
    **document._EXPORTS,
    **bridge._EXPORTS,
    **studies._EXPORTS,
}
"""Every public name of the pipeline's steps (document, bridge, studies), built from their own maps."""

__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from scenarios.bridge import *  # noqa: F403
    from scenarios.document import *  # noqa: F403
    from scenarios.errors import CcplanError, InputError, ScenarioError  # noqa: F401
    from scenarios.studies import *  # noqa: F403
