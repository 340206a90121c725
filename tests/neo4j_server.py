"""A real Neo4j Community server for the tests, run from jars fetched with Maven.

No Docker and no Neo4j tarball: Maven fetches ``org.neo4j:neo4j`` and its dependencies from
Maven Central (see ``tests/neo4j_pom/pom.xml``) into a cache directory, and the server is started
straight from those jars with ``java -cp '<lib>/*' org.neo4j.server.CommunityEntryPoint``.
``neo4j-admin`` is ``org.neo4j.cli.AdminTool`` from the same jars, so the offline bulk importer
(``neo4j-admin database import full``) needs no network once the jars are cached.

Command line::

    python tests/neo4j_server.py fetch    # fetch the jars into the cache (idempotent)
    python tests/neo4j_server.py run      # start a server, print its bolt URI, stop on Ctrl-C

Environment:
    CHIDAO_NEO4J_HOME  where the jars are cached (default ~/.cache/chidao/neo4j-5.26); the jars
                       go to its ``lib/``. It may also point at an unpacked Neo4j 5.26 tarball.
    JAVA_HOME          picks the JVM (else ``java`` on PATH); Neo4j 5.26 supports Java 17 and 21.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
import xml.etree.ElementTree as ET
from pathlib import Path
from types import TracebackType
from typing import Self

POM = Path(__file__).resolve().parent / "neo4j_pom" / "pom.xml"
DEFAULT_HOME = Path("~/.cache/chidao/neo4j-5.26").expanduser()
SERVER_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
MARKER = ".complete"
HOW_TO_ENABLE = "install OpenJDK 17 and Maven, or set NEO4J_URI"

# bin/neo4j is bypassed, so the JVM flags that Neo4j's packaged neo4j.conf gives it are set here
# (without -XX:+AlwaysPreTouch, which makes every start touch the whole heap), plus
# ExitOnOutOfMemoryError so that an out-of-memory server dies instead of hanging a test run.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


class Neo4jUnavailable(RuntimeError):
    """Java or Maven is missing, so no local Neo4j server can be run."""


class Neo4jStartError(RuntimeError):
    """The server exited or reported a failed start; the message ends with the log tail."""

    def __init__(self, message: str, log_tail: str, port_in_use: bool = False) -> None:
        super().__init__(f"{message}\n{log_tail}")
        self.port_in_use = port_in_use


def neo4j_version() -> str:
    """The Neo4j version pinned in tests/neo4j_pom/pom.xml."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    version = ET.parse(POM).getroot().findtext("m:properties/m:neo4j.version", namespaces=ns)
    if not version:
        raise RuntimeError(f"no <neo4j.version> property in {POM}")
    return version.strip()


def neo4j_home() -> Path:
    """The jar cache: $CHIDAO_NEO4J_HOME, else ~/.cache/chidao/neo4j-5.26."""
    override = os.environ.get("CHIDAO_NEO4J_HOME")
    return Path(override).expanduser().resolve() if override else DEFAULT_HOME


def java_executable() -> str:
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise Neo4jUnavailable(f"no 'java' on PATH (and no JAVA_HOME): {HOW_TO_ENABLE}")
    return java


def _jars_present(lib: Path, version: str) -> bool:
    marker = lib / MARKER
    return marker.is_file() and marker.read_text().strip() == version


def _is_distribution(home: Path) -> bool:
    """An unpacked Neo4j tarball: lib/ with the neo4j jar but without our marker."""
    return not (home / "lib" / MARKER).exists() and any((home / "lib").glob("neo4j-5.*.jar"))


def ensure_neo4j_jars() -> Path:
    """Fetch the Neo4j jars with Maven unless they are cached already; return the lib dir."""
    java_executable()  # jars without a JVM are of no use: fail early and clearly
    home = neo4j_home()
    lib = home / "lib"
    version = neo4j_version()
    if _jars_present(lib, version) or _is_distribution(home):
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable(
            f"Neo4j {version} jars are not in {lib} and there is no 'mvn' on PATH to fetch "
            f"them: {HOW_TO_ENABLE}"
        )
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".fetch.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be fetching right now
        if _jars_present(lib, version):
            return lib
        partial = home / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        cmd = [
            mvn, "-B", "-q", "-f", str(POM),
            "dependency:copy-dependencies", f"-DoutputDirectory={partial}",
        ]
        print(f"Fetching Neo4j {version} jars into {lib} ...", file=sys.stderr, flush=True)
        result = subprocess.run(
            cmd, check=False, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        if result.returncode != 0 or not any(partial.glob(f"neo4j-{version}.jar")):
            output = (result.stdout + result.stderr).strip().splitlines()
            raise RuntimeError(
                f"fetching the Neo4j jars failed (exit {result.returncode}): {' '.join(cmd)}\n"
                + "\n".join(output[-40:])
            )
        (partial / MARKER).write_text(version + "\n")
        shutil.rmtree(lib, ignore_errors=True)
        partial.rename(lib)
    return lib


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def _read_from(path: Path, offset: int) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Last resort, for a server left running when the interpreter exits."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


class Neo4jServer:
    """A throwaway Neo4j Community server on 127.0.0.1 with auth disabled.

    ``home`` is where the jars are (a directory holding ``lib/``); by default the cache that
    ensure_neo4j_jars() fills. Everything the server writes (conf, data, logs, run, import)
    goes to a fresh temporary directory, ``base_dir``, removed by stop().

    Bulk import, for example (the database name goes before the file options: --nodes and
    --relationships take several values, and a trailing "neo4j" is read as one more file)::

        server = Neo4jServer()
        server.admin("database", "import", "full", "neo4j", f"--nodes={csv}")
        server.start()                  # serves the imported graph
        ...
        server.stop(keep_data=True)     # stopped, base_dir kept for admin() and start()
        server.admin("database", "import", "full", "neo4j", "--overwrite-destination", ...)
        server.start()
        server.stop()                   # stopped, base_dir removed
    """

    def __init__(
        self,
        home: Path | None = None,
        heap: str = "512m",
        pagecache: str = "256m",
        *,
        bolt_port: int | None = None,
    ) -> None:
        self.home = Path(home) if home is not None else ensure_neo4j_jars().parent
        self.lib = self.home / "lib"
        if not self.lib.is_dir():
            raise RuntimeError(f"no Neo4j jars in {self.lib}")
        self.java = java_executable()
        self.heap = heap
        self.pagecache = pagecache
        self.fixed_port = bolt_port
        self.port = 0
        self.uri = ""
        self.base_dir: Path | None = None
        self.start_seconds: float | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None

    # -- layout -------------------------------------------------------------------------

    @property
    def conf_dir(self) -> Path:
        return self._base() / "conf"

    @property
    def logs_dir(self) -> Path:
        return self._base() / "logs"

    @property
    def import_dir(self) -> Path:
        return self._base() / "import"

    def _base(self) -> Path:
        if self.base_dir is None:
            self.base_dir = Path(tempfile.mkdtemp(prefix="chidao-neo4j-"))
            for sub in ("conf", "data", "logs", "run", "import", "plugins"):
                (self.base_dir / sub).mkdir()
            self._write_conf()
        return self.base_dir

    def _write_conf(self) -> None:
        base = self._base()
        settings = {
            "server.default_listen_address": "127.0.0.1",
            "server.default_advertised_address": "127.0.0.1",
            "server.bolt.enabled": "true",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.port}",
            "server.bolt.tls_level": "DISABLED",
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "dbms.security.auth_enabled": "false",
            "dbms.usage_report.enabled": "false",
            "server.directories.data": str(base / "data"),
            "server.directories.logs": str(base / "logs"),
            "server.directories.run": str(base / "run"),
            "server.directories.import": str(base / "import"),
            "server.directories.plugins": str(base / "plugins"),
            "server.directories.lib": str(self.lib),
            "server.memory.heap.initial_size": self.heap,
            "server.memory.heap.max_size": self.heap,
            "server.memory.pagecache.size": self.pagecache,
            "db.tx_log.rotation.retention_policy": "2 files",
            # Without these two (internal, so re-check on a Neo4j upgrade) the bolt server
            # waits 5 s + 5 s for connections and threads that are already gone, every stop.
            "internal.server.bolt.connection_shutdown_wait_time": "0s",
            "internal.server.bolt.thread_pool_shutdown_wait_time": "0s",
        }
        text = "".join(f"{key}={value}\n" for key, value in settings.items())
        (base / "conf" / "neo4j.conf").write_text(text)

    def _java(self, main_class: str, *args: str, heap: str | None = None) -> list[str]:
        heap = heap or self.heap
        classpath = f"{self.lib}/*"
        return [self.java, f"-Xms{heap}", f"-Xmx{heap}", *JVM_OPTIONS, "-cp", classpath, main_class, *args]

    # -- lifecycle ----------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout: float = 120) -> None:
        """Start the server and wait until bolt answers a query; raise with the log tail."""
        if self.running:
            raise RuntimeError(f"Neo4j is already running at {self.uri}")
        began = time.monotonic()
        # A free port can be taken between free_port() and Neo4j's bind: try another one.
        attempts = 1 if self.fixed_port else 3
        for attempt in range(attempts):
            try:
                self._launch(began + timeout)
                break
            except Neo4jStartError as exc:
                if not exc.port_in_use or attempt == attempts - 1:
                    raise
        self.start_seconds = time.monotonic() - began

    def _launch(self, deadline: float) -> None:
        base = self._base()
        self.port = self.fixed_port or free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self._write_conf()
        neo4j_log = self.logs_dir / "neo4j.log"
        log_offset = neo4j_log.stat().st_size if neo4j_log.exists() else 0
        with open(self.logs_dir / "console.log", "ab") as out:
            self._proc = subprocess.Popen(
                self._java(SERVER_CLASS, f"--home-dir={base}", f"--config-dir={self.conf_dir}"),
                cwd=base,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in a terminal goes to us; stop() ends the JVM
            )
        self._finalizer = weakref.finalize(self, _kill, self._proc)
        try:
            self._wait_until_ready(deadline, neo4j_log, log_offset)
        except BaseException:
            self._terminate(timeout=5)
            raise

    def _wait_until_ready(self, deadline: float, neo4j_log: Path, log_offset: int) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import DriverError, Neo4jError

        assert self._proc is not None
        last_error: Exception | None = None
        # Short timeouts: a port taken by something that is not Neo4j must not hold a readiness
        # probe for the driver's defaults (30 s to connect, 60 s to acquire a connection).
        with GraphDatabase.driver(
            self.uri, auth=None, connection_timeout=2.0, connection_acquisition_timeout=5.0
        ) as driver:
            while time.monotonic() < deadline:
                # After a failed start (a port in use, a bad store) the JVM may linger or exit.
                returncode = self._proc.poll()
                log = _read_from(neo4j_log, log_offset)
                if returncode is not None or "Failed to start Neo4j" in log:
                    what = "failed to start" if returncode is None else f"exited ({returncode})"
                    raise Neo4jStartError(
                        f"Neo4j {what} while starting on {self.uri}",
                        self.log_tail(),
                        port_in_use="Address already in use" in log,
                    )
                try:
                    driver.verify_connectivity()
                    with driver.session() as session:  # no retries, unlike execute_query
                        session.run("RETURN 1").consume()
                    return
                except (DriverError, Neo4jError, OSError) as exc:
                    last_error = exc
                    time.sleep(0.25)
        raise TimeoutError(
            f"Neo4j did not answer on {self.uri} in time (last error: {last_error!r})\n"
            + self.log_tail()
        )

    def log_tail(self, lines: int = 60) -> str:
        """The end of the server's console output and of its neo4j.log/debug.log."""
        if self.base_dir is None:
            return ""
        parts = []
        for name in ("console.log", "neo4j.log", "debug.log"):
            tail = _tail(self.base_dir / "logs" / name, lines)
            if tail:
                parts.append(f"--- {name} (last {lines} lines) ---\n{tail}")
        return "\n".join(parts)

    def _terminate(self, timeout: float = 60) -> None:
        proc, self._proc = self._proc, None
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)  # Neo4j shuts down cleanly on SIGTERM
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop the server; remove base_dir unless keep_data (then start() or admin() again)."""
        self._terminate()
        if not keep_data and self.base_dir is not None:
            shutil.rmtree(self.base_dir, ignore_errors=True)
            self.base_dir = None

    def admin(
        self, *args: str, check: bool = True, heap: str | None = None, timeout: float | None = 3600
    ) -> subprocess.CompletedProcess[str]:
        """Run neo4j-admin (org.neo4j.cli.AdminTool) on this server's home and conf.

        Database commands such as ``database import full`` need the server stopped (or not yet
        started). ``heap`` overrides the server's heap for this run (the importer asks for
        1 GiB and warns below that). With check (the default) a non-zero exit raises
        RuntimeError with the output.
        """
        base = self._base()
        env = dict(os.environ, NEO4J_HOME=str(base), NEO4J_CONF=str(self.conf_dir))
        result = subprocess.run(
            self._java(ADMIN_CLASS, *args, heap=heap),
            check=False,
            cwd=base,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"neo4j-admin {' '.join(args)} failed with exit code {result.returncode}\n"
                f"{result.stdout[-4000:]}{result.stderr[-4000:]}"
            )
        return result

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="fetch the Neo4j jars into the cache and print the lib dir")
    run = sub.add_parser("run", help="start a server, print its bolt URI, stop on Ctrl-C")
    run.add_argument("--heap", default="512m")
    run.add_argument("--pagecache", default="256m")
    run.add_argument("--port", type=int, default=None, help="bolt port (default: a free one)")
    args = parser.parse_args(argv)
    try:
        lib = ensure_neo4j_jars()
    except Neo4jUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.command == "fetch":
        print(lib)
        return 0
    server = Neo4jServer(lib.parent, args.heap, args.pagecache, bolt_port=args.port)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.start()
        print(server.uri, flush=True)
        print(
            f"Neo4j {neo4j_version()} up in {server.start_seconds:.1f}s, auth disabled, "
            f"files in {server.base_dir}; Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )
        while server.running:
            time.sleep(1)
        print("Neo4j exited by itself\n" + server.log_tail(), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
