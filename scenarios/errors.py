"""User-facing errors of the scenario layer and the ``ccplan`` command line."""

from __future__ import annotations

__all__ = ["CcplanError", "InputError", "ScenarioError"]


from ccplan_errors import CcplanError, InputError


class ScenarioError(InputError):
    """A scenario file (or input file) is malformed; the message carries file, field path and reason.

    Parameters
    ----------
    message : str, optional
        The whole message. Built from the parts below when omitted:
        ``"{file}: {field_path}: {reason}"``.
    file : str, optional
        The file (or ``"<scenario>"`` for in-memory data).
    field_path : str, optional
        Dotted field path, e.g. ``channels.voice.aht_seconds`` or ``staff[0].agents``; for syntax
        errors ``line L, column C``.
    reason : str, optional
        What is wrong, the value and what is allowed.
    """

    def __init__(self, message: str | None = None, *, file: str | None = None,
                 field_path: str | None = None, reason: str | None = None) -> None:
        if message is None:
            message = ": ".join(part for part in (file, field_path, reason) if part)
        super().__init__(message)
        self.file = file
        self.field_path = field_path
        self.reason = reason
