"""The ``ccplan`` command line: a table of subcommands, each imported only when it runs.

Each subcommand lives in its own module exposing ``configure(parser)`` (adds its arguments and
a ``handler`` default, a function ``(args) -> int``). :data:`COMMANDS` names them with their
one-line help, so ``ccplan --help`` imports no subcommand and ``ccplan erlang`` imports only
``scenarios.cli.erlang`` (and what it needs). User errors (anything deriving from
:class:`ccplan_errors.CcplanError`: bad arguments, malformed files, engine input errors) are
printed as one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from dataclasses import dataclass

from ccplan_errors import CcplanError

__all__ = ["Command", "COMMANDS", "build_parser", "flag_names", "main"]


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, the module that implements it and its one-line help."""

    name: str
    module: str
    help: str


#: Subcommands, in the order they appear in ``ccplan --help``.
COMMANDS = (
    Command("demo", "scenarios.cli.demo",
            "showcase on the bundled example day: staffing, simulation, setup comparison, chart"),
    Command("erlang", "scenarios.cli.erlang",
            "required agents and service metrics for one interval (Erlang C, optionally Erlang A)"),
    Command("staff", "scenarios.cli.staff",
            "per-interval staffing requirements for a CSV of volumes or a scenario file"),
    Command("simulate", "scenarios.cli.simulate",
            "simulate a scenario file (YAML/TOML) and print its KPIs"),
    Command("compare", "scenarios.cli.compare",
            "compare a scenario under in-house, virtual and cloud setups"),
    Command("plan", "scenarios.cli.plan",
            "staff a scenario with shifts checked and corrected by simulation"),
    Command("sweep", "scenarios.cli.sweep",
            "run a parameter sweep (batch runs) locally or on a Dask cluster"),
    Command("seasonal", "scenarios.cli.seasonal",
            "seasonal capacity plan (hiring, overtime, temps, burst) per setup, and their comparison"),
    Command("calibrate", "scenarios.cli.calibrate",
            "estimate a scenario from a contact log (arrivals, handle time, patience, retrials, staffing)"),
    Command("backtest", "scenarios.cli.backtest",
            "simulate each day of a contact log and compare with what happened (95 percent prediction intervals)"),
    Command("schema", "scenarios.cli.schema",
            "print the JSON Schema of scenario files"),
    Command("dashboard", "scenarios.cli.dashboard",
            "start the interactive dashboard (Streamlit) in the browser"),
)


class _OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _command_name(argv: list[str]) -> str | None:
    """The subcommand ``argv`` runs (its first word that is not an option), if it names one."""
    names = {command.name for command in COMMANDS}
    for word in argv:
        if not word.startswith("-"):
            return word if word in names else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``ccplan`` parser; only ``command``'s module is imported (all of them when ``"*"``)."""
    parser = _OneLineParser(prog="ccplan", description="Contact-centre workload simulator and staffing planner.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser)
    for entry in COMMANDS:
        sub = subparsers.add_parser(entry.name, help=entry.help, description=entry.help)
        if command in (entry.name, "*"):
            importlib.import_module(entry.module).configure(sub)
    return parser


def flag_names(command: str, message: str) -> str:
    """``message`` with the engines' argument names replaced by ``command``'s flags.

    A subcommand module may define ``FLAG_NAMES`` (engine name, e.g. ``service_level_goal`` or
    ``voice service_level_goal``, -> flag, e.g. ``--goal``), so a user reads the option they typed.
    """
    entry = next((c for c in COMMANDS if c.name == command), None)
    module = sys.modules.get(entry.module) if entry is not None else None
    for name, flag in sorted(getattr(module, "FLAG_NAMES", {}).items(), key=lambda item: -len(item[0])):
        message = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", flag, message)
    return message


def main(argv: list[str] | None = None) -> int:
    """Run ``ccplan`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_name(argv))
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CcplanError as exc:
        message = flag_names(args.command, str(exc).strip().replace("\n", "; "))
        print(f"ccplan {args.command}: error: {message}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"ccplan {args.command}: error: file not found: {exc.filename}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"ccplan {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
