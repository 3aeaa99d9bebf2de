"""``ccplan dashboard``: start the Streamlit dashboard on the bundled app.

Runs ``python -m streamlit run <dashboard>/app.py`` in a child process and waits for it
(Ctrl-C or SIGTERM stops it, and the server with it). The app file is located with :func:`importlib.util.find_spec`, so this module
never imports Streamlit or the dashboard (the scenario layer stays free of the UI, see STYLE.md).

Options: ``--port P`` (default 8501), ``--headless`` (do not open a browser; for servers and
containers). Usage statistics are off, and the browser is never shown a traceback
(``client.showErrorDetails = none``; the app reports errors as one-line messages itself).
"""

from __future__ import annotations

import argparse
import importlib.util
import signal
import subprocess
import sys
from pathlib import Path

from scenarios.errors import CcplanError

__all__ = ["DEFAULT_PORT", "app_path", "streamlit_command", "configure"]

DEFAULT_PORT = 8501
"""Streamlit's usual port."""


def app_path() -> Path:
    """The bundled dashboard app file (``app.py`` in the ``dashboard`` package's folder).

    Raises
    ------
    CcplanError
        If the ``dashboard`` package or its app file cannot be found.
    """
    spec = importlib.util.find_spec("dashboard")
    if spec is None or spec.origin is None:
        raise CcplanError("the dashboard package is not installed (pip install ccplan)")
    path = Path(spec.origin).parent / "app.py"
    if not path.is_file():
        raise CcplanError(f"the dashboard app file is missing: {path}")
    return path


def streamlit_command(port: int = DEFAULT_PORT, *, headless: bool = False) -> list[str]:
    """The command line that serves the dashboard on ``port``.

    Parameters
    ----------
    port : int
        TCP port, 1..65535.
    headless : bool
        Do not open a browser window.

    Raises
    ------
    CcplanError
        If Streamlit is not installed, or the app file cannot be found.
    """
    if importlib.util.find_spec("streamlit") is None:
        raise CcplanError("streamlit is not installed; install it with: pip install streamlit")
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.port", str(port),
        "--server.headless", "true" if headless else "false",
        "--browser.gatherUsageStats", "false",
        "--client.showErrorDetails", "none",
    ]


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number 1..65535, got {text!r}") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a whole number 1..65535, got {value}")
    return value


class _Terminated(Exception):
    """SIGTERM received: stop the server and exit."""


def _on_sigterm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated


def _handle(args: argparse.Namespace) -> int:
    command = streamlit_command(args.port, headless=args.headless)
    print(f"ccplan dashboard: serving on http://localhost:{args.port} (Ctrl-C stops it)", file=sys.stderr)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        with subprocess.Popen(command) as process:  # noqa: S603 - our own interpreter and arguments
            try:
                return process.wait()
            except (KeyboardInterrupt, _Terminated) as exc:
                process.terminate()  # never leave the server running without us
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                if isinstance(exc, KeyboardInterrupt):
                    raise
                return 128 + signal.SIGTERM
    finally:
        signal.signal(signal.SIGTERM, previous)


def configure(parser) -> None:
    """Add the ``dashboard`` subcommand."""
    parser.description = (
        "Serve the Streamlit dashboard: scenario editing, staffing, simulation, setup comparison, "
        "seasonal plan and what-if views. Opens on an embedded example scenario."
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="P",
                        help=f"TCP port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--headless", action="store_true", help="do not open a browser window (servers, containers)")
    parser.set_defaults(handler=_handle)
