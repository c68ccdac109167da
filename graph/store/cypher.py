"""Every Cypher query of the product, as named constants.

Values travel only as parameters (``$rows``, ``$id``); labels and relationship
types come only from :mod:`graph.schema`. Writes are batched
``UNWIND $rows AS row MERGE ...`` on the node key.
"""

from __future__ import annotations

from graph.schema import (
    ACTION,
    GROUP,
    IN_MOVEMENT,
    KEY_COLUMNS,
    LOAD_STATE,
    MEMBER,
    MEMBER_OF,
    MOVEMENT,
    NODE_KEY,
    NODE_LABELS,
    NODE_PROPERTIES,
    RELATIONSHIP_ENDS,
    RELATIONSHIP_PROPERTIES,
    RELATIONSHIP_TYPES,
    RESOURCE,
    SHARES,
    TOOK_PART_IN,
)

# -- schema ------------------------------------------------------------------
CONSTRAINTS: tuple[str, ...] = tuple(
    f"CREATE CONSTRAINT {label.lower()}_{NODE_KEY} IF NOT EXISTS "
    f"FOR (n:{label}) REQUIRE n.{NODE_KEY} IS UNIQUE"
    for label in (*NODE_LABELS, LOAD_STATE)
)

#: Dropping and re-creating the member key constraint rebuilds its index from the
#: remaining members: the embedded store's index pages then no longer hold an erased key.
DROP_MEMBER_KEY = f"DROP CONSTRAINT {MEMBER.lower()}_{NODE_KEY} IF EXISTS"
CREATE_MEMBER_KEY = next(q for q in CONSTRAINTS if f"(n:{MEMBER})" in q)

COUNTS: dict[str, str] = {
    **{label: f"MATCH (n:{label}) RETURN count(n) AS n" for label in NODE_LABELS},
    **{rel: f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n" for rel in RELATIONSHIP_TYPES},
}

# -- writes: nodes -------------------------------------------------------------
#: ``$rows``: ``[{"id": ..., "props": {...}}]``; properties are replaced as a whole
#: set of named keys so a re-load updates records in place.
MERGE_NODES: dict[str, str] = {
    label: f"UNWIND $rows AS row MERGE (n:{label} {{{NODE_KEY}: row.id}}) SET n += row.props"
    for label in NODE_LABELS
}

# -- writes: relationships -----------------------------------------------------
#: type -> (start label, start key in row, end label, end key in row, properties)
RELATIONSHIPS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    rel: (a, KEY_COLUMNS[a], b, KEY_COLUMNS[b], RELATIONSHIP_PROPERTIES[rel])
    for rel, (a, b) in RELATIONSHIP_ENDS.items()
}


def _rel_match(rel: str) -> str:
    a, a_key, b, b_key, _ = RELATIONSHIPS[rel]
    return (
        f"UNWIND $rows AS row "
        f"MATCH (a:{a} {{{NODE_KEY}: row.{a_key}}}) "
        f"MATCH (b:{b} {{{NODE_KEY}: row.{b_key}}}) "
    )


def _rel_props(rel: str, form: str) -> str:
    props = RELATIONSHIPS[rel][4]
    if form == "set":
        return ", ".join(f"r.{p} = row.{p}" for p in props)
    return "{" + ", ".join(f"{p}: row.{p}" for p in props) + "}"


#: ``$rows``: dicts with both keys and the properties. MERGE updates in place.
MERGE_RELS: dict[str, str] = {
    rel: _rel_match(rel) + f"MERGE (a)-[r:{rel}]->(b) SET " + _rel_props(rel, "set")
    for rel in RELATIONSHIPS
}
#: The same, for a load that knows the relationships are new (the type is empty).
CREATE_RELS: dict[str, str] = {
    rel: _rel_match(rel) + f"CREATE (a)-[r:{rel} " + _rel_props(rel, "map") + "]->(b)"
    for rel in RELATIONSHIPS
}
#: Every (start id, end id) pair of a relationship type.
READ_REL_KEYS: dict[str, str] = {
    rel: f"MATCH (a:{a})-[r:{rel}]->(b:{b}) RETURN a.{NODE_KEY} AS a, b.{NODE_KEY} AS b"
    for rel, (a, _, b, _, _) in RELATIONSHIPS.items()
}
#: ``$rows``: ``[{"a": start id, "b": end id}]``
DELETE_RELS: dict[str, str] = {
    rel: (
        f"UNWIND $rows AS row MATCH (a:{a} {{{NODE_KEY}: row.a}})-[r:{rel}]->"
        f"(b:{b} {{{NODE_KEY}: row.b}}) DELETE r"
    )
    for rel, (a, _, b, _, _) in RELATIONSHIPS.items()
}
READ_NODE_IDS: dict[str, str] = {
    label: f"MATCH (n:{label}) RETURN n.{NODE_KEY} AS id" for label in NODE_LABELS
}
#: ``$ids``: node keys to remove with their relationships.
DELETE_NODES: dict[str, str] = {
    label: f"UNWIND $ids AS id MATCH (n:{label} {{{NODE_KEY}: id}}) DETACH DELETE n"
    for label in NODE_LABELS
}
CREATE_NODES: dict[str, str] = {
    label: f"UNWIND $rows AS row CREATE (n:{label} {{{NODE_KEY}: row.id}}) SET n += row.props"
    for label in NODE_LABELS
}

# -- load state ------------------------------------------------------------------
#: Claim the single load-state node if its token is still the one we read
#: (compare-and-set), marking a load as running.
#: Compare-and-set of the load token. The first ``SET`` takes the node's write lock before
#: the token is read (Neo4j's documented cure for lost updates under read-committed
#: isolation): of two claims at once, the second reads the first one's token and fails.
CLAIM_LOAD = (
    f"MERGE (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) "
    f"SET l.claims = coalesce(l.claims, 0) + 1 "
    f"WITH l WHERE coalesce(l.token, '') = $expected "
    f"SET l.status = 'running', l.token = $token, l.dataset = $dataset, l.host = $host, "
    f"l.pid = $pid, l.started_at = $now, l.heartbeat = $now "
    f"RETURN l.token AS token"
)
HEARTBEAT_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.heartbeat = $now RETURN l.token AS token"
)
FINISH_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.status = 'complete', l.finished_at = $now, l.heartbeat = $now, "
    f"l.version = coalesce(l.version, 0) + 1 "
    f"RETURN l.version AS version"
)
FAIL_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.status = 'failed', l.heartbeat = $now RETURN l.token AS token"
)
READ_LOAD_STATE = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) RETURN l.status AS status, "
    f"l.token AS token, l.dataset AS dataset, l.host AS host, l.pid AS pid, "
    f"l.started_at AS started_at, l.heartbeat AS heartbeat, l.finished_at AS finished_at, "
    f"l.version AS version"
)

# -- reads ---------------------------------------------------------------------
# Each read returns the whole table as ONE record holding a list of rows
# (``collect([...])``): the driver's per-record cost, not the store, dominated
# reads of one record per row (a 50,000-group coalition read in 13 s instead
# of 5 s). Nulls inside a row survive ``collect``. ``READ_TABLES`` maps a
# table name to its columns and query; an empty table comes back as ``[]``.


def _table(match: str, columns: dict[str, str]) -> tuple[tuple[str, ...], str]:
    fields = ", ".join(columns.values())
    return tuple(columns), f"MATCH {match} RETURN collect([{fields}]) AS rows"


def _kept(properties: tuple[str, ...], omit: tuple[str, ...]) -> tuple[str, ...]:
    unknown = set(omit) - set(properties)
    if unknown:
        raise ValueError(f"not properties of the schema: {sorted(unknown)}")
    return tuple(p for p in properties if p not in omit)


def _read_nodes(label: str, *, omit: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str]:
    """``id`` and the label's properties of :data:`graph.schema.NODE_PROPERTIES`."""
    props = _kept(NODE_PROPERTIES[label], omit)
    return _table(f"(n:{label})", {"id": f"n.{NODE_KEY}", **{p: f"n.{p}" for p in props}})


def _read_rels(rel: str, *, omit: tuple[str, ...] = ()) -> tuple[tuple[str, ...], str]:
    """Both ends' key columns and the type's properties of the schema."""
    start, end = RELATIONSHIP_ENDS[rel]
    props = _kept(RELATIONSHIP_PROPERTIES[rel], omit)
    return _table(
        f"(a:{start})-[r:{rel}]->(b:{end})",
        {
            KEY_COLUMNS[start]: f"a.{NODE_KEY}",
            KEY_COLUMNS[end]: f"b.{NODE_KEY}",
            **{p: f"r.{p}" for p in props},
        },
    )


#: The columns come from the schema's vocabulary; what a reading of the coalition never
#: uses is left out (``omit``), which keeps a million-membership read small.
READ_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "movements": _read_nodes(MOVEMENT),
    "groups": _read_nodes(GROUP),
    "group_movements": _read_rels(IN_MOVEMENT),
    "memberships": _read_rels(MEMBER_OF, omit=("role",)),
    "actions": _read_nodes(ACTION, omit=("description",)),
    "participations": _read_rels(TOOK_PART_IN),
    "resources": _read_nodes(RESOURCE),
    "shares": _read_rels(SHARES),
}
READ_MEMBER_COUNT = f"MATCH (p:{MEMBER}) RETURN count(p) AS n"

#: Every record as the dataset holds it, for ``coalition export``: each label's nodes with
#: ``id`` and all their properties, each relationship type with both ends' key columns and
#: all its properties (nothing omitted), keyed by label or type.
RECORD_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    **{label: _read_nodes(label) for label in NODE_LABELS},
    **{rel: _read_rels(rel) for rel in RELATIONSHIP_TYPES},
}

# -- metrics write-back --------------------------------------------------------
#: ``$rows``: ``[{"id": group_id, "props": {metric: value}}]``
WRITE_BACK_GROUP_METRICS = (
    f"UNWIND $rows AS row MATCH (g:{GROUP} {{{NODE_KEY}: row.id}}) SET g += row.props"
)

# -- privacy -------------------------------------------------------------------
ERASE_MEMBERS = (
    f"UNWIND $ids AS id MATCH (p:{MEMBER} {{{NODE_KEY}: id}}) DETACH DELETE p "
    f"RETURN count(*) AS erased"
)
