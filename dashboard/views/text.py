"""Numbers and words as the pages show them: metrics, percentages, kinds of tie, errors."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from graph.errors import CoalitionError, StoreError, StoreUnavailable
from graph.privacy import SUPPRESS_BELOW, count_text

__all__ = ["MISSING", "number_text", "percent", "plotly_text", "tie_summary", "problem"]

#: What an undefined value reads as in a table.
MISSING = "—"


def number_text(value: Any, digits: int = 3) -> str:
    """A metric as text; an undefined value (None, NaN) is empty.

    >>> number_text(1234), number_text(0.12345), number_text(float("nan")), number_text(True)
    ('1,234', '0.123', '', 'yes')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if math.isnan(x) or math.isinf(x):
        return ""
    return f"{x:,.{digits}f}"


def percent(value: Any) -> str:
    """A share as a percentage with one decimal; undefined is :data:`MISSING`.

    >>> percent(0.1234), percent(None)
    ('12.3%', '—')
    """
    if value is None or value != value:
        return MISSING
    return f"{100 * float(value):.1f}%"


def plotly_text(text: Any) -> str:
    """Escape a data string for Plotly, which renders a subset of HTML in its text.

    >>> plotly_text("<b>A & B</b>")
    '&lt;b&gt;A &amp; B&lt;/b&gt;'
    """
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def tie_summary(edge: Mapping[str, Any], threshold: int = SUPPRESS_BELOW) -> str:
    """``"<5 shared members · 3 joint actions"``: the kinds of tie behind an edge, counts only.

    >>> tie_summary({"shared_members": 2, "joint_actions": 3})
    '<5 shared members · 3 joint actions'
    """
    parts = []
    m = int(edge.get("shared_members", 0) or 0)
    if m:
        parts.append(f"{count_text(m, threshold)} shared members")
    a = int(edge.get("joint_actions", 0) or 0)
    if a:
        parts.append(f"{a:,} joint action{'s' if a != 1 else ''}")
    r = int(edge.get("shared_resources", 0) or 0)
    if r:
        parts.append(f"{r:,} shared resource{'s' if r != 1 else ''}")
    return " · ".join(parts) or "no ties"


def problem(exc: BaseException) -> str:
    """The one-line message a page shows for an error, never a traceback."""
    if isinstance(exc, StoreUnavailable):
        return (
            f"The graph store is unavailable: {exc}. The dashboard reconnects by itself "
            "when the store is back; reload the page then."
        )
    if isinstance(exc, StoreError):
        return f"The graph store is unavailable: {exc}"
    if isinstance(exc, CoalitionError):
        return str(exc)
    return "Something went wrong while building this view; the details are in the server log."
