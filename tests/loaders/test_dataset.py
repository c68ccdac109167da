"""Validation: every defect is reported with file, line, column, value and reason."""

from __future__ import annotations

import pytest

from loaders.dataset import DatasetInvalid, validate_dataset


def _edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_tiny_dataset_is_valid(dataset):
    report = validate_dataset(dataset("tiny"))
    assert report.rows == {
        "movements": 3,
        "groups": 7,
        "members": 6,
        "memberships": 9,
        "actions": 2,
        "action_groups": 4,
        "resources": 1,
        "resource_shares": 2,
    }


def test_optional_files_may_be_missing(dataset):
    d = dataset("tiny")
    for name in ("members", "memberships", "actions", "action_groups", "resources"):
        (d / f"{name}.csv").unlink()
    (d / "resource_shares.csv").unlink()
    assert validate_dataset(d).rows["groups"] == 7


def test_utf8_bom_is_accepted(dataset):
    d = dataset("tiny")
    path = d / "movements.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert validate_dataset(d).rows["movements"] == 3


# (file, old text, new text, expected problem: (file, line, column, value, reason fragment))
DEFECTS = [
    pytest.param(
        "groups.csv",
        "g2,Justice Kitchen,blm",
        "g2,Justice Kitchen,nope",
        ("groups.csv", 3, "movements", "nope", "no such id in movements.csv"),
        id="unknown-movement",
    ),
    pytest.param(
        "memberships.csv",
        "m4,g4,member",
        "m4,g9,member",
        ("memberships.csv", 8, "group_id", "g9", "no such id in groups.csv"),
        id="unknown-group",
    ),
    pytest.param(
        "memberships.csv",
        "m5,g5",
        "m99,g5",
        ("memberships.csv", 9, "member_id", "m99", "no such id in members.csv"),
        id="unknown-member",
    ),
    pytest.param(
        "action_groups.csv",
        "a2,g3",
        "a3,g3",
        ("action_groups.csv", 4, "action_id", "a3", "no such id in actions.csv"),
        id="unknown-action",
    ),
    pytest.param(
        "resource_shares.csv",
        "r1,g5",
        "r2,g5",
        ("resource_shares.csv", 3, "resource_id", "r2", "no such id in resources.csv"),
        id="unknown-resource",
    ),
    pytest.param(
        "actions.csv",
        "2016-05-01",
        "03/04/2024",
        ("actions.csv", 2, "start_date", "03/04/2024", "not an ISO 8601 date"),
        id="date-not-iso",
    ),
    pytest.param(
        "memberships.csv",
        "2016-03-01,2019-12-31",
        "2016-03-01,2015-12-31",
        ("memberships.csv", 3, "end_date", "2015-12-31", "ends before it starts"),
        id="end-before-start",
    ),
    pytest.param(
        "groups.csv",
        "2014,40",
        "2014,forty",
        ("groups.csv", 2, "size", "forty", "not a whole number"),
        id="size-not-numeric",
    ),
    pytest.param(
        "groups.csv",
        "1999,300",
        "nineties,300",
        ("groups.csv", 6, "founded", "nineties", "not a whole number"),
        id="founded-not-numeric",
    ),
    pytest.param(
        "resources.csv",
        "r1,Solidarity Fund,funding",
        "r1,Solidarity Fund,FUNDS`]->() DELETE",
        ("resources.csv", 2, "type", "FUNDS`]->() DELETE", "not one of"),
        id="enum-injection",
    ),
    pytest.param(
        "action_groups.csv",
        "a1,g2,partner",
        "a1,g2,boss",
        ("action_groups.csv", 3, "role", "boss", "not one of"),
        id="enum-role",
    ),
    pytest.param(
        "movements.csv",
        "queer,Queer Liberation,",
        "queer,,",
        ("movements.csv", 3, "name", "", "a required cell is blank"),
        id="blank-required",
    ),
    pytest.param(
        "members.csv",
        "m3,Sam,Lakeside",
        "m3,Sam,Lake\x00side",
        ("members.csv", 4, "city", "Lake\x00side", "NUL or control character"),
        id="nul-character",
    ),
    pytest.param(
        "members.csv",
        "m4,,Lakeside",
        "m4,,Lakeside,extra",
        ("members.csv", 5, None, None, "the row has 4 cells but the header has 3"),
        id="ragged-row",
    ),
    pytest.param(
        "movements.csv",
        "movement_id,name,description",
        "movement_id,title,description",
        ("movements.csv", 1, "name", None, "a required column is missing"),
        id="renamed-column",
    ),
    pytest.param(
        "members.csv",
        "member_id,name,city",
        "member_id,name,name",
        ("members.csv", 1, "name", "name", "appears twice in the header"),
        id="duplicate-header",
    ),
]


@pytest.mark.parametrize(("filename", "old", "new", "expected"), DEFECTS)
def test_defect_is_reported_precisely(dataset, filename, old, new, expected):
    d = dataset("tiny")
    _edit(d / filename, old, new)
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    found = [(p.file, p.line, p.column, p.value) for p in info.value.problems]
    file, line, column, value, reason = expected
    assert (file, line, column, value) in found, info.value.message()
    problem = next(p for p in info.value.problems if (p.file, p.line, p.column) == expected[:3])
    assert reason in problem.reason
    # the printed message names all four
    text = str(problem)
    assert file in text and (line is None or f"line {line}" in text)


def test_duplicate_key_names_both_lines(dataset):
    d = dataset("tiny")
    _edit(d / "groups.csv", "g6,Quiet Tenants", "g5,Quiet Tenants")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = [p for p in info.value.problems if "duplicate" in p.reason]
    assert (problem.file, problem.line, problem.column, problem.value) == (
        "groups.csv",
        7,
        "group_id",
        "g5",
    )
    assert "first on line 6" in problem.reason


def test_line_numbers_count_newlines_inside_quoted_cells(dataset):
    d = dataset("tiny")
    _edit(d / "movements.csv", '"Racial justice, policing"', '"Racial justice,\npolicing\n"')
    _edit(d / "movements.csv", "labour,Labour", "labour,")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (6, "name")


@pytest.mark.parametrize("name", ["groups", "movements"])
def test_required_file_missing(dataset, name):
    d = dataset("tiny")
    (d / f"{name}.csv").unlink()
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert any(
        p.file == f"{name}.csv" and "required file is missing" in p.reason
        for p in info.value.problems
    )


def test_zero_byte_file(dataset):
    d = dataset("tiny")
    (d / "actions.csv").write_bytes(b"")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert any(p.file == "actions.csv" and "empty" in p.reason for p in info.value.problems)


def test_header_only_groups_is_an_error(dataset):
    d = dataset("tiny")
    for name in ("memberships", "action_groups", "resource_shares"):
        (d / f"{name}.csv").unlink()
    (d / "groups.csv").write_text("group_id,name,movements\n", encoding="utf-8")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert [(p.file, p.reason) for p in info.value.problems] == [
        ("groups.csv", "the file has a header but no rows")
    ]


@pytest.mark.parametrize("sep", [";", "\t"])
def test_wrong_delimiter(dataset, sep):
    d = dataset("tiny")
    path = d / "movements.csv"
    path.write_text(path.read_text().replace(",", sep), encoding="utf-8")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert "use commas" in info.value.problems[0].reason


def test_unterminated_quote(dataset):
    d = dataset("tiny")
    _edit(d / "members.csv", "m3,Sam,Lakeside", 'm3,"Sam,Lakeside')
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    problem = next(p for p in info.value.problems if p.file == "members.csv")
    assert problem.line == 4 and "never closed" in problem.reason


def test_not_utf8_names_file_and_line(dataset):
    d = dataset("tiny")
    path = d / "members.csv"
    path.write_bytes(path.read_bytes().replace(b"Sam", "Sàm".encode("cp1252")))
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    problem = info.value.problems[0]
    assert (problem.file, problem.line) == ("members.csv", 4)
    assert "not UTF-8" in problem.reason


def test_every_error_is_reported_in_one_run(dataset):
    d = dataset("tiny")
    _edit(d / "groups.csv", "2014,40", "2014,forty")
    _edit(d / "actions.csv", "2016-05-01", "May 2016")
    _edit(d / "resource_shares.csv", "provider", "giver")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert {p.file for p in info.value.problems} == {
        "groups.csv",
        "actions.csv",
        "resource_shares.csv",
    }


def test_ids_stay_strings(dataset):
    from loaders.dataset import iter_records

    d = dataset("tiny")
    ids = [row["group_id"] for _, row in iter_records(d, "groups")]
    assert "007" in ids


def test_cell_over_one_megabyte(dataset):
    d = dataset("tiny")
    _edit(d / "movements.csv", "Workers' rights", "x" * 1_100_000)
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("movements.csv", 4)
    assert "1,000,000 bytes" in problem.reason


def test_control_character_other_than_nul(dataset):
    d = dataset("tiny")
    _edit(d / "groups.csv", "Justice Kitchen", "Justice\x07Kitchen")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == ("groups.csv", 3, "name")


def test_problems_are_capped_with_a_count_of_the_rest(dataset):
    from loaders.dataset import MAX_PROBLEMS

    d = dataset("tiny")
    extra = "".join(f"x{i},g404,member,,\n" for i in range(MAX_PROBLEMS + 50))
    (d / "memberships.csv").write_text((d / "memberships.csv").read_text() + extra)
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert len(info.value.problems) == MAX_PROBLEMS
    # each extra row has two problems: unknown member and unknown group
    assert info.value.more == 2 * (MAX_PROBLEMS + 50) - MAX_PROBLEMS
    assert info.value.message().endswith(f"… and {info.value.more} more")


# -- an unreadable file is reported once, not as every reference that follows from it --


def test_latin1_groups_gives_one_error_and_no_reference_cascade(dataset):
    d = dataset("tiny")
    path = d / "groups.csv"
    path.write_bytes(
        path.read_bytes().replace(b"Justice Kitchen", "Justícia Kitchen".encode("latin-1"))
    )
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("groups.csv", 3)
    assert "not UTF-8" in problem.reason
    assert "references to groups.csv were not checked" in problem.reason
    assert "no such id" not in info.value.message()


@pytest.mark.parametrize("sep", [";", "\t"])
def test_groups_with_the_wrong_separator_gives_one_error(dataset, sep):
    d = dataset("tiny")
    path = d / "groups.csv"
    path.write_text(path.read_text().replace(",", sep), encoding="utf-8")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    (problem,) = info.value.problems
    assert problem.file == "groups.csv" and "use commas" in problem.reason
    assert "references to groups.csv were not checked" in problem.reason


def test_missing_groups_file_is_one_error(dataset):
    d = dataset("tiny")
    (d / "groups.csv").unlink()
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    assert [p.file for p in info.value.problems] == ["groups.csv"]


def test_references_to_a_readable_file_are_still_checked(dataset):
    # members.csv unreadable; a bad group reference in memberships.csv is still reported
    d = dataset("tiny")
    path = d / "members.csv"
    path.write_bytes(path.read_bytes().replace(b"Sam", "Sàm".encode("latin-1")))
    _edit(d / "memberships.csv", "m4,g4,member", "m4,g9,member")
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(d)
    found = [(p.file, p.column, p.value, p.reason) for p in info.value.problems]
    assert ("memberships.csv", "group_id", "g9", "no such id in groups.csv") in found
    assert len(found) == 2 and not any("members.csv" in r for *_, r in found[1:])
