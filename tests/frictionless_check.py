"""The standard tool's verdict on a Data Package: :func:`frictionless_problems`.

Shared by every test that writes or ships a dataset folder with ``datapackage.json``
(``sample_data/``, exports): ``assert frictionless_problems(folder) == []``.
"""

from __future__ import annotations

from pathlib import Path

from loaders.spec import DATAPACKAGE


def frictionless_problems(folder: str | Path) -> list[str]:
    """Every problem the ``frictionless`` library finds in ``folder/datapackage.json``.

    Parameters
    ----------
    folder : str or Path
        A dataset folder holding ``datapackage.json`` and the files it lists.

    Returns
    -------
    list of str
        One line per problem (resource, row, field, type, message); empty when
        the descriptor, every table schema, every row and every foreign key pass.
    """
    from frictionless import validate

    report = validate(str(Path(folder) / DATAPACKAGE))
    problems = [f"package: {e.type}: {e.message}" for e in report.errors]
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            where = task.name + (f", row {row}" if row else "") + (f", {field}" if field else "")
            problems.append(f"{where}: {error.type}: {error.message}")
    return problems
