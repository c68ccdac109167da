"""Solidarity flows (graph.metrics.solidarity), on coalitions computed by hand."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.coalition import Coalition
from graph.metrics import (
    group_solidarity,
    solidarity_events,
    solidarity_flows,
    solidarity_pairs,
    solidarity_reciprocity,
)


def kinds(events) -> Counter:
    return Counter(kind for kind, *_ in events)


# -- events ------------------------------------------------------------------------------
def test_two_organizers_and_three_others_give_six_show_ups():
    roles = {"o1": "organizer", "o2": "organizer", "p": "partner", "e": "endorser"}
    parts = [(g, "a", role) for g, role in {**roles, "q": "participant"}.items()]
    events = solidarity_events(parts, [])
    assert len(events) == 6
    assert {(g, r) for _, g, r, _ in events} == {
        (g, o) for g in ("p", "e", "q") for o in ("o1", "o2")
    }
    assert {item for *_, item in events} == {"a"}


def test_no_organizer_and_co_stewards_give_nothing():
    parts = [("x", "a", "partner"), ("y", "a", "participant"), ("z", "a", None)]
    shares = [("c1", "r", "co_steward", None, None), ("c2", "r", "co_steward", None, None)]
    assert solidarity_events(parts, shares) == []


def test_a_provider_and_two_recipients_give_two_support_events():
    shares = [("v", "r", "provider"), ("w1", "r", "recipient"), ("w2", "r", "recipient")]
    assert sorted(solidarity_events([], shares)) == [
        ("resources", "v", "w1", "r"),
        ("resources", "v", "w2", "r"),
    ]


def test_events_only_within_an_item_and_never_to_oneself():
    parts = [
        ("g1", "a", "organizer"),
        ("g2", "b", "partner"),  # b has no organizer: g2 shows up for nobody
        ("g3", "a", "partner"),
    ]
    shares = [("g4", "r", "provider"), ("g4", "s", "recipient"), ("g5", "s", "provider")]
    assert solidarity_events(parts, shares) == [
        ("show_up", "g3", "g1", "a"),
        ("resources", "g5", "g4", "s"),
    ]


def test_groups_restrict_the_events_to_the_groups_kept():
    parts = [("g1", "a", "organizer"), ("g2", "a", "partner"), ("g3", "a", "partner")]
    assert [(g, r) for _, g, r, _ in solidarity_events(parts, [], groups={"g1", "g3"})] == [
        ("g3", "g1")
    ]


def test_a_window_that_cuts_an_action_out_drops_its_events():
    c = Coalition(
        groups={"g1": {"movements": ["blm"]}, "g2": {"movements": ["housing"]}},
        actions={
            "old": {"start_date": "2019-03-01", "end_date": None},
            "new": {"start_date": "2024-03-01", "end_date": None},
        },
        participations=[
            ("g1", "old", "organizer"),
            ("g2", "old", "partner"),
            ("g2", "new", "organizer"),
            ("g1", "new", "participant"),
        ],
        shares=[
            ("g1", "r", "provider", "2018-01-01", "2019-12-31"),
            ("g2", "r", "recipient", None, None),
        ],
    )
    whole = solidarity_events(c.participations, c.shares)
    assert kinds(whole) == {"show_up": 2, "resources": 1}
    w = c.window("2024-01-01", None)
    assert solidarity_events(w.participations, w.shares) == [("show_up", "g1", "g2", "new")]


# -- movements ---------------------------------------------------------------------------
PRIMARY = {"h1": "housing", "h2": "housing", "d1": "disability", "b1": "blm", "n": None}


def test_flows_count_each_ordered_pair_of_movements_self_pairs_included():
    events = [
        ("show_up", "d1", "h1", "a1"),
        ("show_up", "b1", "h1", "a1"),
        ("show_up", "h2", "h1", "a1"),
        ("resources", "d1", "h2", "r1"),
        ("resources", "h1", "d1", "r2"),
        ("show_up", "n", "h1", "a1"),  # no movement: no flow
    ]
    rows = solidarity_flows(events, PRIMARY)
    assert [(r["movement_from"], r["movement_to"], r["show_up"], r["resources"]) for r in rows] == [
        ("blm", "housing", 1, 0),
        ("disability", "housing", 1, 1),
        ("housing", "disability", 0, 1),
        ("housing", "housing", 1, 0),
    ]
    assert all(r["total"] == r["show_up"] + r["resources"] for r in rows)


def test_pairs_exclude_self_pairs_and_sort_by_the_pair():
    flows = solidarity_flows(
        [
            ("show_up", "d1", "h1", "a"),
            ("show_up", "d1", "h2", "a"),
            ("resources", "h1", "d1", "r"),
            ("show_up", "h2", "h1", "a"),
            ("show_up", "b1", "h1", "a"),
        ],
        PRIMARY,
    )
    pairs = solidarity_pairs(flows)
    assert [(p["movement_a"], p["movement_b"]) for p in pairs] == [
        ("blm", "housing"),
        ("disability", "housing"),
    ]
    blm, disability = pairs
    # blm -> housing once, never back: one-way, blm gives
    assert (blm["a_to_b"], blm["b_to_a"], blm["reciprocity"], blm["balance"]) == (1, 0, 0.0, 1.0)
    # disability -> housing twice, housing -> disability once: 2*1/3 and (2-1)/3
    assert disability["reciprocity"] == pytest.approx(2 / 3)
    assert disability["balance"] == pytest.approx(1 / 3)
    # Squartini: (min(1,0) + min(0,1) + min(2,1) + min(1,2)) / (1 + 2 + 1) = 2/4
    assert solidarity_reciprocity(flows) == pytest.approx(0.5)


def test_reciprocity_is_empty_without_events_across_movements():
    within = solidarity_flows([("show_up", "h2", "h1", "a")], PRIMARY)
    assert solidarity_reciprocity(within) is None
    assert solidarity_pairs(within) == []
    assert solidarity_reciprocity([]) is None


def test_balanced_support_has_reciprocity_one():
    flows = solidarity_flows(
        [("show_up", "d1", "h1", "a"), ("resources", "h1", "d1", "r")], PRIMARY
    )
    assert solidarity_reciprocity(flows) == 1.0
    assert solidarity_pairs(flows)[0]["balance"] == 0.0


# -- per group ---------------------------------------------------------------------------
def test_every_group_gets_a_row_and_a_group_without_movement_always_crosses():
    events = [
        ("show_up", "n", "h1", "a"),
        ("show_up", "h2", "h1", "a"),
        ("resources", "d1", "n", "r"),
    ]
    rows = group_solidarity(events, PRIMARY)
    assert list(rows) == list(PRIMARY)
    assert rows["b1"] == {
        "group_id": "b1",
        "show_up_given": 0,
        "show_up_received": 0,
        "resources_given": 0,
        "resources_received": 0,
        "given_across": 0,
        "received_across": 0,
    }
    h1 = rows["h1"]
    assert (h1["show_up_received"], h1["received_across"]) == (2, 1)  # h2 is housing too
    n = rows["n"]
    assert (n["show_up_given"], n["resources_received"]) == (1, 1)
    assert (n["given_across"], n["received_across"]) == (1, 1)


# -- a property: the movement flows add up to the per-group figures ----------------------
GROUPS = [f"g{i}" for i in range(8)]
MOVEMENTS = ["blm", "housing", "labour", None]


@st.composite
def coalitions(draw):
    primary = {g: draw(st.sampled_from(MOVEMENTS)) for g in GROUPS}
    roles = st.sampled_from(["organizer", "partner", "endorser", "participant", None])
    parts = draw(
        st.lists(st.tuples(st.sampled_from(GROUPS), st.sampled_from("abcd"), roles), max_size=25)
    )
    parts = list({(g, a): (g, a, r) for g, a, r in parts}.values())  # one row per group and action
    share_roles = st.sampled_from(["provider", "recipient", "co_steward"])
    shares = draw(
        st.lists(
            st.tuples(st.sampled_from(GROUPS), st.sampled_from("rs"), share_roles), max_size=15
        )
    )
    shares = list({(g, r): (g, r, role) for g, r, role in shares}.values())
    return primary, parts, shares


@settings(max_examples=200, deadline=None)
@given(coalitions())
def test_flows_sum_to_the_per_group_figures(case):
    primary, parts, shares = case
    events = solidarity_events(parts, shares)
    flows = solidarity_flows(events, primary)
    groups = group_solidarity(events, primary)
    moved = [e for e in events if primary[e[1]] is not None and primary[e[2]] is not None]
    for kind in ("show_up", "resources"):
        assert sum(f[kind] for f in flows) == len([e for e in moved if e[0] == kind])
        assert sum(g[f"{kind}_given"] for g in groups.values()) == kinds(events)[kind]
        assert sum(g[f"{kind}_received"] for g in groups.values()) == kinds(events)[kind]
    # what each movement gives to others is what its groups give across, where both ends
    # have a movement
    for m in {m for m in primary.values() if m is not None}:
        given_to_others = sum(
            f["total"] for f in flows if f["movement_from"] == m and f["movement_to"] != m
        )
        across = sum(1 for _, g, r, _ in moved if primary[g] == m and primary[r] != m)
        assert given_to_others == across
    across_total = sum(g["given_across"] for g in groups.values())
    assert across_total == sum(g["received_across"] for g in groups.values())
    assert across_total == sum(
        f["total"] for f in flows if f["movement_from"] != f["movement_to"]
    ) + sum(1 for _, g, r, _ in events if primary[g] is None or primary[r] is None)
