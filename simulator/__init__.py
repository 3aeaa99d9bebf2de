"""A multichannel discrete-event (SimPy) model of a contact centre."""

from .errors import ModelError

__all__ = ["ModelError"]
