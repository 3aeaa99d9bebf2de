"""The one base class of every error ccplan reports to a user as a one-line message.

This module is the bottom of the import graph: both engines (``staffing``, ``simulator``), the
scenario layer and the dashboard derive their input errors from :class:`CcplanError`, so the
command line and the dashboard catch one thing. It imports nothing, so the engines stay
independent of each other and of the layers above them.
"""

from __future__ import annotations

__all__ = ["CcplanError", "InputError"]


class CcplanError(Exception):
    """Base class of every error ccplan reports to a user in one line (bad input, limits)."""


class InputError(CcplanError, ValueError):
    """A value given by the user (argument, field, file) is outside what is allowed.

    The message names the argument or field, the value and the allowed range. Each package
    derives its own input error from this class (``staffing.StaffingInputError``,
    ``simulator.ModelError``, ``scenarios.ScenarioError``).
    """
