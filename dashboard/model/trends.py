"""The coalition period by period, as the trends page needs it: measured once, in the background.

:class:`TrendsJob` runs :func:`graph.metrics.trends.trends` over the whole
coalition in a thread of its own and counts the periods done, so the page
can say how far it got instead of freezing; :class:`dashboard.data.CoalitionData`
keeps one per period length and span. :func:`cell_ties` lists the ties behind
one cell of the movement-links heatmap (one period, one pair of movements).
"""

from __future__ import annotations

import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from dashboard.model.snapshot import Pending, in_background
from graph.coalition import Coalition
from graph.metrics.trends import Trends, trends
from graph.projection import Ties, coalition_ties

__all__ = ["TrendsJob", "cell_ties", "period_of"]


class TrendsJob:
    """:func:`graph.metrics.trends.trends` of a coalition, computed in the background.

    Parameters
    ----------
    coalition : Coalition
        The whole coalition (its windows are masks over its link arrays).
    every : {"year", "quarter", "month"}
    since, until : str or None
        The span, clipped as :func:`graph.metrics.trends.trends` clips it.
    seed : int
        Seed of Louvain (and of sampled betweenness).
    """

    def __init__(
        self,
        coalition: Coalition,
        every: str,
        since: str | None,
        until: str | None,
        *,
        seed: int,
    ) -> None:
        self.every = every
        self.done = 0
        self.total: int | None = None
        self.current: str | None = None

        def progress(done: int, total: int, period: tuple[str, str]) -> None:
            self.done, self.total, self.current = done, total, period[0]

        self.future: Future = in_background(
            "trends",
            lambda: trends(
                coalition, every=every, since=since, until=until, seed=seed, progress=progress
            ),
        )

    def result(self, wait: float | None) -> Trends:
        """The measured periods, waiting at most ``wait`` seconds.

        Raises
        ------
        Pending
            While periods are still being measured (the text says how many).
        """
        try:
            return self.future.result(timeout=wait)
        except FutureTimeout:
            seconds = time.monotonic() - self.future.started  # type: ignore[attr-defined]
            done = (
                f"{self.done:,} of {self.total:,} periods measured, up to {self.current}"
                if self.total
                else "reading the periods"
            )
            raise Pending(
                f"Measuring the coalition {self.every} by {self.every}: {done} "
                f"(started {seconds:.0f} s ago). "
                "This page fills in by itself; the result is kept for the next visit."
            ) from None


def cell_ties(
    coalition: Coalition, start: str, end: str, movement_a: str, movement_b: str
) -> list[dict[str, Any]]:
    """The ties between groups of two primary movements in one period.

    Returns
    -------
    list of dict
        ``{"group_a", "group_b", "shared_members", "joint_actions",
        "shared_resources"}`` per tie (``group_a`` in ``movement_a``), sorted
        by group ids. The window is the period's, exactly as the trends
        measured it.
    """
    ties = coalition_ties(coalition.window(start, end))
    primary = [d["primary_movement"] for d in ties.node_data]
    out = []
    for u, v, counts in zip(ties.u.tolist(), ties.v.tolist(), ties.counts.tolist(), strict=True):
        pair = (primary[u], primary[v])
        if pair == (movement_b, movement_a):
            u, v = v, u
        elif pair != (movement_a, movement_b):
            continue
        out.append(
            {
                "group_a": ties.groups[u],
                "group_b": ties.groups[v],
                **dict(zip(Ties.COLUMNS, counts, strict=True)),
            }
        )
    return sorted(out, key=lambda t: (t["group_a"], t["group_b"]))


def period_of(result: Trends, start: Any) -> tuple[str, str] | None:
    """The period of ``result`` that starts on ``start``, or None."""
    return next(((s, e) for s, e in result.periods if s == start), None)
