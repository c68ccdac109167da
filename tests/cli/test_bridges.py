"""`coalition bridges` (cli.analysis), run for real against the tiny fixture in the embedded store.

Expected values worked out by hand from tests/fixtures/tiny. Ties: g1-g2 (m1, a1),
g2-g3 (m2), g3-g4 (m3), g3-g5 (a2), g4-g5 (r1). Primary movements: g1, g2 blm; g3, g4
queer; g5, g6, 007 labour. Degrees: g1 1, g2 2, g3 3, g4 2, g5 2.
"""

from __future__ import annotations

import csv
import json
import math

import pytest

pytestmark = pytest.mark.store

# DESIGN.md's columns, typed out here independently of graph.metrics.bridges.
LINK_COLUMNS = "movement_a movement_b ties carriers cut_size critical_groups distance".split()
INTRO_COLUMNS = "movement_a movement_b group_a group_b common_neighbours adamic_adar rank".split()


def _table(path) -> tuple[list[str], list[dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def test_bridges_writes_the_movement_links_and_introductions_of_the_tiny_coalition(
    cli, loaded, tmp_path
):
    result = cli("bridges", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    columns, links = _table(tmp_path / "movement_links.csv")
    assert columns == LINK_COLUMNS
    assert [tuple(r.values()) for r in links] == [
        # no direct tie; g2 - g3 - g5: two hops
        ("blm", "labour", "0", "0", "0", "", "2"),
        # the single tie g2-g3: both ends critical
        ("blm", "queer", "1", "2", "1", "g2;g3", "1"),
        # g3-g5 and g4-g5: g5 carries both
        ("labour", "queer", "2", "3", "1", "g5", "1"),
    ]
    columns, intros = _table(tmp_path / "introductions.csv")
    assert columns == INTRO_COLUMNS
    # g2-g5 share g3 (degree 3); g1-g3 share g2 (degree 2); g2-g4 share g3
    assert [
        (
            r["movement_a"],
            r["movement_b"],
            r["group_a"],
            r["group_b"],
            r["common_neighbours"],
            r["rank"],
        )
        for r in intros
    ] == [
        ("blm", "labour", "g2", "g5", "1", "1"),
        ("blm", "queer", "g1", "g3", "1", "1"),
        ("blm", "queer", "g2", "g4", "1", "2"),
    ]
    assert [float(r["adamic_adar"]) for r in intros] == pytest.approx(
        [1 / math.log(3), 1 / math.log(2), 1 / math.log(3)]
    )
    assert "3 movement pairs: 2 held by one group, 1 with no direct tie" in result.stdout


def test_bridges_top_and_window_and_json(cli, loaded, tmp_path):
    result = cli("bridges", "--out", str(tmp_path), "--top", "1", "--format", "json")
    assert result.returncode == 0, result.stderr
    intros = json.loads((tmp_path / "introductions.json").read_text())
    assert [(r["group_a"], r["group_b"], r["rank"]) for r in intros] == [
        ("g2", "g5", 1),
        ("g1", "g3", 1),
    ]
    # until 2016: only m1's g1-g2 and a1 overlap; blm is cut off from everyone
    result = cli("bridges", "--out", str(tmp_path), "--until", "2016-12-31", "--format", "json")
    assert result.returncode == 0, result.stderr
    links = json.loads((tmp_path / "movement_links.json").read_text())
    assert [list(r) for r in links] == [LINK_COLUMNS] * 3
    assert [(r["ties"], r["distance"]) for r in links] == [(0, None)] * 3
    assert json.loads((tmp_path / "introductions.json").read_text()) == []


def test_bridges_user_mistakes_get_one_clear_message(cli, loaded, tmp_path):
    result = cli("bridges", "--out", str(tmp_path), "--since", "2024-13-01")
    assert result.returncode != 0
    assert "not an ISO date" in result.stderr and "Traceback" not in result.stderr
    result = cli("bridges", "--out", str(tmp_path), "--top", "0")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert not list(tmp_path.iterdir())


def test_brief_writes_one_html_file_that_agrees_with_the_bridges_files(cli, loaded, tmp_path):
    result = cli("bridges", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    _, links = _table(tmp_path / "movement_links.csv")
    out = tmp_path / "meeting" / "brief.html"
    result = cli("brief", "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    # movement_links.csv says labour-queer rests on g5 alone (Warehouse Workers United)
    (alone,) = [r for r in links if r["critical_groups"] == "g5"]
    assert (alone["movement_a"], alone["movement_b"], alone["ties"]) == ("labour", "queer", "2")
    assert "Labour and Queer Liberation are linked only through Warehouse Workers United " in text
    assert "(2 ties)." in text
    assert "Black Lives Matter and Labour have no direct tie; their closest groups are 2 " in text
    assert "Alex" not in text and "m1" not in text  # a member's name and id
    assert [p.name for p in out.parent.iterdir()] == ["brief.html"]


def test_the_brief_s_changes_agree_with_the_trends_files(cli, loaded, tmp_path):
    """The brief up to 2020 compares 2020 with 2019, as ``coalition trends --every year`` does."""
    result = cli("trends", "--out", str(tmp_path), "--every", "year", "--until", "2020-12-31")
    assert result.returncode == 0, result.stderr
    _, summary = _table(tmp_path / "trends_summary.csv")
    before, now = summary[-2:]
    assert (before["period_start"], now["period_start"]) == ("2019-01-01", "2020-01-01")
    _, changes = _table(tmp_path / "tie_changes.csv")
    latest = [c for c in changes if c["period_start"] == "2020-01-01"]
    gained = [c for c in latest if c["change"] == "gained"]
    lost = [c for c in latest if c["change"] == "lost"]
    _, groups = _table(tmp_path / "trends_groups.csv")
    rank = {(r["period_start"], r["group_id"]): r for r in groups}
    out = tmp_path / "brief.html"
    result = cli("brief", "--out", str(out), "--until", "2020-12-31")
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert (
        "Comparing the year from 2020-01-01 to 2020-12-31 with the year before, from "
        "2019-01-01 to 2019-12-31." in text
    )
    # the files' figures, read back as the brief words them (5 and 4 groups; 2 and 3 of 4 ties)
    assert (before["active_groups"], now["active_groups"]) == ("5", "4")
    assert "Active groups (with at least one tie): 4, down from 5." in text
    assert (before["ties"], now["ties"]) == ("4", "4")
    assert "Ties between groups: unchanged at 4." in text
    share = [f"{100 * float(r['cross_movement_tie_share']):.1f}%" for r in (now, before)]
    assert share == ["75.0%", "50.0%"]
    assert "Share of ties across movements: 75.0%, up from 50.0%." in text
    returned = [f"{100 * float(r['solidarity_reciprocity']):.0f}%" for r in (now, before)]
    assert returned == ["100%", "0%"]
    assert "Support across movements that was returned: 100%, up from 0%." in text
    assert [(c["group_a"], c["group_b"], c["cross_movement"]) for c in gained] == [
        ("g3", "g5", "true")
    ]
    assert [(c["group_a"], c["group_b"], c["cross_movement"]) for c in lost] == [
        ("g1", "g2", "false")
    ]
    assert (
        "1 tie was gained and 1 lost since the period before; 1 of the gained and 0 of the "
        "lost cross movement lines." in text
    )
    # g2 (Justice Kitchen) was second in 2019 and lies between no groups in 2020
    assert rank["2019-01-01", "g2"]["betweenness_rank"] == "2"
    assert float(rank["2020-01-01", "g2"]["betweenness"]) == 0
    assert (
        "Falling broker: Justice Kitchen, betweenness rank 2 in the period before, now no "
        "broker." in text
    )


def test_brief_refuses_a_folder(cli, loaded, tmp_path):
    result = cli("brief", "--out", str(tmp_path))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "directory" in result.stderr
