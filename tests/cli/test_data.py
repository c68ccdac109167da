"""`coalition validate` and `load` (cli.data), run for real."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.store


def test_validate_reports_errors_without_traceback(cli, dataset):
    d = dataset("tiny")
    text = (d / "groups.csv").read_text()
    (d / "groups.csv").write_text(text.replace("g2,Justice Kitchen,blm", "g2,Justice Kitchen,nope"))
    result = cli("validate", str(d), database=None)
    assert result.returncode == 1
    assert (
        "groups.csv, line 3, column movements: 'nope': no such id in movements.csv" in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_load_twice_gives_same_counts(cli, loaded):
    again = cli("load", str(loaded))
    assert again.returncode == 0, again.stderr
    # the second load writes nothing: every 'created' and 'changed' cell is 0, and every
    # row is 'unchanged'
    rows = [line for line in again.stdout.splitlines() if "│" in line and line.count("│") >= 4]
    cells = [[c.strip() for c in line.split("│")[2:6]] for line in rows]
    assert cells and all(c[1:3] == ["0", "0"] and c[3] == c[0] for c in cells), again.stdout


def test_load_through_neo4j_uri_twice_gives_exactly_the_csv_counts(
    cli, store_home, embedded_uri, neo4j_env
):
    """The production path: NEO4J_URI/USERNAME/PASSWORD/DATABASE, no embedded start-up."""
    from graph.store import StoreConfig, open_store
    from graph.store.embedded import EmbeddedStore

    from ..loaders.test_load import expected_counts

    EmbeddedStore(store_home).ensure_running("viauri")  # the database must exist on the server
    uri, password = embedded_uri
    env = neo4j_env(database="viauri")
    sample = Path(__file__).resolve().parents[2] / "sample_data"
    config = StoreConfig(uri=uri, username="root", password=password, database="viauri")
    with open_store(config) as store:
        store.run("MATCH (n) DETACH DELETE n")
        for _ in range(2):
            result = cli("load", str(sample), database=None, env=env)
            assert result.returncode == 0, result.stderr
            assert store.counts() == expected_counts(sample)


def test_reload_prints_what_it_created_changed_and_pruned(cli, tmp_path):
    import shutil

    from ..loaders.test_reload import A_MONTH_LATER, EXPECTED

    tiny = Path(__file__).parents[1] / "fixtures" / "tiny"
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(tiny, before)
    with open(before / "resources.csv", "a", encoding="utf-8") as fh:
        fh.write("r9,Old Hall,space\n")
    shutil.copytree(tiny, after)
    for name, text in A_MONTH_LATER.items():
        (after / name).write_text(text, encoding="utf-8")
    first = cli("load", str(before), database="clireload")
    assert first.returncode == 0, first.stderr
    again = cli("load", str(after), "--prune", database="clireload")
    assert again.returncode == 0, again.stderr
    rows = [line for line in again.stdout.splitlines() if line.count("│") >= 4]
    table = {
        cells[0]: tuple(int(c.replace(",", "")) for c in cells[1:5])
        for cells in ([c.strip() for c in line.split("│")[1:6]] for line in rows)
    }
    assert table == {
        name: (n, created, changed, n - created - changed)
        for name, (n, created, changed, _) in EXPECTED.items()
    }, again.stdout
    pruned = again.stdout[again.stdout.index("pruned: ") + len("pruned: ") :]  # may wrap
    assert sorted(" ".join(item.split()) for item in pruned.split(",")) == sorted(
        f"{name} {removed}" for name, (*_, removed) in EXPECTED.items()
    )


def test_load_of_a_bad_dataset_says_what_is_wrong_with_it_even_with_the_store_down(cli, dataset):
    """The store is opened while the dataset is validated: the dataset's problems come first."""
    d = dataset("tiny")
    text = (d / "groups.csv").read_text()
    (d / "groups.csv").write_text(text.replace("g2,Justice Kitchen,blm", "g2,Justice Kitchen,nope"))
    down = ("--uri", "bolt://127.0.0.1:9", "--password", "pw")
    bad = cli(*down, "load", str(d), database=None)
    assert bad.returncode == 1
    assert "groups.csv, line 3, column movements: 'nope': no such id in movements.csv" in bad.stderr
    assert "cannot reach the store" not in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    # a good dataset: now the store is what is wrong
    good = cli(*down, "load", str(dataset("tiny")), database=None)
    assert good.returncode == 1
    assert "cannot reach the store at bolt://127.0.0.1:9" in good.stderr
    assert "Traceback" not in good.stderr + good.stdout
