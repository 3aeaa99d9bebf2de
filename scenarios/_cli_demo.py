"""``ccplan demo``: the staffing table for the bundled example day.

The example day (``scenarios/examples/example_day.csv``: a weekday of 30-minute intervals from
08:00 to 20:00 with voice, chat and email volumes, a morning peak and an afternoon shoulder) is
read with :mod:`importlib.resources`, so the demo works from an installed package too. The
computation lives in :func:`run_demo`, which later issues extend (simulation beside the
analytic table).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from importlib import resources

import pandas as pd

from ._cli_staff import IntervalVolumes, add_settings_arguments, compute, emit, read_volume_text

__all__ = ["EXAMPLE_DAY", "DemoResult", "load_example_day", "run_demo", "register"]

#: The bundled example day, relative to the ``scenarios`` package.
EXAMPLE_DAY = "examples/example_day.csv"


@dataclass(frozen=True)
class DemoResult:
    """What the demo computed: the input day, the requirements table and the settings used."""

    data: IntervalVolumes
    requirements: pd.DataFrame
    settings: dict


def load_example_day() -> IntervalVolumes:
    """The bundled example day's volumes."""
    text = resources.files("scenarios").joinpath(EXAMPLE_DAY).read_text(encoding="utf-8")
    return read_volume_text(text, source=f"scenarios/{EXAMPLE_DAY}")


def run_demo(args: argparse.Namespace | None = None) -> DemoResult:
    """Compute the demo: interval requirements of the example day with the default settings.

    Parameters
    ----------
    args : argparse.Namespace, optional
        Parsed ``ccplan demo`` options; ``None`` for the defaults.
    """
    if args is None:
        parser = argparse.ArgumentParser()
        _add_arguments(parser)
        args = parser.parse_args([])
    data = load_example_day()
    table, settings = compute(args, data)
    return DemoResult(data=data, requirements=table, settings=settings)


def _handle(args) -> int:
    result = run_demo(args)
    emit(args, result.data, result.requirements, result.settings, title=f"ccplan demo: example weekday ({result.data.source})")
    return 0


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    add_settings_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--csv", metavar="OUT", help="also write the table to OUT as CSV")


def register(subparsers) -> None:
    """Add the ``demo`` subcommand."""
    parser = subparsers.add_parser(
        "demo",
        help="staffing table for the bundled example day",
        description="Interval requirements (voice, chat, email) for the bundled example weekday.",
    )
    _add_arguments(parser)
    parser.set_defaults(handler=_handle)
