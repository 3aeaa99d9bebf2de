"""``ccplan schema``: print the JSON Schema of scenario files (for editors' validation)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scenarios.cli._output import write_output
from scenarios.document.scenario import scenario_json_schema

__all__ = ["configure"]


def _handle(args: argparse.Namespace) -> int:
    text = json.dumps(scenario_json_schema(), indent=2, sort_keys=False)
    if args.output:
        write_output("--output", args.output, lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))
    else:
        sys.stdout.write(text + "\n")
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``schema`` subcommand."""
    parser.description = (
        "Print the JSON Schema (draft 2020-12) of ccplan scenario files; every field "
        "carries its unit and default in its description."
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="write the schema to OUT instead of stdout")
    parser.set_defaults(handler=_handle)
