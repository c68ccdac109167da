"""Ties within and across movements, counted on the :class:`~dashboard.model.network.NetworkIndex`.

Counts of ties (pairs of groups), never of members; groups count under their
primary movement.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboard.model.network import NetworkIndex
from graph.schema import TIE_BY_SHORT, TIE_SHORT

__all__ = ["movement_ei", "pair_groups"]


def movement_ei(index: NetworkIndex) -> dict[str, dict[str, Any]]:
    """Each movement's ties inside and outside, and its E–I index, per tie type.

    For every primary movement: ``groups``, and for each of ``ties`` (any
    tie), ``shared_members``, ``joint_actions`` and ``shared_resources`` (ties
    of that kind) the number of ties between two of its groups (internal,
    ``I``), between one of its groups and a group of another movement
    (external, ``E``) and the E–I index ``(E − I) / (E + I)`` (Krackhardt &
    Stern 1988), None without ties. Ties are pairs of groups, never member
    counts.
    """
    k = len(index.movement_ids)
    pu, pv = index.primary[index.u], index.primary[index.v]
    both = (pu >= 0) & (pv >= 0)
    kinds = {"ties": np.ones(len(index.u), dtype=bool)}
    kinds.update({kind: index.counts[t] > 0 for t, kind in TIE_BY_SHORT.items()})
    groups = np.bincount(index.primary[index.primary >= 0], minlength=k)
    out: dict[str, dict[str, Any]] = {
        m: {"groups": int(groups[i])} for i, m in enumerate(index.movement_ids) if groups[i]
    }
    for kind, mask in kinds.items():
        same = mask & both & (pu == pv)
        cross = mask & both & (pu != pv)
        internal = np.bincount(pu[same], minlength=k)
        external = np.bincount(pu[cross], minlength=k) + np.bincount(pv[cross], minlength=k)
        for i, m in enumerate(index.movement_ids):
            if m not in out:
                continue
            e, n_i = int(external[i]), int(internal[i])
            out[m][kind] = {
                "internal": n_i,
                "external": e,
                "ei": (e - n_i) / (e + n_i) if e + n_i else None,
            }
    return out


def pair_groups(index: NetworkIndex, a: str, b: str, *, tie: str = "ties") -> dict[str, Any]:
    """The groups behind one cell of the movement matrix: who makes the links between a and b.

    Ties of kind ``tie`` (``ties`` for any; else ``shared_members``,
    ``joint_actions`` or ``shared_resources``) between a group of primary
    movement ``a`` and one of ``b`` (for ``a == b``, between two groups of
    ``a``). Returns ``ties`` (how many) and ``sides``: for ``a`` and for
    ``b`` (once when equal), a list of ``(group id, ties)`` with how many of
    those ties each group has, most first. Counts of ties, never of members.
    """
    ca, cb = index.code.get(a, -2), index.code.get(b, -2)
    pu, pv = index.primary[index.u], index.primary[index.v]
    if tie == "ties":
        kind = np.ones(len(index.u), dtype=bool)
    else:
        column = TIE_SHORT.get(tie)
        if column is None:
            raise ValueError(f"unknown tie type {tie!r}")
        kind = index.counts[column] > 0
    mask = kind & (((pu == ca) & (pv == cb)) | ((pu == cb) & (pv == ca)))
    ends = np.concatenate([index.u[mask], index.v[mask]])
    per_group = np.bincount(ends, minlength=len(index.nodes))
    sides: dict[str, list[tuple[str, int]]] = {}
    for movement, code in ((a, ca), (b, cb)):
        if movement in sides:
            continue
        members = np.flatnonzero((per_group > 0) & (index.primary == code))
        order = np.lexsort((members, -per_group[members]))
        sides[movement] = [(index.nodes[i], int(per_group[i])) for i in members[order].tolist()]
    return {"ties": int(mask.sum()), "sides": sides}
