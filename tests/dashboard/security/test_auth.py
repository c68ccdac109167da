"""Where the dashboard may listen and who may see it (``dashboard.security.auth``)."""

from __future__ import annotations

import base64
import re
import time

import pytest
from werkzeug.security import check_password_hash

from dashboard.app import create_app, run
from dashboard.data import CoalitionData
from dashboard.security.auth import (
    AUTH_FILE_ENV,
    auth_file,
    check_bind,
    hash_password,
    is_loopback,
    load_users,
    user_line,
)
from graph.errors import UsageError

from ..util import PASSWORD, USERS, basic, callback_body, warmed
from .conftest import CLIENTS, client_of


# -- where it listens --------------------------------------------------------------------------
@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_the_loopback_needs_no_users(host):
    assert is_loopback(host)
    check_bind(host, None)


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "", "::", "192.168.1.20", "10.0.0.5", "dashboard.example.org"]
)
def test_any_other_address_needs_users(host):
    assert not is_loopback(host)
    with pytest.raises(UsageError, match="refusing to listen on .* without authentication") as e:
        check_bind(host, None)
    assert "--auth-file" in str(e.value) and "SSH tunnel" in str(e.value)
    check_bind(host, USERS)


def test_run_refuses_a_public_address_without_users(app, monkeypatch):
    import dashboard.app

    calls = []
    monkeypatch.setattr(dashboard.app, "Server", lambda *a, **kw: calls.append((a, kw)))
    with pytest.raises(UsageError, match="refusing to listen"):
        run(app, host="0.0.0.0")
    assert calls == []


# -- users -------------------------------------------------------------------------------------
def test_users_file_lines_round_trip(tmp_path):
    line = user_line("alice", PASSWORD)
    assert line.startswith("alice:scrypt:") and PASSWORD not in line
    path = tmp_path / "users.txt"
    path.write_text(f"# the team\n\n{line}\n{user_line('bob.k', 'another long one')}\n")
    users = load_users(path)
    assert set(users) == {"alice", "bob.k"}
    assert check_password_hash(users["alice"], PASSWORD)


@pytest.mark.parametrize(
    "content, message",
    [
        (
            "alice:hunter2hunter2\n",
            r"users\.txt, line 1: the password of 'alice' is not a password",
        ),
        ("\nalice\n", r"line 2: expected `user:hash`"),
        ("bad user:scrypt:1:2:3$salt$00\n", r"line 1: expected `user:hash`"),
        ("# nobody\n", r"lists no user"),
    ],
)
def test_users_file_errors_are_clear(tmp_path, content, message):
    path = tmp_path / "users.txt"
    path.write_text(content)
    with pytest.raises(UsageError, match=message):
        load_users(path)


def test_users_file_problems(tmp_path):
    line = user_line("alice", PASSWORD)
    path = tmp_path / "users.txt"
    path.write_text(f"{line}\n{line}\n")
    with pytest.raises(UsageError, match="line 2: user 'alice' is listed twice"):
        load_users(path)
    with pytest.raises(UsageError, match="cannot read the users file"):
        load_users(tmp_path / "missing.txt")
    with pytest.raises(UsageError, match="at least 10 characters"):
        hash_password("short")
    with pytest.raises(UsageError, match="user name"):
        user_line("a:b", PASSWORD)


def test_users_file_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(AUTH_FILE_ENV, raising=False)
    assert auth_file(None) is None
    monkeypatch.setenv(AUTH_FILE_ENV, str(tmp_path / "env.txt"))
    assert auth_file(None) == tmp_path / "env.txt"
    assert auth_file(tmp_path / "option.txt") == tmp_path / "option.txt"


# -- sign-in on every route --------------------------------------------------------------------
@pytest.fixture(params=CLIENTS)
def signed(coalition, request):
    app = create_app(data=warmed(CoalitionData.from_coalition(coalition)), users=USERS)
    # The first request (even refused) attaches the callbacks to this app.
    first = app.server.test_client().get("/_dash-dependencies", headers=basic("alice", PASSWORD))
    assert first.status_code == 200
    with client_of(app, request.param) as client:
        yield client


def test_every_route_needs_a_user(signed):
    page = signed.get("/", headers=basic("alice", PASSWORD))
    assert page.status_code == 200
    files = re.findall(r'(?:src|href)="(/(?:assets|_dash-component-suites)/[^"]+)"', page.text)
    assert any(f.startswith("/assets/") for f in files)
    assert any(f.startswith("/_dash-component-suites/") for f in files)
    routes = [
        "/",
        "/network?focus=g1",
        "/no-such-page",
        "/_dash-layout",
        "/_dash-dependencies",
        "/_favicon.ico",
        *files,
    ]
    for route in routes:
        refused = signed.get(route)
        assert refused.status_code == 401, route
        assert refused.headers["WWW-Authenticate"].startswith("Basic ")
        assert refused.headers["X-Frame-Options"] == "DENY"
        assert signed.get(route, headers=basic("alice", PASSWORD)).status_code == 200, route
    deps = signed.get("/_dash-dependencies", headers=basic("alice", PASSWORD)).get_json()
    body = callback_body(deps, "overview-content.children", [None, None])
    assert signed.post("/_dash-update-component", json=body).status_code == 401
    answer = signed.post("/_dash-update-component", json=body, headers=basic("alice", PASSWORD))
    assert answer.status_code == 200 and "Top bridging groups" in answer.text


@pytest.mark.parametrize(
    "header",
    [
        basic("alice", "wrong password")["Authorization"],
        basic("mallory", PASSWORD)["Authorization"],
        "Basic !!!not base64",
        "Basic " + base64.b64encode(b"no colon").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(),
        "Bearer abc.def.ghi",
        "Basic",
    ],
)
def test_bad_credentials_are_refused_not_crashed(signed, header):
    assert signed.get("/", headers={"Authorization": header}).status_code == 401


def test_a_checked_password_is_not_hashed_again(signed):
    # scrypt takes ~0.1 s; a page loads dozens of files with the same header.
    start = time.perf_counter()
    for _ in range(10):
        assert signed.get("/_favicon.ico", headers=basic("alice", PASSWORD)).status_code == 200
    assert time.perf_counter() - start < 0.6
