"""Files the CLI writes on request (``--csv``, ``--png``): one place turns an OS error into a user error."""

from __future__ import annotations

from collections.abc import Callable

from scenarios.errors import ScenarioError

__all__ = ["write_output"]


def write_output(option: str, path, write: Callable[[str], None]) -> None:
    """Call ``write(path)``; an ``OSError`` becomes a one-line :class:`ScenarioError` naming ``option``."""
    try:
        write(str(path))
    except OSError as exc:
        raise ScenarioError(f"{option} {path}: cannot write ({exc.strerror or exc})") from None
