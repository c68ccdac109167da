"""What the commands share: the one error edge, the store, and options used by several.

Every option used by more than one command is one decorator here, and every
default is read from the library (:mod:`cli.defaults`), never typed again.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from cli import defaults
from graph.errors import CoalitionError

__all__ = [
    "err",
    "out",
    "fail",
    "friendly",
    "store_config",
    "open_store",
    "LibraryDefault",
    "LibraryChoice",
    "library_option",
    "store_options",
    "window_options",
    "analysis_options",
    "out_dir_option",
    "format_option",
    "json_option",
    "port_option",
]

err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


# -- the one error edge ----------------------------------------------------------------


def fail(message: str, code: int = 1) -> None:
    """Print one clear message to stderr and exit with ``code``."""
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True, emoji=False)
    sys.exit(code)


def friendly(func):
    """Turn our exceptions into one message and exit status 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CoalitionError as exc:
            from rich.markup import escape

            fail(escape(str(exc)))
        except KeyboardInterrupt:
            fail("interrupted", 130)

    return wrapper


# -- the store -------------------------------------------------------------------------


def store_config(ctx: click.Context):
    """The store chosen by the root command's options and the ``NEO4J_*`` variables."""
    from graph.store import StoreConfig

    o = ctx.find_root().obj or {}
    return StoreConfig.from_env(
        uri=o.get("uri"),
        username=o.get("username"),
        password=o.get("password"),
        database=o.get("database"),
    )


def open_store(ctx: click.Context):
    """Open the chosen store (the embedded one is started on demand)."""
    from graph.store import open_store as open_

    return open_(store_config(ctx))


# -- defaults and choices read from the library ----------------------------------------


class LibraryDefault(click.Option):
    """An option whose default is the library's, read only when it is needed.

    ``library`` is a function returning the value (see :mod:`cli.defaults`): the
    help shows it and an unset option takes it, and starting the command line does
    not import the library.
    """

    def __init__(self, *args: Any, library: Callable[[], Any], **kwargs: Any) -> None:
        kwargs.setdefault("show_default", True)
        super().__init__(*args, **kwargs)
        self.library = library

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        return self.library()


def library_option(*decls: str, library: Callable[[], Any], **kwargs: Any) -> Callable:
    """``click.option`` whose default is the library's (:class:`LibraryDefault`)."""
    return click.option(*decls, cls=LibraryDefault, library=library, **kwargs)


class LibraryChoice(click.Choice):
    """A choice among values the library defines, read only when they are needed."""

    def __init__(self, choices: Callable[[], Sequence[str]]) -> None:
        self._choices = choices
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        return tuple(self._choices())


# -- shared options ------------------------------------------------------------------


def _apply(*decorators: Callable) -> Callable:
    """One decorator of several options, listed in the order ``--help`` shows them."""

    def decorate(func: Callable) -> Callable:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return decorate


#: ``--uri --username --password --database``: which store (Neo4j conventions).
store_options = _apply(
    click.option(
        "--uri", help="Bolt URI of a Neo4j server (default: $NEO4J_URI; unset = embedded)."
    ),
    click.option("--username", help="Store user name (default: $NEO4J_USERNAME)."),
    click.option(
        "--password",
        help="Store password (default: $NEO4J_PASSWORD; prefer the variable, it stays out of ps).",
    ),
    click.option("--database", help="Database name (default: $NEO4J_DATABASE or the server's)."),
)


def _date(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    return value


#: ``--since --until``: a date window (ISO dates).
window_options = _apply(
    click.option(
        "--since", callback=_date, help="Keep links that overlap a window starting on this date."
    ),
    click.option(
        "--until", callback=_date, help="Keep links that overlap a window ending on this date."
    ),
)

#: The window, ``--movement`` and ``--weights``: which coalition graph to analyse.
analysis_options = _apply(
    window_options,
    click.option(
        "--movement",
        "movements",
        multiple=True,
        help="Keep only groups in this movement (repeatable).",
    ),
    click.option(
        "--weights",
        help="Tie weights, e.g. members=1,actions=1,resources=1 (0 drops a tie type).",
    ),
)


def out_dir_option(help: str = "Folder to write.") -> Callable:
    """``--out DIR`` (required), passed as ``out_dir``."""
    return click.option(
        "--out", "out_dir", required=True, type=click.Path(path_type=Path), help=help
    )


def out_file_option(help: str) -> Callable:
    """``--out FILE`` (required, not a folder), passed as ``out_file``."""
    return click.option(
        "--out",
        "out_file",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help,
    )


#: ``--format``: the file format of written tables (the library's formats).
format_option = library_option(
    "--format",
    "fmt",
    library=defaults.report_format,
    type=LibraryChoice(defaults.report_formats),
    help="File format of the tables.",
)

#: ``--json``: print JSON instead of a table, passed as ``as_json``.
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


def port_option(help: str = "Port to listen on.") -> Callable:
    """``--port``, by default the dashboard's."""
    return library_option(
        "--port", library=defaults.dashboard_port, type=click.IntRange(1, 65535), help=help
    )
