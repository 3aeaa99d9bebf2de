"""``ccplan staff FILE.csv``: the interval requirements table for a file of per-interval volumes.

The input is a CSV with one row per interval (:mod:`scenarios.document.volumes`) or a scenario
file (its own channels, goals, shrinkage and setup: :func:`scenarios.bridge.requirements.scenario_requirements`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from scenarios.cli._args import ranged
from scenarios.cli._output import Output, emit
from scenarios.document.setups import AS_GIVEN, SETUP_KINDS
from scenarios.document.volumes import IntervalVolumes, load_interval_volumes
from scenarios.errors import ScenarioError
from scenarios.report.kpis import REQUIREMENT_OUTPUT_NAMES
from scenarios.report.text import format_requirements, table_records
from staffing import requirements as req
from staffing.chat import CHAT_METHODS
from staffing.shrinkage import SHRINKAGE_METHODS, Shrinkage

__all__ = ["DEFAULT_INTERVAL_MINUTES", "DEFAULT_SHRINKAGE_COMPONENTS", "requirements_for", "configure"]

#: Interval length used when neither ``--interval-minutes`` nor ``interval_start`` gives one.
DEFAULT_INTERVAL_MINUTES = 30.0
#: Shrinkage used when ``--shrinkage`` is not given: a typical in-house centre (about 23 %
#: combined multiplicatively). Override with ``--shrinkage 0`` for agents on the floor only.
DEFAULT_SHRINKAGE_COMPONENTS = {"breaks": 0.10, "training": 0.05, "absence": 0.10}


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
    if interval_minutes is not None and not 1 <= interval_minutes <= 1440:
        raise ScenarioError(f"--interval-minutes must be in [1, 1440], got {interval_minutes:g}")
    minutes = interval_minutes if interval_minutes is not None else data.interval_minutes or DEFAULT_INTERVAL_MINUTES
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


_SECONDS = ranged(0, 86_400, low_open=True)
_GOAL = ranged(0, 1, low_open=True, high_open=True)
_SHARE = ranged(0, 1, high_open=True)


def _shrinkage_item(text: str) -> tuple[str, float]:
    name, separator, value = text.partition("=")
    if not separator:
        name, value = "total", text
    elif not name.strip():
        raise argparse.ArgumentTypeError(f"NAME=SHARE needs a name before '=', got {text[:40]!r}")
    try:
        return name.strip(), _SHARE(value)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected SHARE or NAME=SHARE with SHARE in [0, 1), got {text[:40]!r}") from None


def _patience(text: str) -> float | None:
    if text.strip().lower() in ("none", "off", "inf"):
        return None
    try:
        return ranged(0, 1e6, low_open=True)(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected seconds in (0, 1e6] or 'none', got {text[:40]!r}") from None


def add_settings_arguments(parser: argparse.ArgumentParser) -> None:
    """Channel, shrinkage and FTE options shared by ``staff`` and ``demo``."""
    voice, chat, email = req.VoiceSettings(), req.ChatSettings(), req.EmailSettings()
    group = parser.add_argument_group("voice")
    group.add_argument("--voice-aht", type=_SECONDS, default=voice.aht_seconds, metavar="S", help="handle time, seconds (default %(default)s)")
    group.add_argument("--voice-target", type=_SECONDS, default=voice.target_seconds, metavar="S", help="service-level target, seconds (default %(default)s)")
    group.add_argument("--voice-goal", type=_GOAL, default=voice.service_level_goal, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    group.add_argument("--voice-patience", type=_patience, default=voice.patience_seconds, metavar="S",
                       help="mean patience for Erlang A, seconds, or 'none' for Erlang C only (default %(default)s)")
    group.add_argument("--voice-model", choices=("erlang_a", "erlang_c"), default=None,
                       help="requirement that staffs voice (default: erlang_a with a patience, else erlang_c)")
    group = parser.add_argument_group("chat")
    group.add_argument("--chat-aht", type=_SECONDS, default=chat.aht_seconds, metavar="S", help="handle time of a chat handled alone, seconds (default %(default)s)")
    group.add_argument("--chat-target", type=_SECONDS, default=chat.target_seconds, metavar="S", help="service-level target, seconds (default %(default)s)")
    group.add_argument("--chat-goal", type=_GOAL, default=chat.service_level_goal, metavar="P", help="service-level goal in (0, 1) (default %(default)s)")
    group.add_argument("--chat-concurrency", type=ranged(1, 20, integer=True), default=chat.concurrency, metavar="K", help="most chats per agent, 1..20 (default %(default)s)")
    group.add_argument("--chat-stretch", type=ranged(0, 10), default=chat.concurrency_stretch, metavar="X",
                       help="handle-time stretch per extra chat held, [0, 10] (default %(default)s)")
    group.add_argument("--chat-method", choices=CHAT_METHODS, default=chat.method, help="chat model (default %(default)s)")
    group = parser.add_argument_group("email")
    group.add_argument("--email-aht", type=_SECONDS, default=email.aht_seconds, metavar="S", help="handle time, seconds (default %(default)s)")
    group.add_argument("--email-target-hours", type=ranged(0, 8760, low_open=True), default=email.response_target_hours, metavar="H",
                       help="response target in business hours, (0, 8760] (default %(default)s)")
    group.add_argument("--email-carry-over", action="store_true",
                       help="leave emails due after the last interval as backlog instead of clearing them by the end")
    group = parser.add_argument_group("shrinkage and FTE")
    group.add_argument("--shrinkage", type=_shrinkage_item, action="append", metavar="[NAME=]SHARE",
                       help="a shrinkage share in [0, 1), or a named component (repeat the option); default "
                       + ", ".join(f"{k}={v:g}" for k, v in DEFAULT_SHRINKAGE_COMPONENTS.items()))
    group.add_argument("--shrinkage-method", choices=SHRINKAGE_METHODS, default="multiplicative",
                       help="how components combine (default %(default)s)")
    group.add_argument("--paid-hours-per-fte", type=ranged(0, 10_000, low_open=True), default=req.DEFAULT_PAID_HOURS_PER_FTE, metavar="H",
                       help="paid hours of one FTE over the file's period, (0, 10000] (default %(default)s, a day)")


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


def emit_requirements(args, data: IntervalVolumes, table: pd.DataFrame, settings: dict, *, title: str) -> None:
    """Write ``--csv``/``--xlsx`` if asked, then print the table (or JSON)."""
    shown = table.rename(columns=REQUIREMENT_OUTPUT_NAMES)

    def text() -> str:
        shrinkage = settings["shrinkage"]
        parts = ", ".join(f"{name} {share:.0%}" for name, share in shrinkage["components"].items())
        return (f"{title}\ninterval {settings['interval_minutes']:g} min; shrinkage {shrinkage['total']:.1%} "
                f"({shrinkage['method']}: {parts}); {settings['paid_hours_per_fte']:g} paid hours per FTE\n\n"
                + format_requirements(table))

    emit(json_output=args.json, text=text,
         payload=lambda: {"source": data.source, "settings": settings, "rows": table_records(shown)},
         files=_files(args, shown))


def _files(args, table: pd.DataFrame) -> list[Output]:
    """``--csv`` and ``--xlsx`` (the requirements table as a one-sheet Excel workbook)."""
    def xlsx(path: str) -> None:
        from scenarios.report.excel import write_xlsx

        write_xlsx(path, {"requirements": table})

    return [Output("--csv", getattr(args, "csv", None), lambda p: table.to_csv(p, index=False), "requirements table"),
            Output("--xlsx", getattr(args, "xlsx", None), xlsx, "requirements workbook")]


FLAG_NAMES = {
    **{f"{kind} {name}": f"--{kind}-{flag}" for kind in ("voice", "chat", "email")
       for name, flag in (("service_level_goal", "goal"), ("target_seconds", "target"), ("aht_seconds", "aht"),
                          ("patience_seconds", "patience"), ("concurrency_stretch", "stretch"),
                          ("concurrency", "concurrency"), ("response_target_hours", "target-hours"))},
    "paid_hours_per_fte": "--paid-hours-per-fte",
}
"""Engine argument -> this command's flag, for error messages (see :func:`scenarios.cli.flag_names`)."""

SCENARIO_SUFFIXES = (".yaml", ".yml", ".toml")


def _handle_scenario(args) -> int:
    """``ccplan staff SCENARIO.yaml``: the file's own channels, goals, staff and setup."""
    from scenarios.bridge.requirements import scenario_requirements
    from scenarios.document.limits import check_run_size
    from scenarios.document.loader import load_scenario

    scenario = load_scenario(args.file)
    check_run_size(contacts=0, replications=1, intervals=scenario.intervals, channels=len(scenario.channels),
                   what=f"{args.file}")
    table = scenario_requirements(scenario, args.setup)
    setup = args.setup or (scenario.setup.kind if scenario.setup is not None else AS_GIVEN)
    emit(json_output=args.json,
         payload=lambda: {"source": str(args.file), "scenario": scenario.name, "setup": setup,
                          "rows": table_records(table)},
         text=lambda: (f"Interval requirements for {scenario.name} ({args.file}), setup {setup}\n"
                       f"interval {scenario.interval_minutes:g} min; channel settings, goals and shrinkage from the "
                       f"file; {scenario.costs.paid_hours_per_agent_day:g} paid hours per FTE\n\n"
                       + format_requirements(table)),
         files=_files(args, table))
    return 0


def _handle(args) -> int:
    if Path(args.file).suffix.lower() in SCENARIO_SUFFIXES:
        return _handle_scenario(args)
    data = load_interval_volumes(args.file)
    table, settings = compute(args, data)
    emit_requirements(args, data, table, settings, title=f"Interval requirements for {data.source}")
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``staff`` subcommand."""
    parser.description = (
        "Print the interval requirements table for FILE.csv (one row per interval, an optional "
        "interval_start column (HH:MM) and a volume column for any of voice, chat, email; the "
        "options below set handle times, goals and shrinkage) or for a scenario FILE.yaml / .toml "
        "(its own channels, goals, staff shrinkage and setup; the channel options are ignored)."
    )
    parser.add_argument("file", metavar="FILE", help="per-interval volumes (.csv) or a scenario (.yaml, .toml)")
    parser.add_argument("--setup", choices=SETUP_KINDS, default=None,
                        help="scenario files: the setup whose assumptions apply (default: the file's setup)")
    parser.add_argument("--interval-minutes", type=ranged(1, 1440), default=None, metavar="M",
                        help=f"interval length in minutes, [1, 1440] (default: the interval_start spacing, else {DEFAULT_INTERVAL_MINUTES:g})")
    add_settings_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--csv", metavar="OUT", help="also write the table to OUT as CSV")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the table to an Excel workbook")
    parser.set_defaults(handler=_handle)


