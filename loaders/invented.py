"""The invented coalition :func:`loaders.generate.generate` draws from.

Eight movements in one fictional metropolitan region, which of them are
allies, their cities and group names, and how often each role, type of
action or resource and crossing of movement lines occurs. Changing a value
here changes every generated dataset (and the committed sample, regenerated
from the same seed).
"""

from __future__ import annotations

import numpy as np

MOVEMENTS: tuple[tuple[str, str, str], ...] = (
    ("blm", "Black Lives Matter", "Ending police violence and anti-Black racism."),
    (
        "queer",
        "Queer Liberation",
        "Freedom and safety for lesbian, gay, bi, trans and queer people.",
    ),
    ("disability", "Disability Justice", "Access, autonomy and dignity for disabled people."),
    (
        "indigenous",
        "Indigenous Sovereignty",
        "Land, water and treaty rights of Indigenous nations.",
    ),
    ("metoo", "MeToo", "Ending sexual violence and harassment; justice for survivors."),
    ("labour", "Labour", "Union rights, living wages and safe work."),
    ("immigrant", "Immigrant Rights", "Status, safety and dignity for migrants and refugees."),
    ("housing", "Housing Justice", "Tenants' rights, an end to evictions, homes for all."),
)
N_MOV = len(MOVEMENTS)

#: Relative number of groups per movement.
MOVEMENT_WEIGHT = np.array([1.0, 1.0, 0.8, 0.8, 0.7, 1.4, 1.1, 1.2])
#: Earliest plausible founding year per movement.
EARLIEST_FOUNDED = np.array([2013, 1969, 1970, 1965, 2017, 1965, 1975, 1965])

#: Which movements ally most often (symmetric; the diagonal is unused).
ALLIES: dict[tuple[str, str], float] = {
    ("blm", "queer"): 3.0,
    ("blm", "housing"): 3.0,
    ("blm", "immigrant"): 2.0,
    ("blm", "labour"): 2.0,
    ("blm", "indigenous"): 2.0,
    ("queer", "disability"): 3.0,
    ("queer", "metoo"): 3.0,
    ("queer", "housing"): 2.0,
    ("disability", "housing"): 2.0,
    ("disability", "labour"): 1.5,
    ("indigenous", "housing"): 2.5,
    ("indigenous", "immigrant"): 1.5,
    ("metoo", "labour"): 3.0,
    ("labour", "immigrant"): 3.0,
    ("labour", "housing"): 2.5,
    ("immigrant", "housing"): 3.0,
}
ALLY_BASE = 0.7

COUNTRY = "Canada"
REGION = "Greater Port Aldon"
#: Fictional cities of one metropolitan region, their neighbourhoods and weights.
CITIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "Port Aldon",
        0.40,
        (
            "Harbourfront",
            "Old Mill",
            "Southside",
            "Riverside Flats",
            "Kingsway",
            "Eastgate",
            "North End",
            "Market District",
        ),
    ),
    ("Millbrook", 0.12, ("Millbrook", "Cedar Hill", "Brookfield")),
    ("Eastvale", 0.11, ("Eastvale", "Lakeview", "Foundry Row")),
    ("Westmere", 0.09, ("Westmere", "Orchard Park")),
    ("Kingsford", 0.09, ("Kingsford Heights", "Railway Lands")),
    ("Ashby Falls", 0.07, ("Ashby Falls", "Falls View")),
    ("Northgate", 0.07, ("Northgate", "Pinecrest")),
    ("Fairhaven", 0.05, ("Fairhaven Bay", "Saltmarsh")),
)

GROUP_NAMES: tuple[tuple[str, ...], ...] = (
    (
        "{p} Black Futures Collective",
        "Black Lives Matter {p}",
        "{p} Coalition for Black Liberation",
        "{p} Black Youth Alliance",
        "{p} Police Accountability Project",
        "Black Mothers of {p}",
    ),
    (
        "{p} Queer Collective",
        "{p} Trans Mutual Aid",
        "{p} Pride Alliance",
        "Rainbow Refuge {p}",
        "{p} Queer Youth Circle",
        "{p} Queer Liberation Front",
    ),
    (
        "{p} Disability Justice Collective",
        "{p} Accessible Transit Now",
        "{p} Deaf Community Alliance",
        "{p} Mad Pride Network",
        "{p} Independent Living Centre",
        "Crip Solidarity {p}",
    ),
    (
        "{p} Land Back Circle",
        "{p} Water Protectors",
        "{p} Indigenous Friendship Centre",
        "{p} Treaty Rights Council",
        "{p} Indigenous Youth Drum Group",
        "{p} Native Women's Circle",
    ),
    (
        "{p} Survivors' Network",
        "{p} Women's Shelter Collective",
        "MeToo {p}",
        "{p} Consent Education Project",
        "{p} Feminist Action Group",
        "{p} Safe Workplaces Coalition",
    ),
    (
        "{p} Workers' Centre",
        "{p} Nurses' Union Local",
        "{p} Transit Workers' Union",
        "{p} Living Wage Campaign",
        "{p} Gig Workers United",
        "{p} Labour Council",
    ),
    (
        "{p} Migrant Workers' Alliance",
        "{p} Sanctuary Network",
        "{p} Refugee Welcome Committee",
        "No One Is Illegal {p}",
        "{p} Newcomer Legal Clinic",
        "{p} Status for All Coalition",
    ),
    (
        "{p} Tenants' Union",
        "{p} Housing Justice Coalition",
        "{p} Anti-Eviction Network",
        "{p} Community Land Trust",
        "{p} Encampment Support Team",
        "{p} Rent Strike Committee",
    ),
)
BROKER_NAMES: tuple[str, ...] = (
    "{p} Solidarity Coalition",
    "Common Ground {p}",
    "{p} United Front for Justice",
    "{p} People's Assembly",
    "{p} Interfaith Justice Network",
    "{p} Community Alliance",
)

CAUSES: tuple[tuple[str, ...], ...] = (
    ("Justice for Black Lives", "Police Accountability", "Defund and Reinvest"),
    ("Trans Rights", "Queer Liberation", "Pride Not Prejudice"),
    ("Accessible Transit", "Disability Rights", "Nothing About Us Without Us"),
    ("Land Back", "Clean Water", "Treaty Rights"),
    ("Survivor Justice", "Safe Workplaces", "End Gender Violence"),
    ("Fair Wages", "Union Rights", "Living Wage"),
    ("Status for All", "No Deportations", "Migrant Worker Rights"),
    ("Rent Freeze", "Housing for All", "Stop Evictions"),
)

ACTION_TYPES: tuple[str, ...] = ("protest", "campaign", "policy_advocacy", "mutual_aid")
#: P(action type | lead movement), rows in movement order.
ACTION_TYPE_P = np.array(
    [
        [0.45, 0.25, 0.20, 0.10],
        [0.30, 0.30, 0.20, 0.20],
        [0.20, 0.30, 0.35, 0.15],
        [0.40, 0.25, 0.20, 0.15],
        [0.30, 0.35, 0.25, 0.10],
        [0.35, 0.30, 0.25, 0.10],
        [0.25, 0.25, 0.25, 0.25],
        [0.25, 0.25, 0.20, 0.30],
    ]
)
ACTION_NAMES: tuple[tuple[str, ...], ...] = (
    ("{c} March", "{c} Rally", "{c} Sit-in", "{city} Vigil for {c}"),
    ("{c} Campaign {y}", "{city} {c} Campaign", "Door to Door for {c}"),
    ("{c} Bill Advocacy", "Council Petition for {c}", "{city} Hearings on {c}"),
    ("{city} Mutual Aid Drive", "{c} Community Pantry", "{city} Winter Solidarity Drive"),
)
ACTION_LABEL = ("Protest", "Campaign", "Policy advocacy", "Mutual-aid drive")

MEMBERSHIP_ROLES: tuple[str, ...] = ("member", "volunteer", "organizer", "board")
MEMBERSHIP_ROLE_P = np.array([0.68, 0.20, 0.09, 0.03])
#: Roles of the second and later groups of an action (the first organises).
ACTION_ROLE_P = np.array([0.12, 0.35, 0.20, 0.33])
#: Roles of the second and later groups sharing a resource (the first provides).
SHARE_ROLE_P = np.array([0.10, 0.60, 0.30])

#: P(resource type), in the order of :data:`graph.schema.RESOURCE_TYPES`.
RESOURCE_TYPE_P = np.array([0.22, 0.18, 0.12, 0.08, 0.08, 0.10, 0.10, 0.08, 0.04])
RESOURCE_NAMES: tuple[tuple[str, ...], ...] = (
    ("{p} Solidarity Fund", "{c} Emergency Fund", "{p} Bail Fund"),
    ("{p} Community Hall", "{p} Union Hall Meeting Room", "{p} Storefront Office"),
    ("{p} Know-Your-Rights Clinic", "{c} Legal Defence Pool", "{p} Eviction Court Support"),
    ("{p} Free Clinic Access", "{p} Street Nurse Program", "{p} Peer Counselling Line"),
    ("{p} Emergency Shelter Beds", "{p} Safe House Network", "{p} Hosting Network"),
    ("{p} Sound System and Megaphones", "{p} Banner and Print Shop", "{p} Van Share"),
    ("{p} Organiser Training", "{c} De-escalation Training", "{p} Accessibility Workshops"),
    ("{p} Community Radio Slot", "{c} Broadcast List", "{p} Translation Pool"),
    ("{p} Childcare Cooperative", "{p} Shared Kitchen", "{p} Tool Library"),
)

EPOCH = np.datetime64("1970-01-01", "D")
#: The data describe the coalition as of this day; later end dates are "ongoing".
AS_OF = int((np.datetime64("2025-12-31", "D") - EPOCH).astype(int))
ACTION_FIRST_YEAR, ACTION_LAST_YEAR = 2015, 2025
#: Relative number of actions per year 2015..2025 (2017 MeToo, 2020 uprisings).
ACTION_YEAR_W = np.array([0.60, 0.65, 0.85, 0.80, 0.80, 1.35, 1.00, 1.00, 1.05, 1.10, 1.15])
MEMBERSHIP_FLOOR = int((np.datetime64("1995-01-01", "D") - EPOCH).astype(int))

# Structure knobs.
SECONDARY_SHARE = 0.09  # non-broker groups listing a second movement
SECONDARY_POOL_WEIGHT = 0.2  # how strongly a second movement draws on a group
BROKER_POOL_WEIGHT = 0.12  # how strongly a broker's other movements draw on it
BRIDGER_SHARE = 0.065  # members deliberately crossing into another movement
BRIDGE_VIA_BROKER = 0.35  # share of those crossings that go through a broker
CROSS_ACTION = 0.13  # actions joined by another movement's group
CROSS_RESOURCE = 0.2  # resources shared with another movement's group
BROKER_JOINS_CROSS = 0.5  # a cross action/resource also draws in a broker
ACTIVITY_SIGMA = 0.7  # spread of how many groups members join (lognormal)
MAX_MEMBERSHIPS = 12  # per member, unless more are asked for on average
GROUPS_PER_ACTION = (np.arange(2, 7), np.array([0.34, 0.28, 0.18, 0.12, 0.08]))
GROUPS_PER_RESOURCE = (np.arange(2, 5), np.array([0.50, 0.30, 0.20]))

# -- who shows up for whom (solidarity flows) ------------------------------------------------
# A group in another movement's action or resource takes a role drawn as for any group; then
# these make the direction realistic, without drawing anything more (the rest of a dataset is
# the same with or without them):
#
#: The share of a movement's cross-movement places in actions where its groups co-organise
#: instead of showing up: movements that mostly host (labour's and housing's campaigns draw
#: others in) against movements that mostly show up for others (MeToo, Queer Liberation).
HOSTING: dict[str, float] = {
    "blm": 0.35,
    "queer": 0.1,
    "disability": 0.2,
    "indigenous": 0.45,
    "metoo": 0.05,
    "labour": 0.7,
    "immigrant": 0.3,
    "housing": 0.6,
}
#: Pairs where support runs one way, giver first: the receiver's groups co-organise the
#: giver's actions and co-steward its resources, but never show up for or supply it.
ONE_WAY: tuple[tuple[str, str], ...] = (
    ("disability", "housing"),  # access audits and support, rarely returned
    ("metoo", "labour"),  # survivors' groups turn out for workplace campaigns
    ("queer", "blm"),
)
