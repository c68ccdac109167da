"""Tests of the seeded synthetic dataset generator and the committed sample."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

import loaders.generate as generate_module
from graph.errors import UsageError
from loaders.generate import generate
from loaders.spec import FILES as SPEC

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"

#: The files and their columns, in order (checked against DESIGN.md in test_spec.py).
COLUMNS = {stem: list(spec.column_names) for stem, spec in SPEC.items()}
FILES = [*(f"{stem}.csv" for stem in COLUMNS), "datapackage.json"]
MOVEMENTS = {
    "blm": "Black Lives Matter",
    "queer": "Queer Liberation",
    "disability": "Disability Justice",
    "indigenous": "Indigenous Sovereignty",
    "metoo": "MeToo",
    "labour": "Labour",
    "immigrant": "Immigrant Rights",
    "housing": "Housing Justice",
}
ENUMS = {
    ("memberships", "role"): {"member", "organizer", "volunteer", "board"},
    ("actions", "type"): {"protest", "campaign", "policy_advocacy", "mutual_aid"},
    # the spec's enumerations (from graph.schema), and the generator's own vocabulary above
    **{(stem, c.name): set(c.enum) for stem, spec in SPEC.items() for c in spec.columns if c.enum},
}


def read(folder: Path, stem: str) -> list[dict[str, str]]:
    with (folder / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def iso(value: str) -> dt.date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return dt.date.fromisoformat(value)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A dataset generated with the defaults, and the counts generate() returned."""
    folder = tmp_path_factory.mktemp("default")
    return folder, generate(folder)


@pytest.fixture(scope="module")
def tables(data: tuple[Path, dict[str, int]]) -> dict[str, list[dict[str, str]]]:
    return {stem: read(data[0], stem) for stem in COLUMNS}


@pytest.fixture(scope="module")
def primary(tables: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    """Primary movement per group id."""
    return {g["group_id"]: g["movements"].split(";")[0] for g in tables["groups"]}


def group_sets(rows: list[dict[str, str]], owner: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        out[row[owner]].add(row["group_id"])
    return out


# --------------------------------------------------------------------------------------------
# Determinism and the committed sample
# --------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    kwargs = {"groups": 30, "members": 300, "seed": 11}
    generate(tmp_path / "a", **kwargs)
    generate(tmp_path / "b", **kwargs)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", groups=30, members=300, seed=1)
    generate(tmp_path / "b", groups=30, members=300, seed=2)
    for stem in ("groups", "memberships", "actions", "action_groups", "resource_shares"):
        a = (tmp_path / "a" / f"{stem}.csv").read_bytes()
        assert a != (tmp_path / "b" / f"{stem}.csv").read_bytes(), stem


def test_committed_sample_equals_a_fresh_default_generate(
    data: tuple[Path, dict[str, int]],
) -> None:
    folder, _ = data
    assert sorted(p.name for p in SAMPLE.iterdir()) == sorted(FILES)
    for name in FILES:
        assert (SAMPLE / name).read_bytes() == (folder / name).read_bytes(), (
            f"sample_data/{name} is stale: regenerate it with loaders.generate.generate"
        )


# --------------------------------------------------------------------------------------------
# Shape: headers, counts, sizes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stem", list(COLUMNS))
def test_header_is_exactly_the_spec_columns(data: tuple[Path, dict[str, int]], stem: str):
    with (data[0] / f"{stem}.csv").open(encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS[stem]


def test_returned_counts_match_the_files(data, tables) -> None:
    _, counts = data
    assert list(counts) == list(COLUMNS)
    assert counts == {stem: len(rows) for stem, rows in tables.items()}


def test_default_sizes(tables) -> None:
    assert len(tables["movements"]) == 8
    assert len(tables["groups"]) == 120
    assert len(tables["members"]) == 2000
    assert len(tables["memberships"]) >= 5000
    assert len(tables["actions"]) >= 300
    assert len(tables["resources"]) >= 80


def test_explicit_sizes_are_honoured(tmp_path: Path) -> None:
    counts = generate(tmp_path, groups=20, members=50, memberships=333, actions=17, resources=9)
    assert counts["groups"] == 20
    assert counts["members"] == 50
    assert counts["memberships"] == 333
    assert counts["actions"] == 17
    assert counts["resources"] == 9


def test_every_membership_possible_is_still_unique(tmp_path: Path) -> None:
    generate(tmp_path, groups=8, members=5, memberships=40)
    pairs = {(r["member_id"], r["group_id"]) for r in read(tmp_path, "memberships")}
    assert len(pairs) == 40


@pytest.mark.parametrize(
    "kwargs",
    [
        {"groups": 7},
        {"members": 0},
        {"groups": 8, "members": 2, "memberships": 17},
        {"memberships": -1},
        {"actions": -1},
        {"resources": -1},
    ],
)
def test_impossible_sizes_are_usage_errors(tmp_path: Path, kwargs: dict[str, int]) -> None:
    with pytest.raises(UsageError):
        generate(tmp_path, **kwargs)


def test_many_small_chunks_keep_the_dataset_consistent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunked writers join up: nothing is lost or repeated at chunk edges."""
    monkeypatch.setattr(generate_module, "_CHUNK", 7)
    monkeypatch.setattr(generate_module, "_CHUNK_MEMBERSHIPS", 25)
    counts = generate(tmp_path, groups=24, members=100, actions=40, resources=15)
    members = read(tmp_path, "members")
    assert [m["member_id"] for m in members] == [f"M{i:05d}" for i in range(1, 101)]
    pairs = [(r["member_id"], r["group_id"]) for r in read(tmp_path, "memberships")]
    assert len(pairs) == len(set(pairs)) == counts["memberships"] == 250
    actions = read(tmp_path, "actions")
    assert [a["action_id"] for a in actions] == [f"A{i:05d}" for i in range(1, 41)]
    links = [(r["action_id"], r["group_id"]) for r in read(tmp_path, "action_groups")]
    assert len(links) == len(set(links))
    assert {a for a, _ in links} == {a["action_id"] for a in actions}


# --------------------------------------------------------------------------------------------
# Content: ids, keys, references, dates, enumerations
# --------------------------------------------------------------------------------------------


def test_the_eight_movements(tables) -> None:
    assert {m["movement_id"]: m["name"] for m in tables["movements"]} == MOVEMENTS
    assert all(m["description"] for m in tables["movements"])


@pytest.mark.parametrize(("stem", "key"), [(stem, spec.key) for stem, spec in SPEC.items()])
def test_keys_are_unique(tables, stem: str, key: tuple[str, ...]) -> None:
    values = [tuple(row[column] for column in key) for row in tables[stem]]
    assert all(all(v) for v in values)
    assert len(values) == len(set(values))


def test_group_names_are_unique(tables) -> None:
    names = [g["name"] for g in tables["groups"]]
    assert len(names) == len(set(names))


def test_every_reference_resolves(tables) -> None:
    movements = {m["movement_id"] for m in tables["movements"]}
    groups = {g["group_id"] for g in tables["groups"]}
    members = {m["member_id"] for m in tables["members"]}
    actions = {a["action_id"] for a in tables["actions"]}
    resources = {r["resource_id"] for r in tables["resources"]}
    for g in tables["groups"]:
        listed = g["movements"].split(";")
        assert set(listed) <= movements
        assert len(listed) == len(set(listed))
    assert {r["member_id"] for r in tables["memberships"]} <= members
    assert {r["group_id"] for r in tables["memberships"]} <= groups
    assert {r["action_id"] for r in tables["action_groups"]} == actions
    assert {r["group_id"] for r in tables["action_groups"]} <= groups
    assert {r["resource_id"] for r in tables["resource_shares"]} == resources
    assert {r["group_id"] for r in tables["resource_shares"]} <= groups


def test_members_are_pseudonymous(tables) -> None:
    for m in tables["members"]:
        assert re.fullmatch(r"M\d{5}", m["member_id"])
        assert m["name"] == ""
        assert m["city"]


def test_groups_are_in_one_region(tables) -> None:
    groups = tables["groups"]
    assert len({g["region"] for g in groups}) == 1
    assert len({g["country"] for g in groups}) == 1
    assert all(g["region"] and g["country"] and g["city"] for g in groups)
    assert {m["city"] for m in tables["members"]} <= {g["city"] for g in groups}
    assert {a["city"] for a in tables["actions"]} <= {g["city"] for g in groups}
    for g in groups:
        assert 1965 <= int(g["founded"]) <= 2024
        assert int(g["size"]) >= 0


@pytest.mark.parametrize(("stem", "column"), list(ENUMS))
def test_enumerations(tables, stem: str, column: str) -> None:
    assert {row[column] for row in tables[stem]} <= ENUMS[stem, column]


@pytest.mark.parametrize("stem", ["memberships", "actions", "resource_shares"])
def test_dates_are_iso_and_end_after_start(tables, stem: str) -> None:
    for row in tables[stem]:
        start = iso(row["start_date"])
        if row["end_date"]:
            assert iso(row["end_date"]) >= start


def test_actions_spread_over_2015_to_2025(tables) -> None:
    years = Counter(iso(a["start_date"]).year for a in tables["actions"])
    assert set(years) == set(range(2015, 2026))


def test_action_and_resource_participants(tables) -> None:
    per_action: dict[str, list[str]] = defaultdict(list)
    for r in tables["action_groups"]:
        per_action[r["action_id"]].append(r["role"])
    assert all(2 <= len(roles) <= 6 and "organizer" in roles for roles in per_action.values())
    per_resource = Counter(r["resource_id"] for r in tables["resource_shares"])
    assert all(2 <= n <= 4 for n in per_resource.values())


# --------------------------------------------------------------------------------------------
# Structure: movements hold together through a minority of bridges
# --------------------------------------------------------------------------------------------


def test_some_groups_list_several_movements(tables) -> None:
    listed = Counter(len(g["movements"].split(";")) for g in tables["groups"])
    multi = sum(n for k, n in listed.items() if k >= 2) / len(tables["groups"])
    assert 0.08 <= multi <= 0.18
    assert 3 <= sum(n for k, n in listed.items() if k >= 3) <= 6


def test_a_minority_of_members_bridge_movements(tables, primary) -> None:
    spans = [
        len({primary[g] for g in gs})
        for gs in group_sets(tables["memberships"], "member_id").values()
    ]
    share = sum(s >= 2 for s in spans) / len(tables["members"])
    assert 0.05 <= share <= 0.30


def test_most_shared_member_ties_stay_within_a_movement(tables, primary) -> None:
    ties = {
        pair
        for gs in group_sets(tables["memberships"], "member_id").values()
        for pair in itertools.combinations(sorted(gs), 2)
    }
    within = sum(primary[a] == primary[b] for a, b in ties)
    assert within / len(ties) > 0.5


def test_most_joint_actions_stay_within_a_movement(tables, primary) -> None:
    actions = group_sets(tables["action_groups"], "action_id").values()
    within = sum(len({primary[g] for g in gs}) == 1 for gs in actions)
    assert within / len(actions) > 0.6


def test_brokers_draw_members_and_actions_from_several_movements(tables, primary) -> None:
    brokers = [g["group_id"] for g in tables["groups"] if g["movements"].count(";") >= 2]
    by_member = group_sets(tables["memberships"], "member_id").values()
    by_action = group_sets(tables["action_groups"], "action_id").values()
    for broker in brokers:
        via_members = {primary[g] for gs in by_member if broker in gs for g in gs}
        via_actions = {primary[g] for gs in by_action if broker in gs for g in gs}
        assert len(via_members) >= 3, broker
        assert len(via_actions) >= 2, broker


# --------------------------------------------------------------------------------------------
# Who shows up for whom
# --------------------------------------------------------------------------------------------


def _flows(tables, primary) -> dict[tuple[str, str], int]:
    from graph.metrics import solidarity_events, solidarity_flows

    parts = [(r["group_id"], r["action_id"], r["role"]) for r in tables["action_groups"]]
    shares = [(r["group_id"], r["resource_id"], r["role"]) for r in tables["resource_shares"]]
    flows = solidarity_flows(solidarity_events(parts, shares), primary)
    return {(f["movement_from"], f["movement_to"]): f["total"] for f in flows}


def test_support_has_a_direction_some_movements_host_and_some_show_up(tables, primary) -> None:
    from loaders import invented

    totals = _flows(tables, primary)
    across = {pair: n for pair, n in totals.items() if pair[0] != pair[1]}
    gives = Counter()
    gets = Counter()
    for (a, b), n in across.items():
        gives[a] += n
        gets[b] += n
    hosting = sorted(invented.HOSTING, key=invented.HOSTING.get)
    # the two movements that host most receive more than they give; the two that host least
    # (that show up most) give more than they receive
    assert all(gets[m] > gives[m] for m in hosting[-2:])
    assert all(gives[m] > gets[m] for m in hosting[:2])
    # the one-way pairs never run back, and carry something the right way
    for giver, receiver in invented.ONE_WAY:
        assert across.get((receiver, giver), 0) == 0
        assert across.get((giver, receiver), 0) > 0
    # most pairs that support each other at all do so both ways
    pairs = {tuple(sorted(p)) for p in across}
    both = [p for p in pairs if across.get(p, 0) and across.get(p[::-1], 0)]
    assert len(both) > len(pairs) / 2


def test_direction_changes_only_roles(tmp_path: Path, monkeypatch) -> None:
    """Without the direction rules the same seed gives the same dataset but for roles."""
    from loaders import invented

    generate(tmp_path / "directed", groups=200, members=2000, seed=3)
    monkeypatch.setattr(generate_module, "_HOSTING", generate_module._HOSTING * 0)
    monkeypatch.setattr(generate_module, "_ONE_WAY", generate_module._ONE_WAY[:0])
    generate(tmp_path / "plain", groups=200, members=2000, seed=3)
    assert invented.HOSTING and invented.ONE_WAY

    def strip(rows):
        return [{k: v for k, v in r.items() if k != "role"} for r in rows]

    for stem in COLUMNS:
        directed, plain = read(tmp_path / "directed", stem), read(tmp_path / "plain", stem)
        if stem in ("action_groups", "resource_shares"):
            assert strip(directed) == strip(plain)
            assert [r["role"] for r in directed] != [r["role"] for r in plain]
        else:
            assert directed == plain, stem
