"""`coalition metrics`, `paths` and `whatif` (cli.analysis), run for real."""

from __future__ import annotations

import csv
import json

import pytest

pytestmark = pytest.mark.store

# The output columns of DESIGN.md, typed out here independently of graph.report.
DESIGN_COLUMNS = {
    "group_metrics": (
        "group_id,name,primary_movement,movements,degree,strength,betweenness,closeness,"
        "pagerank,eigenvector,constraint,effective_size,participation,ei_index,"
        "brokerage_coordinator,brokerage_consultant,brokerage_representative,"
        "brokerage_liaison,community,articulation_point"
    ).split(","),
    "member_metrics": ["member_id", "groups", "movements", "bridging"],
    "movement_matrix": (
        "movement_a movement_b shared_members joint_actions shared_resources ties"
    ).split(),
    "solidarity_flows": "movement_from movement_to show_up resources total".split(),
    "solidarity_pairs": "movement_a movement_b a_to_b b_to_a reciprocity balance".split(),
    "group_solidarity": (
        "group_id show_up_given show_up_received resources_given resources_received "
        "given_across received_across"
    ).split(),
}
SUMMARY_KEYS = set(
    "groups ties density components movement_modularity louvain_modularity "
    "cross_movement_tie_share betweenness_mode betweenness_samples show_up_events "
    "resource_support_events solidarity_reciprocity".split()
)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_metrics_writes_every_file_with_design_columns(cli, loaded, tmp_path, fmt):
    result = cli("metrics", "--out", str(tmp_path), "--format", fmt, "--members")
    assert result.returncode == 0, result.stderr
    for name, columns in DESIGN_COLUMNS.items():
        path = tmp_path / f"{name}.{fmt}"
        assert path.exists()
        if fmt == "csv":
            with open(path, newline="") as fh:
                reader = csv.reader(fh)
                assert next(reader) == columns
                body = list(reader)
        elif fmt == "json":
            body = json.loads(path.read_text())
            assert all(list(row) == columns for row in body)
        else:
            import pandas as pd

            frame = pd.read_parquet(path)
            assert list(frame.columns) == columns
            body = frame.values.tolist()
        expected_rows = {"group_metrics": 7, "member_metrics": 6, "group_solidarity": 7}.get(name)
        if expected_rows:
            assert len(body) == expected_rows
    summary = json.loads((tmp_path / "network_summary.json").read_text())
    assert SUMMARY_KEYS <= set(summary)
    assert summary["groups"] == 7 and summary["ties"] == 5 and summary["components"] == 3
    assert summary["betweenness_mode"] == "exact"


def test_metrics_writes_per_person_metrics_only_with_members(cli, loaded, tmp_path):
    """Per-person metrics are opt-in (DESIGN.md, "Privacy")."""
    result = cli("metrics", "--out", str(tmp_path / "plain"))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "plain").iterdir())
    assert "member_metrics.csv" not in written and "group_metrics.csv" in written
    assert "member_metrics" not in result.stdout
    result = cli("metrics", "--out", str(tmp_path / "opted"), "--members")
    assert result.returncode == 0, result.stderr
    rows = _table(tmp_path / "opted" / "member_metrics.csv")
    assert len(rows) == 6  # the six members of tests/fixtures/tiny
    assert sorted(p.name for p in (tmp_path / "opted").iterdir()) == sorted(
        [*written, "member_metrics.csv"]
    )


def test_demo_writes_no_per_person_metrics(cli, store_home):
    result = cli("demo", "--no-serve", database="demo_members")
    assert result.returncode == 0, result.stderr
    metrics_dir = store_home / "metrics"
    assert (metrics_dir / "group_metrics.csv").exists()
    assert list(metrics_dir.glob("member_metrics.*")) == []


def _table(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_metrics_writes_the_solidarity_flows_of_the_tiny_coalition(cli, loaded, tmp_path):
    """By hand from tests/fixtures/tiny: a1 g2 (blm) shows up for g1 (blm); a2 g5 (labour)
    shows up for g3 (queer); r1 g4 (queer) provides for g5 (labour)."""
    assert cli("metrics", "--out", str(tmp_path)).returncode == 0
    flows = {
        (r["movement_from"], r["movement_to"]): r for r in _table(tmp_path / "solidarity_flows.csv")
    }
    assert {k: (r["show_up"], r["resources"], r["total"]) for k, r in flows.items()} == {
        ("blm", "blm"): ("1", "0", "1"),
        ("labour", "queer"): ("1", "0", "1"),
        ("queer", "labour"): ("0", "1", "1"),
    }
    pairs = _table(tmp_path / "solidarity_pairs.csv")
    assert [(p["movement_a"], p["movement_b"], p["a_to_b"], p["b_to_a"]) for p in pairs] == [
        ("labour", "queer", "1", "1")
    ]
    assert float(pairs[0]["reciprocity"]) == 1.0 and float(pairs[0]["balance"]) == 0.0
    groups = {r["group_id"]: r for r in _table(tmp_path / "group_solidarity.csv")}
    assert groups["g5"] == {
        "group_id": "g5",
        "show_up_given": "1",
        "show_up_received": "0",
        "resources_given": "0",
        "resources_received": "1",
        "given_across": "1",
        "received_across": "1",
    }
    assert (groups["g1"]["show_up_received"], groups["g1"]["received_across"]) == ("1", "0")
    assert set(groups["g6"].values()) == {"g6", "0"}
    summary = json.loads((tmp_path / "network_summary.json").read_text())
    assert (summary["show_up_events"], summary["resource_support_events"]) == (2, 1)
    assert summary["solidarity_reciprocity"] == 1.0


def test_solidarity_follows_the_window_and_the_movement_filter(cli, loaded, tmp_path):
    # Since 2021 both actions are out; the shared fund (2019 onwards) runs one way.
    assert cli("metrics", "--out", str(tmp_path / "w"), "--since", "2021-01-01").returncode == 0
    pairs = _table(tmp_path / "w" / "solidarity_pairs.csv")
    assert [(p["a_to_b"], p["b_to_a"], p["reciprocity"], p["balance"]) for p in pairs] == [
        ("0", "1", "0.0", "-1.0")
    ]
    summary = json.loads((tmp_path / "w" / "network_summary.json").read_text())
    assert (summary["show_up_events"], summary["solidarity_reciprocity"]) == (0, 0.0)
    # Only the labour and queer groups: the blm action a1 is gone.
    out = tmp_path / "m"
    done = cli("metrics", "--out", str(out), "--movement", "labour", "--movement", "queer")
    assert done.returncode == 0, done.stderr
    flows = _table(out / "solidarity_flows.csv")
    assert {(r["movement_from"], r["movement_to"]) for r in flows} == {
        ("labour", "queer"),
        ("queer", "labour"),
    }


def test_metrics_csv_leaves_undefined_values_empty(cli, loaded, tmp_path):
    assert cli("metrics", "--out", str(tmp_path)).returncode == 0
    with open(tmp_path / "group_metrics.csv", newline="") as fh:
        rows = {r["group_id"]: r for r in csv.DictReader(fh)}
    assert rows["g6"]["ei_index"] == ""  # isolated: undefined, not invented
    assert rows["g6"]["participation"] in ("0", "0.0")
    assert rows["g3"]["articulation_point"] == "true"
    assert rows["007"]["group_id"] == "007"


def test_paths_json(cli, loaded):
    result = cli("paths", "g1", "g5", "--json")
    assert result.returncode == 0, result.stderr
    (path,) = json.loads(result.stdout)
    assert [(h["from"], h["to"]) for h in path] == [("g1", "g2"), ("g2", "g3"), ("g3", "g5")]
    assert path[0]["tie_types"] == ["shared_members", "joint_actions"]


def test_paths_unknown_group_is_a_clear_error(cli, loaded):
    result = cli("paths", "g1", "nope")
    assert result.returncode == 1
    assert "no group with id 'nope'" in result.stderr and "Traceback" not in result.stderr


def test_whatif_removing_the_bridge(cli, loaded):
    result = cli("whatif", "--remove", "g3", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["components_before"] == 3
    # without g3: {g1,g2}, {g4,g5}, {g6}, {007}
    assert out["components_after"] == 4
    assert out["fragmentation_after"] == pytest.approx(1 - (2 + 2) / (6 * 5))


def test_whatif_leaving_one_group_has_undefined_fragmentation(cli, loaded):
    """Fewer than two groups left: no pairs, so fragmentation is undefined (DESIGN.md)."""
    remove = "g1,g2,g3,g4,g5,g6"  # only 007 stays
    as_json = cli("whatif", "--remove", remove, "--json")
    assert as_json.returncode == 0, as_json.stderr
    out = json.loads(as_json.stdout)
    assert out["components_after"] == 1 and out["fragmentation_after"] is None
    text = cli("whatif", "--remove", remove)
    assert text.returncode == 0, text.stderr
    assert "-> undefined" in text.stdout


def test_write_back_stores_group_metrics_and_solidarity_on_the_nodes(
    cli, loaded, tmp_path, store_config
):
    from dataclasses import replace

    from graph.store import open_store

    result = cli("metrics", "--out", str(tmp_path), "--write-back")
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "group_metrics.csv", newline="") as fh:
        expected = {r["group_id"]: r for r in csv.DictReader(fh)}
    with open_store(replace(store_config, database="clitest")) as store:
        rows = store.read(
            "MATCH (g:Group) RETURN g.id AS id, g.metric_betweenness AS b, g.metric_degree AS d, "
            "g.metric_articulation_point AS ap, g.name AS name, "
            "g.metric_given_across AS given, g.metric_show_up_received AS shown_up"
        )
    with open(tmp_path / "group_solidarity.csv", newline="") as fh:
        solidarity = {r["group_id"]: r for r in csv.DictReader(fh)}
    assert len(rows) == 7
    for row in rows:
        assert row["given"] == int(solidarity[row["id"]]["given_across"])
        assert row["shown_up"] == int(solidarity[row["id"]]["show_up_received"])
        assert row["d"] == int(expected[row["id"]]["degree"])
        assert row["b"] == pytest.approx(float(expected[row["id"]]["betweenness"]))
        assert row["ap"] == (expected[row["id"]]["articulation_point"] == "true")
        assert row["name"] == expected[row["id"]]["name"]  # data untouched


def test_window_and_weights_options(cli, loaded, tmp_path):
    result = cli(
        "metrics", "--out", str(tmp_path), "--since", "2021-01-01", "--weights", "resources=0"
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "network_summary.json").read_text())
    # since 2021 only g2–g3 and g3–g4 (members) and g4–g5 (resource) remain; resources weigh 0
    assert summary["ties"] == 2
    bad = cli("metrics", "--out", str(tmp_path), "--since", "03/04/2024")
    assert bad.returncode == 2 and "not an ISO date" in bad.stderr
