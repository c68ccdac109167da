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
    for label in NODE_LABELS
)

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
MERGE_IN_MOVEMENT = (
    f"UNWIND $rows AS row "
    f"MATCH (g:{GROUP} {{{NODE_KEY}: row.group_id}}) "
    f"MATCH (m:{MOVEMENT} {{{NODE_KEY}: row.movement_id}}) "
    f"MERGE (g)-[r:{IN_MOVEMENT}]->(m) SET r.rank = row.rank"
)
MERGE_MEMBER_OF = (
    f"UNWIND $rows AS row "
    f"MATCH (p:{MEMBER} {{{NODE_KEY}: row.member_id}}) "
    f"MATCH (g:{GROUP} {{{NODE_KEY}: row.group_id}}) "
    f"MERGE (p)-[r:{MEMBER_OF}]->(g) "
    f"SET r.role = row.role, r.start_date = row.start_date, r.end_date = row.end_date"
)
MERGE_TOOK_PART_IN = (
    f"UNWIND $rows AS row "
    f"MATCH (g:{GROUP} {{{NODE_KEY}: row.group_id}}) "
    f"MATCH (a:{ACTION} {{{NODE_KEY}: row.action_id}}) "
    f"MERGE (g)-[r:{TOOK_PART_IN}]->(a) SET r.role = row.role"
)
MERGE_SHARES = (
    f"UNWIND $rows AS row "
    f"MATCH (g:{GROUP} {{{NODE_KEY}: row.group_id}}) "
    f"MATCH (s:{RESOURCE} {{{NODE_KEY}: row.resource_id}}) "
    f"MERGE (g)-[r:{SHARES}]->(s) "
    f"SET r.role = row.role, r.start_date = row.start_date, r.end_date = row.end_date"
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
