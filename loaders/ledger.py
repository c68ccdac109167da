"""What our last load left in the store, kept beside it, so a re-load compares lines.

A re-load writes only what changed. Finding what changed by reading every
record back from the store costs about as much as writing them (a million
memberships), so each load of a CSV folder leaves a *ledger* in
``$COALITION_HOME/loads/<load token>/``:

* per dataset file, its header line, a 64-bit digest of every data line
  (BLAKE2b) and, per label and type that file gives, the keys each line became
  in the store (a node's id, a relationship's two end ids);
* per label and type, the keys the store holds that no line of the dataset
  gave (left by a load without ``--prune``), and how many records it holds.

No cell value is kept: keys only, which are ids the store itself holds
(pseudonyms in a pseudonymised store, never the ids they were made from).

The next load uses a ledger only if the load state it claims names it: the
same token and version, a complete load, the same way of making keys (names
kept or not, the pseudonym key's fingerprint) and this format. Every write of
the product that changes a dataset's records moves the load state's version (a
load; :func:`graph.privacy.erase_member`), so a ledger never stands for a store
it does not describe. Then only the lines that differ are parsed: a new or
edited line is a row to write (``MERGE``), a line that is gone names the keys
the store holds and the dataset may no longer have (deleted with ``--prune``).
A file that is byte for byte the one loaded last is not looked at again.

Where lines are not records the store is read instead, for that file's labels
and types only: a quoted cell that holds a line break, a header that changed,
a workbook (no lines at all), a line that cannot be parsed on its own.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graph.store import ledger_home

__all__ = ["Ledger", "FileLines", "Diff", "Comparison", "STALE", "LEDGER_FORMAT"]

log = logging.getLogger(__name__)

#: Bumped whenever what a ledger holds or how it is read changes: older ones are ignored.
LEDGER_FORMAT = 1
#: Ledgers of other stores (other databases, other servers) kept besides this one's.
KEEP_LEDGERS = 8
#: Stands for a record the store holds whose values the ledger does not know: any row
#: of the dataset with its key is written again.
STALE = object()

_KEY_SEP = "\x1f"  # between the two ends of a relationship's key (no cell holds it)
_LINE_SEP = "\x1e"  # between the keys one line gives to a listed relationship
_MANIFEST = "ledger.json"


def _encode(key) -> str:
    return key if isinstance(key, str) else _KEY_SEP.join(key)


def _decode(text: str):
    return tuple(text.split(_KEY_SEP)) if _KEY_SEP in text else text


def _keys_of_line(text: str) -> list:
    return [_decode(k) for k in text.split(_LINE_SEP)] if text else []


def digests(lines: Iterable[bytes]) -> np.ndarray:
    """A 64-bit BLAKE2b digest of each line, as unsigned integers."""
    blake = hashlib.blake2b
    joined = b"".join([blake(line, digest_size=8).digest() for line in lines])
    return np.frombuffer(joined, dtype="<u8")


@dataclass
class FileLines:
    """A CSV file's data lines: their numbers (1 is the header) and bytes, blank ones left out."""

    header: bytes
    numbers: np.ndarray
    lines: list[bytes]
    sha256: str

    @classmethod
    def read(cls, path: Path) -> FileLines:
        data = path.read_bytes()
        text = data.replace(b"\r\n", b"\n") if b"\r\n" in data else data
        lines = text.split(b"\n")
        if b"\n\n" not in text and lines[0]:  # no blank line but maybe the last
            data_lines = lines[1:-1] if lines[-1] == b"" else lines[1:]
            numbers = np.arange(2, 2 + len(data_lines), dtype=np.int64)
        else:
            found = [i for i, line in enumerate(lines[1:], start=2) if line]
            numbers = np.asarray(found, dtype=np.int64)
            data_lines = [lines[i - 1] for i in found]
        return cls(lines[0], numbers, data_lines, hashlib.sha256(data).hexdigest())

    @property
    def one_per_line(self) -> bool:
        """No line holds an odd number of quotes: no quoted cell spans lines."""
        return not any(line.count(b'"') % 2 for line in self.lines if b'"' in line)


def parse_lines(header: bytes, numbered: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, dict]]:
    """``(line, row)`` of single data lines, read as :func:`loaders.dataset.iter_records`
    reads a whole file (header cells trimmed, a leading byte-order mark dropped).

    Raises ``ValueError`` if a line is not one whole record.
    """
    text = header.decode("utf-8").removeprefix("\ufeff")
    columns = [h.strip() for h in next(csv.reader([text], strict=True))]
    for number, line in numbered:
        rows = list(csv.reader([line.decode("utf-8")], strict=True))
        if len(rows) != 1 or len(rows[0]) != len(columns):
            raise ValueError(f"line {number} is not one record")
        yield number, dict(zip(columns, rows[0], strict=True))


@dataclass
class _File:
    """One file's part of a ledger."""

    header: bytes
    sha256: str
    digests: np.ndarray  # per data line, in file order
    keys: dict[str, list[str]]  # per label or type: per line, its encoded keys


@dataclass
class Ledger:
    """The ledger of one load (see the module's docstring)."""

    token: str
    version: int
    fingerprint: dict
    files: dict[str, _File] = field(default_factory=dict)
    #: per label and type: (records the store holds, keys no line gives)
    tables: dict[str, tuple[int, list]] = field(default_factory=dict)

    # -- finding and keeping ---------------------------------------------------

    @classmethod
    def find(cls, home, state, fingerprint: dict) -> Ledger | None:
        """The ledger of the load ``state`` (a :class:`graph.store.loadstate.LoadState`)
        describes, made the way ``fingerprint`` says, or None."""
        if state is None or state.status != "complete" or not state.token:
            return None
        path = ledger_home(home) / state.token
        try:
            manifest = json.loads((path / _MANIFEST).read_text(encoding="utf-8"))
            if (
                manifest["format"] != LEDGER_FORMAT
                or manifest["version"] != state.version
                or manifest["fingerprint"] != fingerprint
            ):
                return None
            files = {}
            for name, entry in manifest["files"].items():
                keys = {
                    table: (path / f"{name}.{table}.keys").read_text(encoding="utf-8").split("\n")
                    for table in entry["tables"]
                }
                found = np.load(path / f"{name}.digests.npy", allow_pickle=False)
                if any(len(k) != len(found) for k in keys.values()):
                    return None
                files[name] = _File(entry["header"].encode("utf-8"), entry["sha256"], found, keys)
            tables = {
                t: (rows, [_decode(k) for k in extra])
                for t, (rows, extra) in manifest["tables"].items()
            }
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return cls(state.token, state.version, fingerprint, files, tables)

    @staticmethod
    def exists(home, state) -> bool:
        """Whether a ledger for ``state`` may be there (its manifest exists): a cheap look."""
        return bool(
            state is not None
            and state.status == "complete"
            and state.token
            and (ledger_home(home) / state.token / _MANIFEST).exists()
        )

    def save(self, home) -> None:
        """Write this ledger under ``home``, replacing any of the same token; drop the
        oldest others beyond :data:`KEEP_LEDGERS`."""
        root = ledger_home(home)
        root.mkdir(parents=True, exist_ok=True)
        temporary = root / f".{self.token}.{uuid.uuid4().hex}"
        temporary.mkdir(mode=0o700)
        try:
            manifest = {
                "format": LEDGER_FORMAT,
                "token": self.token,
                "version": self.version,
                "fingerprint": self.fingerprint,
                "files": {},
                "tables": {
                    t: [rows, [_encode(k) for k in extra]]
                    for t, (rows, extra) in self.tables.items()
                },
            }
            for name, part in self.files.items():
                np.save(temporary / f"{name}.digests.npy", part.digests, allow_pickle=False)
                for table, keys in part.keys.items():
                    (temporary / f"{name}.{table}.keys").write_text("\n".join(keys), "utf-8")
                manifest["files"][name] = {
                    "header": part.header.decode("utf-8"),
                    "sha256": part.sha256,
                    "tables": list(part.keys),
                }
            (temporary / _MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
            final = root / self.token
            shutil.rmtree(final, ignore_errors=True)
            temporary.rename(final)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)
        others = sorted(
            (p for p in root.iterdir() if p.is_dir() and p.name != self.token),
            key=lambda p: p.stat().st_mtime,
        )
        for old in others[: max(0, len(others) - KEEP_LEDGERS + 1)]:
            shutil.rmtree(old, ignore_errors=True)

    def drop(self, home) -> None:
        """Delete this ledger (a newer load replaced it)."""
        shutil.rmtree(ledger_home(home) / self.token, ignore_errors=True)


@dataclass
class Diff:
    """How one file differs from its ledger: what to parse and what the store holds.

    ``same``: the file is byte for byte the one loaded. Else ``added`` are the data
    lines not in the ledger, parsed (``(line, row)``), and ``gone[table]`` the keys of the
    ledger's lines that are not in the file (with any extra records, what the store
    holds that the file's unchanged lines do not give).
    """

    name: str
    lines: FileLines | None
    new_digests: np.ndarray | None
    kept: np.ndarray | None  # per new data line: its index among the ledger's lines, or -1
    added: list[tuple[int, dict]]
    gone: dict[str, list]
    same: bool

    @classmethod
    def unchanged(cls, name: str, tables: Iterable[str]) -> Diff:
        """A file as it was loaded last (or absent then and now): nothing to read."""
        return cls(name, None, None, None, [], {t: [] for t in tables}, True)

    @classmethod
    def of(cls, name: str, path: Path, old: _File) -> Diff | None:
        """The difference of the file at ``path`` to ``old``; None if lines are not records.

        Raises ``ValueError`` (or a decoding or CSV error) if an added line is not
        one whole record."""
        lines = FileLines.read(path)
        if lines.sha256 == old.sha256:
            return cls.unchanged(name, old.keys)
        if lines.header != old.header:
            return None
        new = digests(lines.lines)
        by_new = np.argsort(new)
        queries = new[by_new]
        if np.any(queries[1:] == queries[:-1]):
            return None  # two equal lines (or equal digests): leave it to the store
        by_old = np.argsort(old.digests)
        ranked = old.digests[by_old]
        kept = np.full(len(new), -1, dtype=np.int64)
        if len(ranked):
            # sorted against sorted: each search starts near the last one
            where = np.minimum(np.searchsorted(ranked, queries), len(ranked) - 1)
            hit = ranked[where] == queries
            kept[by_new[hit]] = by_old[where[hit]]
        still = np.zeros(len(old.digests), dtype=bool)
        still[kept[kept >= 0]] = True
        numbers = lines.numbers.tolist()
        added = [(numbers[i], lines.lines[i]) for i in np.flatnonzero(kept < 0).tolist()]
        if any(line.count(b'"') % 2 for _, line in added):
            return None  # a quoted cell spans lines
        parsed = list(parse_lines(old.header, added))
        gone_lines = np.flatnonzero(~still)
        gone = {
            table: [k for i in gone_lines for k in _keys_of_line(keys[i])]
            for table, keys in old.keys.items()
        }
        return cls(name, lines, new, kept, parsed, gone, False)


class Recorder:
    """Notes, while a load writes, the keys each data line of each file became.

    ``note(table, line, key)`` is called by the load's plan for every record; at
    the end :meth:`file` makes a file's part of the next ledger from them.
    """

    def __init__(self) -> None:
        self.noted: dict[str, tuple[list[int], list]] = {}

    def note(self, table: str, line: int, key) -> None:
        lines, keys = self.noted.setdefault(table, ([], []))
        lines.append(line)
        keys.append(key)

    def per_line(self, table: str, numbers: np.ndarray, *, one_each: bool) -> list[str] | None:
        """The encoded keys of each line in ``numbers`` (all data lines, or the parsed ones);
        None if the records noted are not one per line (``one_each``) or fall elsewhere."""
        lines, keys = self.noted.pop(table, ([], []))
        if one_each:
            if len(lines) != len(numbers) or not np.array_equal(lines, numbers):
                return None
            return [_encode(k) for k in keys]
        position = {int(n): i for i, n in enumerate(numbers)}
        out: list[list[str]] = [[] for _ in numbers]
        for line, key in zip(lines, keys, strict=True):
            i = position.get(line)
            if i is None:
                return None
            out[i].append(_encode(key))
        return [_LINE_SEP.join(k) for k in out]


def merged_keys(diff: Diff, old: _File, table: str, parsed: list[str]) -> list[str]:
    """A changed file's keys per line for ``table``: the ledger's for the lines kept,
    ``parsed`` (in order) for the added ones."""
    previous = old.keys[table]
    fresh = iter(parsed)
    return [previous[j] if j >= 0 else next(fresh) for j in diff.kept.tolist()]


class Comparison:
    """A load's use of ledgers: the last one (if it describes the store) and the next.

    Parameters
    ----------
    directory : Path
        The dataset (only a folder of CSV files has lines; a workbook has no ledger).
    files : dict
        Per dataset file: its file name and the labels and types it gives, each
        with whether it gives one record per line (``(table, one_each)``).
    fingerprint : dict
        How the load makes keys (see :meth:`Ledger.find`).
    read_rows : callable
        ``read_rows(file)``: every ``(line, row)`` of a file (for the files read whole).
    """

    def __init__(self, directory: Path, files: dict, fingerprint: dict, read_rows) -> None:
        self.directory = directory
        self.files = files
        self.fingerprint = fingerprint
        self.read_rows = read_rows
        self.folder = directory.is_dir()
        #: The dataset file each label and type comes from.
        self.file_of = {t: f for f, (_, tables) in files.items() for t, _ in tables}
        self.last: Ledger | None = None
        self.diffs: dict[str, Diff] = {}
        self.recorder = Recorder()

    def use(self, home, previous) -> None:
        """Compare with the ledger of ``previous`` (the claimed load's predecessor), if any."""
        if not self.folder:
            return
        self.last = Ledger.find(home, previous, self.fingerprint)
        if self.last is None:
            return
        for file, (filename, tables) in self.files.items():
            old = self.last.files.get(file)
            path = self.directory / filename
            if old is None and not path.exists():
                if all(self.last.tables.get(t, (1, []))[0] == 0 for t, _ in tables):
                    self.diffs[file] = Diff.unchanged(file, (t for t, _ in tables))
                continue
            if old is None or not path.is_file() or any(t not in old.keys for t, _ in tables):
                continue
            try:
                diff = Diff.of(file, path, old)
            except (OSError, ValueError, UnicodeDecodeError, csv.Error):
                diff = None
            if diff is not None:
                self.diffs[file] = diff
        log.info(
            "compared with the ledger of the last load: %s",
            ", ".join(
                f"{f} {'same' if d.same else f'{len(d.added)} lines new or edited'}"
                for f, d in self.diffs.items()
            )
            or "no file",
        )

    def rows(self, file: str) -> Iterator[tuple[int, dict]]:
        """What a load reads of ``file``: its new and edited lines if compared, else all."""
        diff = self.diffs.get(file)
        if diff is None:
            return self.read_rows(file)
        return iter(diff.added)

    def compared(self, table: str) -> tuple[list, list, bool] | None:
        """For a label or type whose file was compared: the keys of its lines that are
        new or gone (the store's records of these are read to compare with), the keys
        the store holds that no line gave, and whether the store holds any of it; None
        to read the whole table from the store."""
        diff = self.diffs.get(self.file_of.get(table))
        if diff is None:
            return None
        rows, extra = self.last.tables.get(table, (0, []))
        return diff.gone[table], extra, rows > 0

    def rows_of(self, table: str, seen: int) -> int:
        """The dataset's records of a compared ``table``, ``seen`` of them parsed."""
        rows, extra = self.last.tables.get(table, (0, []))
        return rows - len(extra) - len(self.diffs[self.file_of[table]].gone[table]) + seen

    def save(self, home, token: str, version: int, rows: dict, left: dict, prune: bool) -> None:
        """Keep the ledger of the load just finished (``rows``: the dataset's records per
        table; ``left``: the keys the store still holds that the dataset does not give,
        or pruned if ``prune``); drop the last one. A ledger only saves time: a file
        whose lines are not records is left out, and a failure to write is logged."""
        if not self.folder:
            return
        try:
            files = {}
            for file, (filename, tables) in self.files.items():
                part = self._file(file, filename, tables)
                if part is not None:
                    files[file] = part
            tables = {
                t: (
                    rows.get(t, 0) + (0 if prune else len(left.get(t, ()))),
                    [] if prune else list(left.get(t, ())),
                )
                for t in rows
            }
            Ledger(token, version, self.fingerprint, files, tables).save(home)
        except OSError as exc:
            log.warning(
                "the ledger of this load was not kept (%s): the next load reads the store", exc
            )
        if self.last is not None and self.last.token != token:
            self.last.drop(home)

    def _file(self, file: str, filename: str, tables) -> _File | None:
        diff = self.diffs.get(file)
        old = self.last.files.get(file) if self.last is not None else None
        if diff is not None and diff.same:
            for table, _ in tables:
                self.recorder.noted.pop(table, None)
            return old
        if diff is not None:
            parsed = np.asarray([n for n, _ in diff.added], dtype=np.int64)
            keys = {}
            for table, one_each in tables:
                found = self.recorder.per_line(table, parsed, one_each=one_each)
                if found is None:
                    return None
                keys[table] = merged_keys(diff, old, table, found)
            return _File(diff.lines.header, diff.lines.sha256, diff.new_digests, keys)
        path = self.directory / filename
        if not path.is_file():
            return None
        lines = FileLines.read(path)
        if not lines.one_per_line:
            return None
        keys = {}
        for table, one_each in tables:
            found = self.recorder.per_line(table, lines.numbers, one_each=one_each)
            if found is None:
                return None
            keys[table] = found
        return _File(lines.header, lines.sha256, digests(lines.lines), keys)
