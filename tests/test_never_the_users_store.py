"""The test suite never writes to the store NEO4J_URI names: it may be a coalition's only copy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.store

ROOT = Path(__file__).resolve().parent.parent


def test_with_neo4j_uri_set_the_store_tests_use_their_own_store_and_say_so(tmp_path):
    """A user's NEO4J_URI (here an address where nothing answers, so any use of it would
    fail) is set aside: a store test that empties its store runs on an embedded one."""
    env = {
        **os.environ,
        "NEO4J_URI": "bolt://127.0.0.1:9",
        "NEO4J_USERNAME": "coalition",
        "NEO4J_PASSWORD": "their-only-copy",
    }
    for name in ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        env.pop("COALITION_TEST_" + name, None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--basetemp",
            str(tmp_path),
        ]
        + ["tests/graph/store/test_loadstate.py::test_a_store_never_loaded_is_readable"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "1 passed" in done.stdout
    assert "the tests leave that store alone" in done.stdout
