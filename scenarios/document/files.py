"""Files a document names (history CSVs, profile CSVs, a seasonal plan's history), and safe excerpts.

Every file reference of a scenario (``channels.<name>.history_csv``, ``channels.<name>.profile``
and ``demand.profile`` ending in ``.csv``) and of a seasonal plan (``history.file``) is resolved by
:func:`resolve_file` under a :class:`FileRoot`, the policy of where such files may come from:

* :meth:`FileRoot.local` (the command line): relative paths are taken from the document's folder,
  absolute paths are allowed; "not found" names the path.
* :meth:`FileRoot.upload` (the dashboard): only names of files uploaded with the document, inside
  the upload's own folder. Absolute paths and ``..`` are refused, symbolic links are resolved and
  must stay inside the folder, and "not uploaded" is the same message whether or not a path of that
  name exists on the server.

Bundled profiles are named by their name only (``flat``, ``weekday``...), never by path.

:func:`excerpt` builds the short, printable excerpt of a value that error messages may show: it
never builds the whole ``repr()`` of a large value first.
"""

from __future__ import annotations

import hashlib
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

__all__ = ["FileRoot", "FileReferenceError", "resolve_file", "excerpt", "bounded_text", "files_digest", "zip_member_bytes"]

_REPR = reprlib.Repr()
_REPR.maxstring = 48
_REPR.maxother = 48
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 4
_REPR.maxlevel = 2
_REPR.maxlong = 40


def excerpt(value: Any, limit: int = 60) -> str:
    """A short, printable ``repr``-like excerpt of ``value`` (at most ``limit`` characters).

    Large strings and containers are cut *before* they are rendered (``reprlib``), so the cost is
    bounded whatever the value; control characters are replaced by ``?``.
    """
    if isinstance(value, str) and len(value) > 4 * limit:
        value = value[: 4 * limit]
    try:
        text = _REPR.repr(value)
    except Exception:  # noqa: BLE001 - an exotic object: say what it is, not what it holds
        text = f"<{type(value).__name__}>"
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def bounded_text(text: object, limit: int = 160) -> str:
    """``str(text)`` (a message or an exception) cut to ``limit`` characters (with ``...``), control characters replaced by ``?``."""
    text = str(text)[: limit + 1]
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class FileReferenceError(ValueError):
    """A file named in a document cannot be used (missing, outside the allowed folder, not a file)."""


@dataclass(frozen=True)
class FileRoot:
    """Where the files a document names may come from.

    Attributes
    ----------
    folder : pathlib.Path
        The document's folder (relative names are taken from here).
    confined : bool
        True for an upload: only files inside ``folder`` (no absolute path, no ``..``, symbolic
        links resolved and checked), and messages never say whether a server path exists.
    """

    folder: Path
    confined: bool = False

    @classmethod
    def local(cls, folder: str | Path = ".") -> FileRoot:
        """The command line's policy: relative to ``folder``, absolute paths allowed."""
        return cls(Path(folder), False)

    @classmethod
    def upload(cls, folder: str | Path) -> FileRoot:
        """An upload's policy: only files inside ``folder`` (the upload's own folder)."""
        return cls(Path(folder), True)


def resolve_file(reference: str, root: FileRoot | None, *, what: str = "file") -> Path:
    """The file a document names, under the policy ``root`` (default: the current folder, local).

    Parameters
    ----------
    reference : str
        The name or path as written in the document.
    root : FileRoot or None
        The policy (``None``: :meth:`FileRoot.local` of the current folder).
    what : str
        What the file is, for messages (``"history file"``).

    Returns
    -------
    pathlib.Path
        The resolved, existing regular file.

    Raises
    ------
    FileReferenceError
        Missing, not a regular file, or (for an upload) absolute, climbing out with ``..`` or
        leaving the upload's folder through a link. Upload messages give the name as written
        (bounded) and nothing about the server.
    """
    root = root or FileRoot.local(".")
    if not isinstance(reference, str) or not reference.strip():
        raise FileReferenceError(f"{what} must be a file name, got {excerpt(reference)}")
    if "\x00" in reference:
        raise FileReferenceError(f"{what} name must not contain NUL characters")
    written = PurePath(reference)
    if not root.confined:
        path = Path(reference)
        path = path if path.is_absolute() else root.folder / path
        if not path.is_file():
            raise FileReferenceError(f"{what} not found: {path}")
        return path.resolve()
    shown = excerpt(reference)
    if written.is_absolute() or reference.startswith(("/", "\\", "~")) or (len(reference) > 1 and reference[1] == ":"):
        raise FileReferenceError(f"{what} {shown} must be the name of a file uploaded with it, not an absolute path")
    if ".." in written.parts or ".." in PurePath(reference.replace("\\", "/")).parts:
        raise FileReferenceError(f"{what} {shown} must be a file uploaded with it ('..' is not allowed)")
    folder = root.folder.resolve()
    candidate = (folder / written).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        raise FileReferenceError(f"{what} {shown} was not uploaded with it; upload it together "
                                 "(select several files, or a .zip)")
    return candidate


def files_digest(paths: Iterable[str | Path]) -> str:
    """SHA-256 (hex) of the names and contents of ``paths`` (sorted), for resume keys."""
    digest = hashlib.sha256()
    for path in sorted({str(p) for p in paths}):
        digest.update(path.encode("utf-8") + b"\0")
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def zip_member_bytes(archive, info, most: int, source: str) -> bytes:
    """The bytes of one member of an uploaded ``.zip``, reading at most ``most + 1`` of them.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open archive.
    info : zipfile.ZipInfo
        The member.
    most : int
        Most bytes the caller accepts (one more is read, so the caller can tell it is over).
    source : str
        The upload's name, for the message.

    Raises
    ------
    scenarios.errors.ScenarioError
        ``source: member 'name' cannot be unpacked (...)``: damaged data (CRC or deflate error),
        an encrypted member or an unsupported compression method.
    """
    import zipfile
    import zlib

    from scenarios.errors import ScenarioError

    try:
        with archive.open(info) as handle:
            return handle.read(max(0, most) + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
        reason = bounded_text(str(exc) or type(exc).__name__, 120)
        raise ScenarioError(file=source, reason=f"member {excerpt(info.filename)} cannot be unpacked ({reason}); "
                                                "make the .zip again") from None
