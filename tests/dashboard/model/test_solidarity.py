"""What is behind a flow of support (``dashboard.model.solidarity``)."""

from __future__ import annotations

import itertools
import random

from dashboard.model.solidarity import FlowIndex, flow_items, solidarity_of
from graph.coalition import Coalition

ROLES = ["organizer", "partner", "endorser", "participant", ""]
SHARE_ROLES = ["provider", "recipient", "co_steward"]


def _random_coalition(seed: int) -> Coalition:
    rng = random.Random(seed)
    movements = ["housing", "labour", "climate", "care"]
    groups = {
        f"g{i:02d}": {"movements": rng.sample(movements, rng.randint(0, 2))} for i in range(30)
    }
    actions = {
        f"a{i:02d}": {
            "name": f"Action {i}",
            "start_date": rng.choice([None, "2023-01-05", f"2024-0{i % 9 + 1}-01"]),
        }
        for i in range(25)
    }
    resources = {
        f"r{i:02d}": {"name": f"Fund {i}", "type": rng.choice([None, "money"])} for i in range(15)
    }
    participations = [
        (g, a, rng.choice(ROLES))
        for a in actions
        for g in rng.sample(sorted(groups), rng.randint(1, 6))
    ]
    shares = [
        (
            g,
            r,
            rng.choice(SHARE_ROLES),
            rng.choice([None, "", "2022-03-01", f"2021-1{i % 3}-15"]),
            None,
        )
        for i, r in enumerate(resources)
        for g in rng.sample(sorted(groups), rng.randint(1, 5))
    ]
    return Coalition(
        movements={m: {"name": m.title()} for m in movements},
        groups=groups,
        actions=actions,
        participations=participations,
        resources=resources,
        shares=shares,
    )


def _by_definition(c: Coalition, a: str, b: str) -> list[dict]:
    """DESIGN.md's rule, item by item: who showed up for (or supported) whom from a to b."""
    primary = {g: c.primary_movement(g) for g in c.groups}
    rows = []
    for kind, table, records, giving, receiving in (
        (
            "show_up",
            c.participations,
            c.actions,
            {"partner", "endorser", "participant"},
            {"organizer"},
        ),
        ("resources", c.shares, c.resources, {"provider"}, {"recipient"}),
    ):
        for item in sorted({row[1] for row in table}):
            givers = [row[0] for row in table if row[1] == item and row[2] in giving]
            receivers = [row[0] for row in table if row[1] == item and row[2] in receiving]
            pairs = [
                (g, r)
                for g, r in itertools.product(givers, receivers)
                if g != r and primary[g] == a and primary[r] == b
            ]
            if not pairs:
                continue
            if kind == "show_up":
                date = records[item].get("start_date")
            else:
                starts = [row[3] for row in table if row[1] == item and row[3]]
                date = min(starts) if starts else None
            rows.append(
                {
                    "kind": kind,
                    "id": item,
                    "name": records[item]["name"],
                    "type": records[item].get("type"),
                    "date": date,
                    "events": len(pairs),
                    "givers": sorted({g for g, _ in pairs}),
                    "receivers": sorted({r for _, r in pairs}),
                }
            )
    return sorted(rows, key=lambda r: (r["date"] or "", r["id"]), reverse=True)


def test_the_items_behind_each_flow_are_those_of_the_definition():
    found = 0
    for seed in range(4):
        c = _random_coalition(seed)
        solidarity = solidarity_of(c)
        index = FlowIndex(solidarity, c)
        cells = list(itertools.product(sorted(c.movements), repeat=2))
        for a, b in cells:
            expected = _by_definition(c, a, b)
            found += len(expected)
            assert flow_items(solidarity, c, a, b, index=index) == expected
            assert flow_items(solidarity, c, a, b) == expected
    assert found > 40  # the random coalitions do have flows


def test_a_flow_among_some_movements_keeps_their_groups_only():
    c = Coalition(
        groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["care", "housing"]}},
        actions={"a1": {"name": "Rent strike", "start_date": "2024-05-01"}},
        participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")],
        resources={"r1": {"name": "Van"}},
        shares=[("g1", "r1", "provider", "2024-02-01"), ("g2", "r1", "recipient", "2023-01-01")],
    )
    everyone = solidarity_of(c)
    assert [(r["id"], r["date"]) for r in flow_items(everyone, c, "housing", "care")] == [
        ("r1", "2023-01-01")
    ]
    only_housing = solidarity_of(c, ["g1"])
    assert flow_items(only_housing, c, "care", "housing") == []
    assert FlowIndex(only_housing, c).events == {}
