"""Errors raised by the simulator when its input model is inconsistent."""

from __future__ import annotations

from ccplan_errors import InputError

__all__ = ["ModelError"]


class ModelError(InputError):
    """The simulation model is invalid; the message names the field and the allowed range."""
