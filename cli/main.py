"""``coalition``: the command line, a thin layer over graph, loaders and dashboard.

Every command parses its options, calls a library function, and turns our own
exceptions (:class:`graph.errors.CoalitionError`) into one clear message and a
non-zero exit status at this one edge (:func:`cli.options.friendly`). This
module is the entry point; the commands live in one module per group.
"""

from __future__ import annotations

import logging

import click

from cli.analysis import bridges, brief, metrics, paths, whatif
from cli.data import generate, load, template, validate
from cli.exports import export, export_graph
from cli.options import store_options
from cli.privacy import erase_member
from cli.serve import dashboard, dashboard_passwd, demo
from cli.store import store
from cli.trends import trends

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@store_options
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
@click.pass_context
def main(ctx, uri, username, password, database, verbose):
    """Coalition Graph Explorer: map and measure solidarity across movements.

    With no NEO4J_URI the embedded store in $COALITION_HOME (default
    ./.coalition) is used, started on demand.

    Example:

    \b
        coalition demo
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = {"uri": uri, "username": username, "password": password, "database": database}


for command in (
    store,
    validate,
    load,
    generate,
    template,
    export,
    export_graph,
    metrics,
    paths,
    whatif,
    trends,
    bridges,
    brief,
    erase_member,
    dashboard,
    dashboard_passwd,
    demo,
):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
