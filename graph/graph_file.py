"""The coalition graph as a file for other graph tools: GEXF (Gephi, Gephi Lite) or GraphML
(Cytoscape, yEd, Gephi), both read by networkx.

:func:`attributed_graph` puts on each group what ``coalition metrics`` writes
about it (the one group table, :meth:`graph.report.Report.group_table`) and its
properties from the store; on each tie its counts per kind and its weight.
:func:`write_graph_file` writes it, the format chosen by suffix, streamed to the
file in the structure networkx's own writers use (they build the whole XML
tree in memory first: measured at 28,000 ties, 75-90 MB more and four to five
times as long, growing with the ties; 10,000 groups have 427,000).

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
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
#: GEXF version written: 1.2draft (networkx's default), which every Gephi since 0.8 opens.
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
    tables = _Tables.of(G, group_rows, groups)
    H = nx.Graph()
    H.add_nodes_from(tables.nodes.items())
    H.add_edges_from(tables.ties())
    return H


@dataclass(frozen=True)
class _Tables:
    """What a graph file holds: each group's typed attributes (``label`` first) and the
    ties' types; the ties themselves are read from ``G`` as they are written."""

    nodes: dict[Any, dict[str, Any]]
    node_kinds: dict[str, type]
    G: nx.Graph
    tie_kinds: dict[str, type]

    @classmethod
    def of(cls, G: nx.Graph, group_rows, groups) -> _Tables:
        rows = {row["group_id"]: row for row in group_rows}
        table: dict[Any, dict[str, Any]] = {}
        for node, data in G.nodes(data=True):
            values: dict[str, Any] = {
                "name": data.get("name") or node,
                "movements": data.get("movements") or [],
            }
            values.update((k, v) for k, v in rows.get(node, {}).items() if k != "group_id")
            for prop in NODE_PROPERTIES[GROUP]:
                if prop not in values and groups is not None:
                    values[prop] = groups.get(node, {}).get(prop)
            values["movements"] = _joined(values["movements"])
            table[node] = {"label": values["name"], **values}
        node_kinds = _kinds(table.values())
        nodes = {node: _cast(values, node_kinds) for node, values in table.items()}
        tie_kinds = _kinds({k: d.get(k) for k in TIE_ATTRIBUTES} for *_, d in G.edges(data=True))
        return cls(nodes, node_kinds, G, tie_kinds)

    def ties(self) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
        for u, v, data in self.G.edges(data=True):
            yield u, v, _cast({k: data.get(k) for k in TIE_ATTRIBUTES}, self.tie_kinds)


def _joined(value: Any) -> Any:
    return ";".join(map(str, value)) if isinstance(value, list | tuple) else value


def _kinds(rows: Iterable[Mapping[str, Any]]) -> dict[str, type]:
    """The one type of each column that holds all its defined values."""
    kinds: dict[str, type] = {}
    for values in rows:
        for column, value in values.items():
            value = _plain(value)
            if value is not None:
                kinds[column] = _wider(kinds.get(column), value)
    return kinds


def _cast(values: Mapping[str, Any], kinds: Mapping[str, type]) -> dict[str, Any]:
    """The defined values, each as its column's type."""
    out = {}
    for column, value in values.items():
        value = _plain(value)
        if value is not None:
            kind = kinds[column]
            out[column] = value if type(value) is kind else kind(value)
    return out


def _plain(value: Any) -> Any:
    """A Python value (numpy scalars converted), or None when undefined."""
    kind = type(value)
    if kind is int or kind is bool:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is str:
        return value or None
    if value is None:
        return None
    if hasattr(value, "item"):  # a numpy scalar
        return _plain(value.item())
    return value


def _wider(kind: type | None, value: Any) -> type:
    """The type that holds both what a column held so far and ``value``."""
    this: type = type(value)
    if this is kind:
        return kind
    if this in _XML_TYPES:
        pass
    elif isinstance(value, bool):
        this = bool
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
) -> tuple[int, int]:
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
    tuple of int
        The groups and ties written. The file holds what
        :func:`attributed_graph` gives, streamed from the coalition graph
        without building a second graph.
    """
    from graph.report import compute_report

    graph_format(path)  # a wrong name fails before the metrics are computed
    report = compute_report(coalition, weights=weights, movements=movements, seed=seed)
    tables = _Tables.of(report.graph, report.group_table(), coalition.groups)
    _write(path, tables.nodes.items(), tables.node_kinds, tables.ties(), tables.tie_kinds)
    return report.graph.number_of_nodes(), report.graph.number_of_edges()


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
    nodes = _kinds(d for _, d in G.nodes(data=True))
    ties = _kinds(d for *_, d in G.edges(data=True))
    return _write(
        path,
        ((n, _cast(d, nodes)) for n, d in G.nodes(data=True)),
        nodes,
        ((u, v, _cast(d, ties)) for u, v, d in G.edges(data=True)),
        ties,
    )


def _write(path, nodes, node_kinds, ties, tie_kinds) -> Path:
    """Stream ``nodes`` ``(node, data)`` and ``ties`` ``(u, v, data)`` to ``path``."""
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
        with open(staging, "w", encoding="utf-8", newline="\n") as fh:
            write = _write_gexf if fmt == "gexf" else _write_graphml
            write(fh, nodes, node_kinds, ties, tie_kinds)
        os.replace(staging, path)
    except OSError as exc:
        raise CannotWrite(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if staging is not None and staging.exists():
            staging.unlink()
    log.info("wrote %s", path)
    return path


#: Each Python type's name in GEXF and in GraphML (both read back by networkx as that type).
_XML_TYPES: dict[type, tuple[str, str]] = {
    bool: ("boolean", "boolean"),
    int: ("long", "long"),
    float: ("double", "double"),
    str: ("string", "string"),
}
_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def _xml(value: Any) -> str:
    """A value as XML text, safe in an attribute or an element (line breaks kept)."""
    kind = type(value)
    if kind is int or kind is float:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    return str(value).translate(_ESCAPES)


def _write_gexf(fh, nodes, node_kinds, ties, tie_kinds) -> None:
    """GEXF 1.2draft, streamed: each node's ``label`` is Gephi's label and each tie's
    ``weight`` Gephi's weight; every other attribute is declared once with its type."""
    declared_nodes = {k: v for k, v in node_kinds.items() if k != "label"}
    declared_ties = {k: v for k, v in tie_kinds.items() if k != "weight"}
    ns = f"http://www.gexf.net/{GEXF_VERSION}"
    fh.write(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<gexf xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ns} {ns}/gexf.xsd" version="1.2">\n'
        f'  <meta lastmodifieddate="{date.today().isoformat()}">\n'
        "    <creator>Coalition Graph Explorer</creator>\n"
        "    <description>The coalition graph: groups tied by shared members, joint actions "
        "and shared resources</description>\n"
        "  </meta>\n"
        '  <graph defaultedgetype="undirected" mode="static">\n'
    )
    ids = {}
    for kind, declared in (("node", declared_nodes), ("edge", declared_ties)):
        fh.write(f'    <attributes class="{kind}" mode="static">\n')
        for number, (title, python) in enumerate(declared.items()):
            ids[kind, title] = f"{kind[0]}{number}"
            fh.write(
                f'      <attribute id="{kind[0]}{number}" title="{_xml(title)}" '
                f'type="{_XML_TYPES[python][0]}" />\n'
            )
        fh.write("    </attributes>\n")

    def attvalues(kind: str, data: Mapping[str, Any], indent: str) -> str:
        cells = "".join(
            f'{indent}  <attvalue for="{ids[kind, k]}" value="{_xml(v)}" />\n'
            for k, v in data.items()
            if (kind, k) in ids
        )
        return f"{indent}<attvalues>\n{cells}{indent}</attvalues>\n" if cells else ""

    fh.write("    <nodes>\n")
    for node, data in nodes:
        label = data.get("label", node)
        fh.write(f'      <node id="{_xml(node)}" label="{_xml(label)}">\n')
        fh.write(attvalues("node", data, "        "))
        fh.write("      </node>\n")
    fh.write("    </nodes>\n    <edges>\n")
    for number, (u, v, data) in enumerate(ties):
        weight = f' weight="{_xml(data["weight"])}"' if "weight" in data else ""
        fh.write(f'      <edge id="{number}" source="{_xml(u)}" target="{_xml(v)}"{weight}>\n')
        fh.write(attvalues("edge", data, "        "))
        fh.write("      </edge>\n")
    fh.write("    </edges>\n  </graph>\n</gexf>\n")


def _write_graphml(fh, nodes, node_kinds, ties, tie_kinds) -> None:
    """GraphML, streamed: every attribute is a ``<key>`` with its one type."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    fh.write(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        f'<graphml xmlns="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{ns} {ns}/1.0/graphml.xsd">\n'
    )
    ids = {}
    for kind, declared in (("node", node_kinds), ("edge", tie_kinds)):
        for number, (name, python) in enumerate(declared.items()):
            ids[kind, name] = f"{kind[0]}{number}"
            fh.write(
                f'  <key id="{kind[0]}{number}" for="{kind}" attr.name="{_xml(name)}" '
                f'attr.type="{_XML_TYPES[python][1]}" />\n'
            )

    def cells(kind: str, data: Mapping[str, Any]) -> str:
        return "".join(
            f'    <data key="{ids[kind, k]}">{_xml(v)}</data>\n' for k, v in data.items()
        )

    fh.write('  <graph edgedefault="undirected">\n')
    for node, data in nodes:
        fh.write(f'    <node id="{_xml(node)}">\n{cells("node", data)}    </node>\n')
    for u, v, data in ties:
        fh.write(
            f'    <edge source="{_xml(u)}" target="{_xml(v)}">\n{cells("edge", data)}    </edge>\n'
        )
    fh.write("  </graph>\n</graphml>\n")
