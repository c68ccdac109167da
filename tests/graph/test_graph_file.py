"""`graph.graph_file`: the coalition graph as GEXF and GraphML, read back by networkx.

What networkx reads back is compared in full with the graph and the group
table in memory: the same nodes, the same ties, every attribute with its value
and type. The files are also checked for what Gephi needs (the GEXF 1.2draft
structure, attribute types it knows, no list or "nan" values).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from graph.errors import UsageError
from graph.graph_file import (
    TIE_ATTRIBUTES,
    CannotWrite,
    attributed_graph,
    export_graph,
    write_graph_file,
)
from graph.metrics import GROUP_COLUMNS, GROUP_SOLIDARITY_COLUMNS
from graph.report import compute_report
from graph.schema import GROUP, NODE_PROPERTIES
from tests.conftest import FIXTURES

pytestmark = pytest.mark.store

GEXF_NS = "{http://www.gexf.net/1.2draft}"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
#: The attribute types Gephi's importers know (GEXF) and GraphML's own.
GEXF_TYPES = {"integer", "long", "float", "double", "boolean", "string"}
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}


def expected_nodes(report, coalition) -> dict[str, dict]:
    """Each group's attributes as the file must hold them, from the tables in memory."""
    out = {}
    for row in report.group_table():
        gid = row["group_id"]
        values = {k: v for k, v in row.items() if k != "group_id"}
        values["movements"] = ";".join(report.graph.nodes[gid]["movements"])
        for prop in NODE_PROPERTIES[GROUP]:
            values.setdefault(prop, coalition.groups[gid].get(prop))
        values["label"] = values["name"]
        out[gid] = {
            k: v
            for k, v in values.items()
            if v is not None and not (isinstance(v, float) and math.isnan(v))
        }
    return out


def read_back(path: Path) -> nx.Graph:
    G = nx.read_gexf(path) if path.suffix == ".gexf" else nx.read_graphml(path)
    for _, _, data in G.edges(data=True):
        data.pop("id", None)  # GEXF's own edge id, not one of ours
    return G


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
@pytest.mark.parametrize("window", [(None, None), ("2019-01-01", "2020-12-31")])
def test_networkx_reads_back_every_node_tie_and_attribute(tiny, tmp_path, suffix, window):
    coalition = tiny.window(*window)
    report = compute_report(coalition)
    path = tmp_path / f"coalition{suffix}"
    written = export_graph(coalition, path)
    G = read_back(path)
    assert set(G.nodes) == set(report.graph.nodes) == set(tiny.groups)  # isolated ones too
    want = expected_nodes(report, coalition)
    for node, data in G.nodes(data=True):
        assert data == want[node], node
        for key, value in data.items():  # the same type, not only an equal value
            assert type(value) is type(want[node][key]), (node, key)
    assert {frozenset(e) for e in G.edges} == {frozenset(e) for e in report.graph.edges}
    for u, v, data in G.edges(data=True):
        memory = report.graph.edges[u, v]
        assert data == {k: memory[k] for k in TIE_ATTRIBUTES}, (u, v)
        assert [type(data[k]) for k in TIE_ATTRIBUTES] == [int, int, int, float]
    assert written == (len(tiny.groups), report.graph.number_of_edges())
    same = attributed_graph(report.graph, report.group_table(), groups=coalition.groups)
    assert dict(G.nodes(data=True)) == dict(same.nodes(data=True))  # the library's graph
    assert {frozenset((u, v)): d for u, v, d in G.edges(data=True)} == {
        frozenset((u, v)): d for u, v, d in same.edges(data=True)
    }


def test_every_metric_column_and_group_property_is_an_attribute(tiny, tmp_path):
    path = tmp_path / "c.gexf"
    export_graph(tiny, path)
    titles = {
        a.get("title")
        for a in ET.parse(path).getroot().iter(f"{GEXF_NS}attribute")
        if a.get("title")
    }
    wanted = (set(GROUP_COLUMNS) | set(GROUP_SOLIDARITY_COLUMNS) | set(NODE_PROPERTIES[GROUP])) - {
        "group_id"
    }
    assert wanted | set(TIE_ATTRIBUTES) - {"weight"} == titles


def test_undefined_values_are_left_out_not_written(tiny, tmp_path):
    """g6 has no ties: its E–I index, constraint and effective size are undefined."""
    path = tmp_path / "c.graphml"
    export_graph(tiny, path)
    g6 = read_back(path).nodes["g6"]
    assert g6["degree"] == 0 and g6["participation"] == 0.0
    assert not {"ei_index", "constraint", "effective_size", "founded", "size"} & set(g6)
    text = path.read_text(encoding="utf-8")
    assert ">nan<" not in text.lower() and ">none<" not in text.lower()


def test_no_member_id_or_name_is_written(tiny, tmp_path):
    members = [line.split(",") for line in (FIXTURES / "tiny" / "members.csv").read_text().split()]
    secrets = {m[0] for m in members[1:]} | {m[1] for m in members[1:] if m[1]}
    for suffix in (".gexf", ".graphml"):
        path = tmp_path / f"c{suffix}"
        export_graph(tiny, path)
        G = read_back(path)
        values = {str(v) for _, d in G.nodes(data=True) for v in d.values()}
        values |= {str(v) for *_, d in G.edges(data=True) for v in d.values()} | set(G.nodes)
        assert not secrets & values
        text = path.read_text(encoding="utf-8")
        assert not [s for s in secrets if f'"{s}"' in text or f">{s}<" in text]


def test_gexf_is_what_gephi_reads(tiny, tmp_path):
    path = tmp_path / "c.gexf"
    export_graph(tiny, path)
    root = ET.parse(path).getroot()
    assert root.tag == f"{GEXF_NS}gexf" and root.get("version") == "1.2"
    graph = root.find(f"{GEXF_NS}graph")
    assert graph.get("defaultedgetype") == "undirected" and graph.get("mode") == "static"
    assert set(graph.attrib) <= {"defaultedgetype", "mode", "idtype", "timeformat"}  # XSD's
    declared = {}
    for block in graph.iter(f"{GEXF_NS}attributes"):
        titles = [a.get("title") for a in block]
        assert len(titles) == len(set(titles))  # one declaration, so one type, per attribute
        for a in block:
            assert a.get("type") in GEXF_TYPES, a.attrib
            declared[a.get("id")] = a.get("type")
    parse = {"long": int, "integer": int, "double": float, "float": float, "string": str}
    values = 0
    for value in graph.iter(f"{GEXF_NS}attvalue"):
        kind, text = declared[value.get("for")], value.get("value")
        if kind == "boolean":
            assert text in ("true", "false")
        else:
            parsed = parse[kind](text)
            assert not (isinstance(parsed, float) and not math.isfinite(parsed)), text
        values += 1
    assert values > 0
    nodes = list(graph.iter(f"{GEXF_NS}node"))
    names = {g: d["name"] for g, d in tiny.groups.items()}
    assert {n.get("id"): n.get("label") for n in nodes} == names  # Gephi shows the names
    for edge in graph.iter(f"{GEXF_NS}edge"):
        assert float(edge.get("weight")) > 0


def test_graphml_keys_have_one_known_type_each(tiny, tmp_path):
    path = tmp_path / "c.graphml"
    export_graph(tiny, path)
    keys = list(ET.parse(path).getroot().iter(f"{GRAPHML_NS}key"))
    assert keys
    seen = set()
    for key in keys:
        assert key.get("attr.type") in GRAPHML_TYPES, key.attrib
        assert (key.get("for"), key.get("attr.name")) not in seen
        seen.add((key.get("for"), key.get("attr.name")))


def test_attribute_types_are_one_per_column():
    G = nx.Graph()
    G.add_nodes_from([("a", {"name": "A"}), ("b", {"name": "B"}), ("c", {"name": "C"})])
    rows = [
        {"group_id": "a", "score": 1, "flag": True, "mixed": 2, "gone": float("nan")},
        {"group_id": "b", "score": 2.5, "flag": False, "mixed": "x", "gone": None},
        {"group_id": "c", "score": None, "flag": None, "mixed": None, "gone": None},
    ]
    H = attributed_graph(G, rows)
    assert H.nodes["a"]["score"] == 1.0 and type(H.nodes["a"]["score"]) is float
    assert H.nodes["b"]["flag"] is False
    assert H.nodes["a"]["mixed"] == "2" and H.nodes["b"]["mixed"] == "x"
    assert not {"score", "flag", "mixed", "gone"} & set(H.nodes["c"])
    assert "gone" not in H.nodes["a"] and "movements" not in H.nodes["a"]  # none: left out


def test_wrong_names_and_places_are_clear_errors(tmp_path):
    G = nx.Graph([("a", "b")])
    with pytest.raises(UsageError, match=r"must end in \.gexf or \.graphml"):
        write_graph_file(G, tmp_path / "c.gml")
    (tmp_path / "d.gexf").mkdir()
    with pytest.raises(CannotWrite, match="is a folder"):
        write_graph_file(G, tmp_path / "d.gexf")
    with pytest.raises(CannotWrite, match="cannot write /proc/c.gexf"):
        write_graph_file(G, "/proc/c.gexf")
    write_graph_file(G, tmp_path / "e.gexf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.gexf", "e.gexf"]  # no staging


@pytest.mark.parametrize("suffix", [".gexf", ".graphml"])
def test_text_with_markup_and_line_breaks_reads_back_unchanged(tmp_path, suffix):
    G = nx.Graph()
    awkward = 'Tenants & "Allies" <North>\nsecond line\tand a tab'
    G.add_node("a&<b>", name=awkward, movements=["m&1", "m2"])
    G.add_node("007", name="Zero", movements=["m2"])
    G.add_edge("a&<b>", "007", shared_members=0, joint_actions=2, shared_resources=1, weight=3.0)
    H = attributed_graph(G, [{"group_id": "007", "community": 3, "ei_index": -0.5}])
    path = write_graph_file(H, tmp_path / f"c{suffix}")
    back = read_back(path)
    assert dict(back.nodes(data=True)) == dict(H.nodes(data=True))
    assert back.nodes["a&<b>"]["label"] == awkward and back.nodes["007"]["community"] == 3
    assert back.edges["007", "a&<b>"] == H.edges["007", "a&<b>"]
