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
    LOAD_STATE,
    MEMBER,
    MEMBER_OF,
    MOVEMENT,
    NODE_KEY,
    NODE_LABELS,
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
    IN_MOVEMENT: (GROUP, "group_id", MOVEMENT, "movement_id", ("rank",)),
    MEMBER_OF: (MEMBER, "member_id", GROUP, "group_id", ("role", "start_date", "end_date")),
    TOOK_PART_IN: (GROUP, "group_id", ACTION, "action_id", ("role",)),
    SHARES: (GROUP, "group_id", RESOURCE, "resource_id", ("role", "start_date", "end_date")),
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
CLAIM_LOAD = (
    f"MERGE (l:{LOAD_STATE} {{{NODE_KEY}: 'current'}}) "
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
READ_MOVEMENTS = (
    f"MATCH (m:{MOVEMENT}) RETURN m.{NODE_KEY} AS id, m.name AS name, m.description AS description"
)
READ_GROUPS = (
    f"MATCH (g:{GROUP}) RETURN g.{NODE_KEY} AS id, g.name AS name, g.city AS city, "
    f"g.region AS region, g.country AS country, g.founded AS founded, g.size AS size"
)
READ_GROUP_MOVEMENTS = (
    f"MATCH (g:{GROUP})-[r:{IN_MOVEMENT}]->(m:{MOVEMENT}) "
    f"RETURN g.{NODE_KEY} AS group_id, m.{NODE_KEY} AS movement_id, r.rank AS rank"
)
READ_MEMBERSHIPS = (
    f"MATCH (p:{MEMBER})-[r:{MEMBER_OF}]->(g:{GROUP}) "
    f"RETURN p.{NODE_KEY} AS member_id, g.{NODE_KEY} AS group_id, "
    f"r.start_date AS start_date, r.end_date AS end_date"
)
#: Grouped per group: far fewer Bolt records than one per membership. ``collect``
#: drops nulls, so optional values travel as '' and come back as None.
READ_MEMBERSHIPS_BY_GROUP = (
    f"MATCH (g:{GROUP})<-[r:{MEMBER_OF}]-(p:{MEMBER}) "
    f"RETURN g.{NODE_KEY} AS group_id, collect(p.{NODE_KEY}) AS members, "
    f"collect(coalesce(r.start_date, '')) AS starts, collect(coalesce(r.end_date, '')) AS ends"
)
READ_PARTICIPATIONS_BY_GROUP = (
    f"MATCH (g:{GROUP})-[r:{TOOK_PART_IN}]->(a:{ACTION}) "
    f"RETURN g.{NODE_KEY} AS group_id, collect(a.{NODE_KEY}) AS actions, "
    f"collect(coalesce(r.role, '')) AS roles"
)
READ_SHARES_BY_GROUP = (
    f"MATCH (g:{GROUP})-[r:{SHARES}]->(s:{RESOURCE}) "
    f"RETURN g.{NODE_KEY} AS group_id, collect(s.{NODE_KEY}) AS resources, "
    f"collect(coalesce(r.role, '')) AS roles, collect(coalesce(r.start_date, '')) AS starts, "
    f"collect(coalesce(r.end_date, '')) AS ends"
)
READ_MEMBER_COUNT = f"MATCH (p:{MEMBER}) RETURN count(p) AS n"
READ_ACTIONS = (
    f"MATCH (a:{ACTION}) RETURN a.{NODE_KEY} AS id, a.name AS name, a.type AS type, "
    f"a.start_date AS start_date, a.end_date AS end_date, a.city AS city"
)
READ_PARTICIPATIONS = (
    f"MATCH (g:{GROUP})-[r:{TOOK_PART_IN}]->(a:{ACTION}) "
    f"RETURN g.{NODE_KEY} AS group_id, a.{NODE_KEY} AS action_id, r.role AS role"
)
READ_RESOURCES = f"MATCH (s:{RESOURCE}) RETURN s.{NODE_KEY} AS id, s.name AS name, s.type AS type"
READ_SHARES = (
    f"MATCH (g:{GROUP})-[r:{SHARES}]->(s:{RESOURCE}) "
    f"RETURN g.{NODE_KEY} AS group_id, s.{NODE_KEY} AS resource_id, r.role AS role, "
    f"r.start_date AS start_date, r.end_date AS end_date"
)

# -- privacy -------------------------------------------------------------------
ERASE_MEMBER = f"MATCH (p:{MEMBER} {{{NODE_KEY}: $id}}) DETACH DELETE p RETURN count(*) AS erased"

# -- metrics write-back --------------------------------------------------------
#: ``$rows``: ``[{"id": group_id, "props": {metric: value}}]``
WRITE_BACK_GROUP_METRICS = (
    f"UNWIND $rows AS row MATCH (g:{GROUP} {{{NODE_KEY}: row.id}}) SET g += row.props"
)

ERASE_MEMBERS = (
    f"UNWIND $ids AS id MATCH (p:{MEMBER} {{{NODE_KEY}: id}}) DETACH DELETE p "
    f"RETURN count(*) AS erased"
)
