"""``ccplan dashboard``: start the Streamlit dashboard on the bundled app.

Runs ``python -m streamlit run <dashboard>/app.py`` in a child process and waits for it
(Ctrl-C or SIGTERM stops it, and the server with it). The app file is located with :func:`importlib.util.find_spec`, so this module
never imports Streamlit or the dashboard (the scenario layer stays free of the UI, see docs/architecture.md).

Options: ``--port P`` (default 8501), ``--headless`` (do not open a browser; for servers and
containers), ``--address A`` (default ``127.0.0.1``: only this machine can connect; give
``--address 0.0.0.0`` to expose the dashboard to the network deliberately). Uploads are limited
to :data:`MAX_UPLOAD_MB` MB by the server. Usage statistics are off, and the browser is never shown a traceback
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

__all__ = ["DEFAULT_PORT", "DEFAULT_ADDRESS", "MAX_UPLOAD_MB", "app_path", "streamlit_command", "configure"]

DEFAULT_PORT = 8501
"""Streamlit's usual port."""

DEFAULT_ADDRESS = "127.0.0.1"
"""The address served by default: this machine only (the loopback interface)."""

MAX_UPLOAD_MB = 25
"""Largest upload the server accepts (MB); the app itself refuses more than 20 MB of files."""


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


def streamlit_command(port: int = DEFAULT_PORT, *, headless: bool = False, address: str = DEFAULT_ADDRESS) -> list[str]:
    """The command line that serves the dashboard on ``port``.

    Parameters
    ----------
    port : int
        TCP port, 1..65535.
    headless : bool
        Do not open a browser window.
    address : str
        Address to listen on (default ``127.0.0.1``: this machine only).

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
        "--server.address", address,
        "--server.maxUploadSize", str(MAX_UPLOAD_MB),
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
    command = streamlit_command(args.port, headless=args.headless, address=args.address)
    if args.address in ("127.0.0.1", "localhost", "::1"):
        where = f"http://localhost:{args.port} (this machine only; --address 0.0.0.0 exposes it to the network)"
    else:
        where = f"http://{args.address}:{args.port} (reachable from the network: anyone who can connect may use it)"
    print(f"ccplan dashboard: serving on {where}; Ctrl-C stops it", file=sys.stderr)
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


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the ``dashboard`` subcommand."""
    parser.description = (
        "Serve the Streamlit dashboard: scenario editing, staffing, simulation, setup comparison, "
        "seasonal plan and what-if views. Opens on an embedded example scenario."
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="P",
                        help=f"TCP port to serve on (default {DEFAULT_PORT})")
    parser.add_argument("--headless", action="store_true", help="do not open a browser window (servers, containers)")
    parser.add_argument("--address", default=DEFAULT_ADDRESS, metavar="A",
                        help=f"address to listen on (default {DEFAULT_ADDRESS}: this machine only); "
                             "--address 0.0.0.0 exposes the dashboard to the network, deliberately")
    parser.set_defaults(handler=_handle)
