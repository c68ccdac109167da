"""``dashboard.wsgi:application``: the dashboard under a WSGI server someone else runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dashboard.security import AUTH_FILE_ENV
from graph.errors import UsageError

from .test_cli_dashboard import PASSWORD, fetch, free_port
from .util import basic


def test_importing_builds_nothing():
    import dashboard.wsgi

    assert "application" not in dashboard.wsgi._built


@pytest.mark.parametrize("value", ["1", "0", "five", "-3"])
def test_a_bad_suppression_threshold_is_refused(monkeypatch, value):
    from dashboard.wsgi import SUPPRESS_BELOW_ENV, build

    monkeypatch.setenv(SUPPRESS_BELOW_ENV, value)
    monkeypatch.delenv(AUTH_FILE_ENV, raising=False)
    with pytest.raises(UsageError, match=f"{SUPPRESS_BELOW_ENV}='{value}' must be"):
        build(warm=False)


@pytest.mark.store
def test_waitress_serve_runs_the_entry_point_with_sign_in(
    sample_store, sample_config, store_home, tmp_path
):
    made = subprocess.run(
        [sys.executable, "-m", "cli.main", "dashboard-passwd", "alice"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    users = tmp_path / "users.txt"
    users.write_text(made.stdout)
    port = free_port()
    env = {
        **os.environ,
        "COALITION_HOME": str(store_home),
        AUTH_FILE_ENV: str(users),
        "COALITION_DASHBOARD_SUPPRESS_BELOW": "7",
    }
    if sample_config.database:
        env["NEO4J_DATABASE"] = sample_config.database
    process = subprocess.Popen(
        [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", "--threads=4"]
        + ["dashboard.wsgi:application"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import urllib.error
        import urllib.request

        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(url + "/")
        assert refused.value.code == 401
        assert refused.value.headers["X-Frame-Options"] == "DENY"
        request = urllib.request.Request(url + "/", headers=basic("alice", PASSWORD))
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert answer.status == 200 and "Content-Security-Policy" in answer.headers
        # The threshold from the environment is the one the pages show.
        request = urllib.request.Request(url + "/_dash-layout", headers=basic("alice", PASSWORD))
        with urllib.request.urlopen(request, timeout=60) as answer:
            assert "counts under 7 read" in answer.read().decode()
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr
