"""The coalition graph as a file for other graph tools: GEXF (Gephi, Gephi Lite) or GraphML
(Cytoscape, yEd, Gephi), both read by networkx.

:func:`attributed_graph` puts on each group what ``coalition metrics`` writes
about it (the one group table, :meth:`graph.report.Report.group_table`) and its
properties from the store; on each tie its counts per kind and its weight.
:func:`write_graph_file` writes it with networkx's writers, chosen by suffix.

Values are typed as the tools expect, one type per attribute: whole numbers
as integers, measures as doubles, flags as booleans, everything else as text
(a group's movements as ``;``-separated ids, the primary first). A value that
is undefined (the E–I index of an isolated group, say) is left out of that
group's attributes, never written as "nan" or "None". Lists, which GEXF would
take for dynamic values and GraphML cannot hold, are never written. Members
appear only as counts (``shared_members``), never by id or name.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("g1", name="Tenants United", movements=["housing", "labour"])
>>> G.add_node("g2", name="Care Network", movements=["disability"])
>>> G.add_edge("g1", "g2", shared_members=2, joint_actions=1, shared_resources=0, weight=3.0)
>>> rows = [
...     {"group_id": "g1", "degree": 1, "ei_index": 1.0, "articulation_point": False},
...     {"group_id": "g2", "degree": 1, "ei_index": None, "articulation_point": False},
... ]
>>> H = attributed_graph(G, rows)
>>> sorted(H.nodes["g1"].items())  # doctest: +NORMALIZE_WHITESPACE
[('articulation_point', False), ('degree', 1), ('ei_index', 1.0),
 ('label', 'Tenants United'), ('movements', 'housing;labour'), ('name', 'Tenants United')]
>>> "ei_index" in H.nodes["g2"], H.edges["g1", "g2"]["weight"]
(False, 3.0)
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import networkx as nx

from graph.coalition import Coalition
from graph.errors import CoalitionError, UsageError
from graph.metrics import DEFAULT_SEED
from graph.schema import GROUP, NODE_PROPERTIES, TIE_KINDS

__all__ = [
    "GRAPH_FORMATS",
    "TIE_ATTRIBUTES",
    "CannotWrite",
    "attributed_graph",
    "write_graph_file",
    "graph_format",
    "export_graph",
]

log = logging.getLogger(__name__)

#: The file formats by suffix, and the networkx writer of each.
GRAPH_FORMATS: dict[str, str] = {".gexf": "gexf", ".graphml": "graphml"}
#: Each tie's attributes: its count per kind and its weight.
TIE_ATTRIBUTES: tuple[str, ...] = (*TIE_KINDS, "weight")
#: GEXF version written: 1.2draft, networkx's default, which every Gephi since 0.8 opens.
GEXF_VERSION = "1.2draft"


class CannotWrite(CoalitionError):
    """The graph file cannot be written where it was asked to go."""


def attributed_graph(
    G: nx.Graph,
    group_rows: Iterable[Mapping[str, Any]],
    *,
    groups: Mapping[str, Mapping[str, Any]] | None = None,
) -> nx.Graph:
    """The coalition graph with every group's figures and properties, ready to write.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph (:func:`graph.projection.coalition_graph`): nodes
        with ``name`` and ``movements``, ties with :data:`TIE_ATTRIBUTES`.
    group_rows : iterable of mapping
        One row per group keyed by ``group_id``, as
        :meth:`graph.report.Report.group_table` gives them; every column but
        ``group_id`` becomes an attribute, in the row's order.
    groups : mapping, optional
        Each group's properties as the store holds them
        (:attr:`graph.coalition.Coalition.groups`): those of
        :data:`graph.schema.NODE_PROPERTIES` the rows lack (city, region,
        country, founded, size) are added.

    Returns
    -------
    networkx.Graph
        A new graph with the same nodes and ties. Each node has ``label`` (its
        name, which Gephi shows), then its attributes; each tie its counts and
        weight. Each attribute has one type on every node (int, float, bool
        or str); an undefined value (None, NaN) is left out.
    """
    rows = {row["group_id"]: row for row in group_rows}
    table: dict[str, dict[str, Any]] = {}
    for node, data in G.nodes(data=True):
        row = rows.get(node, {})
        values: dict[str, Any] = {
            "name": data.get("name") or node,
            "movements": data.get("movements") or [],
        }
        values.update((k, v) for k, v in row.items() if k != "group_id")
        for prop in NODE_PROPERTIES[GROUP]:
            if prop not in values and groups is not None:
                values[prop] = groups.get(node, {}).get(prop)
        values["movements"] = _joined(values["movements"])
        table[node] = values
    H = nx.Graph()
    H.add_nodes_from(
        (node, {"label": values["name"], **values}) for node, values in _typed(table).items()
    )
    ties = {(u, v): {k: data.get(k) for k in TIE_ATTRIBUTES} for u, v, data in G.edges(data=True)}
    H.add_edges_from((u, v, data) for (u, v), data in _typed(ties).items())
    return H


def _joined(value: Any) -> Any:
    return ";".join(map(str, value)) if isinstance(value, list | tuple) else value


def _typed(table: Mapping[Any, Mapping[str, Any]]) -> dict[Any, dict[str, Any]]:
    """Every value of each column as the column's one type; undefined values left out."""
    defined = {
        key: {k: _plain(v) for k, v in values.items() if _plain(v) is not None}
        for key, values in table.items()
    }
    kinds: dict[str, type] = {}
    for values in defined.values():
        for column, value in values.items():
            kinds[column] = _wider(kinds.get(column), value)
    return {
        key: {column: kinds[column](value) for column, value in values.items()}
        for key, values in defined.items()
    }


def _plain(value: Any) -> Any:
    """A Python value (numpy scalars converted), or None when undefined."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    if isinstance(value, str) and value == "":
        return None
    return value


def _wider(kind: type | None, value: Any) -> type:
    """The type that holds both what a column held so far and ``value``."""
    if isinstance(value, bool):
        this: type = bool
    elif isinstance(value, Integral):
        this = int
    elif isinstance(value, Real):
        this = float
    else:
        this = str
    if kind is None or kind is this:
        return this
    if {kind, this} <= {int, float}:
        return float
    return str


def export_graph(
    coalition: Coalition,
    path: str | os.PathLike,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
    seed: int = DEFAULT_SEED,
) -> nx.Graph:
    """Measure the coalition as ``coalition metrics`` does and write its graph file.

    Parameters
    ----------
    coalition : graph.coalition.Coalition
        The tables, already cut to a date window if any
        (:func:`graph.read.read_coalition` with ``since``/``until``).
    path : path
        A ``.gexf`` or ``.graphml`` file.
    weights, movements, seed : optional
        As :func:`graph.report.compute_report`.

    Returns
    -------
    networkx.Graph
        The graph written (:func:`attributed_graph`).
    """
    from graph.report import compute_report

    graph_format(path)  # a wrong name fails before the metrics are computed
    report = compute_report(coalition, weights=weights, movements=movements, seed=seed)
    H = attributed_graph(report.graph, report.group_table(), groups=coalition.groups)
    write_graph_file(H, path)
    return H


def graph_format(path: str | os.PathLike) -> str:
    """The format a file name asks for: ``"gexf"`` or ``"graphml"``.

    >>> graph_format("coalition.GEXF"), graph_format("out/coalition.graphml")
    ('gexf', 'graphml')
    """
    suffix = Path(path).suffix.lower()
    if suffix not in GRAPH_FORMATS:
        raise UsageError(
            f"{path}: the file name must end in {' or '.join(GRAPH_FORMATS)} "
            f"(GEXF for Gephi, GraphML for Cytoscape and others)"
        )
    return GRAPH_FORMATS[suffix]


def write_graph_file(G: nx.Graph, path: str | os.PathLike) -> Path:
    """Write ``G`` as GEXF or GraphML, chosen by the suffix of ``path``; return the path.

    The file is written in full beside ``path``, then moved into place (an
    existing file is replaced). GEXF is version :data:`GEXF_VERSION`.

    Raises
    ------
    graph.errors.UsageError
        If the suffix is neither ``.gexf`` nor ``.graphml``.
    CannotWrite
        If ``path`` is a folder or cannot be written.
    """
    path = Path(path)
    fmt = graph_format(path)
    if path.is_dir():
        raise CannotWrite(f"{path} is a folder; name a .{fmt} file")
    staging = None
    try:
        path.absolute().parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=path.suffix, dir=path.absolute().parent
        )
        os.close(fd)
        staging = Path(name)
        if fmt == "gexf":
            _write_gexf(G, staging)
        else:
            nx.write_graphml(G, staging)
        os.replace(staging, path)
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if staging is not None and staging.exists():
            staging.unlink()
    log.info("wrote %s: %d groups, %d ties", path, G.number_of_nodes(), G.number_of_edges())
    return path


def _write_gexf(G: nx.Graph, path: Path) -> None:
    """networkx's GEXF writer, without the ``name`` attribute it puts on ``<graph>``, which the
    GEXF 1.2draft schema does not have."""
    from networkx.readwrite.gexf import GEXFWriter

    writer = GEXFWriter(version=GEXF_VERSION)
    writer.add_graph(G)
    writer.graph_element.attrib.pop("name", None)
    with open(path, "wb") as fh:
        writer.write(fh)
