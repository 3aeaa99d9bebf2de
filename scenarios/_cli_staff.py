"""``ccplan staff FILE.csv``: the interval requirements table for a file of per-interval volumes.

The input is a CSV with one row per interval: an optional ``interval_start`` column (``HH:MM``,
equally spaced) and a volume column for any of ``voice``, ``chat`` and ``email`` (contacts
arriving in the interval). Loading is kept apart from printing (:func:`load_interval_volumes`
returns an :class:`IntervalVolumes`), so other input formats (scenario YAML) can be added to
the loader without touching the rest.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import pandas as pd

from staffing import requirements as req
from staffing.chat import CHAT_METHODS
from staffing.shrinkage import SHRINKAGE_METHODS, Shrinkage

from ._output import write_output
from .errors import ScenarioError

__all__ = [
    "INTERVAL_START_COLUMN",
    "ALLOWED_COLUMNS",
    "DEFAULT_INTERVAL_MINUTES",
    "DEFAULT_SHRINKAGE_COMPONENTS",
    "IntervalVolumes",
    "load_interval_volumes",
    "read_volume_csv",
    "requirements_for",
    "format_requirements",
    "register",
]

INTERVAL_START_COLUMN = "interval_start"
#: Columns a volume CSV may have.
ALLOWED_COLUMNS = (INTERVAL_START_COLUMN, *req.CHANNELS)
#: Interval length used when neither ``--interval-minutes`` nor ``interval_start`` gives one.
DEFAULT_INTERVAL_MINUTES = 30.0
#: Shrinkage used when ``--shrinkage`` is not given: a typical in-house centre (about 23 %
#: combined multiplicatively). Override with ``--shrinkage 0`` for agents on the floor only.
DEFAULT_SHRINKAGE_COMPONENTS = {"breaks": 0.10, "training": 0.05, "absence": 0.10}

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class IntervalVolumes:
    """Per-interval volumes read from a file.

    Attributes
    ----------
    volumes : dict[str, numpy.ndarray]
        Channel -> contacts per interval (only the channels in the file).
    interval_starts : tuple[str, ...] or None
        ``HH:MM`` labels when the file has an ``interval_start`` column.
    interval_minutes : float or None
        Interval length implied by ``interval_start`` (None without it or with one row).
    source : str
        The file name, for messages.
    """

    volumes: dict[str, np.ndarray]
    interval_starts: tuple[str, ...] | None
    interval_minutes: float | None
    source: str


def load_interval_volumes(path: str | Path) -> IntervalVolumes:
    """Read per-interval volumes from ``path`` (a ``.csv`` file; other formats to follow).

    Raises
    ------
    ScenarioError
        The file cannot be read or is malformed; the message names the file, the column or
        row and the allowed values.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        raise ScenarioError(f"{path}: unsupported file type {path.suffix or '(none)'!r}; expected a .csv file of per-interval volumes")
    if not path.exists():
        raise FileNotFoundError(2, "No such file", str(path))
    if path.is_dir():
        raise ScenarioError(f"{path}: is a directory; expected a .csv file")
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream:
            return read_volume_csv(stream, source=str(path))
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from exc
    except PermissionError as exc:
        raise ScenarioError(f"{path}: cannot be read ({exc.strerror})") from exc


def read_volume_csv(stream: TextIO, *, source: str) -> IntervalVolumes:
    """Parse and validate a volume CSV from an open text stream (see the module docstring)."""
    expected = f"expected a header row with {', '.join(ALLOWED_COLUMNS)} and one row per interval"
    try:
        frame = pd.read_csv(stream, dtype=str, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError as exc:
        raise ScenarioError(f"{source}: the file is empty; {expected}") from exc
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScenarioError(f"{source}: not a valid CSV file ({detail})") from exc

    names = [str(column).strip().lower() for column in frame.columns]
    for name in names:  # pandas renames a repeated header "voice" to "voice.1"
        base, dot, suffix = name.rpartition(".")
        if dot and suffix.isdigit() and base in ALLOWED_COLUMNS and base in names:
            raise ScenarioError(f"{source}: column {base!r} appears more than once")
    unknown = [original for original, name in zip(frame.columns, names, strict=True) if name not in ALLOWED_COLUMNS]
    if unknown:
        raise ScenarioError(f"{source}: unknown column {str(unknown[0])!r}; allowed columns: {', '.join(ALLOWED_COLUMNS)}")
    if len(set(names)) != len(names):  # the same name in different case or spacing
        duplicate = next(name for name in names if names.count(name) > 1)
        raise ScenarioError(f"{source}: column {duplicate!r} appears more than once")
    frame.columns = names
    channels = [name for name in req.CHANNELS if name in names]
    if not channels:
        raise ScenarioError(f"{source}: no volume column; give at least one of {', '.join(req.CHANNELS)}")
    if frame.empty:
        raise ScenarioError(f"{source}: the file has a header but no interval rows; {expected}")

    volumes = {channel: _volume_column(frame[channel], channel, source) for channel in channels}
    starts, minutes = None, None
    if INTERVAL_START_COLUMN in names:
        starts, minutes = _interval_starts(frame[INTERVAL_START_COLUMN], source)
    return IntervalVolumes(volumes=volumes, interval_starts=starts, interval_minutes=minutes, source=source)


def _volume_column(column: pd.Series, channel: str, source: str) -> np.ndarray:
    values = np.empty(len(column))
    for position, text in enumerate(column.tolist()):
        line = position + 2  # the header is line 1
        text = str(text).strip()
        if not text:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: missing volume; allowed: a number >= 0")
        try:
            value = float(text)
        except ValueError:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: {text!r} is not a number; allowed: a number >= 0") from None
        if not math.isfinite(value) or value < 0:
            raise ScenarioError(f"{source}: line {line}, column {channel!r}: volume {text} is out of range; allowed: a finite number >= 0")
        values[position] = value
    return values


def _interval_starts(column: pd.Series, source: str) -> tuple[tuple[str, ...], float | None]:
    minutes_of_day = []
    labels = []
    for position, text in enumerate(column.tolist()):
        line = position + 2
        match = _TIME.match(str(text))
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ScenarioError(f"{source}: line {line}, column 'interval_start': {str(text)!r} is not a time; allowed: HH:MM from 00:00 to 23:59")
        hours, minutes = int(match.group(1)), int(match.group(2))
        minutes_of_day.append(hours * 60 + minutes)
        labels.append(f"{hours:02d}:{minutes:02d}")
    if len(minutes_of_day) < 2:
        return tuple(labels), None
    steps = [(after - before) % _MINUTES_PER_DAY for before, after in zip(minutes_of_day, minutes_of_day[1:], strict=False)]
    if steps[0] == 0 or any(step != steps[0] for step in steps):
        bad = next(i for i, step in enumerate(steps) if step != steps[0] or step == 0)
        raise ScenarioError(
            f"{source}: line {bad + 3}, column 'interval_start': {labels[bad + 1]} after {labels[bad]} breaks the "
            f"spacing of {steps[0]} minutes; allowed: equally spaced, increasing times"
        )
    return tuple(labels), float(steps[0])


# --- computing and formatting ------------------------------------------------------------


def requirements_for(
    data: IntervalVolumes,
    *,
    interval_minutes: float | None = None,
    voice: req.VoiceSettings = req.VoiceSettings(),  # noqa: B008 - frozen dataclass
    chat: req.ChatSettings = req.ChatSettings(),  # noqa: B008
    email: req.EmailSettings = req.EmailSettings(),  # noqa: B008
    shrinkage: Shrinkage | None = None,
    paid_hours_per_fte: float = req.DEFAULT_PAID_HOURS_PER_FTE,
) -> pd.DataFrame:
    """The interval requirements table of ``data`` (interval length from the file if not given)."""
    if interval_minutes is not None and data.interval_minutes is not None and interval_minutes != data.interval_minutes:
        raise ScenarioError(
            f"{data.source}: --interval-minutes {interval_minutes:g} disagrees with the interval_start spacing "
            f"of {data.interval_minutes:g} minutes; drop the option or fix the file"
        )
    minutes = interval_minutes or data.interval_minutes or DEFAULT_INTERVAL_MINUTES
    return req.interval_requirements(
        data.volumes,
        interval_minutes=minutes,
        voice=voice,
        chat=chat,
        email=email,
        shrinkage=shrinkage if shrinkage is not None else Shrinkage(DEFAULT_SHRINKAGE_COMPONENTS),
        paid_hours_per_fte=paid_hours_per_fte,
        interval_starts=data.interval_starts,
    )


def _text(value, spec: str) -> str:
    if pd.isna(value):
        return "-"
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return format(value, spec)


_DISPLAY = (
    # column, heading, format
    (req.COLUMN_VOLUME, "volume", "g"),
    (req.COLUMN_TRAFFIC, "traffic", ".2f"),
    (req.COLUMN_REQUIRED_ERLANG_C, "erlC", "d"),
    (req.COLUMN_REQUIRED_ERLANG_A, "erlA", "d"),
    (req.COLUMN_REQUIRED_SQUARE_ROOT, "sqrt", "d"),
    (req.COLUMN_REQUIRED_AGENTS, "agents", "d"),
    (req.COLUMN_SERVICE_LEVEL, "SL", ".1%"),
    (req.COLUMN_ASA, "ASA_s", ".1f"),
    (req.COLUMN_ABANDON_RATE, "aband", ".1%"),
    (req.COLUMN_OCCUPANCY, "occ", ".1%"),
    (req.COLUMN_BACKLOG_ITEMS, "backlog", ".1f"),
    (req.COLUMN_SCHEDULED_AGENTS, "sched", "d"),
    (req.COLUMN_FTE, "FTE", ".2f"),
)


def format_requirements(table: pd.DataFrame) -> str:
    """The requirements table as aligned text, followed by per-channel totals."""
    has_labels = table[req.COLUMN_INTERVAL_START].notna().any()
    first = (req.COLUMN_INTERVAL_START, "start") if has_labels else (req.COLUMN_INTERVAL, "interval")
    headings = [first[1], "channel"] + [heading for _, heading, _ in _DISPLAY]
    rows = []
    for record in table.to_dict("records"):
        cells = [str(record[first[0]]), str(record[req.COLUMN_CHANNEL])]
        for column, _, spec in _DISPLAY:
            value = record[column]
            if spec == "d" and not pd.isna(value):
                value = int(value)
            cells.append(_text(value, spec))
        rows.append(cells)
    widths = [max(len(heading), *(len(row[i]) for row in rows)) for i, heading in enumerate(headings)]
    lines = ["  ".join(h.rjust(w) if i > 1 else h.ljust(w) for i, (h, w) in enumerate(zip(headings, widths, strict=True)))]
    for row in rows:
        lines.append("  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    lines.append("")
    for channel, group in table.groupby(req.COLUMN_CHANNEL, sort=False):
        lines.append(
            f"{channel}: {group[req.COLUMN_VOLUME].sum():g} contacts, peak {int(group[req.COLUMN_REQUIRED_AGENTS].max())} "
            f"agents required / {int(group[req.COLUMN_SCHEDULED_AGENTS].max())} scheduled, {group[req.COLUMN_FTE].sum():.2f} FTE"
        )
    lines.append(f"total: {table[req.COLUMN_FTE].sum():.2f} FTE")
    return "\n".join(lines)


def table_records(table: pd.DataFrame) -> list[dict]:
    """The table as JSON-ready records (missing values and infinities become ``null``)."""
    return json.loads(table.to_json(orient="records"))


def describe_settings(args: argparse.Namespace, shrinkage: Shrinkage, interval_minutes: float) -> dict:
    """The settings used, for the header line and the JSON output."""
    return {
        "interval_minutes": interval_minutes,
        "voice": vars(_voice(args)),
        "chat": vars(_chat(args)),
        "email": vars(_email(args)),
        "shrinkage": {"method": shrinkage.method, "components": dict(shrinkage.components), "total": shrinkage.total},
        "paid_hours_per_fte": args.paid_hours_per_fte,
    }


# --- argparse ----------------------------------------------------------------------------


def _shrinkage_item(text: str) -> tuple[str, float]:
    name, separator, value = text.partition("=")
    if not separator:
        name, value = "total", text
    try:
        return name.strip() or "total", float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected SHARE or NAME=SHARE with SHARE in [0, 1), got {text!r}") from None


def _patience(text: str) -> float | None:
    if text.strip().lower() in ("none", "off", "inf"):
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds > 0 or 'none', got {text!r}") from None


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """Channel, shrinkage and FTE options shared by ``staff`` and ``demo``."""
    voice, chat, email = req.VoiceSettings(), req.ChatSettings(), req.EmailSettings()
    group = parser.add_argument_group("voice")
    group.add_argument("--voice-aht", type=float, default=voice.aht_seconds, metavar="S", help="handle time, seconds (default %(default)s)")
    group.add_argument("--voice-target", type=float, default=voice.target_seconds, metavar="S", help="service-level target, seconds (default %(default)s)")
    group.add_argument("--voice-goal", type=float, default=voice.service_level_goal, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    group.add_argument("--voice-patience", type=_patience, default=voice.patience_seconds, metavar="S",
                       help="mean patience for Erlang A, seconds, or 'none' for Erlang C only (default %(default)s)")
    group.add_argument("--voice-model", choices=("erlang_a", "erlang_c"), default=None,
                       help="requirement that staffs voice (default: erlang_a with a patience, else erlang_c)")
    group = parser.add_argument_group("chat")
    group.add_argument("--chat-aht", type=float, default=chat.aht_seconds, metavar="S", help="handle time of a chat handled alone, seconds (default %(default)s)")
    group.add_argument("--chat-target", type=float, default=chat.target_seconds, metavar="S", help="service-level target, seconds (default %(default)s)")
    group.add_argument("--chat-goal", type=float, default=chat.service_level_goal, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    group.add_argument("--chat-concurrency", type=int, default=chat.concurrency, metavar="K", help="most chats per agent (default %(default)s)")
    group.add_argument("--chat-stretch", type=float, default=chat.concurrency_stretch, metavar="X",
                       help="handle-time stretch per extra chat held (default %(default)s)")
    group.add_argument("--chat-method", choices=CHAT_METHODS, default=chat.method, help="chat model (default %(default)s)")
    group = parser.add_argument_group("email")
    group.add_argument("--email-aht", type=float, default=email.aht_seconds, metavar="S", help="handle time, seconds (default %(default)s)")
    group.add_argument("--email-target-hours", type=float, default=email.response_target_hours, metavar="H",
                       help="response target in business hours (default %(default)s)")
    group.add_argument("--email-carry-over", action="store_true",
                       help="leave emails due after the last interval as backlog instead of clearing them by the end")
    group = parser.add_argument_group("shrinkage and FTE")
    group.add_argument("--shrinkage", type=_shrinkage_item, action="append", metavar="[NAME=]SHARE",
                       help="a shrinkage share in [0, 1), or a named component (repeat the option); default "
                       + ", ".join(f"{k}={v:g}" for k, v in DEFAULT_SHRINKAGE_COMPONENTS.items()))
    group.add_argument("--shrinkage-method", choices=SHRINKAGE_METHODS, default="multiplicative",
                       help="how components combine (default %(default)s)")
    group.add_argument("--paid-hours-per-fte", type=float, default=req.DEFAULT_PAID_HOURS_PER_FTE, metavar="H",
                       help="paid hours of one FTE over the file's period (default %(default)s, a day)")


def _voice(args) -> req.VoiceSettings:
    return req.VoiceSettings(args.voice_aht, args.voice_target, args.voice_goal, args.voice_patience, args.voice_model)


def _chat(args) -> req.ChatSettings:
    return req.ChatSettings(args.chat_aht, args.chat_target, args.chat_goal, args.chat_concurrency, args.chat_stretch, args.chat_method)


def _email(args) -> req.EmailSettings:
    return req.EmailSettings(args.email_aht, args.email_target_hours, clear_by_end=not args.email_carry_over)


def shrinkage_from(args) -> Shrinkage:
    """The :class:`Shrinkage` given by ``--shrinkage`` / ``--shrinkage-method`` (or the default)."""
    if not args.shrinkage:
        return Shrinkage(DEFAULT_SHRINKAGE_COMPONENTS, method=args.shrinkage_method)
    components: dict[str, float] = {}
    for name, share in args.shrinkage:
        if name in components:
            raise ScenarioError(f"--shrinkage: component {name!r} given twice")
        components[name] = share
    return Shrinkage(components, method=args.shrinkage_method)


def compute(args, data: IntervalVolumes) -> tuple[pd.DataFrame, dict]:
    """Requirements table and settings for parsed ``args`` (shared by ``staff`` and ``demo``)."""
    shrinkage = shrinkage_from(args)
    table = requirements_for(
        data,
        interval_minutes=getattr(args, "interval_minutes", None),
        voice=_voice(args),
        chat=_chat(args),
        email=_email(args),
        shrinkage=shrinkage,
        paid_hours_per_fte=args.paid_hours_per_fte,
    )
    minutes = getattr(args, "interval_minutes", None) or data.interval_minutes or DEFAULT_INTERVAL_MINUTES
    return table, describe_settings(args, shrinkage, minutes)


def emit(args, data: IntervalVolumes, table: pd.DataFrame, settings: dict, *, title: str) -> None:
    """Print the table (or JSON) and write ``--csv`` if asked."""
    if getattr(args, "csv", None):
        write_output("--csv", args.csv, lambda p: table.to_csv(p, index=False))
    if args.json:
        print(json.dumps({"source": data.source, "settings": settings, "rows": table_records(table)}, indent=2))
        return
    shrinkage = settings["shrinkage"]
    parts = ", ".join(f"{name} {share:.0%}" for name, share in shrinkage["components"].items())
    print(title)
    print(
        f"interval {settings['interval_minutes']:g} min; shrinkage {shrinkage['total']:.1%} "
        f"({shrinkage['method']}: {parts}); {settings['paid_hours_per_fte']:g} paid hours per FTE"
    )
    print()
    print(format_requirements(table))
    if getattr(args, "csv", None):
        print(f"wrote {args.csv}")


SCENARIO_SUFFIXES = (".yaml", ".yml", ".toml")


def _handle_scenario(args) -> int:
    """``ccplan staff SCENARIO.yaml``: the file's own channels, goals, staff and setup."""
    from .loader import load_scenario
    from .requirements import scenario_requirements

    scenario = load_scenario(args.file)
    table = scenario_requirements(scenario, args.setup)
    if args.csv:
        write_output("--csv", args.csv, lambda p: table.to_csv(p, index=False))
    setup = args.setup or (scenario.setup.kind if scenario.setup is not None else "as given")
    if args.json:
        print(json.dumps({"source": str(args.file), "scenario": scenario.name, "setup": setup,
                          "rows": table_records(table)}, indent=2))
        return 0
    print(f"Interval requirements for {scenario.name} ({args.file}), setup {setup}")
    print(f"interval {scenario.interval_minutes:g} min; channel settings, goals and shrinkage from the file; "
          f"{scenario.costs.paid_hours_per_agent_day:g} paid hours per FTE")
    print()
    print(format_requirements(table))
    if args.csv:
        print(f"wrote {args.csv}")
    return 0


def _handle(args) -> int:
    if Path(args.file).suffix.lower() in SCENARIO_SUFFIXES:
        return _handle_scenario(args)
    data = load_interval_volumes(args.file)
    table, settings = compute(args, data)
    emit(args, data, table, settings, title=f"Interval requirements for {data.source}")
    return 0


def register(subparsers) -> None:
    """Add the ``staff`` subcommand."""
    parser = subparsers.add_parser(
        "staff",
        help="per-interval staffing requirements for a CSV of volumes or a scenario file",
        description=(
            "Print the interval requirements table for FILE.csv (one row per interval, an optional "
            "interval_start column (HH:MM) and a volume column for any of voice, chat, email; the "
            "options below set handle times, goals and shrinkage) or for a scenario FILE.yaml / .toml "
            "(its own channels, goals, staff shrinkage and setup; the channel options are ignored)."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="per-interval volumes (.csv) or a scenario (.yaml, .toml)")
    parser.add_argument("--setup", choices=("in-house", "virtual", "cloud"), default=None,
                        help="scenario files: the setup whose assumptions apply (default: the file's setup)")
    parser.add_argument("--interval-minutes", type=float, default=None, metavar="M",
                        help=f"interval length (default: the interval_start spacing, else {DEFAULT_INTERVAL_MINUTES:g})")
    add_settings_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--csv", metavar="OUT", help="also write the table to OUT as CSV")
    parser.set_defaults(handler=_handle)


def read_volume_text(text: str, *, source: str) -> IntervalVolumes:
    """Parse volume CSV text (for bundled resources)."""
    return read_volume_csv(io.StringIO(text), source=source)
