"""Change over time: calendar periods, ties gained and lost, and equality with one window."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest

from graph.coalition import Coalition, periods
from graph.errors import UsageError
from graph.metrics.trends import (
    TIE_CHANGE_COLUMNS,
    TRENDS_GROUP_COLUMNS,
    TRENDS_PAIR_COLUMNS,
    TRENDS_SUMMARY_COLUMNS,
    links_at_risk,
    rank_course,
    trends,
)
from graph.report import compute_report

FLORENTINE = Path(__file__).parents[1] / "fixtures" / "florentine"


# -- calendar periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until", "every", "expected"),
    [
        (
            "2023-11-15",
            "2024-03-10",
            "month",
            [
                ("2023-11-15", "2023-11-30"),
                ("2023-12-01", "2023-12-31"),
                ("2024-01-01", "2024-01-31"),
                ("2024-02-01", "2024-02-29"),  # a leap year
                ("2024-03-01", "2024-03-10"),
            ],
        ),
        ("2100-02-01", "2100-02-28", "month", [("2100-02-01", "2100-02-28")]),  # not leap
        (
            "2000-02-10",
            "2000-03-05",
            "month",
            [("2000-02-10", "2000-02-29"), ("2000-03-01", "2000-03-05")],
        ),
        (
            "2019-12-31",
            "2020-07-01",
            "quarter",
            [
                ("2019-12-31", "2019-12-31"),
                ("2020-01-01", "2020-03-31"),
                ("2020-04-01", "2020-06-30"),
                ("2020-07-01", "2020-07-01"),
            ],
        ),
        (
            "2018-05-05",
            "2020-12-31",
            "year",
            [
                ("2018-05-05", "2018-12-31"),
                ("2019-01-01", "2019-12-31"),
                ("2020-01-01", "2020-12-31"),
            ],
        ),
        ("2020-01-01", "2020-01-01", "year", [("2020-01-01", "2020-01-01")]),
    ],
)
def test_periods_are_calendar_aligned_and_clipped(since, until, every, expected):
    assert periods(since, until, every) == expected


def test_periods_cover_every_day_once():
    spans = periods("1999-03-17", "2004-11-02", "month")
    assert len(spans) == 10 + 12 * 4 + 11  # March-December 1999, 2000-2003, 2004 to November
    days = 0

    for (_, end), (nxt, _) in zip(spans, spans[1:], strict=False):
        assert date.fromisoformat(end) + timedelta(days=1) == date.fromisoformat(nxt)
    for start, end in spans:
        days += (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    assert days == (date(2004, 11, 2) - date(1999, 3, 17)).days + 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2020-01-01", "2020-12-31", "week"), "unknown period 'week'"),
        (("2021-01-01", "2020-12-31", "year"), "is after"),
        (("2020-13-01", "2020-12-31", "year"), "not a span of ISO dates"),
    ],
)
def test_periods_refuse_nonsense(args, message):
    with pytest.raises(UsageError, match=message):
        periods(*args)


# -- the Florentine families, one marriage a year -----------------------------------------


def _florentine_by_year() -> tuple[Coalition, list[tuple[str, str]]]:
    """Padgett's marriages, the i-th dated in the year 1400 + i (one tie per year)."""
    with open(FLORENTINE / "groups.csv", encoding="utf-8") as fh:
        groups = {
            r["group_id"]: {"name": r["name"], "movements": ["florence"]}
            for r in csv.DictReader(fh)
        }
    families = defaultdict(list)
    with open(FLORENTINE / "memberships.csv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            families[r["member_id"]].append(r["group_id"])
    memberships, marriages = [], []
    for i, (marriage, pair) in enumerate(sorted(families.items())):
        year = 1400 + i
        for family in pair:
            memberships.append((marriage, family, f"{year}-03-01", f"{year}-10-31"))
        marriages.append(tuple(sorted(pair)))
    return Coalition(groups=groups, memberships=memberships), marriages


def test_florentine_one_marriage_a_year():
    c, marriages = _florentine_by_year()
    assert {tuple(sorted(e)) for e in nx.florentine_families_graph().edges} == set(marriages)
    t = trends(c, every="year")
    assert [row["period_start"] for row in t.summary] == [
        f"{1400 + i}-03-01" if i == 0 else f"{1400 + i}-01-01" for i in range(20)
    ]
    assert [row["ties"] for row in t.summary] == [1] * 20
    assert [row["active_groups"] for row in t.summary] == [2] * 20
    assert [row["components"] for row in t.summary] == [1] * 20
    assert all(row["cross_movement_tie_share"] == 0.0 for row in t.summary)
    # one movement, one tie: the movement partition holds everything, modularity 0
    assert all(row["movement_modularity"] == pytest.approx(0.0) for row in t.summary)
    expected = []
    for i in range(1, 20):
        start = f"{1400 + i}-01-01"
        expected.append((start, *marriages[i], "gained", False))
        expected.append((start, *marriages[i - 1], "lost", False))
    assert [tuple(r[c] for c in TIE_CHANGE_COLUMNS) for r in t.changes] == expected
    # each year, the two families of that marriage: degree 1, betweenness 0, rank 1 shared
    for row in t.groups:
        assert (row["degree"], row["betweenness"], row["betweenness_rank"]) == (1, 0.0, 1)
    # the movement pair: one tie, one shared "member" (the marriage) each year
    assert [(r["movement_a"], r["shared_members"], r["ties"]) for r in t.movement_pairs] == [
        ("florence", 1, 1)
    ] * 20


def test_columns_are_the_files():
    c, _ = _florentine_by_year()
    t = trends(c, every="year")
    assert all(tuple(row) == TRENDS_SUMMARY_COLUMNS for row in t.summary)
    assert all(tuple(row) == TRENDS_PAIR_COLUMNS for row in t.movement_pairs)
    assert all(tuple(row) == TRENDS_GROUP_COLUMNS for row in t.groups)
    assert all(tuple(row) == TIE_CHANGE_COLUMNS for row in t.changes)


# -- a hand-built coalition: a tie that appears, lasts and disappears --------------------


def _hand_built() -> Coalition:
    """a-b (blm-queer) share m1 from 15 April 2020 to 31 August 2021; c-d (blm-blm) joined
    one action on 10 January 2020; e (labour) shares a resource with nobody in late 2021;
    f belongs to no movement."""
    groups = {
        "a": {"name": "A", "movements": ["blm"]},
        "b": {"name": "B", "movements": ["queer", "blm"]},
        "c": {"name": "C", "movements": ["blm"]},
        "d": {"name": "D", "movements": ["blm"]},
        "e": {"name": "E", "movements": ["labour"]},
        "f": {"name": "F", "movements": []},
    }
    return Coalition(
        groups=groups,
        memberships=[
            ("m1", "a", "2020-04-15", "2021-08-31"),
            ("m1", "b", "2020-04-15", "2021-08-31"),
        ],
        actions={"x": {"name": "X", "start_date": "2020-01-10", "end_date": None}},
        participations=[("c", "x", "organizer"), ("d", "x", "partner")],
        resources={"r": {"name": "R"}},
        shares=[("e", "r", "provider", "2021-11-01", "2021-11-30")],
    )


def test_a_tie_appears_lasts_and_disappears_by_quarter():
    t = trends(_hand_built(), every="quarter")
    assert [(r["period_start"], r["period_end"], r["ties"]) for r in t.summary] == [
        ("2020-01-10", "2020-03-31", 1),
        ("2020-04-01", "2020-06-30", 1),
        ("2020-07-01", "2020-09-30", 1),
        ("2020-10-01", "2020-12-31", 1),
        ("2021-01-01", "2021-03-31", 1),
        ("2021-04-01", "2021-06-30", 1),
        ("2021-07-01", "2021-09-30", 1),
        ("2021-10-01", "2021-11-30", 0),
    ]
    assert [tuple(r[c] for c in TIE_CHANGE_COLUMNS) for r in t.changes] == [
        ("2020-04-01", "a", "b", "gained", True),
        ("2020-04-01", "c", "d", "lost", False),
        ("2021-10-01", "a", "b", "lost", True),
    ]
    first, second, last = t.summary[0], t.summary[1], t.summary[-1]
    # c organised, d showed up: one event within blm, none across movements
    assert first["solidarity_reciprocity"] is None and first["cross_movement_tie_share"] == 0.0
    assert second["cross_movement_tie_share"] == 1.0
    # a-b in blm and queer: (0 - (1/2)^2) * 2 = -0.5; Louvain puts them together: 0.0
    assert second["movement_modularity"] == pytest.approx(-0.5)
    assert second["louvain_modularity"] == pytest.approx(0.0)
    # a period with no ties: the undefined figures are empty, the counts zero
    assert last == {
        "period_start": "2021-10-01",
        "period_end": "2021-11-30",
        "active_groups": 0,
        "ties": 0,
        "cross_movement_tie_share": None,
        "movement_modularity": None,
        "louvain_modularity": None,
        "components": 0,
        "solidarity_reciprocity": None,
    }
    assert [
        (r["period_start"], r["movement_a"], r["movement_b"], r["ties"]) for r in t.movement_pairs
    ][:2] == [
        ("2020-01-10", "blm", "blm", 1),
        ("2020-04-01", "blm", "queer", 1),
    ]


def test_a_membership_spans_many_months():
    t = trends(_hand_built(), every="month", since="2020-01-01", until="2021-12-31")
    assert len(t.summary) == 24
    ties = {r["period_start"][:7]: r["ties"] for r in t.summary}
    with_ab = [m for m, n in ties.items() if n and m >= "2020-04"]
    assert with_ab == [f"2020-{m:02}" for m in range(4, 13)] + [f"2021-{m:02}" for m in range(1, 9)]
    assert ties["2020-01"] == 1 and ties["2020-02"] == 0 and ties["2021-09"] == 0
    # gained in April 2020, lost in September 2021, and nothing in between
    assert [
        (r["period_start"], r["group_a"], r["change"]) for r in t.changes if r["group_a"] == "a"
    ] == [
        ("2020-04-01", "a", "gained"),
        ("2021-09-01", "a", "lost"),
    ]


def test_no_dates_needs_a_span():
    c = Coalition(groups={"a": {"name": "A", "movements": []}})
    with pytest.raises(UsageError, match="no membership, action or share has a date"):
        trends(c, every="year")
    assert len(trends(c, every="year", since="2020-01-01", until="2021-06-30").summary) == 2


def test_span_beyond_the_data_is_refused():
    with pytest.raises(UsageError, match="the data's dates run from 2020-01-10 to 2021-11-30"):
        trends(_hand_built(), every="year", since="2030-01-01")


# -- reading the result -------------------------------------------------------------------


def test_links_at_risk_and_rank_course():
    t = trends(_hand_built(), every="quarter", until="2021-09-30")
    rows = [*t.movement_pairs]
    rows.append(
        {"period_start": "2020-07-01", "movement_a": "blm", "movement_b": "labour", "ties": 2}
    )
    rows.append(
        {"period_start": "2021-07-01", "movement_a": "blm", "movement_b": "labour", "ties": 1}
    )
    assert links_at_risk(rows) == [
        {
            "movement_a": "blm",
            "movement_b": "labour",
            "ties_now": 1,
            "ties_before": 2,
            "peak_start": "2020-07-01",
        }
    ]
    course = rank_course(t.groups, top=1, extra=["c"])
    assert course == {
        "a": [(start, 1) for start, _ in t.periods[1:7]],
        "c": [("2020-01-10", 1)],
    }


# -- equality with one window ------------------------------------------------------------


@pytest.mark.store
@pytest.mark.parametrize(
    ("exact_max", "weights", "movements"),
    [
        (10_000, None, None),
        (20, None, None),
        (10_000, {"members": 2.0, "actions": 0.5, "resources": 0.0}, ["blm", "housing"]),
    ],
    ids=["exact", "sampled", "weights-and-movements"],
)
def test_each_period_equals_its_own_window(sample_store, exact_max, weights, movements):
    """Every figure of every yearly period equals compute_report of that window (what
    ``coalition metrics --since --until [--weights] [--movement]`` writes), exact and
    sampled betweenness."""
    from graph.read import read_coalition

    c = read_coalition(sample_store)
    t = trends(
        c,
        every="year",
        since="2017-01-01",
        exact_max=exact_max,
        samples=15,
        weights=weights,
        movements=movements,
    )
    assert len(t.summary) >= 8
    assert t.betweenness_mode == ("exact" if exact_max > 1000 else "sampled")
    groups = defaultdict(dict)
    for row in t.groups:
        groups[row["period_start"]][row["group_id"]] = row
    pairs = defaultdict(dict)
    for row in t.movement_pairs:
        pairs[row["period_start"]][(row["movement_a"], row["movement_b"])] = row
    for summary in t.summary:
        start, end = summary["period_start"], summary["period_end"]
        report = compute_report(
            c.window(start, end),
            exact_max=exact_max,
            samples=15,
            weights=weights,
            movements=movements,
        )
        s = report.summary
        assert summary["ties"] == s["ties"]
        for key in (
            "cross_movement_tie_share",
            "movement_modularity",
            "louvain_modularity",
            "solidarity_reciprocity",
        ):
            assert summary[key] == pytest.approx(s[key], abs=1e-12), (start, key)
        active = [r for r in report.groups if r["degree"] > 0]
        assert summary["active_groups"] == len(active)
        isolated = len(report.groups) - len(active)
        assert summary["components"] == s["components"] - isolated
        assert set(groups[start]) == {r["group_id"] for r in active}
        for r in active:
            mine = groups[start][r["group_id"]]
            assert mine["degree"] == r["degree"]
            assert mine["betweenness"] == pytest.approx(r["betweenness"], rel=1e-9, abs=1e-12)
            assert mine["participation"] == pytest.approx(r["participation"], abs=1e-12)
            assert mine["brokerage_liaison"] == r["brokerage_liaison"]
            better = sum(1 for o in active if o["betweenness"] > r["betweenness"] + 1e-12)
            assert mine["betweenness_rank"] == 1 + better
        expected = {(m["movement_a"], m["movement_b"]): m for m in report.matrix if m["ties"] > 0}
        assert set(pairs[start]) == set(expected)
        for key, m in expected.items():
            assert {k: pairs[start][key][k] for k in TRENDS_PAIR_COLUMNS[3:]} == {
                k: m[k] for k in TRENDS_PAIR_COLUMNS[3:]
            }


@pytest.mark.store
def test_worker_processes_give_the_same_rows(sample_store):
    """Betweenness handed to worker processes (while later periods are built) equals the
    one computed in this process, period by period and in the same order."""
    from graph.read import read_coalition

    c = read_coalition(sample_store)
    here = trends(c, every="year", since="2019-01-01", workers=1)
    done = []
    pooled = trends(
        c, every="year", since="2019-01-01", workers=2, progress=lambda i, n, p: done.append(i)
    )
    assert done == list(range(1, len(here.periods) + 1))
    assert pooled.summary == here.summary
    assert [(r["period_start"], r["group_id"], r["betweenness_rank"]) for r in pooled.groups] == [
        (r["period_start"], r["group_id"], r["betweenness_rank"]) for r in here.groups
    ]
    for a, b in zip(pooled.groups, here.groups, strict=True):
        assert a["betweenness"] == pytest.approx(b["betweenness"], abs=1e-12)
