"""The brokers page's views: the grid of group metrics and the members bridging movements."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from dash import html

from dashboard.views.tables import notice, simple_table
from graph.privacy import SUPPRESS_BELOW, count_text

__all__ = [
    "BROKER_COLUMNS",
    "broker_rows",
    "broker_columns",
    "sampling_note",
    "bridging_block",
    "bridging_pairs_table",
]


#: Grid columns: (field, header, numeric, digits, explanation).
BROKER_COLUMNS: tuple[tuple[str, str, bool, int, str], ...] = (
    ("group_id", "Id", False, 0, "Group id"),
    ("name", "Group", False, 0, "Group name"),
    ("primary_movement", "Primary movement", False, 0, "First movement listed"),
    ("movements", "Movements", False, 0, "All movements of the group"),
    ("members", "Members", False, 0, "Members in the window (under 5 shown as <5)"),
    ("degree", "Degree", True, 0, "Tied groups"),
    ("strength", "Strength", True, 1, "Sum of tie weights"),
    ("betweenness", "Betweenness", True, 4, "Share of shortest paths through the group"),
    ("closeness", "Closeness", True, 4, "Inverse mean distance to the others"),
    ("pagerank", "PageRank", True, 4, "Weighted PageRank"),
    ("eigenvector", "Eigenvector", True, 4, "Weighted eigenvector centrality"),
    ("constraint", "Constraint", True, 4, "Burt's constraint (low = spans holes)"),
    ("effective_size", "Effective size", True, 2, "Burt's effective size"),
    ("participation", "Participation", True, 4, "Spread of ties across movements (0–1)"),
    ("ei_index", "E–I index", True, 4, "(external − internal) / all ties"),
    ("brokerage_coordinator", "Coordinator", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_consultant", "Consultant", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_representative", "Representative", True, 0, "Gould–Fernandez brokerage"),
    ("brokerage_liaison", "Liaison", True, 0, "Gould–Fernandez brokerage"),
    ("community", "Community", True, 0, "Louvain community"),
    ("articulation_point", "Cut point", False, 0, "Its departure disconnects others"),
)


def broker_rows(
    groups: Iterable[Mapping[str, Any]],
    *,
    counts: Mapping[str, Mapping[str, int]],
    movement_names: Mapping[str, str],
    threshold: int = SUPPRESS_BELOW,
) -> list[dict]:
    """Grid rows of the brokers table: metric rows with names, rounding and suppressed counts."""
    rows = []
    for g in groups:
        gid = g["group_id"]
        movements = g.get("movements") or []
        if isinstance(movements, str):
            movements = [m for m in movements.split(";") if m]
        primary = g.get("primary_movement")
        row: dict[str, Any] = {
            "group_id": gid,
            "name": g.get("name") or gid,
            "primary_movement": movement_names.get(primary, primary) if primary else "",
            "movements": "; ".join(movement_names.get(m, m) for m in movements),
            "members": count_text(counts.get(gid, {}).get("members", 0), threshold),
            "articulation_point": "yes" if g.get("articulation_point") else "no",
        }
        for field, _header, numeric, digits, _help in BROKER_COLUMNS:
            if not numeric:
                continue
            value = g.get(field)
            if isinstance(value, float):
                value = None if math.isnan(value) or math.isinf(value) else round(value, digits)
            row[field] = value
        rows.append(row)
    return rows


def broker_columns() -> list[dict]:
    """AG Grid column definitions of the brokers table (cells render as text)."""
    cols = []
    for field, header, numeric, _digits, explanation in BROKER_COLUMNS:
        col: dict[str, Any] = {
            "field": field,
            "headerName": header,
            "headerTooltip": explanation,
            "filter": "agNumberColumnFilter" if numeric else "agTextColumnFilter",
        }
        if numeric:
            col["type"] = "numericColumn"
        if field == "betweenness":
            col["sort"] = "desc"  # brokers first
        if field == "name":
            col["pinned"] = "left"
            col["minWidth"] = 220
        if field == "members":
            col["comparator"] = {"function": "coalitionCountComparator"}
            col["type"] = "numericColumn"
        cols.append(col)
    return cols


def sampling_note(summary: Mapping[str, Any]) -> html.Div | None:
    """A notice when betweenness was estimated from sampled sources (a large network), else None."""
    if summary.get("betweenness_mode") != "sampled":
        return None
    return notice(
        f"Betweenness is estimated from {summary.get('betweenness_samples')} "
        "sampled sources (the network is large).",
        kind="info",
    )


def bridging_block(
    bridging: int,
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    threshold: int = SUPPRESS_BELOW,
) -> list:
    """How many members bridge movements, and the table per pair of movements (counts only)."""
    total = count_text(bridging, threshold)
    return [
        html.P(
            f"{total} members are in groups of two or more movements.",
            className="status",
            **{"data-bridging": total},
        ),
        bridging_pairs_table(matrix, movement_names, threshold=threshold),
    ]


def bridging_pairs_table(
    matrix: Iterable[Mapping[str, Any]],
    movement_names: Mapping[str, str],
    *,
    threshold: int = SUPPRESS_BELOW,
) -> html.Table:
    """Members bridging each pair of movements, as counts only (small ones as ``"<5"``).

    A member bridges two movements when they belong to a group of each
    (primary movements). Never a name: only how many.
    """
    pairs = [
        r for r in matrix if r.get("movement_a") != r.get("movement_b") and r.get("shared_members")
    ]
    pairs.sort(key=lambda r: (-r["shared_members"], r["movement_a"], r["movement_b"]))
    return simple_table(
        ["Movement", "Movement", "Members in groups of both"],
        [
            [
                movement_names.get(r["movement_a"], r["movement_a"]),
                movement_names.get(r["movement_b"], r["movement_b"]),
                count_text(r["shared_members"], threshold),
            ]
            for r in pairs
        ],
        numeric={2},
        caption="Bridging members per pair of movements — counts only, never names; "
        f"counts under {threshold} read “<{threshold}”",
    )
