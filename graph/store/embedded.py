"""The embedded graph store: ArcadeDB's server with its Neo4j Bolt plugin.

The ``arcadedb-embedded`` wheel ships ArcadeDB's jars and a JRE. We run its
server as a background process, bound to 127.0.0.1 on free ports, with its data,
log and a generated root password (mode 0600) under ``COALITION_HOME``
(default ``./.coalition``), and a bounded heap. The same Bolt/Cypher code path
then talks to it as it would to Neo4j.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from graph.errors import StoreUnavailable, UsageError
from graph.store.config import coalition_home

__all__ = ["EmbeddedStore", "StoreStatus", "DATABASE_NAME"]

log = logging.getLogger(__name__)

DATABASE_NAME = "coalition"
USERNAME = "root"
DEFAULT_HEAP = "2g"
START_TIMEOUT_S = 60.0
HOST = "127.0.0.1"
_DB_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")


@dataclass(frozen=True)
class StoreStatus:
    """What ``coalition store status`` reports."""

    running: bool
    pid: int | None = None
    bolt_port: int | None = None
    http_port: int | None = None
    home: str = ""

    @property
    def uri(self) -> str | None:
        return f"bolt://{HOST}:{self.bolt_port}" if self.bolt_port else None


class EmbeddedStore:
    """Start, stop and inspect the embedded ArcadeDB server.

    Parameters
    ----------
    home : path, optional
        The project data directory; ``coalition_home()`` by default.
    heap : str, optional
        The JVM's maximum heap (``-Xmx``); ``$COALITION_STORE_HEAP`` or 2g.
    """

    def __init__(self, home: str | os.PathLike | None = None, *, heap: str | None = None):
        self.home = coalition_home(home)
        self.heap = heap or os.environ.get("COALITION_STORE_HEAP", DEFAULT_HEAP)
        # -- its files, all under home
        self.root: Path = self.home / "store"  # the server's databases
        self.state_file: Path = self.home / "store.json"  # pid and ports of the running server
        self.password_file: Path = self.home / "store-password"  # mode 0600
        self.log_file: Path = self.home / "store.log"

    def password(self) -> str:
        """The root password, generated on first use and kept with mode 0600."""
        self.home.mkdir(parents=True, exist_ok=True)
        path = self.password_file
        if not path.exists():
            secret = secrets.token_urlsafe(24)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secret)
        os.chmod(path, 0o600)
        return path.read_text().strip()

    # -- lifecycle -----------------------------------------------------------
    def status(self) -> StoreStatus:
        """Whether the server recorded in ``store.json`` is alive and listening."""
        state = self._read_state()
        if not state:
            return StoreStatus(False, home=str(self.home))
        pid, bolt, http = state.get("pid"), state.get("bolt_port"), state.get("http_port")
        if pid and pid_alive(pid) and _port_open(bolt):
            return StoreStatus(True, pid, bolt, http, str(self.home))
        return StoreStatus(False, home=str(self.home))

    def ensure_running(self, database: str = DATABASE_NAME) -> StoreStatus:
        """Start the server unless it is already running; create the database."""
        with self._lock():
            status = self.status()
            if not status.running:
                status = self._start()
            self._ensure_database(status, database)
            return status

    def stop(self, timeout: float = 30.0) -> bool:
        """Stop the server; True if one was running."""
        with self._lock():
            state = self._read_state()
            pid = state.get("pid") if state else None
            if not pid or not pid_alive(pid):
                self.state_file.unlink(missing_ok=True)
                return False
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while pid_alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            if pid_alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
                while pid_alive(pid):
                    time.sleep(0.05)
            self.state_file.unlink(missing_ok=True)
            log.info("embedded store stopped (pid %s)", pid)
            return True

    # -- internals -----------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self):
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home / "store.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _read_state(self) -> dict:
        try:
            return json.loads(self.state_file.read_text())
        except (OSError, ValueError):
            return {}

    def _start(self) -> StoreStatus:
        java, classpath = _arcadedb_runtime()
        self.password()  # make sure it exists before the server reads it
        self.root.mkdir(parents=True, exist_ok=True)
        bolt_port, http_port = _free_port(), _free_port()
        settings = {
            "arcadedb.server.rootPath": self.root,
            "arcadedb.server.databaseDirectory": self.root / "databases",
            "arcadedb.server.rootPasswordPath": self.password_file,
            "arcadedb.server.mode": "production",
            "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
            "arcadedb.server.httpIncomingHost": HOST,
            "arcadedb.server.httpIncomingPort": http_port,
            "arcadedb.bolt.host": HOST,
            "arcadedb.bolt.port": bolt_port,
            "arcadedb.bolt.defaultDatabase": DATABASE_NAME,
        }
        cmd = [java, f"-Xmx{self.heap}", "-cp", classpath]
        cmd += [f"-D{key}={value}" for key, value in settings.items()]
        cmd.append("com.arcadedb.server.ArcadeDBServer")
        log.info("starting embedded store in %s", self.home)
        with open(self.log_file, "ab") as logfh:
            proc = subprocess.Popen(
                cmd,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=logfh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise StoreUnavailable(
                    f"the embedded store exited during start-up (status {proc.returncode}); "
                    f"see {self.log_file}"
                )
            if _port_open(bolt_port) and _port_open(http_port):
                break
            time.sleep(0.1)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            raise StoreUnavailable(
                f"the embedded store did not start within {START_TIMEOUT_S:.0f} s; "
                f"see {self.log_file}"
            )
        state = {"pid": proc.pid, "bolt_port": bolt_port, "http_port": http_port}
        self.state_file.write_text(json.dumps(state))
        return StoreStatus(True, proc.pid, bolt_port, http_port, str(self.home))

    def _ensure_database(self, status: StoreStatus, database: str) -> None:
        if not _DB_NAME.fullmatch(database):
            raise UsageError(
                f"{database!r} is not a valid database name (letters, digits, _ and -)"
            )
        exists = self._http("GET", status, f"/api/v1/exists/{database}")
        if not exists.get("result"):
            self._http("POST", status, "/api/v1/server", {"command": f"create database {database}"})

    def _http(self, method: str, status: StoreStatus, path: str, body: dict | None = None):
        token = base64.b64encode(f"{USERNAME}:{self.password()}".encode()).decode()
        request = urllib.request.Request(
            f"http://{HOST}:{status.http_port}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Basic {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise StoreUnavailable(
                f"the embedded store's HTTP API did not answer {path}: {exc}"
            ) from None


def _arcadedb_runtime() -> tuple[str, str]:
    try:
        import arcadedb_embedded
    except ImportError:  # pragma: no cover - a broken install
        raise StoreUnavailable(
            "the arcadedb-embedded package is not installed; run `make install`"
        ) from None
    base = Path(arcadedb_embedded.__file__).parent
    java = base / "jre" / "bin" / "java"
    if not java.exists():
        raise StoreUnavailable(f"no bundled Java runtime at {java}")
    return str(java), str(base / "jars" / "*")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _port_open(port: int | None) -> bool:
    if not port:
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine is alive (a zombie counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True
