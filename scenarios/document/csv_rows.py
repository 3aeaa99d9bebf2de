"""Row-shape checks of the CSV files ccplan reads, with the file's own line numbers.

pandas blames a row with an extra field on the wrong line, or not at all: an extra field on the
first data row makes it take the first column as the index (the values shift one column, the
error, if any, names a later row), and its line numbers count records, not the file's lines.
:func:`field_count_error` reads the rows with the standard :mod:`csv` module first and names the
first line (1-based, as an editor shows it) whose number of fields differs from the header's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

__all__ = ["field_count_error"]


def _lines(source: str | Path | io.StringIO, comment: str | None) -> Iterable[str]:
    if isinstance(source, io.StringIO):
        text = source.getvalue()
    else:
        text = Path(source).read_text(encoding="utf-8-sig", errors="replace")
    for line in text.splitlines(keepends=True):
        if comment is not None and comment in line:
            line = line.split(comment, 1)[0] + "\n"
        yield line


def field_count_error(source: str | Path | io.StringIO, *, comment: str | None = None) -> str | None:
    """``"line N has K fields, the header has M"`` for the first row of another width, else None.

    Parameters
    ----------
    source : path or io.StringIO
        The CSV file (UTF-8) or its text.
    comment : str, optional
        Comment character: what follows it on a line is ignored (as ``pandas.read_csv(comment=)``).
    """
    try:
        reader = csv.reader(_lines(source, comment), skipinitialspace=True)
        header: list[str] | None = None
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):  # a blank line, skipped as pandas does
                continue
            if header is None:
                header = row
                continue
            if len(row) != len(header):
                return f"line {reader.line_num} has {len(row)} fields, the header has {len(header)}"
    except (OSError, csv.Error):
        return None  # unreadable: the reader's own error says why
    return None
