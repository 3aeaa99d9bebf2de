"""``ccplan dashboard`` (kind: unit): the command it runs, its option checks, and the layering.

What they prove: the subcommand is registered, finds the bundled app file, builds the Streamlit
command line, refuses a bad port with exit status 2, and importing the scenario layer (CLI
included) never imports Streamlit.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from scenarios import cli
from scenarios.cli.dashboard import app_path, streamlit_command


def test_registered_and_finds_the_app():
    assert any(command.module == "scenarios.cli.dashboard" for command in cli.COMMANDS)
    assert app_path().name == "app.py" and app_path().is_file()
    command = streamlit_command(8765, headless=True)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert command[4] == str(app_path())
    assert command[command.index("--server.port") + 1] == "8765"
    assert command[command.index("--server.headless") + 1] == "true"


def test_binds_to_this_machine_unless_exposed_deliberately(capsys):
    """Issue 14: the server listened on all interfaces while printing localhost."""
    command = streamlit_command(8765)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    exposed = streamlit_command(8765, address="0.0.0.0")
    assert exposed[exposed.index("--server.address") + 1] == "0.0.0.0"
    with pytest.raises(SystemExit):
        cli.main(["dashboard", "--help"])
    assert "--address" in capsys.readouterr().out


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_bad_port_is_a_usage_error(port, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["dashboard", "--port", port])
    assert info.value.code == 2
    assert "--port" in capsys.readouterr().err


@pytest.mark.slow
def test_scenarios_and_cli_do_not_import_streamlit():
    code = ("import sys, scenarios.cli, scenarios.cli.dashboard; scenarios.cli.build_parser('*'); "
            "print('streamlit' in sys.modules, 'dashboard' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.slow
@pytest.mark.e2e
def test_serves_the_app_and_stops_with_its_server_on_sigterm():
    """``ccplan dashboard --headless --port P`` answers on P; SIGTERM stops it and the Streamlit child."""
    import os
    import signal
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "scenarios.cli", "dashboard", "--headless", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, f"ccplan dashboard exited with {process.returncode}"
                assert time.monotonic() < deadline, "the dashboard did not answer within 60 s"
                time.sleep(0.3)
        children = [int(pid) for pid in subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)],
                                                       capture_output=True, text=True).stdout.split()]
        assert children, "no Streamlit child process"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
        for child in children:
            for _ in range(50):
                try:
                    os.kill(child, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                pytest.fail(f"Streamlit child {child} still running after ccplan dashboard stopped")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
