"""The coalition graph built from the store, checked against hand-derived ties."""

from __future__ import annotations

import dataclasses
import random

import networkx as nx
import numpy as np
import pytest

from graph._fast.arrays import Arrays, arrays_for
from graph.coalition import Coalition
from graph.errors import UsageError
from graph.projection import (
    coalition_graph,
    coalition_graph_with_arrays,
    coalition_ties,
    parse_weights,
)

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


def test_read_keeps_missing_values_as_none(tiny):
    # one record per table on the wire; a null inside a row must stay None
    assert ("m1", "g1", "2015-01-01", None) in tiny.memberships
    assert ("m1", "g2", "2016-03-01", "2019-12-31") in tiny.memberships
    assert tiny.groups["g6"]["founded"] is None and tiny.groups["g6"]["size"] is None
    assert tiny.groups["g5"]["size"] == 300 and tiny.groups["g3"]["movements"] == ["queer", "blm"]
    assert tiny.member_count == 6 and len(tiny.memberships) == 9
    assert set(tiny.movements) == {"blm", "queer", "labour"}


@pytest.mark.parametrize(
    ("weights", "movements", "since"),
    [
        (None, None, None),
        ("members=2,actions=0.5,resources=0", None, None),
        (None, ["queer", "blm"], None),
        (None, None, "2021-01-01"),
    ],
)
def test_arrays_built_with_the_graph_equal_its_conversion(tiny, weights, movements, since):
    coalition = tiny.window(since, None)
    G, arrays = coalition_graph_with_arrays(
        coalition, weights=parse_weights(weights), movements=movements
    )
    assert nx.utils.graphs_equal(
        G, coalition_graph(coalition, weights=parse_weights(weights), movements=movements)
    )
    for built, converted in (
        (arrays, Arrays(G, "weight")),
        (arrays.unweighted(), Arrays(G, None)),
    ):
        assert built.nodes == converted.nodes
        assert (built.matrix != converted.matrix).nnz == 0
        np.testing.assert_array_equal(built.matrix.indptr, converted.matrix.indptr)
        np.testing.assert_array_equal(built.matrix.indices, converted.matrix.indices)


def test_arrays_are_passed_down_explicitly_and_derived_once(tiny):
    G, arrays = coalition_graph_with_arrays(tiny)
    assert arrays_for(G, "weight") is not arrays_for(G, "weight")  # nothing shared behind our back
    assert arrays_for(G, "weight", arrays) is arrays
    unweighted = arrays_for(G, None, arrays)
    assert unweighted.weight is None
    assert unweighted is arrays_for(G, None, arrays)  # derived once, kept on the arrays
    with pytest.raises(ValueError, match="nodes"):
        arrays_for(nx.path_graph(len(G) + 1), "weight", arrays)


def _plain(c):
    """The same tables, without the arrays a window shares with its whole coalition."""
    return Coalition(
        movements=c.movements,
        groups=c.groups,
        memberships=list(c.memberships),
        actions=dict(c.actions),
        participations=list(c.participations),
        resources=c.resources,
        shares=list(c.shares),
    )


def random_tables(seed: int) -> Coalition:
    """Memberships, actions and shares with random (and missing) dates, and a few oddities:
    a link to a group or action not in the tables, the same person twice in a group."""
    rng = random.Random(seed)
    day = lambda: f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"  # noqa: E731
    maybe = lambda: rng.choice([None, day()])  # noqa: E731
    ids = [f"g{i:02d}" for i in range(40)]
    c = Coalition(groups={g: {"name": g, "movements": [rng.choice("abc")]} for g in ids})
    c.memberships = [
        (f"m{rng.randrange(90)}", rng.choice(ids), maybe(), maybe()) for _ in range(300)
    ]
    c.memberships += c.memberships[:10] + [("m1", "ghost", None, None)]
    c.actions = {f"a{i}": {"start_date": maybe(), "end_date": maybe()} for i in range(40)}
    c.participations = [(rng.choice(ids), f"a{rng.randrange(42)}", None) for _ in range(150)]
    c.shares = [
        (rng.choice(ids), f"r{rng.randrange(20)}", None, maybe(), maybe()) for _ in range(80)
    ]
    return c


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize(
    "window",
    [(None, None), ("2016-01-01", None), (None, "2015-06-30"), ("2014-03-01", "2019-09-09")],
)
def test_a_window_of_the_shared_arrays_has_the_ties_of_its_own_tables(seed, window):
    whole = random_tables(seed)
    coalition_ties(whole)  # builds the arrays every window then shares
    seen = whole.window(*window)
    # the same records as a window worked out record by record (a window of a window)
    by_record = dataclasses.replace(_plain(whole), since="0000-00-00").window(*window)
    if any(window):
        for table in ("memberships", "actions", "participations", "shares"):
            assert getattr(seen, table) == getattr(by_record, table), table
        assert 0 < len(seen.memberships) < len(whole.memberships)
    for options in ({}, {"movements": ["a", "b"]}, {"weights": {"members": 0, "actions": 2}}):
        shared, own = coalition_ties(seen, **options), coalition_ties(_plain(seen), **options)
        assert shared.groups == own.groups
        for name in ("u", "v", "counts", "weight"):
            np.testing.assert_array_equal(getattr(shared, name), getattr(own, name), err_msg=name)
    # a window of a window builds its own arrays from its (already cut) tables
    inner = seen.window("2017-01-01", None)
    expected = coalition_ties(_plain(inner))
    np.testing.assert_array_equal(coalition_ties(inner).counts, expected.counts)


def test_tables_changed_after_the_arrays_were_built_are_read_again():
    whole = random_tables(4)
    before = coalition_ties(whole)
    window = whole.window("2016-01-01", None)
    coalition_ties(window)
    del whole.memberships[:50]  # a notebook edits the tables
    whole.groups["new"] = {"name": "New", "movements": ["a"]}
    after = coalition_ties(whole)
    np.testing.assert_array_equal(after.counts, coalition_ties(_plain(whole)).counts)
    assert "new" in after.groups and "new" not in before.groups
    # the window kept its own tables: its ties still come from them
    own = coalition_ties(_plain(window))
    np.testing.assert_array_equal(coalition_ties(window).counts, own.counts)
