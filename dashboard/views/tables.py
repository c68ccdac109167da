"""Generic pieces of a page: a notice, a table, a definition list, dropdown options.

Cells and texts are strings or Dash components, never raw HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dash import html

from dashboard.views.text import MISSING

__all__ = [
    "notice",
    "simple_table",
    "definition_list",
    "choice_options",
    "search_options",
    "NameSearch",
]


def notice(text: str, *, kind: str = "error") -> html.Div:
    """A message on the page (an error, or information), as text."""
    return html.Div(str(text), className=f"notice notice-{kind}", role="alert")


def simple_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    numeric: Iterable[int] = (),
    caption: str | None = None,
) -> html.Table:
    """An HTML table whose cells are text or Dash components (never raw HTML)."""
    numeric = set(numeric)
    head = html.Thead(
        html.Tr(
            [
                html.Th(h, scope="col", className="num" if i in numeric else None)
                for i, h in enumerate(headers)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(cell, className="num" if i in numeric else None)
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    children = [html.Caption(caption)] if caption else []
    return html.Table([*children, head, body], className="table")


def definition_list(rows: Sequence[tuple[str, str]]) -> html.Dl:
    children = []
    for term, value in rows:
        children += [html.Dt(term), html.Dd(value or MISSING)]
    return html.Dl(children, className="facts")


def choice_options(names: Mapping[str, str], *, with_id: bool = True) -> list[dict]:
    """Dropdown options from ``{id: name}``, by name; labels show the id too when asked."""
    return [
        {"label": f"{name} ({key})" if with_id else name, "value": key}
        for key, name in sorted(names.items(), key=lambda kv: (str(kv[1]).casefold(), kv[0]))
    ]


class NameSearch:
    """Names of many groups, sorted once for :func:`search_options`.

    Sorting 10,000 names takes longer than answering a search, and a
    dropdown asks again at every keystroke: a page keeps one per window
    (:meth:`dashboard.model.snapshot.Snapshot.memo`) and passes it in.

    Parameters
    ----------
    names : mapping
        Group id -> name.

    >>> NameSearch({"b": "alpha", "a": "Beta"}).order
    ['b', 'a']
    """

    def __init__(self, names: Mapping[str, str]):
        self.names = names
        #: The ids, by name (case-insensitive), then id: the order of :func:`choice_options`.
        self.order = sorted(names, key=lambda k: (str(names[k]).casefold(), k))
        self._folded = [(str(names[k]).casefold(), str(k).casefold()) for k in self.order]

    def first(self, text: str, most: int, skip: Iterable[str] = ()) -> list[str]:
        """The first ``most`` ids in :attr:`order` whose name or id contains ``text``
        (already case-folded; empty: every id), but those in ``skip``."""
        skipped = set(skip)
        found: list[str] = []
        for key, (name, folded) in zip(self.order, self._folded, strict=True):
            if len(found) >= most:
                break
            if key in skipped or (text and text not in name and text not in folded):
                continue
            found.append(key)
        return found


def search_options(
    names: Mapping[str, str],
    term: Any = "",
    *,
    keep: Iterable[str] = (),
    most: int = 100,
    search: NameSearch | None = None,
) -> list[dict]:
    """Dropdown options for a search among many groups: the chosen ones, then matches.

    With at most ``most`` groups, all of them; else those whose name or id
    contains ``term`` (case-insensitive; the first ``most`` by name), after
    the ``keep`` ids (the values already chosen), so that a dropdown over
    10,000 groups stays light. ``search`` is a :class:`NameSearch` of
    ``names`` made beforehand (one is made here if not).
    """
    kept = [k for k in dict.fromkeys(keep) if k in names]
    if len(names) <= most:
        return choice_options(names)
    text = str(term or "").strip().casefold()
    found = (search or NameSearch(names)).first(text, most, skip=kept)
    return choice_options({k: names[k] for k in kept}) + choice_options(
        {k: names[k] for k in found}
    )
