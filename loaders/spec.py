"""What a dataset holds: its files, their columns, keys and references.

This is the contract of DESIGN.md ("The dataset") as data, defined once: the
validator (:mod:`loaders.dataset`), the writer (:mod:`loaders.load`), the
generator and ``datapackage.json`` (:func:`datapackage_descriptor`) all read it.
It is built on the store's vocabulary in :mod:`graph.schema` (which label or
relationship type each file holds, which properties each carries, the allowed
values) and checked against it when imported, so the two cannot drift.

>>> FILES["resources"].column_names
('resource_id', 'name', 'type')
>>> FILES["resources"].label, FILES["resources"].property_columns
('Resource', ('name', 'type'))
>>> [f.filename for f in FILES.values() if f.relationship == "MEMBER_OF"]
['memberships.csv']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph import schema

__all__ = [
    "Column",
    "FileSpec",
    "FILES",
    "REQUIRED_FILES",
    "FILE_ORDER",
    "KINDS",
    "DATAPACKAGE",
    "datapackage_descriptor",
    "write_datapackage",
    "schema_mismatches",
    "WORKBOOK_SUFFIX",
    "NOTES_SHEET",
    "is_workbook",
]

#: Column kinds, and the Frictionless Table Schema type of each.
KINDS: dict[str, str] = {
    "id": "string",
    "text": "string",
    "enum": "string",
    "idlist": "string",
    "date": "date",
    "year": "year",
    "int": "integer",
}

#: File name of the Frictionless Data Package descriptor.
DATAPACKAGE = "datapackage.json"

#: A dataset given as one workbook: one sheet per table, named like the files without ``.csv``.
WORKBOOK_SUFFIX = ".xlsx"
#: The sheet of a template workbook that explains the columns (read as no table, without a note).
NOTES_SHEET = "notes"


def is_workbook(path: str | Path) -> bool:
    """Whether ``path`` names a workbook dataset (by its suffix; the reader checks the content).

    >>> is_workbook("coalition.XLSX"), is_workbook("sample_data")
    (True, False)
    """
    return Path(path).suffix.lower() == WORKBOOK_SUFFIX


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is one of :data:`KINDS`; ``description`` is one line for people."""

    name: str
    kind: str = "text"
    required: bool = False
    enum: tuple[str, ...] | None = None
    #: For id and idlist columns that point elsewhere: the file they point to.
    references: str | None = None
    description: str = ""
    #: For an idlist: the relationship type each listed id becomes (its rank is its position).
    relationship: str | None = None


@dataclass(frozen=True)
class FileSpec:
    """One file: its columns in order, its key, and what it holds in the store.

    A file holds either the nodes of one ``label`` (keyed by its id column) or the
    relationships of one ``relationship`` type (keyed by the ids of both ends).
    """

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: (start column, end column) pairs where end must not be before start.
    date_ranges: tuple[tuple[str, str], ...] = field(default=())
    label: str | None = None
    relationship: str | None = None

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def property_columns(self) -> tuple[str, ...]:
        """The columns stored as properties of the node or relationship."""
        return tuple(c.name for c in self.columns if c.name not in self.key and c.kind != "idlist")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _period(what: str) -> tuple[Column, Column]:
    """The optional ``start_date`` and ``end_date`` of ``what`` (an empty end: ongoing)."""
    return (
        Column("start_date", "date", description=f"Day {what} began."),
        Column("end_date", "date", description=f"Day {what} ended; empty while ongoing."),
    )


#: The date range of a file with ``start_date`` and ``end_date``: the end is not before the start.
_PERIOD = (("start_date", "end_date"),)


def _id(label: str, what: str, **kwargs: Any) -> Column:
    """The key column of ``label`` (its id in :data:`graph.schema.KEY_COLUMNS`)."""
    return Column(schema.KEY_COLUMNS[label], "id", required=True, description=what, **kwargs)


FILES: dict[str, FileSpec] = {
    spec.name: spec
    for spec in (
        FileSpec(
            "movements",
            (
                _id(schema.MOVEMENT, "Movement id."),
                Column("name", required=True, description="Movement name."),
                Column("description", description="What the movement stands for."),
            ),
            key=(schema.KEY_COLUMNS[schema.MOVEMENT],),
            label=schema.MOVEMENT,
        ),
        FileSpec(
            "groups",
            (
                _id(schema.GROUP, "Group id."),
                Column("name", required=True, description="Group name."),
                Column(
                    "movements",
                    "idlist",
                    required=True,
                    references="movements",
                    relationship=schema.IN_MOVEMENT,
                    description=(
                        "Movement ids the group belongs to, separated by ';'; the first is the "
                        "primary movement. Each must be a movement_id of movements.csv."
                    ),
                ),
                Column("city", description="City the group is based in."),
                Column("region", description="Region of the city."),
                Column("country", description="Country."),
                Column("founded", "year", description="Year the group was founded."),
                Column("size", "int", description="Reported number of members."),
            ),
            key=(schema.KEY_COLUMNS[schema.GROUP],),
            label=schema.GROUP,
        ),
        FileSpec(
            "members",
            (
                _id(schema.MEMBER, "Member id (a pseudonym)."),
                Column("name", description="Member name; optional and usually left empty."),
                Column("city", description="City the member lives in."),
            ),
            key=(schema.KEY_COLUMNS[schema.MEMBER],),
            label=schema.MEMBER,
        ),
        FileSpec(
            "memberships",
            (
                _id(schema.MEMBER, "Member id (members.csv).", references="members"),
                _id(schema.GROUP, "Group id (groups.csv).", references="groups"),
                Column(
                    "role",
                    description="Role in the group, e.g. member, volunteer, organizer, board.",
                ),
                *_period("the membership"),
            ),
            key=(schema.KEY_COLUMNS[schema.MEMBER], schema.KEY_COLUMNS[schema.GROUP]),
            date_ranges=_PERIOD,
            relationship=schema.MEMBER_OF,
        ),
        FileSpec(
            "actions",
            (
                _id(schema.ACTION, "Action id."),
                Column("name", required=True, description="Action name."),
                Column(
                    "type",
                    description=(
                        "Kind of action, e.g. protest, campaign, policy_advocacy, mutual_aid."
                    ),
                ),
                Column("start_date", "date", required=True, description="First day of the action."),
                Column(
                    "end_date", "date", description="Last day of the action; empty while ongoing."
                ),
                Column("city", description="City where the action took place."),
                Column("description", description="Short description."),
            ),
            key=(schema.KEY_COLUMNS[schema.ACTION],),
            date_ranges=_PERIOD,
            label=schema.ACTION,
        ),
        FileSpec(
            "action_groups",
            (
                _id(schema.ACTION, "Action id (actions.csv).", references="actions"),
                _id(schema.GROUP, "Group id (groups.csv).", references="groups"),
                Column(
                    "role",
                    "enum",
                    enum=schema.ACTION_ROLES,
                    description="The group's role in the action.",
                ),
            ),
            key=(schema.KEY_COLUMNS[schema.ACTION], schema.KEY_COLUMNS[schema.GROUP]),
            relationship=schema.TOOK_PART_IN,
        ),
        FileSpec(
            "resources",
            (
                _id(schema.RESOURCE, "Resource id."),
                Column("name", required=True, description="Resource name."),
                Column(
                    "type",
                    "enum",
                    required=True,
                    enum=schema.RESOURCE_TYPES,
                    description="Kind of resource.",
                ),
            ),
            key=(schema.KEY_COLUMNS[schema.RESOURCE],),
            label=schema.RESOURCE,
        ),
        FileSpec(
            "resource_shares",
            (
                _id(schema.RESOURCE, "Resource id (resources.csv).", references="resources"),
                _id(schema.GROUP, "Group id (groups.csv).", references="groups"),
                Column(
                    "role",
                    "enum",
                    required=True,
                    enum=schema.SHARE_ROLES,
                    description="The group's role in sharing the resource.",
                ),
                *_period("the sharing"),
            ),
            key=(schema.KEY_COLUMNS[schema.RESOURCE], schema.KEY_COLUMNS[schema.GROUP]),
            date_ranges=_PERIOD,
            relationship=schema.SHARES,
        ),
    )
}

#: Files in the order they are checked and written: every file comes after
#: the files it refers to.
FILE_ORDER: tuple[str, ...] = tuple(FILES)
REQUIRED_FILES: frozenset[str] = frozenset({"movements", "groups"})


# --------------------------------------------------------------------------------------------
# datapackage.json
# --------------------------------------------------------------------------------------------


def datapackage_descriptor(
    *, name: str = "coalition-dataset", description: str | None = None
) -> dict[str, Any]:
    """Return the Frictionless Data Package descriptor of a coalition dataset.

    Parameters
    ----------
    name : str, default "coalition-dataset"
        Package name (lower case letters, digits, ``-``, ``_``, ``.``).
    description : str, optional
        Package description.

    Returns
    -------
    dict
        A ``tabular-data-package`` with one resource per CSV file, each with a
        Table Schema (fields, types, required and enum constraints, primary
        key, foreign keys).

    Notes
    -----
    Ids are strings. ``groups.movements`` is a ``;``-separated list of
    movement ids, which a Table Schema foreign key cannot express; it is
    described as a string with a pattern instead. An empty cell is a missing
    value (an ongoing membership has no ``end_date``).

    Examples
    --------
    >>> package = datapackage_descriptor(name="tiny")
    >>> [r["path"] for r in package["resources"]][:3]
    ['movements.csv', 'groups.csv', 'members.csv']
    >>> package["resources"][7]["schema"]["primaryKey"]
    ['resource_id', 'group_id']
    """
    resources = []
    for stem, spec in FILES.items():
        schema: dict[str, Any] = {
            "fields": [_field(column) for column in spec.columns],
            "missingValues": [""],
            "primaryKey": list(spec.key),
        }
        foreign = [c for c in spec.columns if c.references and c.kind != "idlist"]
        if foreign:
            schema["foreignKeys"] = [
                {
                    "fields": c.name,
                    "reference": {"resource": c.references, "fields": FILES[c.references].key[0]},
                }
                for c in foreign
            ]
        resources.append(
            {
                "name": stem,
                "path": spec.filename,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "schema": schema,
            }
        )
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name,
        "title": "Coalition Graph Explorer dataset",
    }
    if description:
        package["description"] = description
    package["resources"] = resources
    return package


def write_datapackage(
    out_dir: str | Path, *, name: str = "coalition-dataset", description: str | None = None
) -> Path:
    """Write ``datapackage.json`` describing the eight CSV files into `out_dir`.

    Parameters
    ----------
    out_dir : str or Path
        Dataset folder.
    name, description : str
        Passed to :func:`datapackage_descriptor`.

    Returns
    -------
    Path
        The written descriptor.
    """
    path = Path(out_dir) / DATAPACKAGE
    text = json.dumps(datapackage_descriptor(name=name, description=description), indent=2)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def _field(column: Column) -> dict[str, Any]:
    """Return the Table Schema field descriptor of one column."""
    descriptor: dict[str, Any] = {
        "name": column.name,
        "type": KINDS[column.kind],
        "description": column.description,
    }
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum is not None:
        constraints["enum"] = sorted(column.enum)
    if column.kind == "int":
        constraints["minimum"] = 0
    if column.kind == "idlist":
        constraints["pattern"] = "[^;]+(;[^;]+)*"
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


# --------------------------------------------------------------------------------------------
# The spec agrees with the store's schema
# --------------------------------------------------------------------------------------------


def schema_mismatches() -> list[str]:
    """Every way :data:`FILES` disagrees with :mod:`graph.schema` (empty when they agree).

    Each node label and relationship type is held by exactly one file (or, for
    ``IN_MOVEMENT``, one idlist column), whose key columns are the schema's key
    columns and whose other columns are the schema's properties, in order.

    >>> schema_mismatches()
    []
    """
    problems: list[str] = []
    labels = {s.label: s for s in FILES.values() if s.label}
    relationships = {s.relationship: s.name for s in FILES.values() if s.relationship}
    idlists = {c.relationship: (s, c) for s in FILES.values() for c in s.columns if c.relationship}
    file_of_label = {s.label: s.name for s in labels.values()}
    if set(labels) != set(schema.NODE_LABELS):
        problems.append(
            f"node files hold {sorted(labels)}, the schema has {sorted(schema.NODE_LABELS)}"
        )
    if set(relationships) | set(idlists) != set(schema.RELATIONSHIP_TYPES):
        problems.append(f"no file holds {set(schema.RELATIONSHIP_TYPES) - set(relationships)}")
    for spec in FILES.values():
        for column in spec.columns:
            if (column.kind == "enum") != (column.enum is not None):
                problems.append(f"{spec.name}.{column.name}: an enum needs its values")
            if column.kind not in KINDS or not column.description:
                problems.append(f"{spec.name}.{column.name}: unknown kind or no description")
            if column.references and column.references not in FILES:
                problems.append(f"{spec.name}.{column.name}: no file {column.references}")
        if spec.label:
            expected = schema.NODE_PROPERTIES[spec.label]
            if spec.key != (schema.KEY_COLUMNS[spec.label],):
                problems.append(f"{spec.name}: key {spec.key} is not the {spec.label} key")
        elif spec.relationship:
            expected = schema.RELATIONSHIP_PROPERTIES[spec.relationship]
            rel = spec.relationship
            ends = {schema.KEY_COLUMNS[label]: label for label in schema.RELATIONSHIP_ENDS[rel]}
            if set(spec.key) != set(ends):
                problems.append(f"{spec.name}: key {spec.key} is not the ends of {rel}")
            for key in spec.key:
                target = spec.column(key).references
                if key in ends and file_of_label.get(ends[key]) != target:
                    problems.append(f"{spec.name}.{key} does not refer to the {ends[key]} file")
        else:
            problems.append(f"{spec.name}: holds neither a label nor a relationship type")
            continue
        if spec.property_columns != expected:
            problems.append(
                f"{spec.name}: columns {spec.property_columns} are not the schema's {expected}"
            )
    for rel, (spec, column) in idlists.items():
        start, end = schema.RELATIONSHIP_ENDS[rel]
        if spec.label != start or file_of_label.get(end) != column.references:
            problems.append(f"{spec.name}.{column.name}: not the {start}->{end} of {rel}")
    return problems


if _problems := schema_mismatches():  # pragma: no cover - a programming error, caught by tests
    raise RuntimeError("loaders.spec disagrees with graph.schema: " + "; ".join(_problems))
