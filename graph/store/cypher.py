"""Every Cypher query of the product, as named constants.

Values travel only as parameters (``$rows``, ``$id``); labels and relationship
types come only from :mod:`graph.schema`. Writes are batched
``UNWIND $rows AS row MERGE ...`` on the node key.

The database may be shared: every node and relationship the product writes
carries the mark (:data:`graph.schema.MARK`), and every query that reads,
counts, changes or deletes data matches only marked nodes and relationships.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from graph.schema import (
    ACTION,
    GROUP,
    IN_MOVEMENT,
    KEY_COLUMNS,
    LOAD_STATE,
    MARK,
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

#: What every marked node or relationship carries, and the test for it.
_MARKED = f"{MARK}: true"


def _is_marked(variable: str) -> str:
    return f"{variable}.{MARK} IS NOT NULL"


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
#: The load state's key: two first claims at once cannot both create the node.
CREATE_LOAD_STATE_KEY = next(q for q in CONSTRAINTS if f"(n:{LOAD_STATE})" in q)

COUNTS: dict[str, str] = {
    **{
        label: f"MATCH (n:{label}) WHERE {_is_marked('n')} RETURN count(n) AS n"
        for label in NODE_LABELS
    },
    **{
        rel: f"MATCH ()-[r:{rel}]->() WHERE {_is_marked('r')} RETURN count(r) AS n"
        for rel in RELATIONSHIP_TYPES
    },
}

# -- a shared database: foreign data and adopting it ------------------------------------
#: The nodes of each of our labels that the product did not write.
FOREIGN_COUNTS: dict[str, str] = {
    label: f"MATCH (n:{label}) WHERE n.{MARK} IS NULL RETURN count(n) AS n" for label in NODE_LABELS
}
#: ``$batch``: mark up to that many unmarked nodes of a label as ours; returns how many.
ADOPT_NODES: dict[str, str] = {
    label: (
        f"MATCH (n:{label}) WHERE n.{MARK} IS NULL WITH n LIMIT $batch "
        f"SET n.{MARK} = true RETURN count(n) AS n"
    )
    for label in NODE_LABELS
}
#: ``$batch``: mark up to that many unmarked relationships between marked nodes as ours.
ADOPT_RELS: dict[str, str] = {
    rel: (
        f"MATCH (a:{a})-[r:{rel}]->(b:{b}) "
        f"WHERE r.{MARK} IS NULL AND {_is_marked('a')} AND {_is_marked('b')} "
        f"WITH r LIMIT $batch SET r.{MARK} = true RETURN count(r) AS n"
    )
    for rel, (a, b) in RELATIONSHIP_ENDS.items()
}

# -- writes: nodes -------------------------------------------------------------
#: ``$rows``: ``[{"id": ..., "props": {...}}]``; properties are replaced as a whole
#: set of named keys so a re-load updates records in place.
MERGE_NODES: dict[str, str] = {
    label: (
        f"UNWIND $rows AS row MERGE (n:{label} {{{NODE_KEY}: row.id, {_MARKED}}}) "
        f"SET n += row.props"
    )
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
        f"MATCH (a:{a} {{{NODE_KEY}: row.{a_key}, {_MARKED}}}) "
        f"MATCH (b:{b} {{{NODE_KEY}: row.{b_key}, {_MARKED}}}) "
    )


def _rel_props(rel: str, form: str) -> str:
    props = RELATIONSHIPS[rel][4]
    if form == "set":
        return ", ".join(f"r.{p} = row.{p}" for p in props)
    return "{" + ", ".join([_MARKED, *(f"{p}: row.{p}" for p in props)]) + "}"


#: ``$rows``: dicts with both keys and the properties. MERGE updates in place.
MERGE_RELS: dict[str, str] = {
    rel: _rel_match(rel) + f"MERGE (a)-[r:{rel} {{{_MARKED}}}]->(b) SET " + _rel_props(rel, "set")
    for rel in RELATIONSHIPS
}
#: The same, for a load that knows the relationships are new (the type is empty).
CREATE_RELS: dict[str, str] = {
    rel: _rel_match(rel) + f"CREATE (a)-[r:{rel} " + _rel_props(rel, "map") + "]->(b)"
    for rel in RELATIONSHIPS
}
#: ``$rows``: ``[{"a": start id, "b": end id}]``
#: Every record is found before any is deleted (``collect``): the embedded store's
#: streaming plan otherwise deletes a relationship while it still walks the node's
#: list of relationships, and leaves dangling pointers in it.
DELETE_RELS: dict[str, str] = {
    rel: (
        f"UNWIND $rows AS row MATCH (a:{a} {{{NODE_KEY}: row.a, {_MARKED}}})"
        f"-[r:{rel} {{{_MARKED}}}]->(b:{b} {{{NODE_KEY}: row.b, {_MARKED}}}) "
        f"WITH collect(r) AS found UNWIND found AS r DELETE r"
    )
    for rel, (a, _, b, _, _) in RELATIONSHIPS.items()
}
#: ``$ids``: node keys to remove with their relationships.
DELETE_NODES: dict[str, str] = {
    label: (
        f"UNWIND $ids AS id MATCH (n:{label} {{{NODE_KEY}: id, {_MARKED}}}) "
        f"WITH collect(n) AS found UNWIND found AS n DETACH DELETE n"
    )
    for label in NODE_LABELS
}
CREATE_NODES: dict[str, str] = {
    label: (
        f"UNWIND $rows AS row CREATE (n:{label} {{{NODE_KEY}: row.id, {_MARKED}}}) "
        f"SET n += row.props"
    )
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
    f"SET l.claims = coalesce(l.claims, 0) + 1, l.{MARK} = true "
    f"WITH l WHERE coalesce(l.token, '') = $expected "
    f"SET l.status = 'running', l.token = $token, l.dataset = $dataset, l.host = $host, "
    f"l.pid = $pid, l.started_at = $now, l.heartbeat = $now "
    f"RETURN l.token AS token"
)
HEARTBEAT_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.heartbeat = $now RETURN l.token AS token"
)
#: ``$sizes``: the dataset's rows per label and type, as ``$sized`` (names) and ``$sizes``
#: (numbers), so a reader can read a big table in pages at once (a hint only).
FINISH_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.status = 'complete', l.finished_at = $now, l.heartbeat = $now, "
    f"l.sized = $sized, l.sizes = $sizes, "
    f"l.version = coalesce(l.version, 0) + 1 "
    f"RETURN l.version AS version"
)
FAIL_LOAD = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"SET l.status = 'failed', l.heartbeat = $now RETURN l.token AS token"
)
#: A write outside a load changed the dataset's records (an erasure): a new version, so
#: no load's ledger (:mod:`loaders.ledger`) stands for the store any more.
TOUCH_LOAD_STATE = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.{MARK} IS NOT NULL "
    f"SET l.version = coalesce(l.version, 0) + 1, l.changed_at = $now "
    f"RETURN l.version AS version"
)
READ_LOAD_STATE = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) RETURN l.status AS status, "
    f"l.token AS token, l.dataset AS dataset, l.host AS host, l.pid AS pid, "
    f"l.started_at AS started_at, l.heartbeat AS heartbeat, l.finished_at AS finished_at, "
    f"l.version AS version, l.{MARK} IS NOT NULL AS marked, l.sized AS sized, "
    f"l.sizes AS sizes"
)
#: Which pseudonym key the store's members were made with: its fingerprint (an HMAC of a
#: fixed text under the key, never the key) and where that key is kept (no secret).
READ_PSEUDONYM_KEY = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) "
    f"RETURN l.pseudonym_key AS fingerprint, l.pseudonym_key_source AS source"
)
#: Record the key of a pseudonymised load that holds the claim (``$token``), unless the
#: store already records another key: then no row comes back.
RECORD_PSEUDONYM_KEY = (
    f"MATCH (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) WHERE l.token = $token "
    f"AND (l.pseudonym_key IS NULL OR l.pseudonym_key = $fingerprint) "
    f"SET l.pseudonym_key = $fingerprint, l.pseudonym_key_source = $source "
    f"RETURN l.pseudonym_key AS fingerprint"
)

# -- reads ---------------------------------------------------------------------
# A table comes back as ONE record holding a list of rows (``collect([...])``):
# the driver's per-record cost, not the store, dominated reads of one record per
# row (a 50,000-group coalition read in 13 s instead of 5 s; the embedded store's
# Bolt server, not only the driver, spends about 9 µs on each record it sends).
# Nulls inside a row survive ``collect``; an empty table is ``[]``.
#
# Pages: a server builds the list in its transaction memory (Aura's is small), so
# a big table is read in pages of at most ``$limit`` rows, each one a range of keys:
# the rows whose node (a relationship: its group, the end every type has) has a
# key in ``($after, $last]``. ``$last`` comes first from the table's bound query
# (the largest of the next ``$nodes`` keys above ``$after``); both are seeks on the
# key's uniqueness index, so a page costs its own rows and no page scans the whole
# label again (as parts chosen by ``id(n) % $parts`` did: 2.5 times the read of one
# record on the embedded store). No ``ORDER BY``: its top-k still reads every key
# above ``$after`` on the embedded store; any ``$last`` splits the keys exactly, the
# order of the index only makes the pages even. The key must be in ``$last`` as a
# parameter: the embedded store seeks an index on parameters, not on a value the
# same query computed. A table that fits is read whole, as one page
# (:meth:`graph.store.Store.pages`).


class Table(NamedTuple):
    """How to read one table: its columns and its page query (``$after``, ``$last``, ``$limit``)."""

    columns: tuple[str, ...]
    query: str

    @property
    def whole(self) -> str:
        """The query of the whole table as one page (``$limit`` only)."""
        return _PAGED[self.query].whole if self.query in _PAGED else self.query

    @property
    def bound(self) -> str:
        """The query of a page's last key: ``last``, the largest of the first ``$nodes``
        keys above ``$after`` (null when there is none)."""
        return _PAGED[self.query].bound

    @property
    def of_nodes(self) -> bool:
        """Whether each row is a node (one row per key), not a relationship."""
        return _PAGED[self.query].of_nodes


@dataclass(frozen=True)
class _Paging:
    whole: str
    bound: str
    of_nodes: bool


#: Each page query's whole-table and bound queries.
_PAGED: dict[str, _Paging] = {}


def _table(match: str, columns: dict[str, str], paged: bool) -> Table:
    """``match`` is ``(n:Label)`` or ``(a:Start)-[r:TYPE]->(b:End)``; only marked rows."""
    fields = ", ".join(columns.values())
    node = match.startswith("(n:")
    marked = _is_marked("n" if node else "r")
    if not paged:
        return Table(
            tuple(columns), f"MATCH {match} WHERE {marked} RETURN collect([{fields}]) AS rows"
        )
    if node:
        keyed, first, then = "n", match, ""
    else:
        # A relationship is paged by its group's key: every type has a group at one end,
        # and there are fewer groups than members or actions, so fewer keys to seek.
        a, rel, b = match[: match.index(")-") + 1], match.split("-")[1], match.split("->")[1]
        if f"(b:{GROUP})" == b:
            keyed, first, then = "b", b, f" MATCH (b)<-{rel}-{a}"
        else:
            keyed, first, then = "a", a, f" MATCH (a)-{rel}->{b}"
    key = f"{keyed}.{NODE_KEY}"
    bound = (
        f"MATCH {first} WHERE {key} > $after AND {_is_marked(keyed)} "
        f"WITH {key} AS key LIMIT $nodes RETURN max(key) AS last"
    )
    keys = f"{key} > $after AND {key} <= $last"
    if node:
        read = f"MATCH {match} WHERE {keys} AND {marked} WITH n"
        one = f"MATCH {match} WHERE {marked} WITH n"
    else:
        read = f"MATCH {first} WHERE {keys}{then} WHERE {marked} WITH a, r, b"
        one = f"MATCH {match} WHERE {marked} WITH a, r, b"
    tail = f" LIMIT $limit RETURN collect([{fields}]) AS rows"
    _PAGED[read + tail] = _Paging(one + tail, bound, node)
    return Table(tuple(columns), read + tail)


def _kept(properties: tuple[str, ...], omit: tuple[str, ...]) -> tuple[str, ...]:
    unknown = set(omit) - set(properties)
    if unknown:
        raise ValueError(f"not properties of the schema: {sorted(unknown)}")
    return tuple(p for p in properties if p not in omit)


def _read_nodes(
    label: str, *, omit: tuple[str, ...] = (), key_only: bool = False, paged: bool = True
) -> Table:
    """``id`` and the label's properties of :data:`graph.schema.NODE_PROPERTIES`."""
    props = () if key_only else _kept(NODE_PROPERTIES[label], omit)
    return _table(f"(n:{label})", {"id": f"n.{NODE_KEY}", **{p: f"n.{p}" for p in props}}, paged)


def _read_rels(
    rel: str, *, omit: tuple[str, ...] = (), key_only: bool = False, paged: bool = True
) -> Table:
    """Both ends' key columns and the type's properties of the schema."""
    start, end = RELATIONSHIP_ENDS[rel]
    props = () if key_only else _kept(RELATIONSHIP_PROPERTIES[rel], omit)
    return _table(
        f"(a:{start})-[r:{rel}]->(b:{end})",
        {
            KEY_COLUMNS[start]: f"a.{NODE_KEY}",
            KEY_COLUMNS[end]: f"b.{NODE_KEY}",
            **{p: f"r.{p}" for p in props},
        },
        paged,
    )


#: The columns come from the schema's vocabulary; what a reading of the coalition never
#: uses is left out (``omit``), which keeps a million-membership read small.
#: The node label or relationship type each table reads.
TABLE_SOURCES: dict[str, str] = {
    "movements": MOVEMENT,
    "groups": GROUP,
    "group_movements": IN_MOVEMENT,
    "memberships": MEMBER_OF,
    "actions": ACTION,
    "participations": TOOK_PART_IN,
    "resources": RESOURCE,
    "shares": SHARES,
}


def _reads(paged: bool) -> dict[str, Table]:
    return {
        "movements": _read_nodes(MOVEMENT, paged=paged),
        "groups": _read_nodes(GROUP, paged=paged),
        "group_movements": _read_rels(IN_MOVEMENT, paged=paged),
        "memberships": _read_rels(MEMBER_OF, omit=("role",), paged=paged),
        "actions": _read_nodes(ACTION, omit=("description",), paged=paged),
        "participations": _read_rels(TOOK_PART_IN, paged=paged),
        "resources": _read_nodes(RESOURCE, paged=paged),
        "shares": _read_rels(SHARES, paged=paged),
    }


READ_TABLES: dict[str, Table] = _reads(paged=True)
#: The same tables, each whole as one record (the read before pages): only the baseline
#: of ``benchmarks/bench_read.py``.
READ_WHOLE_TABLES: dict[str, Table] = _reads(paged=False)
READ_MEMBER_COUNT = f"MATCH (p:{MEMBER}) WHERE {_is_marked('p')} RETURN count(p) AS n"

#: Every record as the dataset holds it, for ``coalition export`` and what a re-load compares
#: with: each label's nodes with
#: ``id`` and all their properties, each relationship type with both ends' key columns and
#: all its properties (nothing omitted), keyed by label or type.
RECORD_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    **{label: _read_nodes(label) for label in NODE_LABELS},
    **{rel: _read_rels(rel) for rel in RELATIONSHIP_TYPES},
}


def _by_key(name: str) -> str:
    """The marked records of given keys, as :data:`RECORD_TABLES` reads them: ``$keys``
    holds node ids, or ``[start id, end id]`` pairs; found by the key's index."""
    if name in NODE_PROPERTIES:
        fields = ", ".join(f"n.{c}" for c in (NODE_KEY, *NODE_PROPERTIES[name]))
        return (
            f"UNWIND $keys AS k MATCH (n:{name} {{{NODE_KEY}: k}}) WHERE {_is_marked('n')} "
            f"RETURN collect([{fields}]) AS rows"
        )
    start, end = RELATIONSHIP_ENDS[name]
    fields = ", ".join(
        [f"a.{NODE_KEY}", f"b.{NODE_KEY}", *(f"r.{p}" for p in RELATIONSHIP_PROPERTIES[name])]
    )
    return (
        f"UNWIND $keys AS k MATCH (a:{start} {{{NODE_KEY}: k[0]}})-[r:{name}]->"
        f"(b:{end} {{{NODE_KEY}: k[1]}}) WHERE {_is_marked('r')} "
        f"RETURN collect([{fields}]) AS rows"
    )


#: What a re-load reads of the records whose lines changed since the last load (the
#: columns of :data:`RECORD_TABLES`), keyed by label or type.
RECORDS_BY_KEY: dict[str, str] = {name: _by_key(name) for name in RECORD_TABLES}

# -- metrics write-back --------------------------------------------------------
#: ``$rows``: ``[{"id": group_id, "props": {metric: value}}]``
WRITE_BACK_GROUP_METRICS = (
    f"UNWIND $rows AS row MATCH (g:{GROUP} {{{NODE_KEY}: row.id, {_MARKED}}}) SET g += row.props"
)

# -- privacy -------------------------------------------------------------------
ERASE_MEMBERS = (
    f"UNWIND $ids AS id MATCH (p:{MEMBER} {{{NODE_KEY}: id, {_MARKED}}}) DETACH DELETE p "
    f"RETURN count(*) AS erased"
)
