"""Contact logs, agent sessions and interval reports: read, validate, write.

A **contact log** has one row per contact offered to the agent queue (after IVR/bot), CSV or
Parquet, with these canonical columns (:data:`LOG_COLUMNS`):

* ``arrived_at`` (required): when the contact joined the agent queue, ISO 8601
  (``2024-03-04T08:15:02``), or a ``date`` column plus a ``time`` column (``08:15:02``);
* ``outcome`` (required): ``answered`` or ``abandoned``; also accepted (counted, reported,
  kept out of the queue statistics): ``blocked``, ``self_service``, ``bot_resolved``,
  ``message``, ``callback``;
* ``wait_seconds`` (required): seconds in queue until answered or abandoned (>= 0);
* ``handle_seconds`` (required for answered rows): talk + hold seconds (> 0);
* optional: ``acw_seconds`` (after-contact work), ``channel`` (default one channel ``voice``),
  ``channel_kind`` (voice / chat / email), ``agent``, ``customer_id``, ``contact_id``,
  ``priority``.

Another export's column names are mapped with ``{canonical: source}`` (the CLI's
``--columns arrived_at=StartTime,wait_seconds=QueueSecs``). Timestamps with a UTC offset keep
their local wall-clock time.

An **agent sessions** file has ``agent, start, end`` (logged-in periods, ISO 8601), optionally
``group``. An **interval report** has ``interval_start, offered, answered, abandoned`` and
optionally ``channel, aht_seconds, asa_seconds, service_level, agents``.

Limits: timestamps from 1900-01-01 to 2199-12-31 (:mod:`scenarios.document.limits`), a log or a sessions
file spanning at most :data:`MAX_LOG_DAYS` days, handle and after-contact-work times at most
86,400 s (one day, the scenario's limit), waits at most :data:`MAX_WAIT_SECONDS`.

Bad input (missing required column, unparseable timestamp, negative wait, unknown outcome,
answered row without handle time, empty file, a value outside the limits) raises :class:`scenarios.errors.ScenarioError`
naming the file, the row (1-based data row; the CSV line is one more) and the column. Rows that
are merely odd (zero handle time, an abandoned row with a handle time, a duplicated
``contact_id``) are kept, counted in :attr:`ContactLog.odd_rows` and reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scenarios.document.csv_rows import field_count_error
from scenarios.document.limits import EARLIEST_DATE as EARLIEST
from scenarios.document.limits import LATEST_DATE as LATEST
from scenarios.document.scenario import MAX_SECONDS
from scenarios.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LOG_COLUMNS",
    "REQUIRED_COLUMNS",
    "QUEUE_OUTCOMES",
    "OTHER_OUTCOMES",
    "ContactLog",
    "parse_column_map",
    "read_contact_log",
    "read_sessions",
    "read_interval_report",
    "write_contact_log",
]

REQUIRED_COLUMNS = ("arrived_at", "outcome", "wait_seconds")
"""Columns every contact log must have (``handle_seconds`` too when a row is answered)."""

LOG_COLUMNS = (*REQUIRED_COLUMNS, "handle_seconds", "acw_seconds", "channel", "channel_kind", "agent",
               "customer_id", "contact_id", "priority")
"""Canonical contact-log columns, in the order :func:`write_contact_log` writes them."""

QUEUE_OUTCOMES = ("answered", "abandoned")
"""Outcomes of contacts that waited in the agent queue."""

OTHER_OUTCOMES = ("blocked", "self_service", "bot_resolved", "message", "callback")
"""Other accepted outcomes: counted and reported, kept out of the queue statistics."""

MAX_LOG_DAYS = 366
"""Most calendar days a contact log or sessions file may span (one year is calibrated at once)."""

MAX_WAIT_SECONDS = MAX_LOG_DAYS * 86_400.0
"""Longest wait a log may record (seconds): the longest span of a log."""

_KINDS = ("voice", "chat", "email")
_SESSION_COLUMNS = ("agent", "start", "end")
_REPORT_COLUMNS = ("interval_start", "offered", "answered", "abandoned")
_REPORT_OPTIONAL = ("channel", "aht_seconds", "asa_seconds", "service_level", "agents")


@dataclass(frozen=True, eq=False)
class ContactLog:
    """A validated contact log.

    Attributes
    ----------
    frame : pandas.DataFrame
        Canonical columns; ``arrived_at`` is ``datetime64`` (naive, local wall clock), ``channel``
        always present (default ``voice``), ``handle_seconds`` and ``acw_seconds`` NaN where absent.
    source : str
        The file name, for messages.
    odd_rows : dict of str to int
        Reason -> number of rows kept but worth a look (e.g. ``zero handle time``).
    other_outcomes : dict of str to int
        Rows with an outcome outside ``answered``/``abandoned`` (e.g. ``callback``), by outcome.
    """

    frame: pd.DataFrame
    source: str
    odd_rows: dict[str, int] = field(default_factory=dict)
    other_outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def queue(self) -> pd.DataFrame:
        """The rows that waited in the agent queue (answered or abandoned)."""
        return self.frame[self.frame["outcome"].isin(QUEUE_OUTCOMES)]

    @property
    def channels(self) -> list[str]:
        """Channel names in order of first appearance."""
        return list(dict.fromkeys(self.frame["channel"]))

    def channel_kind(self, channel: str) -> str:
        """The kind of ``channel``: the log's ``channel_kind``, else its name if a kind, else voice."""
        rows = self.frame.loc[self.frame["channel"] == channel]
        if "channel_kind" in rows and rows["channel_kind"].notna().any():
            return str(rows["channel_kind"].dropna().iloc[0])
        return channel if channel in _KINDS else "voice"


def parse_column_map(text: str | None) -> dict[str, str]:
    """Parse ``canonical=source,...`` into ``{canonical: source}``.

    Raises
    ------
    ScenarioError
        If an item has no ``=`` or names an unknown canonical column.
    """
    mapping: dict[str, str] = {}
    for item in (text or "").split(","):
        if not item.strip():
            continue
        canonical, sep, source = item.partition("=")
        canonical, source = canonical.strip(), source.strip()
        allowed = (*LOG_COLUMNS, "date", "time", "start", "end", "group", *_REPORT_COLUMNS, *_REPORT_OPTIONAL)
        if not sep or not canonical or not source:
            raise ScenarioError(f"--columns: expected canonical=source, got {item.strip()!r}")
        if canonical not in allowed:
            raise ScenarioError(f"--columns: unknown canonical column {canonical!r}; allowed: {', '.join(dict.fromkeys(allowed))}")
        mapping[canonical] = source
    return mapping


def _read_table(path: str | Path, columns: Mapping[str, str] | None):
    import pandas as pd

    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise ScenarioError(file=name, reason="file not found")
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            frame = pd.read_parquet(path)
        else:
            shape = field_count_error(path)
            if shape is not None:
                raise ScenarioError(file=name, reason=f"cannot be read: {shape}")
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True)
    except ScenarioError:
        raise
    except pd.errors.EmptyDataError:
        raise ScenarioError(file=name, reason="the file is empty (expected a header line and rows)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, OSError, ValueError) as exc:
        raise ScenarioError(file=name, reason=f"cannot be read: {str(exc).splitlines()[0]}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    if columns:
        missing = [source for source in columns.values() if source not in frame.columns]
        if missing:
            raise ScenarioError(file=name, field_path=f"column {missing[0]!r}",
                                reason=f"named in --columns but not in the file; its columns are {list(frame.columns)}")
        frame = frame.rename(columns={source: canonical for canonical, source in columns.items()})
    if frame.empty:
        raise ScenarioError(file=name, reason="has no data rows")
    return frame.reset_index(drop=True), name


def _where(name: str, row: int, column: str, reason: str) -> ScenarioError:
    return ScenarioError(file=name, field_path=f"row {row + 1}, column {column}", reason=reason)


def _timestamps(frame, name: str, column: str, *, date_column: str | None = None, time_column: str | None = None):
    """Parse ISO 8601 timestamps (or date + time columns) into naive wall-clock datetimes."""
    import pandas as pd

    if column in frame.columns:
        text = frame[column].astype("string").str.strip() if frame[column].dtype == object else frame[column]
        label = column
    elif date_column and time_column and date_column in frame.columns and time_column in frame.columns:
        text = frame[date_column].astype("string").str.strip() + "T" + frame[time_column].astype("string").str.strip()
        label = f"{date_column}+{time_column}"
    else:
        alt = f" (or {date_column!r} and {time_column!r})" if date_column else ""
        raise ScenarioError(file=name, field_path=f"column {column!r}",
                            reason=f"required column is missing{alt}; columns are {list(frame.columns)}")
    shown = frame[column if column in frame.columns else date_column]
    earliest, latest = pd.Timestamp(EARLIEST), pd.Timestamp(LATEST) + pd.Timedelta(days=1)
    if pd.api.types.is_datetime64_any_dtype(text):
        parsed = text
    else:
        values = []
        for row, value in enumerate(text):
            try:
                stamp = pd.Timestamp(value) if isinstance(value, str) and value else pd.NaT
            except (ValueError, TypeError, OverflowError):
                stamp = pd.NaT
            if stamp is not pd.NaT and stamp.tzinfo is not None:
                stamp = stamp.tz_localize(None)
            if stamp is not pd.NaT and not earliest <= stamp < latest:
                raise _where(name, row, label, f"must be between {EARLIEST} and {LATEST}, got {shown.iloc[row]!r}")
            values.append(stamp)
        parsed = pd.Series(pd.to_datetime(values), index=frame.index)
    bad = parsed.isna()
    if bad.any():
        row = int(bad.to_numpy().argmax())
        raise _where(name, row, label, f"not an ISO 8601 timestamp: {shown.iloc[row]!r}")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    outside = (parsed < earliest) | (parsed >= latest)
    if outside.any():  # a Parquet file's own datetime column
        row = int(outside.to_numpy().argmax())
        raise _where(name, row, label, f"must be between {EARLIEST} and {LATEST}, got {str(parsed.iloc[row])!r}")
    return parsed


def _check_span(stamps, name: str, column: str) -> None:
    """At most :data:`MAX_LOG_DAYS` calendar days from the first timestamp to the last."""
    days = (stamps.max().normalize() - stamps.min().normalize()).days + 1
    if days > MAX_LOG_DAYS:
        raise ScenarioError(file=name, field_path=f"column {column!r}",
                            reason=f"spans {days:,} days ({stamps.min().date()} .. {stamps.max().date()}); at most "
                                   f"{MAX_LOG_DAYS} days are read at once: split the file")


def _numbers(frame, name: str, column: str, *, required_rows=None, low: float = 0.0, high: float = MAX_SECONDS):
    import pandas as pd

    values = pd.to_numeric(frame[column], errors="coerce")
    raw = frame[column]
    unparsable = values.isna() & raw.notna() & (raw.astype("string").str.strip() != "")
    if unparsable.any():
        row = int(unparsable.to_numpy().argmax())
        raise _where(name, row, column, f"not a number: {raw.iloc[row]!r}")
    if required_rows is not None:
        missing = values.isna() & required_rows
        if missing.any():
            row = int(missing.to_numpy().argmax())
            raise _where(name, row, column, "is required for an answered contact (seconds, > 0)")
    negative = values < low
    if negative.any():
        row = int(negative.to_numpy().argmax())
        raise _where(name, row, column, f"must be >= {low:g} seconds, got {values.iloc[row]:g}")
    infinite = values.abs() == float("inf")
    if infinite.any():
        row = int(infinite.to_numpy().argmax())
        raise _where(name, row, column, "must be a finite number of seconds")
    above = values > high
    if above.any():
        row = int(above.to_numpy().argmax())
        raise _where(name, row, column, f"must be <= {high:,.0f} seconds, got {values.iloc[row]:g}")
    return values.astype(float)


def read_contact_log(path: str | Path, columns: Mapping[str, str] | None = None) -> ContactLog:
    """Read and validate a contact log (CSV or Parquet).

    Parameters
    ----------
    path : str or Path
        The log file (``.csv``, or ``.parquet``/``.pq``).
    columns : mapping of str to str, optional
        ``{canonical: source}`` column names of another export (see :func:`parse_column_map`).

    Returns
    -------
    ContactLog

    Raises
    ------
    ScenarioError
        Naming file, row and column, for any of the refusals listed in the module docstring.
    """
    import pandas as pd

    frame, name = _read_table(path, columns)
    for column in ("outcome", "wait_seconds"):
        if column not in frame.columns:
            raise ScenarioError(file=name, field_path=f"column {column!r}",
                                reason=f"required column is missing; columns are {list(frame.columns)}")
    out = pd.DataFrame(index=frame.index)
    out["arrived_at"] = _timestamps(frame, name, "arrived_at", date_column="date", time_column="time")
    _check_span(out["arrived_at"], name, "arrived_at")
    outcome = frame["outcome"].astype("string").str.strip().str.lower()
    allowed = (*QUEUE_OUTCOMES, *OTHER_OUTCOMES)
    unknown = ~outcome.isin(allowed) | outcome.isna()
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise _where(name, row, "outcome", f"unknown outcome {frame['outcome'].iloc[row]!r}; allowed: {', '.join(allowed)}")
    out["outcome"] = outcome.astype(str)
    queued = out["outcome"].isin(QUEUE_OUTCOMES)
    wait = _numbers(frame, name, "wait_seconds", required_rows=queued, high=MAX_WAIT_SECONDS)
    out["wait_seconds"] = wait
    answered = out["outcome"] == "answered"
    if "handle_seconds" not in frame.columns:
        if answered.any():
            raise ScenarioError(file=name, field_path="column 'handle_seconds'",
                                reason="required column is missing (the log has answered contacts)")
        out["handle_seconds"] = float("nan")
    else:
        out["handle_seconds"] = _numbers(frame, name, "handle_seconds", required_rows=answered)
    out["acw_seconds"] = _numbers(frame, name, "acw_seconds") if "acw_seconds" in frame.columns else float("nan")
    out["channel"] = (frame["channel"].astype("string").str.strip().fillna("voice").astype(str)
                      if "channel" in frame.columns else "voice")
    if "channel_kind" in frame.columns:
        kind = frame["channel_kind"].astype("string").str.strip().str.lower()
        bad = kind.notna() & ~kind.isin(_KINDS)
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise _where(name, row, "channel_kind", f"must be one of {', '.join(_KINDS)}, got {frame['channel_kind'].iloc[row]!r}")
        out["channel_kind"] = kind
    for column in ("agent", "customer_id", "contact_id", "priority"):
        if column in frame.columns:
            out[column] = frame[column].astype("string").str.strip()
    odd: dict[str, int] = {}
    zero_handle = int((answered & (out["handle_seconds"] == 0)).sum())
    if zero_handle:
        odd["answered with zero handle time (kept; left out of the handle-time fit)"] = zero_handle
    handled_abandon = int(((out["outcome"] == "abandoned") & (out["handle_seconds"] > 0)).sum())
    if handled_abandon:
        odd["abandoned with a handle time (handle time ignored)"] = handled_abandon
    if "contact_id" in out:
        duplicated = int(out["contact_id"].dropna().duplicated().sum())
        if duplicated:
            odd["duplicated contact_id (kept)"] = duplicated
    if "agent" in out:
        no_agent = int((answered & out["agent"].isna()).sum())
        if no_agent:
            odd["answered without an agent"] = no_agent
    others = {k: int(v) for k, v in out.loc[~queued, "outcome"].value_counts().items()}
    if not queued.any():
        raise ScenarioError(file=name, field_path="column 'outcome'", reason="no answered or abandoned contact in the log")
    out = out.sort_values("arrived_at", kind="stable").reset_index(drop=True)
    return ContactLog(out, name, odd, others)


def read_sessions(path: str | Path, columns: Mapping[str, str] | None = None):
    """Read an agent sessions file (``agent, start, end`` [, ``group``]): logged-in periods.

    Returns
    -------
    pandas.DataFrame
        Columns ``agent`` (str), ``start``, ``end`` (naive datetimes) and ``group`` (str or NA).

    Raises
    ------
    ScenarioError
        Naming file, row and column: missing column, unparseable timestamp, end before start.
    """
    import pandas as pd

    frame, name = _read_table(path, columns)
    for column in _SESSION_COLUMNS:
        if column not in frame.columns:
            raise ScenarioError(file=name, field_path=f"column {column!r}",
                                reason=f"required column is missing; columns are {list(frame.columns)}")
    out = pd.DataFrame({"agent": frame["agent"].astype("string").str.strip()})
    out["start"] = _timestamps(frame, name, "start")
    out["end"] = _timestamps(frame, name, "end")
    _check_span(pd.concat([out["start"], out["end"]]), name, "start")
    backwards = out["end"] < out["start"]
    if backwards.any():
        row = int(backwards.to_numpy().argmax())
        raise _where(name, row, "end", f"is before start ({out['end'].iloc[row]} < {out['start'].iloc[row]})")
    out["group"] = frame["group"].astype("string").str.strip() if "group" in frame.columns else pd.NA
    return out


def read_interval_report(path: str | Path, columns: Mapping[str, str] | None = None):
    """Read an interval report (per interval and channel: offered, answered, abandoned, ...).

    Returns
    -------
    pandas.DataFrame
        ``interval_start`` (naive datetimes), ``channel`` (default ``voice``), ``offered``,
        ``answered``, ``abandoned`` and, where given, ``aht_seconds``, ``asa_seconds``,
        ``service_level`` (share 0-1) and ``agents``.

    Raises
    ------
    ScenarioError
        Naming file, row and column: missing column, bad timestamp, negative or non-numeric value,
        answered + abandoned above offered.
    """
    import pandas as pd

    frame, name = _read_table(path, columns)
    out = pd.DataFrame(index=frame.index)
    out["interval_start"] = _timestamps(frame, name, "interval_start", date_column="date", time_column="time")
    out["channel"] = frame["channel"].astype("string").str.strip().fillna("voice").astype(str) if "channel" in frame else "voice"
    for column in (*_REPORT_COLUMNS[1:], *_REPORT_OPTIONAL[1:]):
        if column in frame.columns:
            out[column] = _numbers(frame, name, column, required_rows=pd.Series(column in _REPORT_COLUMNS, index=frame.index))
        elif column in _REPORT_COLUMNS:
            raise ScenarioError(file=name, field_path=f"column {column!r}",
                                reason=f"required column is missing; columns are {list(frame.columns)}")
    over = out["answered"] + out["abandoned"] > out["offered"]
    if over.any():
        row = int(over.to_numpy().argmax())
        raise _where(name, row, "offered", "is below answered + abandoned")
    if "service_level" in out and (out["service_level"] > 1).any():
        row = int((out["service_level"] > 1).to_numpy().argmax())
        raise _where(name, row, "service_level", "must be a share in [0, 1]")
    return out


def write_contact_log(frame, path: str | Path) -> None:
    """Write a contact log (canonical columns present in ``frame``) as CSV or Parquet by suffix."""
    path = Path(path)
    frame = frame[[c for c in LOG_COLUMNS if c in frame.columns]].copy()
    frame["arrived_at"] = frame["arrived_at"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").str[:-3]
    if path.suffix.lower() in (".parquet", ".pq"):
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, float_format="%.3f")
