"""Parameters, once: what a page reads from its URL and what a callback accepts.

Two kinds of value arrive from the browser, and both are parsed here only:

- **The URL's query** (a shared link) is read by the page layouts leniently:
  a malformed value is dropped or replaced by the default, never an error
  page (:func:`one`, :func:`split_list`, :func:`parse_number`,
  :func:`url_choice`, :func:`url_ties`). The callbacks write the canonical
  query back with :func:`query_string`; links inside the app are made with
  :func:`href`.
- **A callback's arguments** can be forged: any JSON may arrive where a
  control's value is expected. Every callback passes its arguments through
  the checks below first (:func:`text`, :func:`id_list`, :func:`choice`,
  :func:`number`, :func:`date`, :func:`window`...). A value of the wrong
  type, a choice that is not offered, or a list or text too long to be a
  real control's value raises :class:`graph.errors.UsageError`, which
  :func:`dashboard.components.guarded` shows as a one-line message on the
  page; nothing slow runs on such a value. Ids of groups and movements are
  only checked for shape here: whether they exist depends on the date
  window, and the pages say when one does not.

Tie types appear in the URL by their short names (``members``, ``actions``,
``resources``: :data:`graph.schema.TIE_BY_SHORT`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from graph.errors import UsageError
from graph.schema import TIE_BY_SHORT

__all__ = [
    "MAX_TEXT",
    "MAX_ITEMS",
    # the URL
    "one",
    "split_list",
    "parse_number",
    "url_choice",
    "url_ties",
    "ties_param",
    "query_string",
    "with_params",
    "href",
    "parse_date",
    # a callback's arguments
    "text",
    "optional_id",
    "id_list",
    "choice",
    "choices",
    "number",
    "date",
    "window",
    "node_id",
    "tapped",
    "clicked_point",
    "selection",
    "clicked_cell",
    "trend_cell",
    "clicked_trend_cell",
]

#: The longest text (a search, an id) a control may send.
MAX_TEXT = 200
#: The most values a multi-choice control (or a list in a link) may send.
MAX_ITEMS = 500


# -- the URL ------------------------------------------------------------------------------
def one(value: Any) -> str | None:
    """A single query value: the last of a repeated key, as text, or None.

    >>> one(["a", "b"]), one("x"), one(None)
    ('b', 'x', None)
    """
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def split_list(value: Any, *, max_items: int = MAX_ITEMS) -> list[str]:
    """A list from a query value: ``"a,b"``, ``["a", "b"]`` (repeated key) or None.

    Repeats are dropped; at most ``max_items`` values are kept (a link is
    not a way to make the server work hard).

    >>> split_list(["a,b", "a", " c "])
    ['a', 'b', 'c']
    """
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    out: dict[str, None] = {}
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part:
                out[part] = None
                if len(out) >= max_items:
                    return list(out)
    return list(out)


def parse_number(value: Any, default: float, *, lo: float | None = None) -> float:
    """A number from a query value, ``default`` when missing or malformed."""
    if isinstance(value, list):
        value = value[-1] if value else None
    try:
        x = float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default
    if math.isnan(x) or math.isinf(x):
        return default
    if lo is not None and x < lo:
        return lo
    return int(x) if float(x).is_integer() else x


def url_choice(value: Any, offered: Collection, default: Any) -> Any:
    """A single query value if it is one of ``offered``, else ``default``.

    >>> url_choice(["points", "evil"], ("groups", "points"), "groups")
    'groups'
    """
    chosen = one(value)
    return chosen if chosen in offered else default


def url_ties(value: Any) -> list[str]:
    """The tie types of a link (short names, in schema order); ``none`` is none, else all.

    >>> url_ties("actions,members"), url_ties("none"), url_ties("nonsense") == list(TIE_BY_SHORT)
    (['actions', 'members'], [], True)
    """
    if value == "none":
        return []
    return [t for t in split_list(value) if t in TIE_BY_SHORT] or list(TIE_BY_SHORT)


def ties_param(ties: Collection[str]) -> str | list[str] | None:
    """``ties`` in the URL: left out when all are chosen, ``none`` when none is.

    >>> ties_param(list(TIE_BY_SHORT)), ties_param([]), ties_param(["actions"])
    (None, 'none', ['actions'])
    """
    if set(ties) == set(TIE_BY_SHORT):
        return None
    return list(ties) or "none"


def query_string(params: Mapping[str, Any], defaults: Mapping[str, Any] | None = None) -> str:
    """A canonical query string (``"?a=1&b=x,y"``, or ``""``) leaving out empty and default values.

    >>> query_string({"movements": ["blm", "queer"], "min_weight": 1}, {"min_weight": 1})
    '?movements=blm,queer'
    """
    defaults = defaults or {}
    pairs = []
    for key, value in params.items():
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        if value is None or value == "" or value == defaults.get(key):
            continue
        pairs.append((key, str(value)))
    return "?" + urlencode(pairs, safe=",") if pairs else ""


def with_params(search: str | None, changes: Mapping[str, Any]) -> str:
    """``search`` (a query string) with ``changes`` made; None removes a key.

    >>> with_params("?a=1&group=g1", {"group": None, "b": "x"})
    '?a=1&b=x'
    """
    params = dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return query_string(params)


def href(path: str, **params: Any) -> str:
    """A link inside the app with a query string.

    >>> href("/paths", a="g1", since=None)
    '/paths?a=g1'
    """
    return path + query_string(params)


def parse_date(value: Any, *, name: str = "date") -> str | None:
    """An ISO date ``YYYY-MM-DD`` from a control or a query string, or None.

    Date pickers may send ``2021-03-04T00:00:00``; only the date is kept.

    >>> parse_date("2021-03-04T00:00:00"), parse_date(" ")
    ('2021-03-04', None)

    Raises
    ------
    graph.errors.UsageError
        If ``value`` is not empty and not a date.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise UsageError(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


# -- a callback's arguments ------------------------------------------------------------
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


def window(since: Any, until: Any) -> tuple[str | None, str | None]:
    """The date window of a callback: its ``since`` and ``until`` pickers' values, checked.

    >>> window("2021-01-01T00:00:00", None)
    ('2021-01-01', None)
    """
    return date(since, "since"), date(until, "until")


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


def url_cell(value: Any) -> list[str] | None:
    """A matrix cell from the URL (``?cell=a,b``), as the page stores it, or None.

    >>> url_cell("blm,queer"), url_cell("blm"), url_cell(None)
    (['blm', 'queer'], None, None)
    """
    pair = [part.strip() for part in (one(value) or "").split(",")]
    return pair if len(pair) == 2 and all(pair) else None


def stored_cell(value: Any) -> tuple[str, str] | None:
    """A matrix cell kept in a page's store (two movement ids), checked; None if there is none.

    A cell on the diagonal is one movement twice (the list keeps it once).

    >>> stored_cell(["blm", "queer"]), stored_cell(["blm", "blm"]), stored_cell(None)
    (('blm', 'queer'), ('blm', 'blm'), None)
    """
    if not value:
        return None
    pair = id_list(value, "cell", max_items=2)
    return (pair[0], pair[-1]) if pair else None


def trend_cell(value: Any) -> tuple[str, str, str] | None:
    """A cell of the trends heatmap: ``(period start, movement a, movement b)``, or None.

    From the URL (``?cell=2021-01-01,blm,queer``, read leniently: anything
    else is None) or a page's store (a list, checked).

    >>> trend_cell("2021-01-01,blm,queer"), trend_cell(["2021-01-01", "blm", "blm"])
    (('2021-01-01', 'blm', 'queer'), ('2021-01-01', 'blm', 'blm'))
    >>> trend_cell("2021-13-01,blm,queer"), trend_cell("blm,queer"), trend_cell(None)
    (None, None, None)
    """
    if not value:
        return None
    if isinstance(value, str):
        parts = [part.strip() for part in value.split(",")]
        if len(parts) != 3 or not all(parts):
            return None
        try:
            parse_date(parts[0], name="cell")
        except UsageError:
            return None
        return parts[0], parts[1], parts[2]
    if not isinstance(value, list | tuple) or len(value) != 3:
        raise UsageError("a trends cell is a period start and two movements")
    start = parse_date(text(value[0], "the cell's period"), name="the cell's period")
    a, b = (text(v, "the cell's movement") for v in value[1:])
    return (start, a, b) if start and a and b else None


def clicked_trend_cell(value: Any) -> tuple[str, str, str] | None:
    """The cell of the trends heatmap clicked (its ``customdata``), or None."""
    if value is None:
        return None
    points = value.get("points") if isinstance(value, dict) else None
    if not isinstance(points, list) or not points or not isinstance(points[0], dict):
        raise UsageError("the clicked cell must be an object with points")
    data = points[0].get("customdata")
    if not isinstance(data, str) or trend_cell(text(data, "the clicked cell")) is None:
        raise UsageError("the clicked cell must carry its period and movements")
    return trend_cell(data)
