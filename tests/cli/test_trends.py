"""`coalition trends` (cli.trends), run for real, and equal to `coalition metrics` per period."""

from __future__ import annotations

import csv
import json

import pytest

pytestmark = pytest.mark.store

# The files and columns of DESIGN.md, typed out here independently of graph.metrics.trends.
DESIGN_COLUMNS = {
    "trends_summary": (
        "period_start period_end active_groups ties cross_movement_tie_share "
        "movement_modularity louvain_modularity components solidarity_reciprocity"
    ).split(),
    "trends_movement_pairs": (
        "period_start movement_a movement_b shared_members joint_actions shared_resources ties"
    ).split(),
    "trends_groups": (
        "period_start group_id degree betweenness betweenness_rank participation brokerage_liaison"
    ).split(),
    "tie_changes": "period_start group_a group_b change cross_movement".split(),
}


def _rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def yearly(cli, loaded, tmp_path_factory):
    out = tmp_path_factory.mktemp("trends")
    result = cli("trends", "--out", str(out), "--every", "year")
    assert result.returncode == 0, result.stderr
    return out, result


def test_trends_writes_the_four_files(yearly):
    out, result = yearly
    for name, columns in DESIGN_COLUMNS.items():
        with open(out / f"{name}.csv", newline="") as fh:
            assert next(csv.reader(fh)) == columns
    summary = _rows(out / "trends_summary.csv")
    # the tiny dataset's dates run from 2010-01-01 (m5 joins g5) to 2022-12-31 (r1 ends)
    assert [r["period_start"] for r in summary] == [f"{y}-01-01" for y in range(2010, 2023)]
    assert "13 periods (year) from 2010-01-01 to 2022-12-31" in result.stdout
    # g1-g2 share m1 from 2016-03 to 2019-12 (and a1 in 2016): gained in 2016, lost in 2020
    changes = {
        (r["period_start"], r["group_a"], r["group_b"]): r for r in _rows(out / "tie_changes.csv")
    }
    assert changes[("2016-01-01", "g1", "g2")]["change"] == "gained"
    assert changes[("2020-01-01", "g1", "g2")]["change"] == "lost"
    assert changes[("2020-01-01", "g1", "g2")]["cross_movement"] == "false"
    # g3-g5 (queer-labour) only in June 2020, through action a2
    assert changes[("2020-01-01", "g3", "g5")]["cross_movement"] == "true"
    assert changes[("2021-01-01", "g3", "g5")]["change"] == "lost"


@pytest.mark.parametrize(
    ("since", "until"), [("2016-01-01", "2016-12-31"), ("2020-01-01", "2020-12-31")]
)
def test_a_period_equals_metrics_of_its_window(cli, yearly, tmp_path, since, until):
    out, _ = yearly
    result = cli("metrics", "--out", str(tmp_path), "--since", since, "--until", until)
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "network_summary.json").read_text())
    groups = _rows(tmp_path / "group_metrics.csv")
    matrix = _rows(tmp_path / "movement_matrix.csv")
    period = next(r for r in _rows(out / "trends_summary.csv") if r["period_start"] == since)
    assert period["period_end"] == until
    assert int(period["ties"]) == summary["ties"]
    for key in (
        "cross_movement_tie_share",
        "movement_modularity",
        "louvain_modularity",
        "solidarity_reciprocity",
    ):
        mine, theirs = period[key], summary[key]
        assert (mine == "") == (theirs is None), key
        if theirs is not None:
            assert float(mine) == pytest.approx(theirs, abs=1e-12), key
    active = {r["group_id"]: r for r in groups if int(r["degree"]) > 0}
    assert int(period["active_groups"]) == len(active)
    assert int(period["components"]) == summary["components"] - (len(groups) - len(active))
    mine = {
        r["group_id"]: r for r in _rows(out / "trends_groups.csv") if r["period_start"] == since
    }
    assert set(mine) == set(active)
    for gid, r in active.items():
        assert mine[gid]["degree"] == r["degree"]
        assert float(mine[gid]["betweenness"]) == pytest.approx(float(r["betweenness"]), abs=1e-12)
        assert float(mine[gid]["participation"]) == pytest.approx(
            float(r["participation"]), abs=1e-12
        )
        assert mine[gid]["brokerage_liaison"] == r["brokerage_liaison"]
    pairs = {
        (r["movement_a"], r["movement_b"]): r
        for r in _rows(out / "trends_movement_pairs.csv")
        if r["period_start"] == since
    }
    tied = {(r["movement_a"], r["movement_b"]): r for r in matrix if int(r["ties"]) > 0}
    assert set(pairs) == set(tied)
    for key, r in tied.items():
        for column in ("shared_members", "joint_actions", "shared_resources", "ties"):
            assert pairs[key][column] == r[column]


def test_quarters_clipped_to_the_window(cli, loaded, tmp_path):
    result = cli(
        "trends",
        "--out",
        str(tmp_path),
        "--every",
        "quarter",
        "--since",
        "2020-02-15",
        "--until",
        "2020-08-01",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "trends_summary.json").read_text())
    assert [(r["period_start"], r["period_end"]) for r in summary] == [
        ("2020-02-15", "2020-03-31"),
        ("2020-04-01", "2020-06-30"),
        ("2020-07-01", "2020-08-01"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--every", "year", "--since", "2031-01-01"], "nothing to measure from 2031-01-01"),
        (["--every", "week"], "'week' is not one of"),
        (["--every", "year", "--since", "2020-02-30"], "not an ISO date"),
    ],
)
def test_mistakes_get_one_clear_message(cli, loaded, tmp_path, args, message):
    result = cli("trends", "--out", str(tmp_path / "out"), *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
