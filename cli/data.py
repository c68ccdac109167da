"""``coalition validate|load|generate|template``: datasets in; synthetic data, templates out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from cli import defaults
from cli.options import (
    err,
    friendly,
    library_option,
    open_store,
    out,
    out_dir_option,
    out_file_option,
    store_config,
)

__all__ = ["validate", "load", "generate", "template", "rows_table"]

#: The dataset argument of validate and load: a folder of CSV files or an .xlsx workbook.
dataset_argument = click.argument("directory", metavar="DATASET", type=click.Path(path_type=Path))


def print_notes(notes: list[str]) -> None:
    """Print what was noticed but is not a problem (a workbook's ignored sheets)."""
    for note in notes:
        err.print(f"note: {note}", markup=False, soft_wrap=True)


@click.command()
@dataset_argument
@friendly
def validate(directory: Path):
    """Check the dataset DATASET (a folder of CSV files or an .xlsx workbook); writes nothing.

    Every problem is named by file (and sheet), line (or row), column, value
    and reason. A workbook has one sheet per table, named like the files
    without .csv, with the header in row 1.

    Example:

    \b
        coalition validate coalition.xlsx
    """
    from loaders.dataset import validate_dataset

    report = validate_dataset(directory)
    print_notes(report.notes)
    rows_table(f"{directory} is valid", report.rows)


def rows_table(title: str, rows: dict[str, int], summary=None) -> None:
    """Print rows per part (and, for a load, how many were created, changed and left as they
    were: a re-load writes only the created and changed ones)."""
    table = Table(title=title)
    table.add_column("part")
    table.add_column("rows", justify="right")
    if summary is not None:
        for heading in ("created", "changed", "unchanged"):
            table.add_column(heading, justify="right")
    for name, n in rows.items():
        cells = [name, f"{n:,}"]
        if summary is not None:
            cells += [
                f"{summary.created.get(name, 0):,}",
                f"{summary.changed.get(name, 0):,}",
                f"{summary.unchanged.get(name, 0):,}",
            ]
        table.add_row(*cells)
    out.print(table)


@click.command()
@dataset_argument
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also delete records the store has and the dataset no longer does.",
)
@click.option(
    "--adopt",
    is_flag=True,
    help="Mark nodes with coalition's labels that it did not write (e.g. loaded by an "
    "earlier version) as coalition's, instead of refusing to load.",
)
@click.option(
    "--pseudonymize",
    is_flag=True,
    help="Replace member ids by keyed HMAC-SHA256 pseudonyms and drop names before loading.",
)
@click.option(
    "--compare-store",
    is_flag=True,
    help="Compare with every record read from the store, not with the last load's ledger "
    "(after the store's records were changed by hand).",
)
@library_option(
    "--batch-size",
    library=defaults.batch_size,
    type=click.IntRange(min=1),
    help="Rows per UNWIND batch.",
)
@click.pass_context
@friendly
def load(
    ctx,
    directory: Path,
    dry_run: bool,
    prune: bool,
    adopt: bool,
    pseudonymize: bool,
    compare_store: bool,
    batch_size: int,
):
    """Validate the dataset DATASET (a folder of CSV files or an .xlsx workbook), then load it.

    Nothing is written if anything is wrong. A re-load compares the dataset with
    what the store holds and writes only new and changed rows (and, with --prune,
    deletes removed ones); loading the same dataset again writes nothing. What
    changed is found from the lines of the files against the ledger the last load
    left in COALITION_HOME/loads (keys only, no cell values), else by reading the
    store.

    Example:

    \b
        coalition load sample_data
    """
    from loaders.dataset import validate_dataset
    from loaders.load import HeldRead, load_dataset

    # A running store is opened and read while the dataset is validated; its errors
    # (a store that went down) come after the dataset's problems, which come first.
    # An embedded store that is not running is started after the validation, as
    # before: an invalid dataset then starts nothing (nor leaves a server half-started).
    early = None
    if not dry_run and not adopt:
        from graph.store import open_store as open_
        from graph.store.embedded import EmbeddedStore

        config = store_config(ctx)
        if not config.embedded or EmbeddedStore(config.home).status().running:
            early = HeldRead(
                lambda: open_(config),
                keep_names=not pseudonymize,
                owns=True,
                ledger=not compare_store,
            )
    try:
        report = validate_dataset(directory)
    except BaseException:
        if early is not None:
            early.cancel()
        raise
    print_notes(report.notes)
    if dry_run:
        summary = load_dataset(directory, None, dry_run=True, report=report)
        rows_table(f"{directory} is valid; dry run, nothing written", summary.rows)
        return
    with early.store() if early is not None else open_store(ctx) as st:
        total = sum(report.rows.values()) + report.rows.get("groups", 0)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("loading", total=total)
            done: dict[str, int] = {}

            def progress(step: str, rows: int) -> None:
                done[step] = rows
                bar.update(task, completed=sum(done.values()), description=f"loading {step}")

            summary = load_dataset(
                directory,
                st,
                prune=prune,
                adopt=adopt,
                pseudonymize_members=pseudonymize,
                batch_size=batch_size,
                progress=progress,
                report=report,
                held=early,
                compare_store=compare_store,
            )
    rows_table(f"loaded {directory}", summary.rows, summary)
    if any(summary.adopted.values()):
        adopted = {k: v for k, v in summary.adopted.items() if v}
        out.print("adopted: " + ", ".join(f"{k} {v:,}" for k, v in adopted.items()))
    if prune:
        gone = {k: v for k, v in summary.deleted.items() if v}
        out.print(
            "pruned: " + (", ".join(f"{k} {v:,}" for k, v in gone.items()) if gone else "nothing")
        )


@click.command()
@out_dir_option()
@library_option(
    "--groups",
    library=defaults.generate_groups,
    type=int,
    help="Groups (at least one per movement, 8).",
)
@library_option("--members", library=defaults.generate_members, type=int, help="Members.")
@click.option("--memberships", type=int, help="Memberships (default ~2.5/member).")
@click.option("--actions", type=int, help="Joint actions (default ~2.5/group).")
@library_option("--seed", library=defaults.generate_seed, type=int, help="Random seed.")
@friendly
def generate(out_dir, groups, members, memberships, actions, seed):
    """Write a synthetic coalition dataset of any size to --out.

    The same options always give the same files.

    Example:

    \b
        coalition generate --out /tmp/coalition-data --groups 500 --members 8000
    """
    from loaders.generate import generate as gen

    counts = gen(
        out_dir, groups=groups, members=members, seed=seed, memberships=memberships, actions=actions
    )
    rows_table(f"generated {out_dir}", counts)


@click.command()
@out_file_option("The workbook to write (FILE.xlsx; must not exist yet).")
@friendly
def template(out_file: Path):
    """Write an empty dataset workbook to fill in: every sheet, header, notes and drop-downs.

    One sheet per table with its header in row 1 (required columns in bold),
    id columns formatted as text (so 007 stays 007), drop-down lists for the
    roles and resource types, and a notes sheet explaining every column.
    Fill it in, then validate and load it as it is.

    Example:

    \b
        coalition template --out coalition.xlsx
    """
    from loaders.template import write_template

    path = write_template(out_file)
    out.print(f"wrote {path}; fill it in, then: coalition validate {path}", markup=False)
