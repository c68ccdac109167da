"""A member count shown as "<5" cannot be worked out from anything else the dashboard shows.

The test is a difference test: two coalitions that differ only in counts
the dashboard hides (a tie of 1 shared member or of 3; a group of 1 member
or of 3) must give exactly the same answer from every callback, whatever
the filters — the minimum tie weight stepped from 1 up, every size metric
(strength adds shared members up), every group's panel, every matrix.
"""

from __future__ import annotations

import sys
from itertools import combinations

import numpy as np
import plotly.io
import pytest

from dashboard.data import DATA_KEY, CoalitionData
from dashboard.model.network import filter_graph
from dashboard.views.movements import MATRIX_TIES
from dashboard.views.network import SIZE_METRICS
from graph.coalition import Coalition
from graph.privacy import band_ties
from graph.projection import Ties, coalition_graph, coalition_ties
from graph.schema import TIE_BY_SHORT

from .test_app import make_app
from .util import warmed

SECRET = "member-secret-"


def hidden_coalition(shared: int) -> Coalition:
    """g4 and g5 share ``shared`` (1 or 3) members; everything else a viewer sees is equal.

    g1–g2 share 6 members (shown as 6); g4 and g5 have 3 members each, g6 has
    1 or 3; 12 members in all. An action ties g4–g5 too and another g2–g4, a
    resource g5–g6.
    """
    m = [f"{SECRET}{i}" for i in range(1, 7)]
    if shared == 1:
        g4, g5, g6 = m[0:3], [m[0], m[3], m[4]], [m[5]]
    elif shared == 3:
        g4, g5, g6 = m[0:3], m[0:3], m[3:6]
    else:  # pragma: no cover
        raise ValueError(shared)
    others = [f"{SECRET}x{i}" for i in range(6)]
    memberships = [(p, g, None, None) for p in others for g in ("g1", "g2")]
    for gid, people in (("g4", g4), ("g5", g5), ("g6", g6)):
        memberships += [(p, gid, None, None) for p in people]
    return Coalition(
        movements={
            "blm": {"name": "Black Lives Matter"},
            "queer": {"name": "Queer Liberation"},
            "labour": {"name": "Labour"},
        },
        groups={
            "g1": {"name": "Northside Defenders", "movements": ["blm"]},
            "g2": {"name": "Justice Kitchen", "movements": ["blm"]},
            "g4": {"name": "Trans Care Network", "movements": ["queer"]},
            "g5": {"name": "Tenants Union", "movements": ["labour"]},
            "g6": {"name": "Quiet Tenants", "movements": ["labour"]},
        },
        member_count=12,
        memberships=memberships,
        actions={
            "a1": {"id": "a1", "name": "March", "type": "protest", "start_date": "2019-05-01"},
            "a2": {"id": "a2", "name": "Kitchen", "type": "mutual_aid", "start_date": "2021-03-01"},
        },
        participations=[("g4", "a1", "organizer"), ("g5", "a1", "partner")]
        + [("g2", "a2", "organizer"), ("g4", "a2", "partner")],
        resources={"r1": {"id": "r1", "name": "Hall", "type": "space"}},
        shares=[("g5", "r1", "provider", None, None), ("g6", "r1", "recipient", None, None)],
    )


def test_the_two_coalitions_really_differ():
    one, three = coalition_graph(hidden_coalition(1)), coalition_graph(hidden_coalition(3))
    assert one.edges["g4", "g5"]["shared_members"] == 1
    assert three.edges["g4", "g5"]["shared_members"] == 3
    assert one.nodes(data=True) == three.nodes(data=True)


def page(name: str):
    return sys.modules[f"dashboard.pages.{name}"]


def answers() -> list[str]:
    """Every callback's answer, serialised, over a grid of inputs."""
    network = page("network")
    out = [
        page("overview").render(None, None),
        page("brokers").render(None, None),
        page("brokers").bridging(None, None),
    ]
    for ties in (["members"], ["members", "actions"], list(TIE_BY_SHORT)):
        for weight in range(1, 8):
            for size in SIZE_METRICS:
                out.append(network.render([], ties, weight, None, None, "", size, None, 1))
            for view in ("movements", "points"):
                out.append(
                    network.render([], ties, weight, None, None, "", "strength", None, 1, view)
                )
    for gid in ("g1", "g2", "g4", "g5", "g6"):
        out.append(network.show_detail({"id": gid}, None, None, None))
        out.append(network.render([], list(TIE_BY_SHORT), 1, None, None, "", "degree", gid, 2))
        out.append(page("whatif").render([gid], None, None))
    for mid in ("blm", "queer", "labour"):
        node = {"id": f"movement:{mid}", "kind": "movement", "movement_id": mid}
        out.append(network.show_detail(node, None, None, None))
    for a, b in combinations(("g1", "g2", "g4", "g5", "g6"), 2):
        out.append(page("paths").render(a, b, None, None))
    for tie in MATRIX_TIES:
        out.append(page("movements").render(tie, None, None))
        names = ("Black Lives Matter", "Queer Liberation", "Labour", "Queer Liberation")
        for a, b in combinations(names, 2):
            click = {"points": [{"y": a, "x": b}]}
            out.append(page("movements").render(tie, None, None, click))
    out.append(page("timeline").render("year", [], None, None))
    for year in ("2019", "2021"):
        out.append(page("timeline").render("year", [], None, None, None, None, year))
    return [plotly.io.json.to_json_plotly(item).replace("\\u003c", "<") for item in out]


@pytest.mark.parametrize("threshold", [5, 4])
def test_hidden_counts_leave_no_trace_in_any_answer(threshold):
    app = make_app(data=warmed(CoalitionData.from_coalition(hidden_coalition(1))))
    seen = []
    for shared in (1, 3):
        app.server.config[DATA_KEY] = warmed(
            CoalitionData.from_coalition(hidden_coalition(shared), suppress_below=threshold)
        )
        with app.server.test_request_context():
            seen.append(answers())
    one, three = seen
    assert len(one) == len(three) > 100
    different = [i for i, (a, b) in enumerate(zip(one, three, strict=True)) if a != b]
    assert different == []
    assert all(SECRET not in text for text in one + three)
    # ...and the counts that are not hidden are shown exactly.
    assert any("6 shared members" in text for text in one)
    assert any(f"<{threshold} shared members" in text for text in one)


def test_a_threshold_under_the_count_shows_it():
    # With a threshold of 3, a tie of 3 shared members is no secret: the answers differ.
    app = make_app(data=warmed(CoalitionData.from_coalition(hidden_coalition(1))))
    seen = []
    for shared in (1, 3):
        app.server.config[DATA_KEY] = warmed(
            CoalitionData.from_coalition(hidden_coalition(shared), suppress_below=3)
        )
        with app.server.test_request_context():
            seen.append(page("network").show_detail({"id": "g4"}, None, None, None))
    texts = [plotly.io.json.to_json_plotly(panel).replace("\\u003c", "<") for panel in seen]
    assert "<3 shared members" in texts[0] and "3 shared members" in texts[1]


def test_stepping_the_minimum_weight_with_only_shared_members():
    """The known gap: members-only ties filtered by minimum weight gave the counts away."""
    G = band_ties(coalition_ties(hidden_coalition(3)), 5).graph()
    shown = {w: set(filter_graph(G, ties=["members"], min_weight=w).edges()) for w in range(1, 8)}
    small, large = ("g4", "g5"), ("g1", "g2")
    assert all(large in edges for w, edges in shown.items() if w <= 6)
    assert large not in shown[7]
    # The small tie is there at 1 and gone from 2: nothing between 1 and 4 tells 1 from 3.
    assert small in shown[1] or small[::-1] in shown[1]
    assert not any(small in shown[w] or small[::-1] in shown[w] for w in range(2, 8))


def test_band_ties():
    ties = Ties(
        ["a", "b", "c", "d"],
        [{}] * 4,
        np.array([0, 1, 2]),
        np.array([1, 2, 3]),
        np.array([[3, 2, 0], [7, 0, 1], [0, 1, 0]]),
        np.array([5.0, 8.0, 1.0]),
    )
    banded = band_ties(ties, 5)
    assert banded.counts[:, 0].tolist() == [1, 7, 0] and banded.weight.tolist() == [3, 8, 1]
    assert ties.counts[0, 0] == 3 and ties.weight[0] == 5  # the input is left as it was


@pytest.mark.parametrize("shared", [1, 3])
@pytest.mark.parametrize("threshold", [2, 3, 5, 6, 7])  # g1-g2 share 6: kept up to 6
def test_band_ties_on_a_coalition(shared, threshold):
    coalition = hidden_coalition(shared)
    plain = coalition_graph(coalition)
    banded = band_ties(coalition_ties(coalition), threshold).graph()
    for pair, members in ((("g1", "g2"), 6), (("g4", "g5"), shared)):
        kept = members if members >= threshold else 1
        assert banded.edges[pair]["shared_members"] == kept
        assert banded.edges[pair]["weight"] == plain.edges[pair]["weight"] - (members - kept)
        assert banded.edges[pair]["joint_actions"] == plain.edges[pair]["joint_actions"]
    # the same ties, only the counts banded
    assert {frozenset(e) for e in banded.edges} == {frozenset(e) for e in plain.edges}
