"""``coalition trends``: the coalition measured period by period."""

from __future__ import annotations

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import defaults
from cli.options import (
    LibraryChoice,
    analysis_options,
    err,
    format_option,
    friendly,
    library_option,
    open_store,
    out,
    out_dir_option,
)

__all__ = ["trends"]


@click.command()
@out_dir_option()
@click.option(
    "--every",
    required=True,
    type=LibraryChoice(defaults.trend_periods),
    help="Length of a period: calendar years, quarters or months.",
)
@format_option
@library_option(
    "--seed",
    library=defaults.trends_seed,
    type=int,
    help="Seed for sampling/Louvain.",
)
@analysis_options
@click.pass_context
@friendly
def trends(ctx, out_dir, every, fmt, seed, since, until, movements, weights):
    """Measure the coalition period by period: figures, movement links, brokers, tie changes.

    The span runs from the earliest to the latest date in the data unless
    --since/--until clip it; each period's figures equal those of
    `coalition metrics --since <first day> --until <last day>`.

    Example:

    \b
        coalition trends --out /tmp/coalition-trends --every quarter --since 2020-01-01
    """
    from graph.metrics.trends import trends as measure
    from graph.output import write_trends
    from graph.projection import parse_weights
    from graph.read import read_coalition

    with open_store(ctx) as st:
        coalition = read_coalition(st)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("periods"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("measuring", total=None)

        def progress(done: int, total: int, period: tuple[str, str]) -> None:
            bar.update(task, completed=done, total=total, description=f"measured {period[0]}")

        result = measure(
            coalition,
            every=every,
            since=since,
            until=until,
            weights=parse_weights(weights),
            movements=movements or None,
            seed=seed,
            progress=progress,
        )
    paths = write_trends(result, out_dir, fmt=fmt)
    first, last = result.periods[0][0], result.periods[-1][1]
    out.print(
        f"{len(result.periods):,} periods ({every}) from {first} to {last}; "
        f"{len(result.changes):,} ties gained or lost; betweenness {result.betweenness_mode}"
    )
    for p in paths:
        out.print(f"wrote {p}")
