"""The explorer (app.py) served by a real `streamlit run`, for the browser test and the benchmark.

`running_app(data_dir)` starts Streamlit headless on a free loopback port with
CHIDAO_DATA=data_dir, waits until /_stcore/health answers "ok", yields the base URL and
stops the server afterwards (terminate, then kill). `build_sample_library(dir)` fills a data
folder from corpus/seeds and corpus/sample. No pytest here: benchmarks/explorer_bench.py
serves its synthetic libraries with the same code; the fixtures are in tests/test_browser.py.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "app.py"
LIBRARY_CORPUS = tuple(REPO / "corpus" / name for name in ("seeds", "sample"))
# Streamlit imports a few hundred modules before it listens; on the shared 2-core machine
# that alone has taken 20 s, so the start-up allowance is generous.
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 15.0
# Settings that would point the app at another store or library than the one served.
_ENV_DROPPED = ("NEO4J_URI", "NEO4J_USER", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_AUTH")


class AppServerError(RuntimeError):
    """The server did not come up; the message carries its log."""


def free_port() -> int:
    # The port is free when asked; another process could take it before Streamlit binds,
    # and then the start fails with "address already in use" in the log.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def streamlit_command(port: int, app: Path = APP) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(app),
            "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]


def server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _ENV_DROPPED}
    env["CHIDAO_DATA"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _log_tail(log: Path, limit: int = 6000) -> str:
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return text[-limit:] or "(the server wrote nothing)"


@dataclass(frozen=True)
class AppServer:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]
    log: Path  # the server's stdout and stderr

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far (Linux /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serve_app(data_dir: Path, *, log_dir: Path | None = None, app: Path = APP,
              timeout: float = START_TIMEOUT_S) -> Iterator[AppServer]:
    """Serve `app` over the library in `data_dir` until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (log_dir or data_dir) / f"streamlit-{port}.log"
    with log.open("wb") as log_file:
        # The log is a file, not a pipe: a chatty server can never block on a full pipe.
        process = subprocess.Popen(streamlit_command(port, app), cwd=REPO, env=server_env(data_dir),
                                   stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(url):
            if process.poll() is not None:
                raise AppServerError(f"streamlit exited with {process.returncode} before answering "
                                     f"{url}/_stcore/health:\n{_log_tail(log)}")
            if time.monotonic() > deadline:
                raise AppServerError(f"streamlit did not answer {url}/_stcore/health within {timeout:.0f} s:\n"
                                     f"{_log_tail(log)}")
            time.sleep(0.25)
        yield AppServer(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT_S)


@contextmanager
def running_app(data_dir: Path, **options: Any) -> Iterator[str]:
    """Serve `app` over the library in `data_dir`; yields "http://127.0.0.1:PORT"."""
    with serve_app(data_dir, **options) as server:
        yield server.url


def build_sample_library(data_dir: Path) -> Path:
    """corpus/seeds and corpus/sample ingested into data_dir (its own copy, not the session's
    `sample_library`: the explorer may write corrections, and other tests read that one)."""
    from graph.ingestion import ingest_files
    from graph.library import Library
    from ingest.batch import find_sources
    from ingest.pipeline import default_parser

    sources, _ = find_sources(LIBRARY_CORPUS)
    with Library.open(data_dir) as library:
        report = ingest_files(library, sources, parser=default_parser())
    if report.failures:
        raise AppServerError(f"the sample corpus did not ingest: {report.failures}")
    return data_dir



# -- waiting on the served app from a browser page (Playwright's, duck-typed here) ---------
# stApp carries data-test-script-state: "running" while the page script runs, "notRunning"
# once it has ended. A rerun starts a moment after the click that causes it and may end
# before a poll sees it, so a watcher installed before the click counts the runs that ended.
APP_SELECTOR = '[data-testid="stApp"]'
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
_WATCH_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__chidaoRuns = 0;
    window.__chidaoWatch?.disconnect();
    // Counted from the records' old values: by the time the callback runs, a short run may
    // already be over, and the attribute reads "notRunning" again.
    window.__chidaoWatch = new MutationObserver(records => {
        for (const record of records) if (record.oldValue === 'running') window.__chidaoRuns += 1;
    });
    window.__chidaoWatch.observe(app, {attributes: true, attributeOldValue: true,
                                       attributeFilter: ['data-test-script-state']});
}"""
_RUN_SEEN = "() => window.__chidaoRuns > 0"


@contextmanager
def script_rerun(page: Any, *, start_timeout_ms: float = 3_000, timeout_ms: float = 60_000) -> Iterator[None]:
    """Around an interaction: wait for the run it starts to end. An interaction that starts
    no run (a tab, a scroll) costs `start_timeout_ms`."""
    page.wait_for_selector(APP_SELECTOR)
    page.evaluate(_WATCH_RUNS)
    yield
    try:
        page.wait_for_function(_RUN_SEEN, timeout=start_timeout_ms)
    except Exception as exc:  # Playwright's TimeoutError; no run started
        if type(exc).__name__ != "TimeoutError":
            raise
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
