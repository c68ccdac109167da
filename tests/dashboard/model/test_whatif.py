"""What breaks when groups leave (``dashboard.model.whatif``)."""

from __future__ import annotations

import pytest

from dashboard.model import whatif as model
from dashboard.model.network import NetworkIndex
from graph.errors import NotFound

from ..util import random_coalition_graph


@pytest.mark.parametrize(
    "remove",
    [["g001"], ["g001", "g002", "g003"], [f"g{i:03d}" for i in range(0, 60, 2)], []],
)
def test_whatif_agrees_with_graph_metrics(remove):
    from graph.metrics import whatif

    G = random_coalition_graph(p=0.05)
    G.add_node("lonely", name="Lonely", movements=[], primary_movement=None)
    index = NetworkIndex(G)
    for gone in (remove, list(G)):
        ours, reference = model.whatif(index, gone), whatif(G, gone)
        for key in ("fragmentation_before", "fragmentation_after"):
            assert ours.pop(key) == pytest.approx(reference.pop(key))
        assert ours == reference
    with pytest.raises(NotFound, match="'nope'"):
        model.whatif(index, ["g001", "nope"])
