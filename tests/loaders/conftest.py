"""Fixtures shared by the loader tests."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import FIXTURES


@pytest.fixture
def datasets(tmp_path):
    """(tiny with one more resource, the same a month later: ``tests.loaders.test_reload.
    A_MONTH_LATER``)."""
    from tests.loaders.test_reload import A_MONTH_LATER

    before = tmp_path / "before"
    shutil.copytree(FIXTURES / "tiny", before)
    with open(before / "resources.csv", "a", encoding="utf-8") as fh:
        fh.write("r9,Old Hall,space\n")
    after = tmp_path / "after"
    shutil.copytree(FIXTURES / "tiny", after)
    for name, text in A_MONTH_LATER.items():
        (after / name).write_text(text, encoding="utf-8")
    return before, after
