"""Fixtures of the dashboard tests: a small hand-built coalition."""

from __future__ import annotations

import networkx as nx
import pytest

from graph.coalition import Coalition
from graph.projection import coalition_graph

from .util import EVIL


@pytest.fixture
def coalition() -> Coalition:
    """Six groups in three movements.

    g1–g2 share 6 members (shown as 6), g2–g3 share 1 (shown as <5), g3–g4
    share 1; a1 ties g1 and g3 across movements (2019), a2 ties g1 and g2
    within one (2021); r1 ties g4 and g5; g6 is isolated.
    """
    movements = {
        "blm": {"name": "Black Lives Matter", "description": None},
        "queer": {"name": "Queer Liberation", "description": None},
        "labour": {"name": EVIL, "description": None},
    }
    groups = {
        "g1": {"name": "Northside Defenders", "movements": ["blm"], "city": "Riverton"},
        "g2": {"name": "Justice Kitchen", "movements": ["blm"]},
        "g3": {"name": "Rainbow Bridge", "movements": ["queer", "blm"]},
        "g4": {"name": "Trans Care Network", "movements": ["queer"]},
        "g5": {"name": EVIL, "movements": ["labour"]},
        "g6": {"name": "Quiet Tenants", "movements": ["labour"]},
    }
    memberships = [(f"m{i}", g, "2018-01-01", None) for i in range(6) for g in ("g1", "g2")]
    memberships += [
        ("m10", "g2", None, None),
        ("m10", "g3", None, None),
        ("m11", "g3", "2020-01-01", "2020-12-31"),
        ("m11", "g4", "2020-01-01", "2020-12-31"),
        ("m12", "g6", None, None),
    ]
    actions = {
        "a1": {"id": "a1", "name": "March", "type": "protest", "start_date": "2019-05-01"},
        "a2": {"id": "a2", "name": "Kitchen", "type": "mutual_aid", "start_date": "2021-03-01"},
        "a3": {"id": "a3", "name": "Solo", "type": "campaign", "start_date": "2021-07-01"},
    }
    participations = [
        ("g1", "a1", "organizer"),
        ("g3", "a1", "partner"),
        ("g1", "a2", "organizer"),
        ("g2", "a2", "partner"),
        ("g5", "a3", "organizer"),
    ]
    resources = {"r1": {"id": "r1", "name": "Hall", "type": "space"}, "r2": {"id": "r2"}}
    shares = [
        ("g4", "r1", "provider", None, None),
        ("g5", "r1", "recipient", None, None),
        ("g6", "r2", "provider", None, None),
    ]
    return Coalition(
        movements=movements,
        groups=groups,
        member_count=9,
        memberships=memberships,
        actions=actions,
        participations=participations,
        resources=resources,
        shares=shares,
    )


@pytest.fixture
def graph(coalition) -> nx.Graph:
    return coalition_graph(coalition)
