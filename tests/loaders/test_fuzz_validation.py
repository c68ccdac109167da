"""The CSV reader and validator never crash on arbitrary bytes (property-based).

Every outcome is either a valid report or a list of problems that each name a
dataset file and, where there is one, a line number inside it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.dataset import DatasetInvalid, Problem, validate_dataset
from loaders.spec import FILES

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
NAMES = sorted(spec.filename for spec in FILES.values())


def _check_outcome(directory: Path) -> None:
    try:
        report = validate_dataset(directory)
    except DatasetInvalid as exc:
        assert exc.problems, "an invalid dataset must say why"
        for problem in exc.problems:
            assert isinstance(problem, Problem)
            assert problem.file in NAMES
            assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1)
            assert problem.reason
        assert str(exc)
    else:
        assert report.rows["groups"] >= 1 and report.rows["movements"] >= 1


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, pos, chunk in edits:
        at = pos % (len(out) + 1)
        if kind == 0:
            out[at:at] = chunk  # insert
        elif kind == 1:
            del out[at : at + len(chunk)]  # delete
        else:
            out[at : at + len(chunk)] = chunk  # overwrite
    return bytes(out)


edits = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.binary(min_size=1, max_size=8)),
    max_size=6,
)
special = st.sampled_from(
    [b",", b'"', b"\n", b"\r", b";", b"\t", b"\x00", b"\xff", b"\xef\xbb\xbf"]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(NAMES), changes=edits, extra=st.lists(special, max_size=4))
def test_mutated_files_give_data_or_row_numbered_errors(tmp_path_factory, name, changes, extra):
    d = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(TINY, d, dirs_exist_ok=True)
    path = d / name
    data = _mutate(path.read_bytes(), changes) + b"".join(extra)
    path.write_bytes(data)
    _check_outcome(d)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=2000))
def test_random_bytes_give_data_or_row_numbered_errors(tmp_path_factory, name, data):
    d = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(TINY, d, dirs_exist_ok=True)
    (d / name).write_bytes(data)
    _check_outcome(d)
