"""The coalition graph built from the store, checked against hand-derived ties."""

from __future__ import annotations

import pytest

from graph.coalition import coalition_graph, parse_weights, read_coalition
from graph.errors import UsageError
from loaders.load import load_dataset

pytestmark = pytest.mark.store

# The tiny fixture's ties, derived by hand from its CSVs:
# (a, b): (shared_members, joint_actions, shared_resources)
TINY_TIES = {
    ("g1", "g2"): (1, 1, 0),  # m1 in both; both in a1
    ("g2", "g3"): (1, 0, 0),  # m2
    ("g3", "g4"): (1, 0, 0),  # m3
    ("g3", "g5"): (0, 1, 0),  # a2
    ("g4", "g5"): (0, 0, 1),  # r1
}


def _ties(G) -> dict:
    return {
        tuple(sorted((u, v))): (d["shared_members"], d["joint_actions"], d["shared_resources"])
        for u, v, d in G.edges(data=True)
    }


@pytest.fixture
def tiny(empty_store, dataset):
    load_dataset(dataset("tiny"), empty_store)
    return read_coalition(empty_store)


def test_tiny_graph_matches_hand_derived_ties(tiny):
    G = coalition_graph(tiny)
    assert sorted(G.nodes) == ["007", "g1", "g2", "g3", "g4", "g5", "g6"]
    assert _ties(G) == TINY_TIES
    assert G.edges["g1", "g2"]["weight"] == 2
    assert G.nodes["g3"]["primary_movement"] == "queer"
    assert G.nodes["g3"]["movements"] == ["queer", "blm"]
    assert G.degree("g6") == 0 and G.degree("007") == 0


def test_weights_scale_and_drop_tie_types(tiny):
    G = coalition_graph(tiny, weights=parse_weights("members=2,actions=0.5,resources=0"))
    assert G.edges["g1", "g2"]["weight"] == pytest.approx(2.5)
    assert not G.has_edge("g4", "g5")  # a resource-only tie disappears at weight 0


@pytest.mark.parametrize(
    ("since", "until", "ties"),
    [
        (
            "2021-01-01",
            None,
            {("g2", "g3"): (1, 0, 0), ("g3", "g4"): (1, 0, 0), ("g4", "g5"): (0, 0, 1)},
        ),
        (None, "2016-12-31", {("g1", "g2"): (1, 1, 0)}),
        (
            "2020-06-13",
            "2020-06-13",
            {
                ("g2", "g3"): (1, 0, 0),
                ("g3", "g4"): (1, 0, 0),
                ("g3", "g5"): (0, 1, 0),
                ("g4", "g5"): (0, 0, 1),
            },
        ),
    ],
)
def test_date_window_keeps_overlapping_links(tiny, since, until, ties):
    G = coalition_graph(tiny.window(since, until))
    assert _ties(G) == ties
    assert G.number_of_nodes() == 7  # every group stays, isolated or not


def test_movement_filter(tiny):
    G = coalition_graph(tiny, movements=["queer"])
    assert sorted(G.nodes) == ["g3", "g4"]
    assert _ties(G) == {("g3", "g4"): (1, 0, 0)}


def test_bad_window_and_weights_are_usage_errors(tiny):
    with pytest.raises(UsageError):
        tiny.window("2020-01-01", "2019-01-01")
    with pytest.raises(UsageError):
        parse_weights("members=heavy")
    with pytest.raises(UsageError):
        parse_weights("friends=1")
