"""The store's dataset, written back out: a folder of CSV files, or a workbook.

``coalition export`` is the backup, and the way to move a coalition between
stores: loading the exported folder into an empty store gives the same nodes,
relationships and properties. Its files, columns and format are the ones
:mod:`loaders.spec` describes (the same ``datapackage.json`` as
``sample_data/``); the rows of each file are sorted by their key, so exporting
the same store twice gives the same files.

What is read is what the product reads (:func:`graph.read.read_records`): only
coalition records, with their ids as the store holds them. A pseudonymised
store exports its pseudonyms; the pseudonym key is never read.

Nothing is half written: every file is written in full beside the target
first, then moved into place. An existing, non-empty target is refused unless
``force`` (then the dataset's files in it are replaced and other files are left
alone).

>>> from graph.schema import GROUP, IN_MOVEMENT, MOVEMENT
>>> from graph.store.cypher import RECORD_TABLES
>>> records = {name: (columns, []) for name, (columns, _) in RECORD_TABLES.items()}
>>> records[MOVEMENT] = (("id", "name", "description"), [["m", "Mutual Aid", None]])
>>> records[GROUP] = (
...     ("id", "name", "city", "region", "country", "founded", "size"),
...     [["g2", "Two", None, None, None, None, 7], ["g1", "One", "Oslo", None, None, 1999, None]],
... )
>>> records[IN_MOVEMENT] = (
...     ("group_id", "movement_id", "rank"), [["g1", "m", 0], ["g2", "m", 0]]
... )
>>> dataset_rows(records)["groups"]
[('g1', 'One', 'm', 'Oslo', None, None, 1999, None), ('g2', 'Two', 'm', None, None, None, None, 7)]
"""

from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from graph.errors import CoalitionError
from graph.schema import KEY_COLUMNS, NODE_KEY, RELATIONSHIP_ENDS, RELATIONSHIP_PROPERTIES
from loaders.spec import DATAPACKAGE, FILES, FileSpec, write_datapackage

__all__ = [
    "ExportRefused",
    "ExportSummary",
    "export_dataset",
    "dataset_rows",
    "write_folder",
    "write_workbook",
    "WORKBOOK_SUFFIX",
    "MAX_SHEET_ROWS",
    "MAX_CELL_CHARS",
]

log = logging.getLogger(__name__)

#: A target ending in this is written as a workbook; anything else is a folder.
WORKBOOK_SUFFIX = ".xlsx"
#: Suffixes of files that are neither a folder nor a workbook we write.
_NOT_A_TARGET = (".xls", ".xlsm", ".xlsb", ".ods", ".csv", ".json", ".zip", ".gexf", ".graphml")
#: Excel's limits: rows per sheet (the header included) and characters per cell.
MAX_SHEET_ROWS = 1_048_576
MAX_CELL_CHARS = 32_767
#: Package name and description written into an exported folder's ``datapackage.json``.
PACKAGE_NAME = "coalition-export"
PACKAGE_DESCRIPTION = (
    "A coalition exported from a Coalition Graph Explorer store by `coalition export`; "
    "`coalition load` loads it into another store."
)


class ExportRefused(CoalitionError):
    """The export cannot be written where it was asked to go; nothing was written."""


@dataclass
class ExportSummary:
    """What an export wrote: where, as what, and the rows of each file."""

    path: Path
    kind: str  # "folder" or "workbook"
    rows: dict[str, int] = field(default_factory=dict)


def export_dataset(store, target: str | os.PathLike, *, force: bool = False) -> ExportSummary:
    """Write the store's dataset to a folder, or to a workbook if ``target`` ends in ``.xlsx``.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    target : path
        A folder (created if missing; with a ``datapackage.json`` and one CSV
        file per table) or an ``.xlsx`` workbook (one sheet per table).
    force : bool
        Write into a folder that is not empty (its dataset files are replaced,
        other files kept) or over an existing workbook.

    Returns
    -------
    ExportSummary

    Raises
    ------
    ExportRefused
        If the target exists and is not empty (without ``force``), is of the
        wrong kind, cannot be written, the store holds no coalition, or a
        table does not fit in a spreadsheet. Nothing is written then.
    graph.errors.LoadInProgress, graph.errors.IncompleteLoad
        While a load is writing, or after one stopped part-way.
    """
    from graph.read import read_records

    target = Path(target)
    workbook = target.suffix.lower() == WORKBOOK_SUFFIX
    _check_target(target, workbook=workbook, force=force)
    rows = dataset_rows(read_records(store))
    if not rows["groups"] and not rows["movements"]:
        raise ExportRefused(
            "the store holds no coalition (no movements, no groups): nothing to export"
        )
    if workbook:
        write_workbook(rows, target)
    else:
        write_folder(rows, target)
    log.info("exported %s", {name: len(table) for name, table in rows.items()})
    return ExportSummary(
        target, "workbook" if workbook else "folder", {n: len(t) for n, t in rows.items()}
    )


def dataset_rows(records: dict[str, tuple[tuple[str, ...], list[list]]]) -> dict[str, list[tuple]]:
    """The dataset's tables from the store's records: per file, rows in its columns' order.

    Parameters
    ----------
    records : dict
        As :func:`graph.read.read_records` returns them: per node label and
        relationship type, ``(columns, rows)``.

    Returns
    -------
    dict
        Per file of :data:`loaders.spec.FILES`, one tuple per row with a value
        per column (None for an empty cell, whole numbers as ``int``), sorted
        by the file's key. A list column (a group's ``movements``) joins its
        ids with ``;`` in the order of their rank, the primary first.
    """
    out: dict[str, list[tuple]] = {}
    for name, spec in FILES.items():
        columns, table = records[spec.label or spec.relationship]
        place = {c: i for i, c in enumerate(columns)}
        if spec.label:
            place[spec.key[0]] = place[NODE_KEY]
        table = sorted(table, key=itemgetter(*(place[k] for k in spec.key)))
        listed = [c for c in spec.columns if c.relationship]
        if not listed:
            pick = _picker([place[c] for c in spec.column_names])
            out[name] = [pick(record) for record in table]
            continue
        (column,) = listed  # a group's movements: joined ids, the primary first
        lists = _listed(records, column.relationship)
        at = spec.column_names.index(column.name)
        key = place[spec.key[0]]
        before = _picker([place[c] for c in spec.column_names[:at]])
        after = _picker([place[c] for c in spec.column_names[at + 1 :]])
        out[name] = [(*before(r), ";".join(lists.get(r[key], ())), *after(r)) for r in table]
    return out


def _picker(indices: list[int]):
    """A function returning the values at ``indices`` of a row, always as a tuple."""
    if len(indices) == 1:
        (i,) = indices
        return lambda row: (row[i],)
    return itemgetter(*indices) if indices else (lambda row: ())


def _listed(records, rel: str) -> dict[str, list[str]]:
    """Each start node's listed ends of ``rel``, in the order of their rank."""
    start, end = (KEY_COLUMNS[label] for label in RELATIONSHIP_ENDS[rel])
    (rank,) = RELATIONSHIP_PROPERTIES[rel]
    columns, table = records[rel]
    a, b, r = columns.index(start), columns.index(end), columns.index(rank)
    ranked: dict[str, list[tuple]] = defaultdict(list)
    for row in table:
        ranked[row[a]].append((row[r] is None, row[r] or 0, row[b]))
    return {owner: [m for *_, m in sorted(pairs)] for owner, pairs in ranked.items()}


# -- where it goes ---------------------------------------------------------------------------


def _check_target(target: Path, *, workbook: bool, force: bool) -> None:
    """Refuse a target that cannot or must not be written, before anything is read."""
    if not workbook and target.suffix.lower() in _NOT_A_TARGET:
        raise ExportRefused(
            f"{target}: export writes a folder or an {WORKBOOK_SUFFIX} workbook, "
            f"not a {target.suffix} file"
        )
    if target.exists():
        if workbook and target.is_dir():
            raise ExportRefused(f"{target} is a folder, not a workbook")
        if not workbook and not target.is_dir():
            raise ExportRefused(f"{target} is a file, not a folder")
        if not force:
            if workbook:
                raise ExportRefused(f"{target} already exists; add --force to replace it")
            if any(target.iterdir()):
                raise ExportRefused(
                    f"the folder {target} is not empty; add --force to replace the dataset "
                    f"files in it (other files are left alone)"
                )
    parent = _existing_parent(target)
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportRefused(f"cannot write {target}: no permission to write in {parent}")
    if target.exists() and target.is_dir() and not os.access(target, os.W_OK | os.X_OK):
        raise ExportRefused(f"cannot write {target}: no permission to write in it")


def _existing_parent(path: Path) -> Path:
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ExportRefused(f"cannot write {path}: {parent} is a file, not a folder")
    return parent


class _Writing:
    """Turn an operating system error while writing into one clear message."""

    def __init__(self, target: Path):
        self.target = target

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise ExportRefused(f"cannot write {self.target}: {reason}") from None
        return False


def write_folder(rows: dict[str, list[tuple]], target: str | os.PathLike) -> Path:
    """Write the tables of :func:`dataset_rows` as a dataset folder with ``datapackage.json``.

    The files are written in full into a new folder beside ``target``, then
    moved into place: ``target`` never holds half an export. An existing
    ``target`` keeps the files that are not part of a dataset.
    """
    target = Path(target)
    with _Writing(target):
        target.absolute().parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.absolute().parent))
        try:
            for name, spec in FILES.items():
                _write_csv(staging / spec.filename, spec, rows[name])
            write_datapackage(staging, name=PACKAGE_NAME, description=PACKAGE_DESCRIPTION)
            if target.exists():
                for name in (*(spec.filename for spec in FILES.values()), DATAPACKAGE):
                    os.replace(staging / name, target / name)
                staging.rmdir()
            else:
                staging.rename(target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return target


def _write_csv(path: Path, spec: FileSpec, rows: list[tuple]) -> None:
    """One file as the loader reads it (UTF-8, comma, header row; an empty cell is None)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(spec.column_names)
        writer.writerows(tuple("" if v is None else v for v in row) for row in rows)


def write_workbook(rows: dict[str, list[tuple]], target: str | os.PathLike) -> Path:
    """Write the tables of :func:`dataset_rows` as an ``.xlsx`` workbook.

    One sheet per table, named like its file without ``.csv``, the header in
    the first row. Whole numbers are number cells; everything else (ids,
    dates, names) is a text cell, so ``007`` and ``2024-05-01`` read back as
    written and a cell starting with ``=`` is text, never a formula. An empty
    cell is left empty. Written by openpyxl in write-only mode to a file beside
    ``target``, then moved into place.

    Raises
    ------
    ExportRefused
        If a table has more rows than a sheet holds, or a cell more characters
        than a spreadsheet cell holds (export to a folder instead).
    """
    from openpyxl import Workbook

    target = Path(target)
    _check_fits(rows)
    with _Writing(target):
        target.absolute().parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=WORKBOOK_SUFFIX, dir=target.absolute().parent
        )
        os.close(fd)
        staging = Path(name)
        try:
            book = Workbook(write_only=True)
            for stem, spec in FILES.items():
                sheet = book.create_sheet(title=stem)
                sheet.freeze_panes = "A2"  # the header stays in view while scrolling
                sheet.append(list(spec.column_names))
                for row in rows[stem]:
                    sheet.append([_cell(sheet, v) for v in row])
            book.save(staging)
            os.replace(staging, target)
        except BaseException:
            staging.unlink(missing_ok=True)
            raise
    return target


def _cell(sheet, value: Any) -> Any:
    """A value as openpyxl should write it: text that openpyxl would take for a formula
    (``=...``) or an error code (``#N/A``) is forced to be a text cell."""
    if isinstance(value, str) and value[:1] in ("=", "#"):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def _check_fits(rows: dict[str, list[tuple]]) -> None:
    """Refuse, before writing, a table a spreadsheet cannot hold."""
    for stem, spec in FILES.items():
        table = rows[stem]
        if len(table) + 1 > MAX_SHEET_ROWS:
            raise ExportRefused(
                f"sheet {stem}: {len(table):,} rows do not fit in a spreadsheet "
                f"({MAX_SHEET_ROWS - 1:,} at most); export to a folder instead"
            )
        for number, row in enumerate(table, start=2):
            for column, value in zip(spec.column_names, row, strict=True):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise ExportRefused(
                        f"sheet {stem}, row {number}, column {column}: {len(value):,} "
                        f"characters do not fit in a spreadsheet cell ({MAX_CELL_CHARS:,} at "
                        f"most); export to a folder instead"
                    )
