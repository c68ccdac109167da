"""Privacy end to end: erasing a person leaves no trace; logs hold no secrets or names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.store

SECRET_NAME = "Zephyrine Quillfeather"
SECRET_ID = "mbr-7f3a-erase-me"
KEY = "pseudonym-key-do-not-print-0451"


def _private_dataset(dataset) -> Path:
    d = dataset("tiny")
    members = (d / "members.csv").read_text()
    (d / "members.csv").write_text(members + f"{SECRET_ID},{SECRET_NAME},Riverton\n")
    ms = (d / "memberships.csv").read_text()
    (d / "memberships.csv").write_text(
        ms + f"{SECRET_ID},g1,member,2020-01-01,\n{SECRET_ID},g5,member,2020-01-01,\n"
    )
    return d


def _run(home: Path, database: str, *args: str, env: dict | None = None):
    full = {**os.environ, "COALITION_HOME": str(home), **(env or {})}
    full.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "-v", "--database", database, *args],
        capture_output=True,
        text=True,
        env=full,
        timeout=300,
    )


def _files_mentioning(root: Path, needle: str, skip: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and skip not in path.parents and needle.encode() in path.read_bytes():
            found.append(path)
    return found


def _store_mentions(store, needle: str) -> int:
    rows = store.read("MATCH (n) RETURN properties(n) AS p")
    rows += store.read("MATCH ()-[r]->() RETURN properties(r) AS p")
    return sum(needle in str(r["p"]) for r in rows)


def test_erase_member_leaves_no_trace_in_store_or_reports(store_home, store_config, dataset):
    from dataclasses import replace

    from graph.store import open_store

    d = _private_dataset(dataset)
    db = "privacy"
    with open_store(replace(store_config, database=db)) as store:
        store.run("MATCH (n) DETACH DELETE n")
        assert _run(store_home, db, "load", str(d)).returncode == 0
        reports = store_home / "reports"
        for fmt in ("csv", "json", "parquet"):
            result = _run(
                store_home, db, "metrics", "--out", str(reports / fmt), "--format", fmt, "--members"
            )
            assert result.returncode == 0, result.stderr
        assert _store_mentions(store, SECRET_ID) and _store_mentions(store, SECRET_NAME)
        assert SECRET_ID.encode() in (reports / "csv" / "member_metrics.csv").read_bytes()

        result = _run(store_home, db, "erase-member", SECRET_ID)
        assert result.returncode == 0, result.stderr

        assert _store_mentions(store, SECRET_ID) == 0
        assert _store_mentions(store, SECRET_NAME) == 0
        assert store.counts()["MEMBER_OF"] == 9  # only the person's two memberships went
        store_dir = store_home / "store"
        assert _files_mentioning(store_home, SECRET_ID, skip=store_dir) == []
        import pandas as pd

        frame = pd.read_parquet(reports / "parquet" / "member_metrics.parquet")
        assert SECRET_ID not in set(frame["member_id"]) and len(frame) == 6

        again = _run(store_home, db, "erase-member", SECRET_ID)
        assert again.returncode == 1 and "no member" in again.stderr


def test_erase_member_by_original_id_in_a_pseudonymised_store(store_home, store_config, dataset):
    from dataclasses import replace

    from graph.privacy import pseudonymize
    from graph.store import open_store

    d = _private_dataset(dataset)
    db = "privacy_pseudo"
    env = {"COALITION_PSEUDONYM_KEY": KEY}
    with open_store(replace(store_config, database=db)) as store:
        store.run("MATCH (n) DETACH DELETE n")
        assert _run(store_home, db, "load", "--pseudonymize", str(d), env=env).returncode == 0
        pseudonym = pseudonymize(SECRET_ID, KEY.encode())
        assert _store_mentions(store, pseudonym) and not _store_mentions(store, SECRET_ID)
        assert not _store_mentions(store, SECRET_NAME)
        result = _run(store_home, db, "erase-member", SECRET_ID, env=env)
        assert result.returncode == 0, result.stderr
        assert _store_mentions(store, pseudonym) == 0
        assert store.counts()["Member"] == 6


def test_library_erase_by_original_id_in_a_pseudonymised_store(
    store_config, dataset, tmp_path, monkeypatch
):
    """A notebook calling graph.privacy.erase_member obeys the same rule as the CLI."""
    from dataclasses import replace

    from graph.privacy import erase_member, pseudonymize
    from graph.store import open_store
    from loaders.load import load_dataset

    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", KEY)
    d = _private_dataset(dataset)
    with open_store(replace(store_config, database="privacy_library")) as store:
        store.run("MATCH (n) DETACH DELETE n")
        load_dataset(d, store, pseudonymize_members=True)
        pseudonym = pseudonymize(SECRET_ID, KEY.encode())
        assert _store_mentions(store, pseudonym)
        assert erase_member(store, SECRET_ID, home=tmp_path) == 1
        assert _store_mentions(store, pseudonym) == 0
        assert store.counts()["Member"] == 6
        assert erase_member(store, SECRET_ID, home=tmp_path) == 0


def test_nothing_logged_or_printed_holds_names_password_or_key(store_home, dataset, tmp_path):
    d = _private_dataset(dataset)
    db = "privacy_logs"
    env = {"COALITION_PSEUDONYM_KEY": KEY}
    outputs = [
        _run(store_home, db, "load", str(d), env=env),
        _run(store_home, db, "load", "--pseudonymize", str(d), env=env),
        _run(store_home, db, "metrics", "--out", str(tmp_path / "m"), env=env),
        _run(store_home, db, "paths", "g1", "g5", env=env),
        _run(store_home, db, "whatif", env=env),
        _run(store_home, db, "erase-member", SECRET_ID, env=env),
    ]
    password = (store_home / "store-password").read_text().strip()
    text = "".join(o.stdout + o.stderr for o in outputs)
    assert all(o.returncode == 0 for o in outputs), text
    for secret in (SECRET_NAME, "Alex", password, KEY):
        assert secret not in text
    server_log = (store_home / "store.log").read_text(errors="replace")
    for secret in (SECRET_NAME, password, KEY):
        assert secret not in server_log


def test_erased_member_leaves_no_bytes_in_the_embedded_store_files(tmp_path, dataset):
    """Not only unreachable by queries: gone from every file under COALITION_HOME."""
    from graph.store.embedded import EmbeddedStore

    home = tmp_path / "home"
    d = _private_dataset(dataset)
    try:
        assert _run(home, "coalition", "load", str(d)).returncode == 0
        metrics = _run(home, "coalition", "metrics", "--out", str(home / "m"), "--members")
        assert metrics.returncode == 0, metrics.stderr
        assert SECRET_ID.encode() in (home / "m" / "member_metrics.csv").read_bytes()
        result = _run(home, "coalition", "erase-member", SECRET_ID)
        assert result.returncode == 0, result.stderr
        # the rebuilt key still enforces uniqueness
        from graph.store import StoreConfig, open_store

        with open_store(StoreConfig(home=str(home))) as store:
            with pytest.raises(Exception, match="(?i)constraint|duplicat|unique|rejected"):
                store.run("CREATE (p:Member {id: 'm1'})")
    finally:
        EmbeddedStore(home).stop()
    for needle in (SECRET_ID, SECRET_NAME):
        assert _files_mentioning(home, needle, skip=tmp_path / "nowhere") == []
