"""The wheel, installed in a clean venv outside the checkout, runs the demo and serves a page.

A smoke test of the package as a team installs it: ``pip wheel`` builds it from
``pyproject.toml``, a fresh venv in a temporary folder installs it with the
tested versions (``constraints.txt``), and from a folder outside the checkout
``coalition demo --no-serve`` loads the sample data that came in the wheel into
an embedded store of a throwaway ``COALITION_HOME``, then ``coalition
dashboard`` serves a page and its assets. The embedded store it started is
stopped at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.dashboard.test_cli_dashboard import fetch, free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.store

#: Files that only editable installs had before: the dashboard's assets and the sample data.
PACKAGE_DATA = [
    "dashboard/assets/style.css",
    "dashboard/assets/plotlyBundle.js",
    "dashboard/assets/dashAgGridFunctions.js",
    "dashboard/assets/vendor/plotly-coalition-4.1.1.min.js",
    "dashboard/assets/vendor/plotly-LICENSE.txt",
    "loaders/sample_data/groups.csv",
    "loaders/sample_data/movements.csv",
    "loaders/sample_data/memberships.csv",
    "loaders/sample_data/datapackage.json",
]


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    built = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(dist), str(ROOT))
    assert "BuildBackendWarning" not in built.stdout + built.stderr  # license metadata and all
    (path,) = dist.glob("coalition_graph_explorer-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A clean venv (outside the checkout) with the wheel and the tested versions; its bin/."""
    where = tmp_path_factory.mktemp("clean-venv")
    venv.create(where / "venv", with_pip=True, clear=True)
    bin_ = where / "venv" / "bin"
    run(
        str(bin_ / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-c",
        str(ROOT / "constraints.txt"),
        str(wheel),
    )
    return bin_


def test_the_wheel_holds_the_assets_and_the_sample_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert missing == []
    samples = {n for n in names if n.startswith("loaders/sample_data/")}
    assert {f"loaders/sample_data/{p.name}" for p in (ROOT / "sample_data").iterdir()} == samples
    metadata = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith(".dist-info/METADATA"))
    )
    assert b"License-Expression: AGPL-3.0-or-later" in metadata


def test_the_installed_package_runs_the_demo_and_serves_a_page(installed, tmp_path):
    home, cwd = tmp_path / "home", tmp_path / "elsewhere"
    cwd.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("NEO4J_", "COALITION_", "PYTHON", "VIRTUAL_ENV"))
    }
    env["COALITION_HOME"] = str(home)
    coalition = str(installed / "coalition")
    where = run(
        str(installed / "python"),
        "-c",
        "import dashboard, loaders; print(dashboard.__file__)",
        cwd=cwd,
        env=env,
    )
    assert where.stdout.startswith(str(installed.parent)), where.stdout
    try:
        demo = run(coalition, "demo", "--no-serve", cwd=cwd, env=env)
        assert "loaded" in demo.stdout and (home / "metrics" / "group_metrics.csv").is_file()
        groups = (ROOT / "sample_data" / "groups.csv").read_text().count("\n") - 1
        written = (home / "metrics" / "group_metrics.csv").read_text().count("\n") - 1
        assert written == groups

        port = free_port()
        server = subprocess.Popen(
            [coalition, "dashboard", "--port", str(port)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            status, _, page = fetch(url + "/")
            assert status == 200 and 'href="/assets/style.css' in page
            for asset in ("/assets/style.css", "/assets/vendor/plotly-coalition-4.1.1.min.js"):
                status, _, body = fetch(url + asset)
                assert status == 200 and len(body) > 1000, asset
            server.send_signal(signal.SIGTERM)
            out, err = server.communicate(timeout=30)
        finally:
            if server.poll() is None:
                server.kill()
                server.communicate()
        assert server.returncode == 0 and "Traceback" not in out + err
    finally:
        stopped = subprocess.run(
            [coalition, "store", "stop"], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert stopped.returncode == 0, stopped.stderr
        status = subprocess.run(
            [coalition, "store", "status"], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert status.returncode != 0, status.stdout
