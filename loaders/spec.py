"""What a dataset holds: its files, their columns, keys and references.

This is the contract of DESIGN.md ("The dataset") as data, so the validator,
the writer and ``datapackage.json`` agree on one definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.schema import ACTION_ROLES, RESOURCE_TYPES, SHARE_ROLES

__all__ = ["Column", "FileSpec", "FILES", "REQUIRED_FILES", "FILE_ORDER"]


@dataclass(frozen=True)
class Column:
    """One column: ``kind`` is id, text, date, year, int, enum or idlist."""

    name: str
    kind: str = "text"
    required: bool = False
    enum: frozenset[str] | None = None
    #: For id and idlist columns that point elsewhere: the file they point to.
    references: str | None = None


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    #: (start column, end column) pairs where end must not be before start.
    date_ranges: tuple[tuple[str, str], ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


FILES: dict[str, FileSpec] = {
    spec.name: spec
    for spec in (
        FileSpec(
            "movements",
            (
                Column("movement_id", "id", required=True),
                Column("name", required=True),
                Column("description"),
            ),
            key=("movement_id",),
        ),
        FileSpec(
            "groups",
            (
                Column("group_id", "id", required=True),
                Column("name", required=True),
                Column("movements", "idlist", required=True, references="movements"),
                Column("city"),
                Column("region"),
                Column("country"),
                Column("founded", "year"),
                Column("size", "int"),
            ),
            key=("group_id",),
        ),
        FileSpec(
            "members",
            (Column("member_id", "id", required=True), Column("name"), Column("city")),
            key=("member_id",),
        ),
        FileSpec(
            "memberships",
            (
                Column("member_id", "id", required=True, references="members"),
                Column("group_id", "id", required=True, references="groups"),
                Column("role"),
                Column("start_date", "date"),
                Column("end_date", "date"),
            ),
            key=("member_id", "group_id"),
            date_ranges=(("start_date", "end_date"),),
        ),
        FileSpec(
            "actions",
            (
                Column("action_id", "id", required=True),
                Column("name", required=True),
                Column("type"),
                Column("start_date", "date", required=True),
                Column("end_date", "date"),
                Column("city"),
                Column("description"),
            ),
            key=("action_id",),
            date_ranges=(("start_date", "end_date"),),
        ),
        FileSpec(
            "action_groups",
            (
                Column("action_id", "id", required=True, references="actions"),
                Column("group_id", "id", required=True, references="groups"),
                Column("role", "enum", enum=ACTION_ROLES),
            ),
            key=("action_id", "group_id"),
        ),
        FileSpec(
            "resources",
            (
                Column("resource_id", "id", required=True),
                Column("name", required=True),
                Column("type", "enum", required=True, enum=RESOURCE_TYPES),
            ),
            key=("resource_id",),
        ),
        FileSpec(
            "resource_shares",
            (
                Column("resource_id", "id", required=True, references="resources"),
                Column("group_id", "id", required=True, references="groups"),
                Column("role", "enum", required=True, enum=SHARE_ROLES),
                Column("start_date", "date"),
                Column("end_date", "date"),
            ),
            key=("resource_id", "group_id"),
            date_ranges=(("start_date", "end_date"),),
        ),
    )
}

#: Files in the order they are checked and written: every file comes after
#: the files it refers to.
FILE_ORDER: tuple[str, ...] = tuple(FILES)
REQUIRED_FILES: frozenset[str] = frozenset({"movements", "groups"})
