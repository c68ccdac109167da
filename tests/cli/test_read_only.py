"""Commands that only read need read rights only: they create no constraints, write nothing.

What each command sends is recorded at the driver boundary: the ``neo4j``
driver's own wire log (``C: RUN ...``, one line per query sent to the server),
switched on in the real `coalition` process; the dashboard's data read is
recorded the same way in this process.
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

pytestmark = pytest.mark.store

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
DB = "readonly"

#: The command line with the driver's wire log on stderr.
WIRE = (
    "import logging, sys\n"
    "wire = logging.getLogger('neo4j')\n"
    "wire.setLevel(logging.DEBUG)\n"
    "wire.addHandler(logging.StreamHandler(sys.stderr))\n"
    "from cli.main import main\n"
    "main(prog_name='coalition')\n"
)
#: A query that changes the schema or the data.
WRITES = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DROP)\b")


def sent(log: str) -> list[str]:
    """The queries of a wire log."""
    return [line.split("C: RUN ", 1)[1] for line in log.splitlines() if "C: RUN " in line]


def coalition(home: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    result = subprocess.run(
        [sys.executable, "-c", WIRE, "--database", DB, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result, sent(result.stderr)


@pytest.fixture(scope="module")
def loaded(store_home):
    """The tiny dataset in a database of its own; the load's queries."""
    from graph.store import StoreConfig, open_store

    with open_store(StoreConfig(home=str(store_home), database=DB)) as store:
        store.run("MATCH (n) DETACH DELETE n")
    _, queries = coalition(store_home, "load", str(TINY))
    return queries


def test_the_wire_log_sees_what_a_load_sends(loaded):
    """The recorder works: a load's constraints and writes are in it."""
    constraints = [q for q in loaded if "CREATE CONSTRAINT" in q]
    assert len(constraints) >= 6  # one per node label and the load state
    assert any("MERGE" in q or "CREATE (" in q for q in loaded)


@pytest.mark.parametrize(
    "args",
    [
        ("metrics", "--out", "{tmp}"),
        ("paths", "g1", "g4"),
        ("whatif", "--remove", "g3"),
        ("whatif",),
    ],
    ids=["metrics", "paths", "whatif --remove", "whatif"],
)
def test_a_read_only_command_creates_no_constraint_and_writes_nothing(
    loaded, store_home, tmp_path, args
):
    _, queries = coalition(store_home, *(a.format(tmp=tmp_path) for a in args))
    assert queries, "the command sent no query at all"
    assert [q for q in queries if WRITES.search(q)] == []


def test_metrics_write_back_writes_the_metrics_but_no_constraint(loaded, store_home, tmp_path):
    _, queries = coalition(store_home, "metrics", "--out", str(tmp_path), "--write-back")
    writes = [q for q in queries if WRITES.search(q)]
    assert writes and all("SET g += row.props" in q for q in writes)


def test_the_dashboard_reads_without_constraints_or_writes(loaded, store_config, caplog):
    from dashboard.data import CoalitionData

    caplog.set_level(logging.DEBUG, logger="neo4j")
    source = CoalitionData(replace(store_config, database=DB))
    try:
        assert len(source.snapshot(wait=None).coalition.groups) == 7
    finally:
        source.close()
    queries = sent(caplog.text)
    assert queries
    assert [q for q in queries if WRITES.search(q)] == []
