"""Generic pieces of a page: a notice, a table, a definition list, dropdown options.

Cells and texts are strings or Dash components, never raw HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dash import html

from dashboard.views.text import MISSING

__all__ = ["notice", "simple_table", "definition_list", "choice_options", "search_options"]


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


def search_options(
    names: Mapping[str, str],
    term: Any = "",
    *,
    keep: Iterable[str] = (),
    most: int = 100,
) -> list[dict]:
    """Dropdown options for a search among many groups: the chosen ones, then matches.

    With at most ``most`` groups, all of them; else those whose name or id
    contains ``term`` (case-insensitive; the first ``most`` by name), after
    the ``keep`` ids (the values already chosen), so that a dropdown over
    10,000 groups stays light.
    """
    kept = [k for k in dict.fromkeys(keep) if k in names]
    if len(names) <= most:
        return choice_options(names)
    text = str(term or "").strip().casefold()
    found = (
        [
            k
            for k, name in names.items()
            if text in str(name).casefold() or text in str(k).casefold()
        ]
        if text
        else list(names)
    )
    found = sorted(
        (k for k in found if k not in set(kept)), key=lambda k: (str(names[k]).casefold(), k)
    )[:most]
    return choice_options({k: names[k] for k in kept}) + choice_options(
        {k: names[k] for k in found}
    )
