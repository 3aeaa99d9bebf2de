"""User-facing errors of the scenario layer and the ``ccplan`` command line."""

from __future__ import annotations

__all__ = ["CcplanError", "ScenarioError"]


class CcplanError(Exception):
    """Base class of every error ccplan reports to a user in one line."""


class ScenarioError(CcplanError, ValueError):
    """A scenario file (or input file) is malformed; the message carries file, field path and reason."""
