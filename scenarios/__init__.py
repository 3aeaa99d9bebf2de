"""Scenario files, setups and orchestration (compare, plan, sweep) and the ``ccplan`` CLI."""

from .errors import CcplanError, ScenarioError

__all__ = ["CcplanError", "ScenarioError"]
