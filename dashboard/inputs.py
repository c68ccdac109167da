"""Checks of the values a callback receives.

A callback request can be forged: any JSON may arrive where a control's value
is expected. Every callback passes its arguments through these functions
first. A value of the wrong type, a choice that is not offered, or a list or
text too long to be a real control's value raises
:class:`graph.errors.UsageError`, which :func:`dashboard.components.guarded`
shows as a one-line message on the page; nothing slow runs on such a value.
Ids of groups and movements are only checked for shape here: whether they
exist depends on the date window, and the pages say when one does not.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

from dashboard.data import parse_date
from graph.errors import UsageError

__all__ = [
    "MAX_TEXT",
    "MAX_ITEMS",
    "text",
    "optional_id",
    "id_list",
    "choice",
    "choices",
    "number",
    "date",
    "node_id",
    "tapped",
    "clicked_point",
    "selection",
    "clicked_cell",
]

#: The longest text (a search, an id) a control may send.
MAX_TEXT = 200
#: The most values a multi-choice control may send.
MAX_ITEMS = 500


def _cap(name: str) -> str:
    return name[:1].upper() + name[1:]


def _shown(value: Any) -> str:
    """A short, safe rendering of a rejected value for a message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text(value: Any, name: str, *, max_length: int = MAX_TEXT) -> str:
    """A text value; None is ``""``.

    >>> text(" x ", "search")
    ' x '
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise UsageError(f"{_cap(name)} must be text, not {type(value).__name__}")
    if len(value) > max_length:
        raise UsageError(f"{_cap(name)} is longer than {max_length} characters")
    return value


def optional_id(value: Any, name: str) -> str | None:
    """An id (a group's, say), or None when empty."""
    return text(value, name) or None


def id_list(value: Any, name: str, *, max_items: int = MAX_ITEMS) -> list[str]:
    """A list of ids without repeats, in order; None is ``[]``.

    >>> id_list(["b", "a", "b"], "movements")
    ['b', 'a']
    """
    if value is None:
        return []
    if not isinstance(value, list):
        raise UsageError(f"{_cap(name)} must be a list, not {type(value).__name__}")
    if len(value) > max_items:
        raise UsageError(f"{_cap(name)}: more than {max_items} values")
    for item in value:
        if not isinstance(item, str) or not item or len(item) > MAX_TEXT:
            raise UsageError(f"{_cap(name)} must be a list of ids; got {_shown(item)}")
    return list(dict.fromkeys(value))


def choice(value: Any, offered: Collection, name: str, *, default: Any = None) -> Any:
    """One of the ``offered`` values; None (nothing chosen) is ``default``."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int) or value not in offered:
        raise UsageError(f"{_cap(name)} {_shown(value)} is not one of the choices offered")
    return value


def choices(value: Any, offered: Collection, name: str) -> list:
    """Several of the ``offered`` values, in the order offered; None is ``[]``."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > len(offered):
        raise UsageError(f"{_cap(name)} must be a list of the choices offered")
    chosen = {choice(v, offered, name) for v in value}
    return [v for v in offered if v in chosen]


def number(value: Any, name: str, *, default: float, lo: float, hi: float = 1e9) -> float:
    """A finite number in ``[lo, hi]`` (clamped); None or ``""`` is ``default``.

    A number written as text (``"3"``) is taken; integral values come back as
    ``int``.
    """
    if value is None or value == "":
        return default
    if isinstance(value, str) and len(value) <= 40:
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{_cap(name)} must be a number, not {_shown(value)}")
    if not math.isfinite(value):
        raise UsageError(f"{_cap(name)} must be a finite number")
    x = min(max(value, lo), hi)
    return int(x) if float(x).is_integer() else x


def date(value: Any, name: str) -> str | None:
    """An ISO date ``YYYY-MM-DD`` (a picker's value may carry a time), or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise UsageError(f"{_cap(name)} must be a date (YYYY-MM-DD), not {_shown(value)}")
    return parse_date(value, name=name)


def node_id(value: Any) -> str | None:
    """The id in a Cytoscape node's data (``tapNodeData``), or None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise UsageError("the clicked node must be an object with an id")
    return optional_id(value.get("id"), "the clicked node's id")


def tapped(value: Any) -> tuple[str, str] | None:
    """What a Cytoscape tap (``tapNodeData``) chose: ``("group", id)``, ``("movement", id)``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise UsageError("the clicked node must be an object with an id")
    if value.get("kind") == "movement":
        mid = optional_id(value.get("movement_id"), "the clicked movement's id")
        return ("movement", mid) if mid else None
    gid = node_id(value)
    return ("group", gid) if gid else None


def clicked_point(value: Any) -> str | None:
    """The group id of the point clicked in a Plotly figure (its ``customdata``), or None."""
    if value is None:
        return None
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        raise UsageError("the clicked point must be an object with points")
    return optional_id(points[0].get("customdata"), "the clicked point's id")


def clicked_cell(value: Any) -> tuple[str, str] | None:
    """The row and column labels (``y``, ``x``) of the heatmap cell clicked, or None."""
    if value is None:
        return None
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        raise UsageError("the clicked cell must be an object with points")
    y, x = (text(points[0].get(k), "the clicked cell's label") for k in ("y", "x"))
    return (y, x) if x and y else None


def selection(value: Any) -> tuple[str, str] | None:
    """A stored selection ``{"kind": "group" | "movement", "id": ...}``, or None."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("kind") not in ("group", "movement"):
        raise UsageError("the selection must be a group or a movement")
    key = optional_id(value.get("id"), "the selected id")
    return (value["kind"], key) if key else None
