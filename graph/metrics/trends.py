"""Change over time: the coalition's figures period by period, and the ties gained and lost.

:func:`trends` cuts a span into calendar periods (:func:`graph.coalition.periods`)
and measures each period's coalition graph exactly as a date window
(``coalition metrics --since <first day> --until <last day>``) would: each
period is a mask over the link arrays the coalition builds once
(:meth:`graph.coalition.Coalition.window`), its ties one sparse product per
tie kind (:func:`graph.projection.coalition_ties`), and its figures the same
kernels the metric suite runs, on the same arrays. :func:`links_at_risk` and
:func:`rank_course` read the result.

>>> from graph.coalition import Coalition
>>> c = Coalition(
...     groups={g: {"name": g, "movements": [m]} for g, m in
...             [("a", "blm"), ("b", "queer"), ("c", "blm")]},
...     memberships=[("m1", "a", "2020-01-01", "2021-12-31"),
...                  ("m1", "b", "2020-01-01", "2021-12-31"),
...                  ("m2", "a", "2021-01-01", None), ("m2", "c", "2021-01-01", None)])
>>> t = trends(c, every="year", until="2022-12-31")
>>> [(row["period_start"], row["ties"], row["cross_movement_tie_share"]) for row in t.summary]
[('2020-01-01', 1, 1.0), ('2021-01-01', 2, 0.5), ('2022-01-01', 1, 0.0)]
>>> [(row["period_start"], row["group_a"], row["group_b"], row["change"]) for row in t.changes]
[('2021-01-01', 'a', 'c', 'gained'), ('2022-01-01', 'a', 'b', 'lost')]
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from graph._fast import communities as fast_communities
from graph._fast import movements as fast_movements
from graph._fast import traversals, triangles
from graph._fast.arrays import Arrays
from graph.coalition import PERIODS, Coalition, periods
from graph.errors import UsageError
from graph.metrics._common import DEFAULT_SEED, codes_of
from graph.metrics.centrality import DEFAULT_SAMPLES, EXACT_MAX
from graph.metrics.solidarity import (
    solidarity_events,
    solidarity_flows,
    solidarity_reciprocity,
)
from graph.projection import Ties, coalition_ties
from graph.schema import TIE_SHORT

__all__ = [
    "trends",
    "Trends",
    "links_at_risk",
    "rank_course",
    "TRENDS_SUMMARY_COLUMNS",
    "TRENDS_PAIR_COLUMNS",
    "TRENDS_GROUP_COLUMNS",
    "TIE_CHANGE_COLUMNS",
    "GAINED",
    "LOST",
]

log = logging.getLogger(__name__)

#: The columns of ``trends_summary.csv``: one row per period.
TRENDS_SUMMARY_COLUMNS: tuple[str, ...] = (
    "period_start",
    "period_end",
    "active_groups",
    "ties",
    "cross_movement_tie_share",
    "movement_modularity",
    "louvain_modularity",
    "components",
    "solidarity_reciprocity",
)
#: The columns of ``trends_movement_pairs.csv``: pairs of primary movements with a tie.
TRENDS_PAIR_COLUMNS: tuple[str, ...] = (
    "period_start",
    "movement_a",
    "movement_b",
    "shared_members",
    "joint_actions",
    "shared_resources",
    "ties",
)
#: The columns of ``trends_groups.csv``: the groups with a tie in the period.
TRENDS_GROUP_COLUMNS: tuple[str, ...] = (
    "period_start",
    "group_id",
    "degree",
    "betweenness",
    "betweenness_rank",
    "participation",
    "brokerage_liaison",
)
#: The columns of ``tie_changes.csv``: ties gained and lost from one period to the next.
TIE_CHANGE_COLUMNS: tuple[str, ...] = (
    "period_start",
    "group_a",
    "group_b",
    "change",
    "cross_movement",
)
#: The two values of ``change``.
GAINED, LOST = "gained", "lost"

# The columns of shared items in a movement pair, in the order of the tie kinds.
_SHARED = TRENDS_PAIR_COLUMNS[3:6]


@dataclass
class Trends:
    """What :func:`trends` measures: four tables (lists of row dicts), one per file.

    ``summary``, ``movement_pairs``, ``groups`` and ``changes`` have the
    columns of :data:`TRENDS_SUMMARY_COLUMNS`, :data:`TRENDS_PAIR_COLUMNS`,
    :data:`TRENDS_GROUP_COLUMNS` and :data:`TIE_CHANGE_COLUMNS`, sorted by
    period, then by movements or groups.
    """

    every: str
    periods: list[tuple[str, str]]
    summary: list[dict[str, Any]] = field(default_factory=list)
    movement_pairs: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: How betweenness was computed in every period: ``"exact"`` or ``"sampled"``.
    betweenness_mode: str = "exact"
    betweenness_samples: int | None = None


def trends(
    coalition: Coalition,
    *,
    every: str,
    since: str | None = None,
    until: str | None = None,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
    exact_max: int = EXACT_MAX,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    progress: Callable[[int, int, tuple[str, str]], None] | None = None,
) -> Trends:
    """Measure the coalition period by period.

    Parameters
    ----------
    coalition : graph.coalition.Coalition
        The whole coalition, as :func:`graph.read.read_coalition` reads it.
    every : {"year", "quarter", "month"}
        The length of a period (:func:`graph.coalition.periods`).
    since, until : str, optional
        Clip the span, which otherwise runs from the earliest to the latest
        date in the data (:meth:`graph.coalition.Coalition.span`).
    weights, movements : optional
        As :func:`graph.projection.coalition_graph`.
    exact_max, samples, seed : int, optional
        As :func:`graph.report.compute_report`: betweenness is exact up to
        ``exact_max`` groups and sampled above; ``seed`` also seeds Louvain.
    workers : int or None, optional
        Processes that compute the periods' betweenness while the next
        periods are built; ``None`` uses every CPU once a period is large
        enough to be worth it, 1 never starts a process.
    progress : callable, optional
        Called as ``progress(done, total, (first day, last day))`` after each
        period.

    Returns
    -------
    Trends

    Raises
    ------
    graph.errors.UsageError
        When no record has a date and no span is given, or for an unknown
        period length.

    Notes
    -----
    Each period's figures are those of the coalition graph of its window,
    every group a node: ``active_groups`` (with at least one tie), ``ties``,
    ``cross_movement_tie_share``, both modularities and
    ``solidarity_reciprocity`` equal ``network_summary.json`` of ``coalition
    metrics --since <period_start> --until <period_end>``; ``components``
    counts the components among the active groups (isolated groups left
    out). Per active group, ``degree``, ``betweenness``, ``participation``
    and ``brokerage_liaison`` equal that run's ``group_metrics.csv``;
    ``betweenness_rank`` is 1 for the highest betweenness of the period,
    equal values sharing the best rank. A figure that is undefined in a
    period (the tie share of a period without ties) is ``None``.

    A tie is *gained* in a period when it is there and was not in the
    period before, *lost* when it was there before and is not now; the
    first period has no changes. ``cross_movement`` marks ties between
    groups of different primary movements (a group without one is in a
    movement of its own).
    """
    if every not in PERIODS:
        periods("2000-01-01", "2000-01-01", every)  # raises the one message
    first, last = coalition.span()
    since, until = since or first, until or last
    if since is None or until is None:
        raise UsageError(
            "no membership, action or share has a date: give --since and --until "
            "to measure the coalition over time"
        )
    if since > until:
        raise UsageError(
            f"nothing to measure from {since} to {until}: the data's dates run "
            f"from {first} to {last}"
        )
    spans = periods(since, until, every)
    result = Trends(every=every, periods=spans)
    previous: np.ndarray | None = None
    setup: _Setup | None = None
    pending: deque[_Pending] = deque()
    pool: _Pool = _Pool(workers)
    try:
        for start, end in spans:
            window = coalition.window(start, end)
            ties = coalition_ties(window, weights=weights, movements=movements)
            if setup is None:
                setup = _Setup(coalition, ties)
                k = samples if setup.n > exact_max and samples < setup.n else None
                if k is not None:
                    result.betweenness_mode, result.betweenness_samples = "sampled", k
            keys, waiting = _period(
                result, setup, window, ties, start, end, k=k, seed=seed, pool=pool
            )
            if previous is not None:
                _changes(result, setup, start, previous, keys)
            previous = keys
            pending.append(waiting)
            # finish the periods whose betweenness is in; let a few more wait at most
            while pending and (pending[0].done() or len(pending) > 2 * pool.size):
                pending.popleft().finish(result, progress, len(spans))
        while pending:
            pending.popleft().finish(result, progress, len(spans))
    finally:
        for waiting in pending:
            waiting.cancel()
        pool.close()
    return result


class _Pool:
    """Worker processes for the periods' betweenness, started when a period is large enough.

    ``workers`` as :func:`trends` takes it: ``None`` uses every CPU once a
    period's searches are worth it, 1 never starts a process.
    """

    def __init__(self, workers: int | None) -> None:
        self.workers = workers
        self.size = 1 if workers is None else max(1, workers)
        self.pool = None

    def for_work(self, work: float):
        """The pool to hand ``work`` (searches x arcs) to, or None to search here."""
        if self.pool is None:
            wanted = self.workers
            if wanted is None:
                cpus = traversals.available_cpus()
                wanted = cpus if work > traversals.PARALLEL_WORK / 10 and cpus > 1 else 1
            if wanted <= 1:
                return None
            try:
                self.pool = traversals.worker_pool(wanted)
            except OSError as exc:  # pragma: no cover - no processes on this system
                log.warning("trends workers did not start (%s); computing here", exc)
                self.workers = 1
                return None
            self.size = wanted
        return self.pool

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class _Setup:
    """What every period shares: the groups, their movement codes, link renumbering."""

    def __init__(self, coalition: Coalition, ties: Ties) -> None:
        self.groups = ties.groups
        self.n = len(ties.groups)
        primary = [d["primary_movement"] for d in ties.node_data]
        self.primary = dict(zip(ties.groups, primary, strict=True))
        # as movement_codes: a group without a movement is in one of its own
        self.codes = codes_of(
            ("movement", m) if m is not None else ("none", g)
            for g, m in zip(ties.groups, primary, strict=True)
        )
        self.movements = sorted({m for m in primary if m is not None})
        position = {m: i for i, m in enumerate(self.movements)}
        self.matrix_codes = np.array(
            [position[m] if m is not None else -1 for m in primary], dtype=np.int64
        )
        incidence = coalition._links()[0]
        index = {g: i for i, g in enumerate(ties.groups)}
        self.renumber = np.array(
            [index.get(g, -1) for g in incidence.groups] + [-1], dtype=np.int64
        )  # [-1]: a link to a group not in the table stays out


def _period(
    result: Trends,
    setup: _Setup,
    window: Coalition,
    ties: Ties,
    start: str,
    end: str,
    *,
    k: int | None,
    seed: int,
    pool: _Pool,
) -> tuple[np.ndarray, _Pending]:
    """Add one period's figures to ``result``; return its ties as sorted keys ``u * n + v``
    and the period's group rows to come (:class:`_Pending`)."""
    arrays = ties.arrays()
    codes = setup.codes
    n = setup.n
    degree = arrays.degree
    active = degree > 0
    count = len(ties.u)
    crossing = int(np.count_nonzero(codes[ties.u] != codes[ties.v]))
    louvain_q = None
    if count and arrays.matrix.data.sum() > 0:
        louvain_q = fast_communities.modularity(arrays, fast_communities.louvain(arrays, seed=seed))
    components = int(arrays.components.max(initial=-1)) + 1 - int(np.count_nonzero(~active))
    flows = solidarity_flows(
        solidarity_events(window.participations, window.shares, groups=setup.primary),
        setup.primary,
    )
    result.summary.append(
        {
            "period_start": start,
            "period_end": end,
            "active_groups": int(np.count_nonzero(active)),
            "ties": count,
            "cross_movement_tie_share": crossing / count if count else None,
            "movement_modularity": fast_communities.modularity(arrays, codes),
            "louvain_modularity": louvain_q,
            "components": components,
            "solidarity_reciprocity": solidarity_reciprocity(flows),
        }
    )
    result.movement_pairs.extend(_pairs(setup, window, ties, start))
    waiting = _Pending(start, setup, arrays, codes, k=k, seed=seed, pool=pool)
    log.debug("trends: %s to %s: %d ties", start, end, count)
    return ties.u.astype(np.int64) * n + ties.v, waiting


class _Pending:
    """A period whose betweenness is being computed; its group rows follow when it is in.

    Exact betweenness searches only from the groups with a tie (an isolated
    group lies on no path and reaches none) on the graph of those groups,
    and is scaled to the whole graph's ``(n - 1)(n - 2)`` as
    :func:`graph.metrics.betweenness` scales it. Sampled betweenness draws
    its sources among every group, as the suite does, so it runs on the
    whole graph.
    """

    def __init__(self, start, setup, arrays, codes, *, k, seed, pool) -> None:
        self.start = start
        self.groups = setup.groups
        self.degree = degree = arrays.degree
        self.places = places = np.flatnonzero(degree > 0)
        self.job = None
        if not len(places):
            return
        self.participation = fast_movements.participation(arrays, codes)
        self.liaison = triangles.brokerage(arrays, codes)[:, triangles.ROLES.index("liaison")]
        n = arrays.n
        # the searches run on the groups in movement order, best connected first
        # (a batch of searches overlaps); the graph is built once in that order
        self.back = None
        if k is None:
            active = len(places)
            order = np.lexsort((-degree[places], codes[places]))
            self.back = np.empty(active, dtype=np.int64)  # place j is searched as back[j]
            self.back[order] = np.arange(active)
            renumber = np.full(n, -1, dtype=np.int64)
            renumber[places] = self.back
            u, v, _ = arrays.edges
            work = Arrays.from_edges(active, renumber[u], renumber[v])
            order = None
            # networkx scales by (n - 1)(n - 2) when n > 2 (else leaves the sums as they are)
            whole = (n - 1) * (n - 2) if n > 2 else 1
            self.scale = ((active - 1) * (active - 2) if active > 2 else 1) / whole
        else:
            work, self.scale = arrays, 1.0
            order = np.lexsort((-work.degree, codes))
        searches = len(places) if k is None else k
        shares = pool.for_work(searches * (2 * len(work.edges[0]) + work.n))
        self.job = traversals.traversals(
            work,
            samples=k,
            seed=seed,
            workers=pool.size if shares is not None else 1,
            closeness=False,
            order=order,
            pool=shares,
        )
        self.whole = k is not None

    def done(self) -> bool:
        return self.job is None or self.job.done()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def finish(self, result: Trends, progress, total: int) -> None:
        """Add this period's group rows to ``result`` and report progress."""
        if self.job is not None:
            between = self.job.betweenness() * self.scale
            if self.back is not None:
                between = between[self.back]
            if self.job.worker_peaks_mb:
                log.debug("trends: worker peak memory %s MB", self.job.worker_peaks_mb)
            if self.whole:
                between = between[self.places]
            rank = _ranks(np.round(between, 12))  # equal up to rounding: one rank
            for j, (i, r) in enumerate(zip(self.places.tolist(), rank.tolist(), strict=True)):
                p = float(self.participation[i])
                result.groups.append(
                    {
                        "period_start": self.start,
                        "group_id": self.groups[i],
                        "degree": int(self.degree[i]),
                        "betweenness": float(between[j]),
                        "betweenness_rank": r,
                        "participation": None if p != p else p,
                        "brokerage_liaison": int(self.liaison[i]),
                    }
                )
        if progress is not None:
            done = next(i for i, (first, _) in enumerate(result.periods, 1) if first == self.start)
            progress(done, total, result.periods[done - 1])


def _ranks(scores: np.ndarray) -> np.ndarray:
    """1 for the highest score; equal scores share the best rank (1, 2, 2, 4)."""
    descending = np.sort(-scores)
    return 1 + np.searchsorted(descending, -scores, side="left")


def _pairs(setup: _Setup, window: Coalition, ties: Ties, start: str) -> list[dict[str, Any]]:
    """The movement pairs with at least one tie in the period, as ``movement_matrix`` counts."""
    size = len(setup.movements)
    if not size or not len(ties.u):
        return []
    codes = setup.matrix_codes
    incidence, since, until = window._links()
    tables = []
    for kind in TIE_SHORT.values():
        places, items, _ = incidence.links(kind, since, until)
        groups = setup.renumber[places]
        keep = groups >= 0
        keep[keep] = codes[groups[keep]] >= 0
        tables.append(
            fast_movements.shared_item_table(groups[keep], items[keep], codes, size)
            if keep.any()
            else np.zeros((size, size), dtype=np.int64)
        )
    a, b = codes[ties.u], codes[ties.v]
    both = (a >= 0) & (b >= 0)
    low, high = np.minimum(a[both], b[both]), np.maximum(a[both], b[both])
    tied = np.bincount(low * size + high, minlength=size * size).reshape(size, size)
    rows = []
    for i, j in zip(*np.nonzero(tied), strict=True):
        rows.append(
            {
                "period_start": start,
                "movement_a": setup.movements[i],
                "movement_b": setup.movements[j],
                **{c: int(t[i, j]) for c, t in zip(_SHARED, tables, strict=True)},
                "ties": int(tied[i, j]),
            }
        )
    return rows


def _changes(
    result: Trends, setup: _Setup, start: str, before: np.ndarray, now: np.ndarray
) -> None:
    """Add the ties gained and lost from the period before to the one starting ``start``.

    ``before`` and ``now`` are sorted keys without repeats (as :func:`_period`
    returns them), so each difference is one binary search.
    """
    for change, keys in ((GAINED, _missing(now, before)), (LOST, _missing(before, now))):
        u, v = np.divmod(keys, setup.n)
        cross = setup.codes[u] != setup.codes[v]
        for a, b, c in zip(u.tolist(), v.tolist(), cross.tolist(), strict=True):
            result.changes.append(
                {
                    "period_start": start,
                    "group_a": setup.groups[a],
                    "group_b": setup.groups[b],
                    "change": change,
                    "cross_movement": c,
                }
            )


def _missing(keys: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """The ``keys`` not in ``sorted_keys`` (sorted, without repeats), in their order."""
    at = np.searchsorted(sorted_keys, keys)
    found = at < len(sorted_keys)
    found[found] = sorted_keys[at[found]] == keys[found]
    return keys[~found]


def links_at_risk(movement_pairs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Movement links whose direct ties fell to one or none in the latest period.

    Parameters
    ----------
    movement_pairs : sequence of dict
        Rows of :attr:`Trends.movement_pairs` (``period_start``, ``movement_a``,
        ``movement_b``, ``ties``), or of ``trends_movement_pairs.csv``.

    Returns
    -------
    list of dict
        ``{"movement_a", "movement_b", "ties_now", "ties_before",
        "peak_start"}`` for every pair of different movements with at most
        one tie in the latest period and at least two in an earlier one
        (``ties_before``, the most, first reached in ``peak_start``), the
        steepest fall first, then by movements.

    Examples
    --------
    >>> rows = [{"period_start": "2023", "movement_a": "a", "movement_b": "b", "ties": 3},
    ...         {"period_start": "2024", "movement_a": "a", "movement_b": "b", "ties": 1},
    ...         {"period_start": "2024", "movement_a": "a", "movement_b": "c", "ties": 1}]
    >>> links_at_risk(rows)
    [{'movement_a': 'a', 'movement_b': 'b', 'ties_now': 1, 'ties_before': 3, 'peak_start': '2023'}]
    """
    if not movement_pairs:
        return []
    latest = max(row["period_start"] for row in movement_pairs)
    now: dict[tuple, int] = {}
    peak: dict[tuple, tuple[int, str]] = {}
    for row in sorted(movement_pairs, key=lambda r: r["period_start"]):
        pair = (row["movement_a"], row["movement_b"])
        if pair[0] == pair[1]:
            continue
        ties = int(row["ties"])
        if row["period_start"] == latest:
            now[pair] = ties
        elif ties > peak.get(pair, (0, ""))[0]:
            peak[pair] = (ties, row["period_start"])
    out = [
        {
            "movement_a": a,
            "movement_b": b,
            "ties_now": now.get((a, b), 0),
            "ties_before": most,
            "peak_start": when,
        }
        for (a, b), (most, when) in peak.items()
        if most >= 2 and now.get((a, b), 0) <= 1
    ]
    return sorted(
        out, key=lambda r: (r["ties_now"] - r["ties_before"], r["movement_a"], r["movement_b"])
    )


def rank_course(
    groups: Sequence[Mapping[str, Any]], *, top: int = 10, extra: Iterable[Hashable] = ()
) -> dict[Hashable, list[tuple[str, int]]]:
    """The betweenness rank of the top groups over time.

    Parameters
    ----------
    groups : sequence of dict
        Rows of :attr:`Trends.groups` (``period_start``, ``group_id``,
        ``betweenness_rank``).
    top : int, optional
        How many of the best-ranked groups of the latest period to follow.
    extra : iterable, optional
        Groups to follow as well (a group the user chose).

    Returns
    -------
    dict
        Group id -> ``[(period_start, rank), ...]`` in period order, for the
        ``top`` best-ranked groups of the latest period (best first, then by
        id) and the ``extra`` ones; a period where a group had no tie has no
        entry.

    Examples
    --------
    >>> rows = [{"period_start": "2023", "group_id": "a", "betweenness_rank": 2},
    ...         {"period_start": "2023", "group_id": "b", "betweenness_rank": 1},
    ...         {"period_start": "2024", "group_id": "a", "betweenness_rank": 1}]
    >>> rank_course(rows, top=1, extra=["b"])
    {'a': [('2023', 2), ('2024', 1)], 'b': [('2023', 1)]}
    """
    if not groups:
        return {}
    latest = max(row["period_start"] for row in groups)
    best = sorted(
        (row for row in groups if row["period_start"] == latest),
        key=lambda r: (r["betweenness_rank"], r["group_id"]),
    )
    chosen = [row["group_id"] for row in best[:top]]
    chosen += [g for g in extra if g not in chosen]
    course: dict[Hashable, list[tuple[str, int]]] = {g: [] for g in chosen}
    for row in sorted(groups, key=lambda r: r["period_start"]):
        if row["group_id"] in course:
            course[row["group_id"]].append((row["period_start"], int(row["betweenness_rank"])))
    return course
