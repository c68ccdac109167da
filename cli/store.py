"""``coalition store start|stop|status``: the embedded store."""

from __future__ import annotations

import sys

import click

from cli.options import friendly, out

__all__ = ["store"]


@click.group()
def store():
    """Start, stop or inspect the embedded store.

    Example:

    \b
        coalition store status
    """


@store.command("start")
@friendly
def store_start():
    """Start the embedded store (no-op if it is running).

    Example:

    \b
        coalition store start
    """
    from graph.store.embedded import EmbeddedStore

    status = EmbeddedStore().ensure_running()
    out.print(f"embedded store running: pid {status.pid}, {status.uri}, home {status.home}")


@store.command("stop")
@friendly
def store_stop():
    """Stop the embedded store.

    Example:

    \b
        coalition store stop
    """
    from graph.store.embedded import EmbeddedStore

    stopped = EmbeddedStore().stop()
    out.print("embedded store stopped" if stopped else "embedded store was not running")


@store.command("status")
@friendly
def store_status():
    """Say whether the embedded store is running (exit 0) or not (exit 3).

    Example:

    \b
        coalition store status
    """
    from graph.store.embedded import EmbeddedStore

    status = EmbeddedStore().status()
    if status.running:
        out.print(f"running: pid {status.pid}, {status.uri}, home {status.home}")
    else:
        out.print(f"not running (home {status.home})")
        sys.exit(3)
