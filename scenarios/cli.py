"""The ``ccplan`` command line: a thin dispatcher over subcommand modules.

Each subcommand lives in its own private module exposing ``register(subparsers)``, which adds an
``argparse`` sub-parser whose ``handler`` default is a function ``(args) -> int``. User errors
(bad arguments, malformed files) are printed as one line on stderr and exit with status 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from simulator.errors import ModelError
from staffing._validate import StaffingInputError

from .errors import CcplanError

__all__ = ["main"]

#: Subcommand modules, in the order they appear in ``ccplan --help``.
SUBCOMMAND_MODULES = (
    "scenarios._cli_demo",
    "scenarios._cli_erlang",
    "scenarios._cli_staff",
    "scenarios._cli_simulate",
    "scenarios._cli_compare",
    "scenarios._cli_schema",
    "scenarios._cli_seasonal",
    "scenarios._cli_plan",
    "scenarios._cli_sweep",
    "scenarios._cli_dashboard",
)

USER_ERRORS = (CcplanError, StaffingInputError, ModelError)


class _OneLineParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors are one line on stderr and exit status 2."""

    def error(self, message: str):  # noqa: D401 - argparse API
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="ccplan",
        description="Contact-centre workload simulator and staffing planner.",
    )
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_OneLineParser
    )
    for module_name in SUBCOMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``ccplan`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except USER_ERRORS as exc:
        message = str(exc).strip().replace("\n", "; ")
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
