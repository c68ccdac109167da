"""The graph schema: node labels, keys and relationship types.

Labels and relationship types used in Cypher come only from here, never from
input data.
"""

from __future__ import annotations

__all__ = [
    "MOVEMENT",
    "GROUP",
    "MEMBER",
    "ACTION",
    "RESOURCE",
    "LOAD_STATE",
    "MARK",
    "IN_MOVEMENT",
    "MEMBER_OF",
    "TOOK_PART_IN",
    "SHARES",
    "NODE_LABELS",
    "NODE_KEY",
    "KEY_COLUMNS",
    "NODE_PROPERTIES",
    "RELATIONSHIP_TYPES",
    "RELATIONSHIP_ENDS",
    "RELATIONSHIP_PROPERTIES",
    "ACTION_ROLES",
    "RESOURCE_TYPES",
    "SHARE_ROLES",
    "TIE_KINDS",
    "TIE_SHORT",
    "TIE_BY_SHORT",
    "TIE_LABELS",
]

MOVEMENT = "Movement"
GROUP = "Group"
MEMBER = "Member"
ACTION = "Action"
RESOURCE = "Resource"

#: The one bookkeeping node: which load is running or finished (not coalition data).
LOAD_STATE = "CoalitionLoad"

#: The property on every node and relationship the product wrote (``true``). A database
#: may hold other data, also with these labels: what lacks the mark is never read, counted,
#: changed or deleted (``coalition load --adopt`` marks such nodes as ours).
MARK = "_coalition"

#: Every node label; each is keyed by the property ``id``.
NODE_LABELS: tuple[str, ...] = (MOVEMENT, GROUP, MEMBER, ACTION, RESOURCE)
NODE_KEY = "id"

#: ``(Group)-[:IN_MOVEMENT {rank}]->(Movement)``; rank 0 is the primary movement.
IN_MOVEMENT = "IN_MOVEMENT"
#: ``(Member)-[:MEMBER_OF {role, start_date, end_date}]->(Group)``
MEMBER_OF = "MEMBER_OF"
#: ``(Group)-[:TOOK_PART_IN {role}]->(Action)``
TOOK_PART_IN = "TOOK_PART_IN"
#: ``(Group)-[:SHARES {role, start_date, end_date}]->(Resource)``
SHARES = "SHARES"

RELATIONSHIP_TYPES: tuple[str, ...] = (IN_MOVEMENT, MEMBER_OF, TOOK_PART_IN, SHARES)

# -- the property vocabulary -------------------------------------------------------
# What each node label and relationship type carries, in the order of the dataset's
# columns (``loaders.spec`` is built on these and checked against them).

#: The name of each label's key in the dataset's files and in relationship rows
#: (the node itself stores it as :data:`NODE_KEY`).
KEY_COLUMNS: dict[str, str] = {
    MOVEMENT: "movement_id",
    GROUP: "group_id",
    MEMBER: "member_id",
    ACTION: "action_id",
    RESOURCE: "resource_id",
}
#: The properties of each node label besides its key. A pseudonymised load leaves
#: ``Member.name`` out.
NODE_PROPERTIES: dict[str, tuple[str, ...]] = {
    MOVEMENT: ("name", "description"),
    GROUP: ("name", "city", "region", "country", "founded", "size"),
    MEMBER: ("name", "city"),
    ACTION: ("name", "type", "start_date", "end_date", "city", "description"),
    RESOURCE: ("name", "type"),
}
#: The (start label, end label) of each relationship type.
RELATIONSHIP_ENDS: dict[str, tuple[str, str]] = {
    IN_MOVEMENT: (GROUP, MOVEMENT),
    MEMBER_OF: (MEMBER, GROUP),
    TOOK_PART_IN: (GROUP, ACTION),
    SHARES: (GROUP, RESOURCE),
}
#: The properties of each relationship type.
RELATIONSHIP_PROPERTIES: dict[str, tuple[str, ...]] = {
    IN_MOVEMENT: ("rank",),
    MEMBER_OF: ("role", "start_date", "end_date"),
    TOOK_PART_IN: ("role",),
    SHARES: ("role", "start_date", "end_date"),
}

#: The values of the enumerated properties, in the order the documentation and the
#: generator list them (``TOOK_PART_IN.role``, ``Resource.type``, ``SHARES.role``).
ACTION_ROLES: tuple[str, ...] = ("organizer", "partner", "endorser", "participant")
RESOURCE_TYPES: tuple[str, ...] = (
    "funding",
    "space",
    "legal_aid",
    "healthcare",
    "housing",
    "equipment",
    "training",
    "communications",
    "other",
)
SHARE_ROLES: tuple[str, ...] = ("provider", "recipient", "co_steward")

#: The three kinds of tie in the coalition graph, in output order: each is the name of
#: the edge attribute that counts it and of its column in every output file.
TIE_KINDS: tuple[str, ...] = ("shared_members", "joint_actions", "shared_resources")
#: The short name of each tie kind, as used in ``--weights``, URLs and controls.
TIE_SHORT: dict[str, str] = dict(zip(TIE_KINDS, ("members", "actions", "resources"), strict=True))
#: The tie kind of each short name.
TIE_BY_SHORT: dict[str, str] = {short: kind for kind, short in TIE_SHORT.items()}
#: How each tie kind reads in a sentence or a label.
TIE_LABELS: dict[str, str] = {kind: kind.replace("_", " ") for kind in TIE_KINDS}
