"""What a command prints and writes: files on request (``--csv``, ``--xlsx``, ``--png``, ``-o``), then
JSON or text on stdout. One place turns an OS error into a user error, and one place decides the
order (every requested file first, so a bad path fails before anything is printed)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.errors import ScenarioError

__all__ = ["write_output", "FIGURE_SUFFIXES", "about_file", "Output", "emit"]

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


@dataclass(frozen=True)
class Output:
    """A file a command writes when its flag is given.

    Attributes
    ----------
    option : str
        The flag (``"--csv"``), for messages.
    path : str or None
        The flag's value; ``None`` or empty: not requested.
    write : callable
        Writes the file given its path.
    what : str
        What the file holds, for the text confirmation (``"per-interval table"``).
    suffixes : tuple of str, optional
        Allowed file suffixes (see :func:`write_output`).
    """

    option: str
    path: str | None
    write: Callable[[str], object]
    what: str = "table"
    suffixes: tuple[str, ...] | None = None


def _json_default(value: Any) -> Any:
    """NumPy scalars and arrays as plain JSON numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def emit(*, json_output: bool, payload: Callable[[], object], text: Callable[[], str],
         files: Sequence[Output] = ()) -> None:
    """Write the requested files, then print the result as JSON or as text.

    Parameters
    ----------
    json_output : bool
        ``--json`` given: print ``payload()`` as indented JSON (and nothing else) on stdout.
    payload : callable
        Builds the JSON object (called only with ``--json``).
    text : callable
        Builds the text report (called only without ``--json``); each written file is confirmed
        after it on its own line.
    files : sequence of Output
        The files the command can write; those whose flag was given are written first.
    """
    requested = [out for out in files if out.path]
    for out in requested:
        write_output(out.option, out.path, out.write, suffixes=out.suffixes)
    if json_output:
        json.dump(payload(), sys.stdout, indent=2, default=_json_default)
        sys.stdout.write("\n")
        return
    print(text())
    for out in requested:
        print(f"{out.what} written to {out.path}")
