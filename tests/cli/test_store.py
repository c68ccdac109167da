"""`coalition store` (cli.store) and the store options (cli.options): clear errors, no secrets."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.store


def test_unreachable_server_is_a_clear_error_without_password(cli):
    result = cli(
        "validate",
        "tests/fixtures/tiny",
        database=None,
    )
    assert result.returncode == 0
    result = cli(
        "--uri",
        "bolt://127.0.0.1:9",
        "--password",
        "s3cret-pw",
        "metrics",
        "--out",
        "/tmp/never",
        database=None,
    )
    assert result.returncode == 1
    assert "cannot reach the store at bolt://127.0.0.1:9" in result.stderr
    assert "s3cret-pw" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_store_status(cli):
    result = cli("store", "status", database=None)
    assert result.returncode == 0 and "running" in result.stdout


def test_wrong_password_is_a_distinct_clear_error(cli, neo4j_env, loaded):
    env = neo4j_env(password="not-the-password")
    result = cli("metrics", "--out", "/tmp/never", database=None, env=env)
    assert result.returncode == 1
    assert "refused the user name or password" in result.stderr
    assert "not-the-password" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_database_is_a_distinct_clear_error(cli, embedded_uri, neo4j_env, loaded):
    _, password = embedded_uri
    env = neo4j_env(database="no_such_db")
    result = cli("metrics", "--out", "/tmp/never", database=None, env=env)
    assert result.returncode == 1
    assert "has no database 'no_such_db'" in result.stderr
    assert password not in result.stderr + result.stdout
