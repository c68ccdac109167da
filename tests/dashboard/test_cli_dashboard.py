"""`coalition dashboard` and `coalition dashboard-passwd`: where it listens and who may sign in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from click.testing import CliRunner
from werkzeug.security import check_password_hash

from cli.main import main
from dashboard.data import DATA_KEY
from dashboard.security import AUTH_FILE_ENV, USERS_KEY, load_users

PASSWORD = "correct horse battery"


def coalition(*args: str, stdin: str = "", env: dict | None = None):
    """The real command, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def users_file(tmp_path):
    made = coalition("dashboard-passwd", "alice", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    line = made.stdout.strip()
    assert line.startswith("alice:scrypt:") and PASSWORD not in made.stdout + made.stderr
    path = tmp_path / "users.txt"
    path.write_text(line + "\n")
    return path


def test_passwd_prints_a_users_file_line(users_file):
    users = load_users(users_file)
    assert check_password_hash(users["alice"], PASSWORD)


@pytest.mark.parametrize(
    "user, stdin, message",
    [("alice", "short\n", "at least 10 characters"), ("a:b", PASSWORD + "\n", "user name")],
)
def test_passwd_refuses_bad_input(user, stdin, message):
    result = coalition("dashboard-passwd", user, stdin=stdin)
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::"])
def test_refuses_another_address_without_users(host, monkeypatch):
    monkeypatch.delenv(AUTH_FILE_ENV, raising=False)
    result = coalition("dashboard", "--host", host, env={AUTH_FILE_ENV: ""})
    assert result.returncode == 1
    message = " ".join(result.stderr.split())
    assert f"refusing to listen on '{host}' without authentication" in message
    assert "--auth-file" in message and "Traceback" not in result.stderr


def test_a_bad_users_file_is_a_clear_error(tmp_path):
    path = tmp_path / "users.txt"
    path.write_text("alice:plain-password\n")
    result = coalition("dashboard", "--host", "0.0.0.0", "--auth-file", str(path))
    assert result.returncode == 1
    assert "line 1: the password of 'alice' is not a password hash" in " ".join(
        result.stderr.split()
    )


@pytest.fixture
def served(monkeypatch):
    """Run the command in-process and catch the app it would serve."""
    import dashboard.app

    calls = []

    def fake_run(app, host="127.0.0.1", port=8050):
        calls.append({"app": app, "host": host, "port": port})
        # A first request, as serving would make: the pages' callbacks join this app.
        app.server.test_client().get("/_dash-dependencies")
        app.server.config[DATA_KEY].close()

    monkeypatch.setattr(dashboard.app, "run", fake_run)
    monkeypatch.delenv(AUTH_FILE_ENV, raising=False)
    return calls


def test_serves_another_address_with_users(served, users_file, monkeypatch):
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["dashboard", "--host", "0.0.0.0", "--auth-file", str(users_file), "--port", "8123"],
    )
    assert result.exit_code == 0, result.output
    assert "sign-in required: 1 user(s)" in result.output
    (call,) = served
    assert call["host"] == "0.0.0.0" and call["port"] == 8123
    assert set(call["app"].server.config[USERS_KEY]) == {"alice"}
    assert call["app"].server.test_client().get("/").status_code == 401

    # The users file may come from the environment too.
    monkeypatch.setenv(AUTH_FILE_ENV, str(users_file))
    result = runner.invoke(main, ["dashboard", "--host", "0.0.0.0", "--suppress-below", "10"])
    assert result.exit_code == 0, result.output
    app = served[-1]["app"]
    assert app.server.config[DATA_KEY].suppress_below == 10
    assert set(app.server.config[USERS_KEY]) == {"alice"}


def test_the_loopback_needs_no_users(served):
    result = CliRunner().invoke(main, ["dashboard"])
    assert result.exit_code == 0, result.output
    (call,) = served
    assert call["host"] == "127.0.0.1"
    assert call["app"].server.config.get(USERS_KEY) is None


def test_suppression_cannot_be_switched_off():
    result = CliRunner().invoke(main, ["dashboard", "--suppress-below", "1"])
    assert result.exit_code == 2 and "suppress-below" in result.output


# -- the production server ---------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60) -> tuple[int, dict, str]:
    """GET ``url``, retrying while nothing listens yet: status, headers, text."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                return answer.status, dict(answer.headers), answer.read().decode()
        except urllib.error.HTTPError:
            raise
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.store
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_command_serves_with_the_production_server_and_stops_cleanly(
    stop, sample_store, sample_config, store_home
):
    port = free_port()
    database = ["--database", sample_config.database] if sample_config.database else []
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", *database, "dashboard", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COALITION_HOME": str(store_home), AUTH_FILE_ENV: ""},
    )
    try:
        status, headers, page = fetch(f"http://127.0.0.1:{port}/")
        assert status == 200 and "Coalition Graph Explorer" in page
        assert headers["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in headers
        assert "Server" not in headers  # waitress does not announce itself
        status, _, layout = fetch(f"http://127.0.0.1:{port}/_dash-layout")
        assert status == 200 and "navbar" in layout
        process.send_signal(stop)
        stdout, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert f"dashboard on http://127.0.0.1:{port}/" in stdout and "dashboard stopped" in stdout
    output = stdout + stderr
    assert "Traceback" not in output
    assert "development server" not in output and "Running on" not in output
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = coalition("dashboard", "--port", str(port), env={AUTH_FILE_ENV: ""})
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
