"""``ccplan demo``: the showcase on the bundled example day, printed, with a chart.

What it computes is :func:`scenarios.studies.demo.run_demo`; this module prints it.
"""

from __future__ import annotations

import argparse

from scenarios.cli._args import REPLICATIONS, SEED
from scenarios.cli._output import FIGURE_SUFFIXES, write_output
from scenarios.report.progress import ProgressBar
from scenarios.studies.demo import CHART_METRICS, EXAMPLE_DAY, run_demo

__all__ = ["configure"]


def _handle(args) -> int:
    from scenarios.report.text import format_comparison, format_demo_staffing, format_demo_voice

    progress = None if args.quiet else ProgressBar("replications")
    result = run_demo(args.replications, args.seed, progress=progress)
    scenario = result.scenario
    print(f"ccplan demo: {scenario.name} (scenarios/{EXAMPLE_DAY}), {scenario.intervals} x "
          f"{scenario.interval_minutes:g} min from {scenario.interval_labels()[0]}")
    print()
    print("1. Analytic staffing (Erlang C / Erlang A for voice; chat with concurrency; email within its response target)")
    print(format_demo_staffing(result))
    print()
    print(f"2. The file's schedule simulated ({args.replications} replications, seed {args.seed}) beside "
          "Erlang C and Erlang A at the same agents (voice)")
    print(format_demo_voice(result))
    print()
    print("3. The same day under the three setups")
    print(format_comparison(result.comparison))
    from scenarios.report.charts import comparison_figure

    figure = comparison_figure(result.comparison.to_frame(), CHART_METRICS, currency=scenario.costs.currency)
    figure.suptitle(f"{scenario.name}: in-house vs virtual vs cloud (95 % CI over {args.replications} replications)")
    write_output("--png", args.png, lambda p: figure.savefig(p, dpi=100), suffixes=FIGURE_SUFFIXES)
    print()
    print(f"wrote {args.png}")
    return 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``demo`` subcommand."""
    parser.description = (
        "Staffing table, simulation beside Erlang C / Erlang A, and the in-house / virtual / cloud "
        "comparison of the bundled example weekday; writes a PNG chart."
    )
    parser.add_argument("--replications", type=REPLICATIONS, default=5, metavar="N", help="replications per simulation, 1..10000 (default 5)")
    parser.add_argument("--seed", type=SEED, default=2026, metavar="S", help="root random seed, >= 0 (default 2026)")
    parser.add_argument("--png", default="ccplan-demo.png", metavar="OUT", help="chart file (default ccplan-demo.png)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=_handle)
