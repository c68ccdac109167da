"""Seeded synthetic coalition datasets at any scale.

:func:`generate` writes the eight CSV files of a dataset (see ``DESIGN.md``,
*The dataset*) plus a Frictionless ``datapackage.json`` describing them. The
data are invented but shaped like a real coalition in one metropolitan region:

- eight movements; every group has a primary movement, about one group in ten
  also lists a second one;
- a few *broker* groups (three to six) list three movements and draw members
  and joint actions from all of them;
- members mostly join groups of one movement; a minority (about one in eight)
  join groups of two or more movements;
- joint actions and shared resources mostly stay within one movement, with a
  minority crossing movement lines, preferably between allied movements.

Members are pseudonymous (``M00001``) and have no names. What the world
holds and how often each thing occurs is :mod:`loaders.invented`; this module
draws from it.

The same arguments always give byte-identical files. Rows are written in
chunks as they are drawn (numpy, vectorised), so memory stays bounded and a
million memberships take seconds.
"""

from __future__ import annotations

import csv
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from graph.errors import UsageError
from graph.schema import ACTION_ROLES, RESOURCE_TYPES, SHARE_ROLES
from loaders import invented
from loaders.spec import FILES, write_datapackage

__all__ = ["generate", "DEFAULT_GROUPS", "DEFAULT_MEMBERS", "DEFAULT_SEED"]

logger = logging.getLogger(__name__)

#: The default size and seed of a generated dataset (the committed sample's).
DEFAULT_GROUPS = 120
DEFAULT_MEMBERS = 2000
DEFAULT_SEED = 7

# --------------------------------------------------------------------------------------------
_CHUNK = 20_000  # members, actions or resources drawn and written at a time
_CHUNK_MEMBERSHIPS = 100_000  # about this many memberships at a time
_BROKER_POOL = invented.N_MOV  # pool index of the broker groups


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def generate(
    out_dir: str | Path,
    *,
    groups: int = DEFAULT_GROUPS,
    members: int = DEFAULT_MEMBERS,
    seed: int = DEFAULT_SEED,
    memberships: int | None = None,
    actions: int | None = None,
    resources: int | None = None,
) -> dict[str, int]:
    """Write a synthetic coalition dataset of the given size into `out_dir`.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into; created if missing. Existing dataset files in it
        are overwritten.
    groups : int, default 120
        Number of groups (at least 8, one per movement).
    members : int, default 2000
        Number of members (at least 1).
    seed : int, default 7
        Seed of every random draw. The same arguments give byte-identical files.
    memberships : int, optional
        Number of (member, group) memberships; by default ``round(2.5 * members)``.
        At most ``members * groups``.
    actions : int, optional
        Number of joint actions; by default ``round(2.5 * groups)``.
    resources : int, optional
        Number of shared resources; by default ``round(groups * 2 / 3)``.

    Returns
    -------
    dict of str to int
        Rows written per file, keyed by file name without ``.csv``
        (``movements``, ``groups``, ..., ``resource_shares``).

    Raises
    ------
    UsageError
        If a size is out of range.

    Notes
    -----
    The dataset always has the same eight movements and lies in one invented
    metropolitan region. Three to six *broker* groups (``groups // 24``,
    clamped) list three movements each and draw members and joint actions
    from all three; about 9% of the other groups list a second movement and
    draw a few members from it. Every member has a home movement and joins
    its groups; 6.5% of members also cross into an allied movement or a
    broker group. With the default 2.5 memberships per member about one
    member in seven spans two or more primary movements (more when members
    join more groups). About one action in eight, and one resource in five,
    draws a group from an allied movement (and often a broker).

    Each action has 2–6 groups (the first organises), each resource 2–4 (the
    first provides). Actions start in 2015–2025; memberships start between a
    group's founding (or 1995) and 2025-12-31; an end date after 2025-12-31
    is left empty (ongoing). Members have pseudonymous ids and no names.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     counts = generate(tmp, groups=12, members=40, seed=1)
    >>> counts["movements"], counts["groups"], counts["members"], counts["memberships"]
    (8, 12, 40, 100)
    """
    n_memberships = round(2.5 * members) if memberships is None else memberships
    n_actions = round(2.5 * groups) if actions is None else actions
    n_resources = round(groups * 2 / 3) if resources is None else resources
    _check_sizes(groups, members, n_memberships, n_actions, n_resources)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    logger.info(
        "generating %d groups, %d members, %d memberships, %d actions, %d resources "
        "(seed %d) into %s",
        groups,
        members,
        n_memberships,
        n_actions,
        n_resources,
        seed,
        out,
    )
    # Independent streams per table: changing one size leaves the other tables' draws alone.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    world = _draw_world(groups, streams[0])

    n_movements = _write_movements(out)
    n_members, home, n_each, bridger = _write_members(
        out, world, members, n_memberships, streams[1]
    )
    n_memberships, recorded = _write_memberships(out, world, home, n_each, bridger, streams[2])
    n_groups = _write_groups(out, world, recorded, streams[3])
    n_actions, n_action_groups = _write_actions(out, world, n_actions, streams[4])
    n_resources, n_resource_shares = _write_resources(out, world, n_resources, streams[5])
    counts = {
        "movements": n_movements,
        "groups": n_groups,
        "members": n_members,
        "memberships": n_memberships,
        "actions": n_actions,
        "action_groups": n_action_groups,
        "resources": n_resources,
        "resource_shares": n_resource_shares,
    }
    write_datapackage(
        out,
        name="coalition-synthetic",
        description=(
            f"Synthetic coalition dataset written by loaders.generate (seed {seed}; "
            f"{groups} groups, {members} members, {n_memberships} memberships, "
            f"{n_actions} actions, {n_resources} resources). "
            "All groups, people and events are invented."
        ),
    )
    logger.info("wrote %s in %.2f s", counts, time.perf_counter() - started)
    return counts


# --------------------------------------------------------------------------------------------
# Groups, movements and who draws from where
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pool:
    """Groups one can be drawn from, with cumulative probabilities."""

    groups: np.ndarray
    cum: np.ndarray


@dataclass(frozen=True)
class _World:
    """Everything about the groups that the other tables draw on."""

    n_groups: int
    primary: np.ndarray  # movement index per group
    movements: list[str]  # the groups.csv "movements" cell per group
    names: list[str]
    city: np.ndarray  # city index per group
    founded: np.ndarray  # year per group
    popularity: np.ndarray  # relative attraction per group
    pools: list[_Pool]  # one per movement, then the brokers
    mass: np.ndarray  # P(movement) for a member's home or an action's lead
    ally_cum: np.ndarray  # cumulative P(other movement | movement), rows
    group_ids: np.ndarray  # str


def _check_sizes(groups: int, members: int, memberships: int, actions: int, resources: int) -> None:
    """Raise :class:`UsageError` unless the requested sizes make a dataset."""
    if groups < invented.N_MOV:
        raise UsageError(
            f"groups must be at least {invented.N_MOV} (one per movement), got {groups}"
        )
    if members < 1:
        raise UsageError(f"members must be at least 1, got {members}")
    if not 0 <= memberships <= members * groups:
        raise UsageError(
            f"memberships must be between 0 and members * groups = {members * groups}, "
            f"got {memberships}"
        )
    if actions < 0 or resources < 0:
        raise UsageError(f"actions and resources must not be negative, got {actions}, {resources}")


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """Return ``prefix00001``-style ids ``1..n`` as a numpy string array."""
    width = max(width, len(str(n)))
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)])


def _draw_world(n_groups: int, rng: np.random.Generator) -> _World:
    """Draw the groups: movements, brokers, names, places, founding years."""
    mov_p = invented.MOVEMENT_WEIGHT / invented.MOVEMENT_WEIGHT.sum()
    # Every movement has at least one group.
    primary = np.concatenate(
        [np.arange(invented.N_MOV), rng.choice(invented.N_MOV, n_groups - invented.N_MOV, p=mov_p)]
    )
    primary = rng.permutation(primary)
    popularity = rng.lognormal(0.0, 0.7, n_groups)

    ally = np.full((invented.N_MOV, invented.N_MOV), invented.ALLY_BASE)
    index = {m[0]: i for i, m in enumerate(invented.MOVEMENTS)}
    for (a, b), w in invented.ALLIES.items():
        ally[index[a], index[b]] = ally[index[b], index[a]] = w
    np.fill_diagonal(ally, 0.0)
    ally_p = ally / ally.sum(axis=1, keepdims=True)

    # Brokers: 3-6 groups of distinct primary movements, each also in two allied movements.
    n_brokers = min(6, max(3, n_groups // 24))
    broker_movs = rng.choice(invented.N_MOV, n_brokers, replace=False, p=mov_p)
    brokers = np.array([rng.choice(np.flatnonzero(primary == m)) for m in broker_movs])
    broker_set = set(brokers.tolist())
    extra: dict[int, list[int]] = {}
    for g, m in zip(brokers.tolist(), broker_movs.tolist(), strict=True):
        extra[g] = rng.choice(invented.N_MOV, 2, replace=False, p=ally_p[m]).tolist()
    popularity[brokers] = np.quantile(popularity, 0.9)

    # About one in ten of the other groups also lists a second, usually allied, movement.
    others = np.setdiff1d(np.arange(n_groups), brokers)
    n_secondary = round(invented.SECONDARY_SHARE * len(others))
    for g in rng.choice(others, n_secondary, replace=False).tolist():
        extra[g] = [int(rng.choice(invented.N_MOV, p=ally_p[primary[g]]))]

    # Pools: a movement draws on its primary groups, its brokers, and (less) on groups
    # listing it second.
    pool_weights = np.zeros((invented.N_MOV, n_groups))
    pool_weights[primary, np.arange(n_groups)] = popularity
    for g, ms in extra.items():
        share = invented.BROKER_POOL_WEIGHT if g in broker_set else invented.SECONDARY_POOL_WEIGHT
        pool_weights[ms, g] = popularity[g] * share
    pools = [_pool(np.flatnonzero(row), row[row > 0]) for row in pool_weights]
    pools.append(_pool(brokers, popularity[brokers]))
    mass = pool_weights.sum(axis=1)

    # Places, names, founding years.
    city_p = np.array([c[1] for c in invented.CITIES])
    city = rng.choice(len(invented.CITIES), n_groups, p=city_p / city_p.sum())
    hood = rng.integers(0, 1 << 30, n_groups)
    template = rng.integers(0, 1 << 30, n_groups)
    earliest = invented.EARLIEST_FOUNDED[primary]
    founded = 2024 - np.floor(rng.exponential(14.0, n_groups)).astype(np.int64)
    founded = np.clip(founded, earliest, 2024)
    seen: dict[str, int] = {}
    names = []
    for g in range(n_groups):
        hoods = invented.CITIES[city[g]][2]
        place = hoods[hood[g] % len(hoods)]
        templates = invented.BROKER_NAMES if g in broker_set else invented.GROUP_NAMES[primary[g]]
        names.append(_unique(templates[template[g] % len(templates)].format(p=place), seen))
    movements = [
        ";".join(invented.MOVEMENTS[m][0] for m in [int(primary[g]), *extra.get(g, [])])
        for g in range(n_groups)
    ]
    return _World(
        n_groups=n_groups,
        primary=primary,
        movements=movements,
        names=names,
        city=city,
        founded=founded,
        popularity=popularity,
        pools=pools,
        mass=mass / mass.sum(),
        ally_cum=np.cumsum(ally_p, axis=1),
        group_ids=_ids("G", n_groups, 4),
    )


def _pool(groups: np.ndarray, weights: np.ndarray) -> _Pool:
    cum = np.cumsum(weights)
    return _Pool(groups=groups, cum=cum / cum[-1])


def _unique(name: str, seen: dict[str, int]) -> str:
    """Return `name`, numbered ``name (2)``, ``name (3)``... if already used."""
    n = seen.get(name, 0) + 1
    seen[name] = n
    if n == 1:
        return name
    return _unique(f"{name} ({n})", seen)


def _sample(world: _World, pool_ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one group per entry of `pool_ids` from that pool, by popularity."""
    u = rng.random(len(pool_ids))
    out = np.empty(len(pool_ids), dtype=np.int64)
    for p, pool in enumerate(world.pools):
        mask = pool_ids == p
        if mask.any():
            idx = np.searchsorted(pool.cum, u[mask], side="right")
            out[mask] = pool.groups[np.minimum(idx, len(pool.groups) - 1)]
    return out


def _allied(world: _World, movement: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw, for each movement index, another movement, preferring its allies."""
    u = rng.random(len(movement))
    out = np.empty(len(movement), dtype=np.int64)
    for m in range(invented.N_MOV):
        mask = movement == m
        out[mask] = np.minimum(
            np.searchsorted(world.ally_cum[m], u[mask], side="right"), invented.N_MOV - 1
        )
    return out


def _duplicates(owner: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Mark every repeat of an (owner, group) pair after its first occurrence."""
    key = owner.astype(np.int64) * n_groups + group
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    dup = np.empty(len(key), dtype=bool)
    dup[order] = np.concatenate([[False], sorted_key[1:] == sorted_key[:-1]])
    return dup


def _distinct(
    world: _World,
    owner: np.ndarray,
    pool_ids: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Draw a group per slot so that no owner has the same group twice.

    `owner` is sorted and no owner has more slots than there are groups.
    Repeats are redrawn from their pool, then from all groups, and any left
    after that get the owner's lowest unused group.
    """
    group = _sample(world, pool_ids, rng)
    for attempt in range(16):
        dup = _duplicates(owner, group, world.n_groups)
        if not dup.any():
            return group
        if attempt < 8:
            group[dup] = _sample(world, pool_ids[dup], rng)
        else:
            group[dup] = rng.integers(0, world.n_groups, int(dup.sum()))
    dup = _duplicates(owner, group, world.n_groups)
    for i in np.flatnonzero(dup).tolist():
        lo, hi = np.searchsorted(owner, [owner[i], owner[i] + 1])
        used = set(group[lo:hi].tolist())
        group[i] = next(g for g in range(world.n_groups) if g not in used)
    return group


def _dates(days: np.ndarray) -> np.ndarray:
    """ISO 8601 strings of day numbers since 1970-01-01."""
    return (invented.EPOCH + days.astype("timedelta64[D]")).astype(str)


def _jan1(year: np.ndarray) -> np.ndarray:
    """Day numbers of 1 January of each year."""
    return (
        np.asarray(year - 1970).astype("datetime64[Y]").astype("datetime64[D]") - invented.EPOCH
    ).astype(np.int64)


def _end_dates(start: np.ndarray, ongoing: np.ndarray, length: np.ndarray) -> np.ndarray:
    """End dates ``start + length``; empty where ongoing or after the as-of day."""
    end = start + length
    return np.where(ongoing | (end > invented.AS_OF), "", _dates(end))


def _spans(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Owner index per slot and slot position within its owner, for slot counts."""
    owner = np.repeat(np.arange(len(counts)), counts)
    first = np.cumsum(counts) - counts
    position = np.arange(len(owner)) - np.repeat(first, counts)
    return owner, position


def _chunks(counts: np.ndarray, limit: int) -> Iterator[tuple[int, int]]:
    """Split owners into runs ``[lo, hi)`` of about `limit` slots (at least one owner)."""
    ends = np.cumsum(counts)
    lo = 0
    while lo < len(counts):
        before = int(ends[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(ends, before + limit, side="right")))
        yield lo, hi
        lo = hi


class _Table:
    """A CSV file being written: header first, then rows in chunks, columns by name.

    The header and the column order are the file's in :data:`loaders.spec.FILES`.
    """

    def __init__(self, out: Path, stem: str) -> None:
        self.stem = stem
        self.rows = 0
        self._columns = FILES[stem].column_names
        self._file = (out / f"{stem}.csv").open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file, lineterminator="\n")
        self._writer.writerow(self._columns)

    def write(self, **columns: Iterable[Any]) -> None:
        """Write rows given column-wise by name (lists or numpy arrays of equal length)."""
        if set(columns) != set(self._columns):
            raise ValueError(f"{self.stem}: columns {sorted(columns)} are not {self._columns}")
        lists = [columns[c] for c in self._columns]
        lists = [c.tolist() if isinstance(c, np.ndarray) else c for c in lists]
        self._writer.writerows(zip(*lists, strict=True))
        self.rows += len(lists[0]) if lists else 0

    def __enter__(self) -> _Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


# --------------------------------------------------------------------------------------------
# The eight files
# --------------------------------------------------------------------------------------------


def _write_movements(out: Path) -> int:
    with _Table(out, "movements") as table:
        ids, names, descriptions = zip(*invented.MOVEMENTS, strict=True)
        table.write(movement_id=ids, name=names, description=descriptions)
        return table.rows


def _write_groups(out: Path, world: _World, recorded: np.ndarray, rng: np.random.Generator) -> int:
    # The reported size is at least the members on record, usually more.
    size = recorded + rng.poisson(5.0 + 0.5 * recorded + 10.0 * world.popularity)
    n = world.n_groups
    with _Table(out, "groups") as table:
        table.write(
            group_id=world.group_ids,
            name=world.names,
            movements=world.movements,
            city=[invented.CITIES[c][0] for c in world.city.tolist()],
            region=[invented.REGION] * n,
            country=[invented.COUNTRY] * n,
            founded=world.founded,
            size=size,
        )
        return table.rows


def _write_members(
    out: Path, world: _World, n_members: int, n_memberships: int, rng: np.random.Generator
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """Write members.csv; return its rows, home movements, membership counts, bridgers."""
    home = rng.choice(invented.N_MOV, n_members, p=world.mass)
    n_each = _membership_counts(n_members, n_memberships, world.n_groups, rng)
    # Bridgers cross into another movement with one of their memberships.
    eligible = np.flatnonzero(n_each >= 2)
    n_bridgers = min(len(eligible), round(invented.BRIDGER_SHARE * n_members))
    bridger = np.zeros(n_members, dtype=bool)
    bridger[rng.choice(eligible, n_bridgers, replace=False)] = True

    city_p = np.array([c[1] for c in invented.CITIES])
    city_names = np.array([c[0] for c in invented.CITIES])
    member_ids = _ids("M", n_members, 5)
    with _Table(out, "members") as table:
        for lo in range(0, n_members, _CHUNK):
            hi = min(lo + _CHUNK, n_members)
            city = city_names[rng.choice(len(invented.CITIES), hi - lo, p=city_p / city_p.sum())]
            table.write(member_id=member_ids[lo:hi], name=[""] * (hi - lo), city=city)
        return table.rows, home, n_each, bridger


def _membership_counts(
    n_members: int, total: int, n_groups: int, rng: np.random.Generator
) -> np.ndarray:
    """Memberships per member: at least one each (if enough), heavy-tailed, capped, exact sum."""
    if total < n_members:
        counts = np.zeros(n_members, dtype=np.int64)
        counts[rng.choice(n_members, total, replace=False)] = 1
        return counts
    cap = min(n_groups, max(invented.MAX_MEMBERSHIPS, -(-total // n_members) * 2))
    activity = rng.lognormal(0.0, invented.ACTIVITY_SIGMA, n_members)
    counts = 1 + rng.multinomial(total - n_members, activity / activity.sum())
    while (over := counts > cap).any():
        excess = int((counts[over] - cap).sum())
        counts[over] = cap
        room = np.flatnonzero(counts < cap)
        counts += np.bincount(rng.choice(room, excess), minlength=n_members)
    return counts


def _write_memberships(
    out: Path,
    world: _World,
    home: np.ndarray,
    n_each: np.ndarray,
    bridger: np.ndarray,
    rng: np.random.Generator,
) -> tuple[int, np.ndarray]:
    """Write memberships.csv; return its rows and the members on record per group."""
    recorded = np.zeros(world.n_groups, dtype=np.int64)
    member_ids = _ids("M", len(home), 5)
    founded_day = _jan1(world.founded).clip(min=invented.MEMBERSHIP_FLOOR)
    with _Table(out, "memberships") as table:
        for lo, hi in _chunks(n_each, _CHUNK_MEMBERSHIPS):
            owner, position = _spans(n_each[lo:hi])
            owner += lo
            pool_ids = home[owner].copy()
            # A bridger's last membership crosses into an allied movement or a broker.
            cross = bridger[owner] & (position == n_each[owner] - 1)
            n_cross = int(cross.sum())
            via_broker = rng.random(n_cross) < invented.BRIDGE_VIA_BROKER
            pool_ids[cross] = np.where(
                via_broker, _BROKER_POOL, _allied(world, home[owner[cross]], rng)
            )
            group = _distinct(world, owner, pool_ids, rng)
            recorded += np.bincount(group, minlength=world.n_groups)

            n = len(owner)
            role = np.array(invented.MEMBERSHIP_ROLES)[
                rng.choice(4, n, p=invented.MEMBERSHIP_ROLE_P)
            ]
            first = founded_day[group]
            start = first + ((invented.AS_OF - first) * rng.random(n) ** 0.6).astype(np.int64)
            ongoing = rng.random(n) < 0.6
            length = 60 + rng.exponential(900.0, n).astype(np.int64)
            table.write(
                member_id=member_ids[owner],
                group_id=world.group_ids[group],
                role=role,
                start_date=_dates(start),
                end_date=_end_dates(start, ongoing, length),
            )
        return table.rows, recorded


def _draw_participants(
    world: _World,
    n_owners: int,
    sizes: tuple[np.ndarray, np.ndarray],
    cross_share: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Draw the groups of `n_owners` actions or resources.

    Returns the lead movement per owner, and per slot: owner, position (0 is
    the lead group) and group. Most owners draw every group from the lead
    movement; a `cross_share` of them draw their second group from an allied
    movement and, half of those with three or more groups, their third from a
    broker.
    """
    lead = rng.choice(invented.N_MOV, n_owners, p=world.mass)
    counts = np.minimum(rng.choice(sizes[0], n_owners, p=sizes[1]), world.n_groups)
    crossing = rng.random(n_owners) < cross_share
    with_broker = crossing & (rng.random(n_owners) < invented.BROKER_JOINS_CROSS)
    owner, position = _spans(counts)
    pool_ids = lead[owner].copy()
    second = crossing[owner] & (position == 1)
    pool_ids[second] = _allied(world, lead[owner[second]], rng)
    pool_ids[with_broker[owner] & (position == 2)] = _BROKER_POOL
    group = _distinct(world, owner, pool_ids, rng)
    return lead, owner, position, group


_MOVEMENT_INDEX = {m[0]: i for i, m in enumerate(invented.MOVEMENTS)}
#: (giver, receiver) movement indices of the one-way pairs, as one array each.
_ONE_WAY = np.array([[_MOVEMENT_INDEX[g], _MOVEMENT_INDEX[r]] for g, r in invented.ONE_WAY])
_HOSTING = np.array([invented.HOSTING[m[0]] for m in invented.MOVEMENTS])


def _slot_roles(
    world: _World,
    lead: np.ndarray,
    owner: np.ndarray,
    position: np.ndarray,
    group: np.ndarray,
    first: int,
    rng: np.random.Generator,
    *,
    kind: str,
) -> np.ndarray:
    """The role of each place of an action or resource: the lead group organises or provides,
    the others draw theirs, and then :func:`_directed` gives the support a direction."""
    if kind == "action":
        roles, p, lead_role = ACTION_ROLES, invented.ACTION_ROLE_P, "organizer"
    else:
        roles, p, lead_role = SHARE_ROLES, invented.SHARE_ROLE_P, "provider"
    drawn = np.array(roles)[rng.choice(len(roles), len(owner), p=p)]
    role = np.where(position == 0, lead_role, drawn)
    return _directed(world, lead, owner, position, group, role, first, kind=kind)


def _directed(
    world: _World,
    lead: np.ndarray,
    owner: np.ndarray,
    position: np.ndarray,
    group: np.ndarray,
    role: np.ndarray,
    first: int,
    *,
    kind: str,
) -> np.ndarray:
    """The roles of the places taken by other movements' groups, made to say who supports whom.

    A group of movement ``j`` in an action whose lead group is of movement ``i``
    (primary movements, as the flows count them) co-organises
    it (instead of showing up) in :data:`invented.HOSTING` ``[j]`` of the
    cases, and always when ``(i, j)`` is one of :data:`invented.ONE_WAY` (``i``
    gives, ``j`` never gives back); when ``(j, i)`` is, it always shows up
    (``partner``). In a resource led by ``i``, the group of ``j`` receives it
    when ``(i, j)`` is one-way and co-stewards it when ``(j, i)`` is (``i``
    never supplies ``j``). Each place's chance comes from a hash of where it
    is in the file, not from the random stream, so nothing else changes.
    """
    mine = world.primary[group]
    # the lead group's primary movement (a lead movement may draw a group that lists it second)
    theirs = world.primary[group[position == 0]][owner]
    across = (position > 0) & (mine != theirs)
    u = _unit((first + owner) * 8 + position)
    giver_is_lead = _pair_in(theirs, mine)  # (lead, joiner) one-way: the lead only gives
    joiner_gives = _pair_in(mine, theirs)  # (joiner, lead) one-way: the joiner only gives
    role = role.copy()
    if kind == "action":
        hosts = across & ((u < _HOSTING[mine]) | giver_is_lead)
        role[hosts] = "organizer"
        shows_up = across & joiner_gives
        role[shows_up] = "partner"
    else:
        role[across & giver_is_lead] = "recipient"
        role[across & joiner_gives] = "co_steward"
    return role


def _pair_in(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each ``(a[k], b[k])`` is a one-way (giver, receiver) pair."""
    if len(_ONE_WAY) == 0:
        return np.zeros(len(a), dtype=bool)
    return ((a[:, None] == _ONE_WAY[:, 0]) & (b[:, None] == _ONE_WAY[:, 1])).any(axis=1)


def _unit(keys: np.ndarray) -> np.ndarray:
    """A number in [0, 1) per key, the same for the same key (SplitMix64)."""
    x = keys.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _write_actions(
    out: Path, world: _World, n_actions: int, rng: np.random.Generator
) -> tuple[int, int]:
    action_ids = _ids("A", n_actions, 5)
    years = np.arange(invented.ACTION_FIRST_YEAR, invented.ACTION_LAST_YEAR + 1)
    year_p = invented.ACTION_YEAR_W / invented.ACTION_YEAR_W.sum()
    type_cum = np.cumsum(invented.ACTION_TYPE_P, axis=1)
    # Days an action lasts beyond its first, and the chance it is still ongoing, per type.
    max_extra = np.array([3, 540, 900, 120])
    ongoing_p = np.array([0.0, 0.30, 0.35, 0.40])
    with _Table(out, "actions") as actions, _Table(out, "action_groups") as links:
        for lo in range(0, n_actions, _CHUNK):
            n = min(lo + _CHUNK, n_actions) - lo
            lead, owner, position, group = _draw_participants(
                world, n, invented.GROUPS_PER_ACTION, invented.CROSS_ACTION, rng
            )
            ids = action_ids[lo : lo + n]
            role = _slot_roles(world, lead, owner, position, group, lo, rng, kind="action")
            links.write(action_id=ids[owner], group_id=world.group_ids[group], role=role)

            u = rng.random(n)
            kind = (u[:, None] >= type_cum[lead]).sum(axis=1).clip(max=3)
            year = rng.choice(years, n, p=year_p)
            jan1 = _jan1(year)
            start = jan1 + (rng.random(n) * (_jan1(year + 1) - jan1)).astype(np.int64)
            single_day = (kind == 0) & (rng.random(n) < 0.8)
            length = np.where(single_day, 0, (rng.random(n) * max_extra[kind]).astype(np.int64) + 1)
            ongoing = rng.random(n) < ongoing_p[kind]
            pick = rng.integers(0, 1 << 30, (n, 2))
            organizer = group[position == 0]
            partner_mov = np.full(n, -1)
            partner_mov[owner[position == 1]] = world.primary[group[position == 1]]
            names, cities, descriptions = [], [], []
            for i in range(n):
                m, k = int(lead[i]), int(kind[i])
                city = invented.CITIES[world.city[organizer[i]]][0]
                cause = invented.CAUSES[m][pick[i, 0] % len(invented.CAUSES[m])]
                templates = invented.ACTION_NAMES[k]
                template = templates[pick[i, 1] % len(templates)]
                names.append(template.format(c=cause, city=city, y=int(year[i])))
                cities.append(city)
                other = int(partner_mov[i])
                if other >= 0 and other != m:
                    what = f"{invented.MOVEMENTS[m][1]} and {invented.MOVEMENTS[other][1]} groups"
                else:
                    what = f"{invented.MOVEMENTS[m][1]} groups"
                descriptions.append(f"{invented.ACTION_LABEL[k]} organised by {what} in {city}.")
            actions.write(
                action_id=ids,
                name=names,
                type=np.array(invented.ACTION_TYPES)[kind],
                start_date=_dates(start),
                end_date=_end_dates(start, ongoing, length),
                city=cities,
                description=descriptions,
            )
        return actions.rows, links.rows


def _write_resources(
    out: Path, world: _World, n_resources: int, rng: np.random.Generator
) -> tuple[int, int]:
    resource_ids = _ids("R", n_resources, 4)
    first_day = int((np.datetime64("2015-01-01", "D") - invented.EPOCH).astype(int))
    seen: dict[str, int] = {}
    with _Table(out, "resources") as resources, _Table(out, "resource_shares") as shares:
        for lo in range(0, n_resources, _CHUNK):
            n = min(lo + _CHUNK, n_resources) - lo
            lead, owner, position, group = _draw_participants(
                world, n, invented.GROUPS_PER_RESOURCE, invented.CROSS_RESOURCE, rng
            )
            ids = resource_ids[lo : lo + n]
            kind = rng.choice(len(RESOURCE_TYPES), n, p=invented.RESOURCE_TYPE_P)
            pick = rng.integers(0, 1 << 30, (n, 2))
            provider = group[position == 0]
            names = []
            for i in range(n):
                hoods = invented.CITIES[world.city[provider[i]]][2]
                place = hoods[pick[i, 0] % len(hoods)]
                causes = invented.CAUSES[lead[i]]
                templates = invented.RESOURCE_NAMES[kind[i]]
                template = templates[pick[i, 1] % len(templates)]
                cause = causes[pick[i, 0] % len(causes)]
                names.append(_unique(template.format(p=place, c=cause), seen))
            resources.write(resource_id=ids, name=names, type=np.array(RESOURCE_TYPES)[kind])

            m = len(owner)
            role = _slot_roles(world, lead, owner, position, group, lo, rng, kind="resource")
            begins = first_day + (rng.random(n) * (invented.AS_OF - first_day)).astype(np.int64)
            start = np.minimum(begins[owner] + rng.integers(0, 200, m), invented.AS_OF)
            ongoing = rng.random(m) < 0.5
            length = 90 + rng.integers(0, 1500, m)
            shares.write(
                resource_id=ids[owner],
                group_id=world.group_ids[group],
                role=role,
                start_date=_dates(start),
                end_date=_end_dates(start, ongoing, length),
            )
        return resources.rows, shares.rows
