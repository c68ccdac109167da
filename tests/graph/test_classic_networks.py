"""Classic networks as CSV datasets, through the real store and the real CLI.

Each dataset under ``tests/fixtures`` is loaded into the session's embedded
store by the ``coalition`` command (a subprocess) and measured by it; the
values checked are published ones, known independently of our code:

* **Florentine families** (Padgett & Ansell 1993; networkx's
  ``florentine_families_graph``): each family is a group and each marriage
  tie a "member" of the two families, so the coalition graph *is* the
  marriage network. Betweenness: Medici 0.522, Guadagni 0.255, Albizzi 0.212
  (e.g. Wasserman & Faust 1994; the networkx gallery). Pucci, who married
  into none of the others, is left out, as networkx leaves it out.
* **Davis's Southern Women** (Davis, Gardner & Gardner 1941): the 18 women
  are members and the 14 events are groups, so the group-group graph is
  Breiger's (1974) event-by-event projection, weighted by the number of
  women two events share.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

pytestmark = pytest.mark.store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Davis, Gardner & Gardner (1941), the women x events table: events attended
# by each woman (row sums) and attendance of each event (column sums).
EVENTS_ATTENDED = {
    "evelyn-jefferson": 8,
    "laura-mandeville": 7,
    "theresa-anderson": 8,
    "brenda-rogers": 7,
    "charlotte-mcdowd": 4,
    "frances-anderson": 4,
    "eleanor-nye": 4,
    "pearl-oglethorpe": 3,
    "ruth-desand": 4,
    "verne-sanderson": 4,
    "myra-liddel": 4,
    "katherina-rogers": 6,
    "sylvia-avondale": 7,
    "nora-fayette": 8,
    "helen-lloyd": 5,
    "dorothy-murchison": 2,
    "olivia-carleton": 2,
    "flora-price": 2,
}
ATTENDANCE = {
    "E1": 3, "E2": 3, "E3": 6, "E4": 4, "E5": 8, "E6": 8, "E7": 10,
    "E8": 14, "E9": 12, "E10": 5, "E11": 4, "E12": 6, "E13": 3, "E14": 3,
}  # fmt: skip


@pytest.fixture(scope="module")
def coalition(store_home):
    """Run ``python -m cli.main --database DB ...`` against the session's store."""

    def run(database: str, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "COALITION_HOME": str(store_home)}
        env.pop("NEO4J_URI", None)
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", "--database", database, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr + result.stdout
        return result

    return run


def measured(coalition, database: str, dataset: str, out: Path) -> dict:
    """Load ``dataset`` into ``database`` and run ``metrics``; return the files read back."""
    coalition(database, "load", str(FIXTURES / dataset))
    coalition(database, "metrics", "--out", str(out), "--members")
    with open(out / "group_metrics.csv", newline="", encoding="utf-8") as fh:
        groups = {row["group_id"]: row for row in csv.DictReader(fh)}
    with open(out / "member_metrics.csv", newline="", encoding="utf-8") as fh:
        members = {row["member_id"]: row for row in csv.DictReader(fh)}
    summary = json.loads((out / "network_summary.json").read_text())
    return {"groups": groups, "members": members, "summary": summary}


# ---------------------------------------------------------------------------
# Florentine families


@pytest.fixture(scope="module")
def florentine(coalition, tmp_path_factory):
    return measured(coalition, "florentine", "florentine", tmp_path_factory.mktemp("florentine"))


@pytest.mark.parametrize(
    ("family", "expected"), [("Medici", 0.522), ("Guadagni", 0.255), ("Albizzi", 0.212)]
)
def test_florentine_betweenness(florentine, family, expected):
    assert round(float(florentine["groups"][family]["betweenness"]), 3) == expected


def test_florentine_network(florentine):
    groups, summary = florentine["groups"], florentine["summary"]
    assert len(groups) == 15 and "Pucci" not in groups
    assert summary["groups"] == 15 and summary["ties"] == 20 and summary["components"] == 1
    assert summary["betweenness_mode"] == "exact"
    # Medici married into six families; one marriage per tie
    assert int(groups["Medici"]["degree"]) == 6
    assert float(groups["Medici"]["strength"]) == 6.0
    # four families each hold another family to the rest by their one marriage:
    # Medici (Acciaiuoli; Salviati and Pazzi), Albizzi (Ginori),
    # Guadagni (Lamberteschi), Salviati (Pazzi)
    cut = {g for g, row in groups.items() if row["articulation_point"] == "true"}
    assert cut == {"Medici", "Albizzi", "Guadagni", "Salviati"}


def test_florentine_without_the_medici(coalition, florentine):
    result = coalition("florentine", "whatif", "--remove", "Medici", "--json")
    report = json.loads(result.stdout)
    # Acciaiuoli alone, Salviati with Pazzi, and the other eleven families
    assert (report["components_before"], report["components_after"]) == (1, 3)
    assert report["fragmentation_after"] == pytest.approx(1 - (11 * 10 + 2 * 1) / (14 * 13))


def test_florentine_matches_networkx(florentine):
    G = nx.florentine_families_graph()
    betweenness = nx.betweenness_centrality(G)
    closeness = nx.closeness_centrality(G)
    for family, row in florentine["groups"].items():
        assert float(row["betweenness"]) == pytest.approx(betweenness[family], abs=1e-9)
        assert float(row["closeness"]) == pytest.approx(closeness[family], abs=1e-9)
        assert int(row["degree"]) == G.degree(family)


# ---------------------------------------------------------------------------
# Davis's Southern Women


@pytest.fixture(scope="module")
def davis(coalition, tmp_path_factory):
    return measured(coalition, "davis", "southern_women", tmp_path_factory.mktemp("davis"))


@pytest.fixture(scope="module")
def davis_graph(davis, store_home):
    """The coalition graph of the Davis database, read back through the Python API."""
    from graph.projection import coalition_graph
    from graph.read import read_coalition
    from graph.store import StoreConfig, open_store

    store = open_store(StoreConfig(home=str(store_home), database="davis"))
    try:
        return coalition_graph(read_coalition(store))
    finally:
        store.close()


def breiger_projection() -> nx.Graph:
    B = nx.davis_southern_women_graph()
    return nx.bipartite.weighted_projected_graph(B, B.graph["bottom"])


def test_davis_is_breigers_event_projection(davis_graph):
    expected = breiger_projection()
    assert set(davis_graph) == set(expected) == set(ATTENDANCE)
    assert {frozenset(e) for e in davis_graph.edges()} == {frozenset(e) for e in expected.edges()}
    for u, v, data in davis_graph.edges(data=True):
        assert data["shared_members"] == expected[u][v]["weight"]
        assert data["weight"] == expected[u][v]["weight"]
        assert data["joint_actions"] == data["shared_resources"] == 0


def test_davis_hand_checked_ties(davis_graph):
    # E8 (14 women) and E9 (12 women) share 9; E7 (10) and E8 share 8
    assert davis_graph["E8"]["E9"]["shared_members"] == 9
    assert davis_graph["E7"]["E8"]["shared_members"] == 8
    # E1 and E14 have no woman in common: the two cliques of the study
    assert not davis_graph.has_edge("E1", "E14")
    # the bridging events E6-E9 share someone with every other event
    for event in ("E6", "E7", "E8", "E9"):
        assert set(davis_graph[event]) == set(ATTENDANCE) - {event}


def test_davis_metrics_from_the_cli(davis):
    groups, members, summary = davis["groups"], davis["members"], davis["summary"]
    assert summary["groups"] == 14 and summary["components"] == 1
    assert summary["ties"] == breiger_projection().number_of_edges()
    degree = {e: int(row["degree"]) for e, row in groups.items()}
    assert degree == {e: 13 if e in ("E6", "E7", "E8", "E9") else 8 for e in ATTENDANCE}
    # strength of an event: each of its women counted once per other event she attended
    B = nx.davis_southern_women_graph()
    for event, row in groups.items():
        expected = sum(B.degree(woman) - 1 for woman in B[event])
        assert float(row["strength"]) == expected
    assert {m: int(row["groups"]) for m, row in members.items()} == EVENTS_ATTENDED
    assert sum(EVENTS_ATTENDED.values()) == sum(ATTENDANCE.values()) == 89
    # E6-E9 lie on every shortest path between the two sets of events; nobody else does
    between = {e: float(row["betweenness"]) for e, row in groups.items()}
    assert {e for e, b in between.items() if b > 0} == {"E6", "E7", "E8", "E9"}
