"""Every query the product sends passes Neo4j's own Cypher front end (CYPHER 5 and 25).

The front end is the semantic analysis of the npm package
``@neo4j-cypher/language-support`` (pinned in ``tests/cypher_lint/package.json``,
installed by ``make cypher-lint``, which ``make test`` runs), driven by
``tests/cypher_lint/lint.mjs``.

The queries are collected from the code, not copied here, so a new query is
linted as soon as it exists:

* every string that reads as Cypher among the module-level values (constants,
  tuples, dicts, nested) of every module of the product's packages, built at
  import exactly as the product builds them (labels from :mod:`graph.schema`);
* every plain string literal that reads as Cypher anywhere in their source
  (a query written inline in a function, such as the connection check).

A Cypher f-string inside a function cannot be built without running the
product, so it cannot be linted: the last test asks for it to become a
constant (of :mod:`graph.store.cypher`, where every query belongs).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_DIR = ROOT / "tests" / "cypher_lint"
PACKAGES = ("graph", "loaders", "dashboard", "cli")
#: What the package's ``allCypherVersions`` holds today; the lint reports each one.
VERSIONS = ("CYPHER 5", "CYPHER 25")

#: A string reads as Cypher when it starts with a clause keyword, upper case as the
#: product writes them (so prose such as "Create a ..." does not count).
_CLAUSE = re.compile(
    r"^\s*(?:CYPHER\s+\d+\s+)?"
    r"(?:MATCH|OPTIONAL MATCH|MERGE|CREATE|UNWIND|DROP|RETURN|WITH|CALL|SHOW|"
    r"DETACH DELETE|DELETE|FOREACH|LOAD CSV|USE|ALTER|TERMINATE)\b"
)


def reads_as_cypher(text: str) -> bool:
    """Whether ``text`` looks like a query (a clause keyword first).

    >>> reads_as_cypher("MATCH (n) RETURN n"), reads_as_cypher("Create a group")
    (True, False)
    """
    return bool(_CLAUSE.match(text))


def product_modules() -> Iterator[ModuleType]:
    """Every module of the product's packages, imported."""
    for name in PACKAGES:
        package = importlib.import_module(name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            yield importlib.import_module(info.name)


def _strings(value, seen: set[int]) -> Iterator[str]:
    """The strings inside a module-level value: str, tuple, list, set, dict (keys and
    values), dataclass instance (fields)."""
    if isinstance(value, str):
        yield value
        return
    record = dataclasses.is_dataclass(value) and not isinstance(value, type)
    if id(value) in seen or not (
        record or isinstance(value, tuple | list | set | frozenset | dict)
    ):
        return
    seen.add(id(value))
    if record:
        items = [getattr(value, f.name) for f in dataclasses.fields(value)]
    elif isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    else:
        items = value
    for item in items:
        yield from _strings(item, seen)


def _source_literals(path: Path) -> Iterator[tuple[str, int, ast.AST]]:
    """(text, line, node) of every string constant and f-string in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    parts_of_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and id(node) not in parts_of_fstrings:
                yield node.value, node.lineno, node
        elif isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            text = head.value if isinstance(head, ast.Constant) else ""
            yield text, node.lineno, node


def _source_files() -> list[Path]:
    return sorted(p for name in PACKAGES for p in (ROOT / name).rglob("*.py"))


def product_queries() -> dict[str, str]:
    """Query -> where it was found (the first place), for every query collected."""
    found: dict[str, str] = {}
    for module in product_modules():
        seen: set[int] = set()
        for attr, value in vars(module).items():
            if attr.startswith("__"):
                continue
            for text in _strings(value, seen):
                if reads_as_cypher(text):
                    found.setdefault(text.strip(), f"{module.__name__}.{attr}")
    for path in _source_files():
        for text, line, node in _source_literals(path):
            if isinstance(node, ast.Constant) and reads_as_cypher(text):
                found.setdefault(text.strip(), f"{path.relative_to(ROOT)}:{line}")
    return found


def lint(queries: list[str]) -> list[dict]:
    """Run the front end on each query for each Cypher version; one result per pair."""
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        pytest.fail(
            "the Cypher front end is not installed: run `make cypher-lint` (or `make test`)"
        )
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to lint the product's Cypher: install `node`")
    result = subprocess.run(
        [node, str(LINT_DIR / "lint.mjs")],
        input=json.dumps(queries),
        capture_output=True,
        text=True,
        cwd=LINT_DIR,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


#: The deprecation Neo4j reports for ``id()``: no query of the product may use it (the
#: paged reads split tables by key ranges, ``graph.store.cypher._table``).
ID_DEPRECATION = "The query used a deprecated function. ('id' has been replaced by"


def problems(results: list[dict], where: dict[str, str] | None = None) -> list[str]:
    """One entry per error or warning: version, message, the query and where it is."""
    where = where or {}
    return [
        f"{r['version']}: {d['severity']}: {d['message']}\n    {r['query']}"
        + (f"\n    (in {where[r['query']]})" if r["query"] in where else "")
        for r in results
        for d in r["diagnostics"]
        if d["severity"] in ("error", "warning")
    ]


#: Queries the front end must reject, and what it says (the first version's message).
KNOWN_BAD = {
    "MATCH (n) RETURN m": "Variable `m` not defined",
    "CREATE INDEX ON :L(p)": "CREATE INDEX FOR",  # Neo4j 4's syntax, gone in 5
}
#: A good query with parameters the front end is not told about: no finding.
KNOWN_GOOD = "UNWIND $rows AS row MERGE (n:Group {id: row.id}) SET n += row.props"


@pytest.fixture(scope="module")
def collected() -> dict[str, str]:
    return product_queries()


@pytest.fixture(scope="module")
def linted(collected) -> dict[str, list[dict]]:
    """Query -> its results (one per version); the front end started once for all."""
    results = lint(sorted({*collected, *KNOWN_BAD, KNOWN_GOOD}))
    by_query: dict[str, list[dict]] = {}
    for r in results:
        by_query.setdefault(r["query"], []).append(r)
    return by_query


def test_every_query_the_product_sends_passes_the_cypher_front_end(collected, linted):
    # The collection itself is checked: the load's writes, the constraints, the
    # load-state queries and the connection check written inline are all in it.
    from graph.store import cypher

    expected = {
        *cypher.CONSTRAINTS,
        *cypher.MERGE_NODES.values(),
        *cypher.MERGE_RELS.values(),
        cypher.CLAIM_LOAD,
        *(query for _, query in cypher.READ_TABLES.values()),
        "RETURN 1 AS ok",
    }
    assert expected <= set(collected)
    results = [r for q in collected for r in linted[q]]
    assert len(results) == len(VERSIONS) * len(collected)
    assert {r["version"] for r in results} == set(VERSIONS)
    found = problems(results, collected)
    assert not found, "Cypher that Neo4j rejects or warns about:\n" + "\n".join(found)


@pytest.mark.parametrize(("query", "message"), KNOWN_BAD.items())
def test_the_lint_fails_on_known_bad_queries(linted, query, message):
    results = linted[query]
    assert [r["version"] for r in results] == list(VERSIONS)
    for r in results:
        assert any(d["severity"] == "error" for d in r["diagnostics"]), r
    assert message in " ".join(d["message"] for d in results[0]["diagnostics"])
    assert problems(results)


def test_the_paged_reads_pass_with_no_warning_and_id_would_not(linted):
    """Every query of a paged read (page, whole table, bound) is linted and clean; the
    deprecated ``id()`` they once used is a finding anywhere."""
    from graph.store import cypher

    tables = [*cypher.READ_TABLES.values(), *cypher.RECORD_TABLES.values()]
    paged = {q for t in tables for q in (t.query, t.whole, t.bound)}
    assert paged <= set(linted)
    for query in paged:
        assert problems(linted[query]) == [], query
    found = problems(lint(["MATCH (n:Group) RETURN id(n) AS n"]))
    assert found and ID_DEPRECATION in found[0]


def test_a_good_query_passes_with_parameters_undeclared(linted):
    """Parameters are the driver's business, not the front end's: no finding."""
    assert problems(linted[KNOWN_GOOD]) == []


def test_no_cypher_is_built_inside_a_function():
    """An f-string query in a function body cannot be collected (it needs the product
    to run); such a query belongs in :mod:`graph.store.cypher` as a constant."""
    inline = []
    for path in _source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_level = {id(n) for stmt in tree.body for n in ast.walk(stmt)} - {
            id(n)
            for f in ast.walk(tree)
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            for n in ast.walk(f)
        }
        for text, line, node in _source_literals(path):
            if isinstance(node, ast.JoinedStr) and id(node) not in module_level:
                if reads_as_cypher(text):
                    inline.append(f"{path.relative_to(ROOT)}:{line}")
    allowed = _query_builders()
    assert [w for w in inline if w.split(":")[0] not in allowed] == []


def _query_builders() -> set[str]:
    """Modules whose functions build the constants at import (and only there)."""
    return {"graph/store/cypher.py"}
