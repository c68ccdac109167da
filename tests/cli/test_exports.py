"""`coalition export` and `coalition export-graph` (cli.exports), run for real."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from loaders.spec import DATAPACKAGE, FILES

pytestmark = pytest.mark.store


def _table(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_writes_a_dataset_that_loads_back(cli, loaded, tmp_path):
    out = tmp_path / "backup"
    result = cli("export", str(out))
    assert result.returncode == 0, result.stderr
    assert f"exported to the folder {out}\n" in result.stdout
    assert {p.name for p in out.iterdir()} == {
        *(s.filename for s in FILES.values()),
        DATAPACKAGE,
    }
    assert Counter(r["member_id"] for r in _table(out / "memberships.csv")) == Counter(
        r["member_id"] for r in _table(loaded / "memberships.csv")
    )
    moved = cli("load", str(out), database="clitest_moved")  # another store, same coalition
    assert moved.returncode == 0, moved.stderr
    again = tmp_path / "again.xlsx"
    assert cli("export", str(again), database="clitest_moved").returncode == 0
    from openpyxl import load_workbook

    book = load_workbook(again, read_only=True)
    groups = [[c.value for c in row] for row in book["groups"].iter_rows()]
    book.close()
    assert groups[0] == list(FILES["groups"].column_names)
    assert sorted(row[0] for row in groups[1:]) == sorted(
        r["group_id"] for r in _table(loaded / "groups.csv")
    )


def test_export_refuses_a_folder_that_is_not_empty(cli, loaded, tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = cli("export", str(out))
    assert result.returncode == 1
    assert "is not empty; add --force" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    forced = cli("export", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "keep.txt").read_text() == "mine" and (out / "groups.csv").exists()


def test_export_graph_carries_the_metrics_of_the_same_window(cli, loaded, tmp_path):
    window = ["--since", "2017-01-01", "--until", "2019-12-31"]
    metrics = cli("metrics", "--out", str(tmp_path / "m"), *window)
    assert metrics.returncode == 0, metrics.stderr
    path = tmp_path / "coalition.graphml"
    result = cli("export-graph", str(path), *window)
    assert result.returncode == 0, result.stderr
    G = nx.read_graphml(path)
    rows = {r["group_id"]: dict(r) for r in _table(tmp_path / "m" / "group_metrics.csv")}
    for r in _table(tmp_path / "m" / "group_solidarity.csv"):
        rows[r["group_id"]].update(r)
    assert set(G.nodes) == set(rows)
    for gid, row in rows.items():
        data = G.nodes[gid]
        for column, text in row.items():
            if column == "group_id":
                continue
            if text == "":
                assert column not in data, (gid, column)
            elif isinstance(data[column], bool):
                assert text == str(data[column]).lower(), (gid, column)
            elif isinstance(data[column], int | float):
                assert float(text) == data[column], (gid, column)
            else:
                assert text == data[column], (gid, column)
    ties = sum(1 for _ in G.edges)
    assert f"wrote {path}: {len(rows)} groups, {ties} ties\n" in result.stdout


def test_export_graph_wrong_name_is_one_clear_message(cli, loaded, tmp_path):
    result = cli("export-graph", str(tmp_path / "coalition.png"))
    assert result.returncode == 1
    assert "must end in .gexf or .graphml" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []
