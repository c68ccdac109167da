"""The small-count rule of the dashboard: member counts under the threshold read ``"<5"``.

Two pieces, kept together so that the rule lives in one place (DESIGN.md,
*Privacy*): :func:`count_text` for a count shown, :func:`band_ties` for the
ties every view and metric is computed from, so that a small count cannot be
recovered from anything else on a page.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from graph.coalition import Ties

__all__ = ["SUPPRESS_BELOW", "count_text", "band_ties"]

#: Member counts under this are shown as "<5" (DESIGN.md, *Privacy*).
SUPPRESS_BELOW = 5


def count_text(n: int | None, threshold: int = SUPPRESS_BELOW) -> str:
    """A member count as shown: ``"<5"`` for 1 to ``threshold - 1``, else the number.

    Zero stays ``"0"`` (it says nothing about anyone).

    >>> count_text(3), count_text(0), count_text(1234)
    ('<5', '0', '1,234')
    """
    if n is None:
        return ""
    n = int(n)
    if 0 < n < threshold:
        return f"<{threshold}"
    return f"{n:,}"


def band_ties(ties: Ties, threshold: int = SUPPRESS_BELOW, *, weight: float = 1.0) -> Ties:
    """Make the ties safe to measure and draw: shared-member counts under ``threshold`` become 1.

    A count shown as ``"<5"`` must not be recoverable from anything else on
    the page: not from the minimum-weight filter (stepping it would reveal
    the exact count), line widths, the order of a group's strongest ties, nor
    from weighted metrics such as strength, which add the counts up. So a tie's
    ``shared_members`` from 1 to ``threshold - 1`` is replaced by 1 — the
    least it can be, and all that "<5" says — before anything is computed
    from it, and its ``weight`` (with ``weight`` per shared member) follows.
    Counts of 0 and from ``threshold`` up are kept. Returns a new ``Ties``.

    >>> from graph.coalition import Ties
    >>> t = Ties(["a", "b"], [{}, {}], np.array([0]), np.array([1]), np.array([[3, 2, 0]]),
    ...          np.array([5.0]))
    >>> banded = band_ties(t)
    >>> int(banded.counts[0, 0]), float(banded.weight[0]), int(t.counts[0, 0])
    (1, 3.0, 3)
    """
    members = ties.counts[:, 0]
    low = (members > 0) & (members < threshold)
    counts = ties.counts.copy()
    counts[low, 0] = 1
    banded_weight = ties.weight - np.where(low, (members - 1) * weight, 0)
    return replace(ties, counts=counts, weight=banded_weight)
