"""Ties within and across movements (``dashboard.model.movements``)."""

from __future__ import annotations

import pytest

from dashboard.model.movements import movement_ei, pair_groups
from dashboard.model.network import NetworkIndex
from dashboard.views.movements import pair_groups_block

from ..util import NAMES, texts


def test_movement_ei(graph):
    ei = movement_ei(NetworkIndex(graph))
    # blm: g1, g2 (g3's primary is queer); ties g1–g2 inside, g1–g3 and g2–g3 across.
    assert ei["blm"]["groups"] == 2
    assert ei["blm"]["ties"] == {"internal": 1, "external": 2, "ei": pytest.approx(1 / 3)}
    assert ei["blm"]["joint_actions"] == {"internal": 1, "external": 1, "ei": 0.0}
    assert ei["labour"]["shared_members"] == {"internal": 0, "external": 0, "ei": None}
    assert ei["labour"]["ties"]["ei"] == 1.0


def test_pair_groups(graph):
    index = NetworkIndex(graph)
    found = pair_groups(index, "blm", "queer")
    assert found["ties"] == 2
    assert found["sides"] == {"blm": [("g1", 1), ("g2", 1)], "queer": [("g3", 2)]}
    members = pair_groups(index, "blm", "queer", tie="shared_members")
    assert members["sides"]["blm"] == [("g2", 1)]
    inside = pair_groups(index, "blm", "blm")
    assert inside == {"ties": 1, "sides": {"blm": [("g1", 1), ("g2", 1)]}}
    block = pair_groups_block(
        found, "blm", "queer", tie="ties", movement_names=NAMES, group_names={"g3": "Rainbow"}
    )
    words = texts(block)
    assert "Black Lives Matter × Queer Liberation: ties" in words
    assert "Rainbow" in words and " · 2 ties" in words
    with pytest.raises(ValueError):
        pair_groups(index, "blm", "queer", tie="friends")
