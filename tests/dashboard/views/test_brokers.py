"""The brokers grid and bridging members (``dashboard.views.brokers``)."""

from __future__ import annotations

import json

from dashboard.views.brokers import bridging_pairs_table, broker_columns, broker_rows
from graph.report import compute_report

from ..util import NAMES, texts


def test_broker_rows(coalition, graph):
    report = compute_report(coalition, graph=graph)
    counts = {"g1": {"members": 6}, "g2": {"members": 2}}
    rows = {
        r["group_id"]: r for r in broker_rows(report.groups, counts=counts, movement_names=NAMES)
    }
    assert rows["g1"]["members"] == "6"
    assert rows["g2"]["members"] == "<5"
    assert rows["g3"]["movements"] == "Queer Liberation; Black Lives Matter"
    assert rows["g3"]["primary_movement"] == "Queer Liberation"
    assert rows["g6"]["ei_index"] is None  # undefined stays empty
    assert rows["g6"]["articulation_point"] == "no"
    assert isinstance(rows["g1"]["betweenness"], float)
    fields = [c["field"] for c in broker_columns()]
    assert set(rows["g1"]) == set(fields)
    json.dumps(list(rows.values()))


def test_bridging_pairs_are_counts_only():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "shared_members": 40},
        {"movement_a": "blm", "movement_b": "queer", "shared_members": 3},
        {"movement_a": "blm", "movement_b": "labour", "shared_members": 12},
        {"movement_a": "labour", "movement_b": "queer", "shared_members": 0},
    ]
    rows = [
        [cell.children for cell in row.children]
        for row in bridging_pairs_table(matrix, NAMES).children[-1].children
    ]
    assert rows == [
        ["Black Lives Matter", "Labour", "12"],
        ["Black Lives Matter", "Queer Liberation", "<5"],
    ]


def test_sampling_note_and_bridging_block():
    from dashboard.views.brokers import bridging_block, sampling_note

    assert sampling_note({"betweenness_mode": "exact"}) is None
    note = sampling_note({"betweenness_mode": "sampled", "betweenness_samples": 2560})
    assert "estimated from 2560 sampled sources" in texts(note)[0]
    block = bridging_block(3, [], NAMES)
    assert block[0].children == "<5 members are in groups of two or more movements."
    assert getattr(block[0], "data-bridging") == "<5"
