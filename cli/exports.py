"""``coalition export|export-graph``: the store's dataset and the coalition graph, out as files."""

from __future__ import annotations

from pathlib import Path

import click

from cli import defaults
from cli.data import rows_table
from cli.options import analysis_options, friendly, library_option, open_store, out

__all__ = ["export", "export_graph"]


@click.command()
@click.argument("target", type=click.Path(path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help=(
        "Write into a folder that is not empty (its dataset files are replaced, other files "
        "kept) or over an existing workbook."
    ),
)
@click.pass_context
@friendly
def export(ctx, target: Path, force: bool):
    """Write the store's dataset to TARGET: a folder, or an .xlsx workbook.

    A folder (TARGET not ending in .xlsx) gets one CSV file per table and a
    datapackage.json, exactly as
    `coalition load` reads them; a workbook gets one sheet per table. Loading
    the export into an empty store gives the same coalition: it is the backup,
    and the way to move a coalition to another store. A pseudonymised store
    exports its pseudonyms (never the key): load them again without
    --pseudonymize.

    Example:

    \b
        coalition export backups/2025-06-01
    """
    from loaders.export import export_dataset

    with open_store(ctx) as st:
        summary = export_dataset(st, target, force=force)
    rows_table("rows exported", summary.rows)
    out.print(f"exported to the {summary.kind} {summary.path}", soft_wrap=True)


@click.command("export-graph")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@library_option("--seed", library=defaults.report_seed, type=int, help="Seed for sampling/Louvain.")
@analysis_options
@click.pass_context
@friendly
def export_graph(ctx, path: Path, seed, since, until, movements, weights):
    """Write the coalition graph to PATH (.gexf for Gephi, .graphml for Cytoscape and others).

    Each group carries its name, movements and properties and every metric of
    `coalition metrics` for the same window; each tie its shared members,
    joint actions, shared resources and weight. Members appear only as
    counts. An existing file is replaced.

    Example:

    \b
        coalition export-graph coalition.gexf --since 2024-01-01
    """
    from graph.graph_file import export_graph as write
    from graph.graph_file import graph_format
    from graph.projection import parse_weights
    from graph.read import read_coalition

    graph_format(path)  # a wrong name fails before the store is read
    with open_store(ctx) as st:
        coalition = read_coalition(st, since=since, until=until)
    groups, ties = write(
        coalition, path, weights=parse_weights(weights), movements=movements or None, seed=seed
    )
    out.print(
        f"wrote {path}: {groups:,} groups, {ties:,} ties",
        soft_wrap=True,
    )
