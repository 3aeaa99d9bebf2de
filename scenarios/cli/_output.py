"""Files the CLI writes on request (``--csv``, ``--png``, ``-o``): one place turns an OS error into a user error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scenarios.errors import ScenarioError

__all__ = ["write_output", "FIGURE_SUFFIXES", "about_file"]

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
"""File types a ``--png`` chart may be written as."""


def write_output(option: str, path, write: Callable[[str], object], *, suffixes: tuple[str, ...] | None = None) -> None:
    """Call ``write(path)``; a bad path or an ``OSError`` becomes a one-line :class:`ScenarioError` naming ``option``.

    Parameters
    ----------
    option : str
        The flag, for messages (``"--png"``).
    path : str or pathlib.Path
        The file to write.
    write : callable
        Writes the file given its path.
    suffixes : tuple of str, optional
        Allowed file suffixes (lower case); ``None`` allows any.
    """
    target = Path(str(path))
    if not str(path) or target.is_dir():
        raise ScenarioError(f"{option} {path}: is a folder; give a file name")
    if suffixes is not None and target.suffix.lower() not in suffixes:
        raise ScenarioError(f"{option} {path}: the file name must end in {', '.join(suffixes)}")
    if not target.parent.is_dir():
        raise ScenarioError(f"{option} {path}: cannot write (the folder {target.parent} does not exist)")
    try:
        write(str(path))
    except OSError as exc:
        raise ScenarioError(f"{option} {path}: cannot write ({exc.strerror or exc})") from None
    except ValueError as exc:  # e.g. a file type the writer does not know
        raise ScenarioError(f"{option} {path}: cannot write ({str(exc)[:120]})") from None


@contextmanager
def about_file(path) -> Iterator[None]:
    """Name ``path`` in a :class:`ScenarioError` raised inside that names no file.

    A command reads its scenario file, then compiles and runs it; an error found after reading
    (the engine refusing a compiled value) is still about that file, so the message says so.
    """
    try:
        yield
    except ScenarioError as exc:
        if exc.file is not None or str(exc).startswith(("--", str(path))):  # a flag's error is not the file's
            raise
        raise ScenarioError(file=str(path), field_path=exc.field_path, reason=exc.reason or str(exc)) from None
