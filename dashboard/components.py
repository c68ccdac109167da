"""Layout pieces shared by the pages, and the guard every data callback runs under."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from dash import ALL, Input, Output, State, callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import data, ids, params
from dashboard.model.snapshot import Pending
from dashboard.params import parse_date
from dashboard.views.tables import NameSearch, notice, search_options
from dashboard.views.text import problem
from graph.errors import CoalitionError

__all__ = [
    "page",
    "controls",
    "chart",
    "radio_field",
    "movement_picker",
    "group_picker",
    "window_inputs",
    "group_search",
    "group_options",
    "page_header",
    "window_controls",
    "field",
    "guarded",
    "loading",
    "pending",
    "retry",
    "retry_input",
    "trigger",
]

log = logging.getLogger(__name__)

#: How often a pending message asks again (milliseconds).
RETRY_EVERY_MS = 1000


# -- layout pieces ------------------------------------------------------------------------
def page(url: str, title: str, intro: str | list, *children, stores: Sequence = ()) -> html.Div:
    """A page: its URL (``dcc.Location`` of id ``url``), ``stores``, its header, ``children``."""
    return html.Div(
        [dcc.Location(id=url, refresh=False), *stores, page_header(title, intro), *children]
    )


def controls(*children, wide: bool = False) -> html.Div:
    """A row of controls above a page's content."""
    return html.Div(
        list(children),
        className="controls controls-inline controls-wide" if wide else "controls controls-inline",
    )


#: The Plotly config of every chart (a page may add the file name of its PNG).
CHART_CONFIG = MappingProxyType({"displaylogo": False, "responsive": True})


def chart(id_: str, *, config: Mapping[str, Any] | None = None) -> dcc.Loading:
    """A Plotly chart in a card, with a loading indicator (``config``: Plotly's, if not ours)."""
    return loading(dcc.Graph(id=id_, config=dict(config or CHART_CONFIG), className="card"))


def radio_field(label: str, id_: str, options: Mapping[Any, str], value: Any) -> html.Div:
    """A labelled row of radio buttons: ``options`` maps each value to its label."""
    return field(
        label,
        dcc.RadioItems(
            id=id_,
            options=[{"label": text, "value": key} for key, text in options.items()],
            value=value,
            inline=True,
            className="radios",
        ),
    )


def movement_picker(id_: str, chosen: Sequence[str], *, hint: str | None = None) -> html.Div:
    """A multi-choice of movements; until the real options arrive, the chosen ones stay valid."""
    return field(
        "Movements",
        dcc.Dropdown(
            id=id_,
            options=[{"label": m, "value": m} for m in chosen],
            value=list(chosen),
            multi=True,
            placeholder="all movements",
        ),
        hint=hint,
    )


def group_picker(
    label: str,
    id_: str,
    chosen: str | Sequence[str] | None,
    *,
    multi: bool = False,
    placeholder: str = "choose a group (type to search)",
    hint: str | None = None,
    clearable: bool | None = None,
) -> html.Div:
    """A group dropdown that searches as one types (its options come from :func:`group_search`).

    Until they arrive, the ``chosen`` id (or ids, with ``multi``) are offered as they are.
    """
    values = list(chosen or []) if multi else ([chosen] if chosen else [])
    extra: dict[str, Any] = {} if clearable is None else {"clearable": clearable}
    if multi:
        extra["multi"] = True
    return field(
        label,
        dcc.Dropdown(
            id=id_,
            options=[{"label": g, "value": g} for g in values],
            value=values if multi else chosen,
            placeholder=placeholder,
            **extra,
        ),
        hint=hint,
    )


def window_inputs(since: str, until: str) -> list[Input]:
    """The callback inputs of a page's date window (its two pickers' dates)."""
    return [Input(since, "date"), Input(until, "date")]


def page_header(title: str, intro: str | list) -> html.Header:
    return html.Header([html.H1(title), html.P(intro, className="intro")], className="page-header")


def field(label: str, control, *, hint: str | None = None, html_for: str | None = None):
    """A labelled control."""
    children = [html.Label(label, htmlFor=html_for, className="field-label"), control]
    if hint:
        children.append(html.Div(hint, className="field-hint"))
    return html.Div(children, className="field")


def window_controls(since_id: str, until_id: str, since: Any = None, until: Any = None):
    """Two date pickers for the window (``since``/``until``); empty means open-ended."""
    return html.Div(
        [_date_field("Since", since_id, since), _date_field("Until", until_id, until)],
        className="window",
    )


def _date_field(label: str, id_: str, value: Any) -> html.Div:
    picker = dcc.DatePickerSingle(
        id=id_,
        date=_date_or_none(value),
        display_format="YYYY-MM-DD",
        placeholder="any time",
        clearable=True,
    )
    return field(label, picker, html_for=id_)


def _date_or_none(value: Any) -> str | None:
    try:
        return parse_date(value[-1] if isinstance(value, list) else value)
    except Exception:  # a bad date in a shared link is dropped, not an error page
        return None


def loading(child, **kwargs):
    return dcc.Loading(child, type="dot", delay_show=250, **kwargs)


def trigger() -> Any:
    """The id of the input that fired the current callback (None outside of one)."""
    import dash

    try:
        return dash.ctx.triggered_id
    except Exception:  # called directly, outside a request (tests)
        return None


def retry(page: str) -> dict[str, Any]:
    """The id of the timer a pending message of ``page`` carries (see :func:`pending`)."""
    return {"type": ids.RETRY, "page": page, "n": 0}


def retry_input(page: str) -> Input:
    """The callback input that fires while a pending message of ``page`` is shown.

    A pattern (``ALL``): while no message is shown it matches nothing, and
    the callback runs on its other inputs as usual.
    """
    return Input({"type": ids.RETRY, "page": page, "n": ALL}, "n_intervals")


def pending(text: str, page: str) -> html.Div:
    """A message that data are still being computed, with a timer that asks again.

    The timer's id matches :func:`retry_input` of ``page`` (a pattern, so
    the callback also runs while no message is shown); once the data are
    there, the callback's answer replaces the message and the timer with it.
    """
    return html.Div(
        [
            html.Span(text),
            dcc.Interval(id=retry(page), interval=RETRY_EVERY_MS, n_intervals=0),
        ],
        className="notice notice-pending",
        role="status",
    )


def guarded(on_problem: Callable[[html.Div], Any], *, page: str | None = None) -> Callable:
    """Run a callback so that any error becomes a message on the page.

    ``on_problem`` gets the message component (see :func:`notice`) and
    returns what the callback returns in that case. Our own errors (a store
    that is down, a bad date) give their message; anything else is logged
    with its traceback and the page says so in one line. Data still being
    read or computed (:class:`dashboard.model.snapshot.Pending`) give a
    :func:`pending` message whose timer makes the callback of ``page`` run
    again.
    """

    def decorate(func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except PreventUpdate:
                raise
            except Pending as exc:
                if page is None:
                    return on_problem(notice(str(exc), kind="info"))
                return on_problem(pending(str(exc), page))
            except Exception as exc:
                if not isinstance(exc, CoalitionError):
                    log.exception("callback %s failed", func.__name__)
                else:
                    log.info("callback %s: %s", func.__name__, exc)
                return on_problem(notice(problem(exc)))

        return wrapper

    return decorate


# -- callback factories -------------------------------------------------------------------
def group_options(
    term: Any, since: Any, until: Any, value: Any, *, name: str = "group", multi: bool = False
) -> list[dict]:
    """The options of a group dropdown that searches as one types (the body of its callback).

    ``term`` is what was typed, ``value`` the dropdown's value (a list of ids
    when ``multi``), kept among the options; ``name`` names the value in a
    message about a malformed one. The groups are those of the window.
    """
    term = params.text(term, "search")
    since, until = params.window(since, until)
    if multi:
        keep = params.id_list(value, name)
    else:
        chosen = params.optional_id(value, name)
        keep = [chosen] if chosen else []
    _source, snap = data.current_snapshot(since, until)
    names = snap.group_names
    search = snap.memo(("group search",), lambda: NameSearch(names))
    return search_options(names, term, keep=keep, search=search)


def group_search(
    dropdown: str,
    since: str,
    until: str,
    *,
    page: str,
    name: str = "group",
    multi: bool = False,
) -> Callable:
    """Register the callback that fills the group dropdown ``dropdown`` as one types.

    Among 10,000 groups a dropdown offers a few at a time: those matching
    what was typed (its ``search_value``), after the chosen ones (see
    :func:`dashboard.views.tables.search_options`), in the window of the
    date pickers ``since`` and ``until``. It runs again with the pending
    messages of ``page``. Returns the callback (a page keeps it under a name
    of its own, so that it can be called directly).
    """

    @callback(
        Output(dropdown, "options"),
        Input(dropdown, "search_value"),
        *window_inputs(since, until),
        retry_input(page),
        State(dropdown, "value"),
    )
    @guarded(lambda _message: no_update)
    def options(term, since_date, until_date, _retry=None, value=None):
        return group_options(term, since_date, until_date, value, name=name, multi=multi)

    return options


def chosen_cell(click: Any, stored: Any, chart: str, snap) -> tuple[str, str] | None:
    """The matrix cell a page shows: the one just clicked on ``chart``, else the stored one,
    as long as both movements are in the snapshot's window."""
    from dashboard.views.movements import matrix_cell

    clicked = params.clicked_cell(click)
    cell = params.stored_cell(stored)
    if clicked and trigger() in (chart, None):
        cell = matrix_cell(clicked, snap.movement_names) or cell
    if cell and not all(m in snap.coalition.movements for m in cell):
        return None
    return cell
