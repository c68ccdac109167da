"""The real `coalition` command, run as a subprocess against the real embedded store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def cli(store_home):
    def run(
        *args: str, database: str = "clitest", env: dict | None = None
    ) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "COALITION_HOME": str(store_home)}
        full_env.pop("NEO4J_URI", None)
        full_env.update(env or {})
        prefix = ["--database", database] if database else []
        return subprocess.run(
            [sys.executable, "-m", "cli.main", *prefix, *args],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=300,
        )

    return run


@pytest.fixture(scope="module")
def loaded(cli):
    fixture = Path(__file__).parents[1] / "fixtures" / "tiny"
    first = cli("load", str(fixture))
    assert first.returncode == 0, first.stderr
    return fixture


@pytest.fixture(scope="module")
def embedded_uri(store_home) -> tuple[str, str]:
    """The embedded store's Bolt URI and root password, to reach it as a Neo4j server."""
    state = json.loads((store_home / "store.json").read_text())
    password = (store_home / "store-password").read_text().strip()
    return f"bolt://127.0.0.1:{state['bolt_port']}", password


@pytest.fixture(scope="module")
def neo4j_env(embedded_uri):
    """The ``NEO4J_*`` variables that reach the embedded store as a Neo4j server."""

    def env(password: str | None = None, database: str | None = None) -> dict[str, str]:
        uri, root_password = embedded_uri
        variables = {
            "NEO4J_URI": uri,
            "NEO4J_USERNAME": "root",
            "NEO4J_PASSWORD": root_password if password is None else password,
        }
        return variables | ({"NEO4J_DATABASE": database} if database else {})

    return env
