"""`chidao app` serves the explorer (app.py) on the library it is given."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli_app import APP, streamlit_command

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_command_runs_this_environments_streamlit_on_app_py() -> None:
    command = streamlit_command("127.0.0.1", 8600, headless=True)
    assert command[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert Path(command[4]) == APP and APP.is_file()
    assert command[command.index("--server.port") + 1] == "8600"
    assert command[command.index("--server.headless") + 1] == "true"


def test_chidao_app_serves_the_explorer_on_the_given_library(sample_library) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("NEO4J_URI", "CHIDAO_DATA")}
    chidao = Path(sys.executable).parent / "chidao"
    server = subprocess.Popen([str(chidao), "app", "--data", str(sample_library.path.parent), "--port", str(port),
                               "--headless"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        health = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    health = answer.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert health == "ok", f"no explorer on port {port}: {server.stdout.read1().decode() if server.poll() is not None else 'still starting'}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert "<title>" in page.read().decode().lower()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
