"""The Data Package we ship, and the one we write, pass the standard ``frictionless`` check."""

from __future__ import annotations

import shutil
from pathlib import Path

from loaders.spec import write_datapackage

from ..frictionless_check import frictionless_problems

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data"
TINY = ROOT / "tests" / "fixtures" / "tiny"


def test_sample_data_passes_frictionless():
    assert frictionless_problems(SAMPLE) == []


def test_the_descriptor_we_write_passes_on_a_dataset_with_quotes_and_text_ids(tmp_path):
    # tiny has "007" ids, quoted commas and quotes, empty optional cells
    shutil.copytree(TINY, tmp_path / "tiny")
    write_datapackage(tmp_path / "tiny", name="tiny")
    assert frictionless_problems(tmp_path / "tiny") == []


def test_the_check_finds_a_broken_reference_and_a_bad_enum(tmp_path):
    # the check is not vacuous: a dangling foreign key and a value outside an enum fail it
    d = tmp_path / "sample"
    shutil.copytree(SAMPLE, d)
    memberships = (d / "memberships.csv").read_text(encoding="utf-8").splitlines()
    first = memberships[1].split(",")
    first[1] = "no-such-group"
    memberships[1] = ",".join(first)
    (d / "memberships.csv").write_text("\n".join(memberships) + "\n", encoding="utf-8")
    resources = (d / "resources.csv").read_text(encoding="utf-8")
    (d / "resources.csv").write_text(resources.replace(",funding", ",money", 1), encoding="utf-8")
    problems = frictionless_problems(d)
    assert any(p.startswith("memberships, row 2") and "foreign-key" in p for p in problems)
    assert any(p.startswith("resources, row") and "constraint" in p for p in problems)
