"""The brief (graph.brief) of the tiny fixture, sentence by sentence, worked out by hand.

tests/fixtures/tiny: ties g1-g2, g2-g3, g3-g4, g3-g5, g4-g5; primary movements g1, g2
Black Lives Matter; g3, g4 Queer Liberation; g5, g6, 007 Labour. Members m1-m6.
"""

from __future__ import annotations

import re

import pytest

from graph.brief import brief_for, render_brief, write_brief
from graph.coalition import Coalition

pytestmark = pytest.mark.store

BRIDGE = 'Rainbow "Bridge" Collective'


@pytest.fixture
def brief(tiny):
    return brief_for(tiny)


def section(brief, start: str) -> list[str]:
    (found,) = [s for s in brief.sections if s.title.startswith(start)]
    return found.sentences


def test_the_coalition_at_a_glance(brief):
    assert dict(brief.glance) == {
        "Groups": "7",
        "Movements": "3",
        "Members": "6",
        "Ties between groups": "5",
        "Ties across movements": "60.0%",  # g2-g3, g3-g5, g4-g5 of 5
        "Separate parts": "3",  # g1..g5, g6, 007
    }


def test_strongest_links_and_links_one_group_holds_alone(brief):
    assert section(brief, "The strongest") == [
        "Labour and Queer Liberation: 2 ties between their groups.",
        "Black Lives Matter and Queer Liberation: 1 tie between their groups.",
    ]
    assert section(brief, "Links one group") == [
        # the single tie g2-g3 first (fewest ties), then the two ties g5 carries
        "Black Lives Matter and Queer Liberation are linked only by the tie between "
        f"Justice Kitchen and {BRIDGE}.",
        "Labour and Queer Liberation are linked only through Warehouse Workers United (2 ties).",
        "Black Lives Matter and Labour have no direct tie; their closest groups are 2 hops apart.",
    ]


def test_departures_that_fragment_the_coalition(brief):
    # without g3: {g1,g2} {g4,g5} g6 007, 1 - (2+2)/30; without g2: g1 {g3,g4,g5} g6 007,
    # 1 - 6/30; no other single group splits anything
    assert section(brief, "The groups whose departure") == [
        f"Without {BRIDGE} the coalition would fall from 3 into 4 parts; 86.7% of pairs of "
        "groups could no longer reach each other.",
        "Without Justice Kitchen the coalition would fall from 3 into 4 parts; 80.0% of pairs "
        "of groups could no longer reach each other.",
    ]


def test_support_and_introductions(brief):
    # g5 (labour) shows up for g3 (queer) in a2; g4 (queer) provides for g5 in r1
    assert section(brief, "Who shows up") == [
        "2 acts of support crossed movement lines; 100% of them were matched by support the "
        "other way."
    ]
    # g1-g3 share g2 (1/ln 2), g2-g5 share g3 (1/ln 3): the best of each pair, highest first
    assert section(brief, "Suggested introductions") == [
        f"Northside Defenders (Black Lives Matter) and {BRIDGE} (Queer Liberation) both work "
        "with Justice Kitchen, but not yet with each other.",
        "Justice Kitchen (Black Lives Matter) and Warehouse Workers United (Labour) both work "
        f"with {BRIDGE}, but not yet with each other.",
    ]


def test_the_html_is_self_contained_escaped_and_names_no_member(brief, tiny, tmp_path):
    text = render_brief(brief)
    assert "<script" not in text and "<img" not in text and "<link" not in text
    assert re.findall(r"(?:src|href)=", text) == []
    assert re.findall(r"https?://[^\s\"']+", text) == ["http://www.w3.org/2000/svg"]  # a name
    assert "Rainbow &quot;Bridge&quot; Collective" in text and BRIDGE not in text
    for member in ("m1", "m2", "Alex", "Sam"):
        assert not re.search(rf"\b{member}\b", text)
    path = write_brief(brief, tmp_path / "out" / "brief.html")
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in path.parent.iterdir()] == ["brief.html"]  # no partial file left


def test_a_small_member_count_reads_under_the_threshold(tiny):
    brief = brief_for(tiny.window(until="2014-12-31"))  # only m3 (since 2012), m5 (since 2010)
    assert dict(brief.glance)["Members"] == "<5"


# -- what changed since the previous period --------------------------------------------------
# tiny by year. 2021 and 2022 (the last two years of its dates, 2010 to 2022-12-31): ties g2-g3
# (m2), g3-g4 (m3), g4-g5 (r1) in both, nothing else. 2019: g1-g2 (m1 until 2019-12-31),
# g2-g3, g3-g4, g4-g5; 2020: m1 has left g2, a2 (2020-06-12) ties g3-g5.
def test_what_changed_in_the_last_year_of_the_tiny_coalition(brief):
    assert section(brief, "What changed") == [
        "Comparing the year from 2022-01-01 to 2022-12-31 with the year before, from "
        "2021-01-01 to 2021-12-31.",
        "Active groups (with at least one tie): unchanged at 4.",  # g2 g3 g4 g5
        "Ties between groups: unchanged at 3.",
        "Share of ties across movements: unchanged at 66.7%.",  # g2-g3, g4-g5 of 3
        # the one act of support, g4 provides r1 to g5, is not returned
        "Support across movements that was returned: unchanged at 0%.",
        "No tie was gained or lost since the period before.",
    ]


def test_what_changed_from_2019_to_2020(tiny):
    brief = brief_for(tiny.window(until="2020-12-31"))
    assert section(brief, "What changed") == [
        "Comparing the year from 2020-01-01 to 2020-12-31 with the year before, from "
        "2019-01-01 to 2019-12-31.",
        "Active groups (with at least one tie): 4, down from 5.",  # g1 has no tie in 2020
        "Ties between groups: unchanged at 4.",
        "Share of ties across movements: 75.0%, up from 50.0%.",  # 3 of 4; g2-g3, g4-g5 of 4
        # 2020: g4 -> g5 (r1) and g5 shows up for g3 (a2): queer and labour, one each way
        "Support across movements that was returned: 100%, up from 0%.",
        # gained g3-g5 (queer-labour), lost g1-g2 (both Black Lives Matter)
        "1 tie was gained and 1 lost since the period before; 1 of the gained and 0 of the "
        "lost cross movement lines.",
        # 2019 is the path g1-g2-g3-g4-g5: g3 first, g2 and g4 second; in 2020 only g3
        # lies between others (g4-g5 and g3-g5 both tied directly)
        "Falling broker: Justice Kitchen, betweenness rank 2 in the period before, now no broker.",
        "Falling broker: Trans Care Network, betweenness rank 2 in the period before, now no "
        "broker.",
    ]


def test_a_window_within_one_month_has_no_previous_period(tiny):
    brief = brief_for(tiny.window(since="2020-06-01", until="2020-06-30"))
    assert section(brief, "What changed") == [
        "This window holds fewer than two calendar months (or no dates), so there is no "
        "previous period to compare it with."
    ]


#: Two movement links of 2023 (a1-b1, a2-b2); in 2024 a2-b2 is gone and c1 joins a1 and b2:
#: the path b1 - a1 - c1 - b2.
RISK = Coalition(
    groups={
        "a1": {"name": "<script>alert(1)</script>", "movements": ["A"]},
        "a2": {"name": "Second A", "movements": ["A"]},
        "b1": {"name": "First B", "movements": ["B"]},
        "b2": {"name": "Second B", "movements": ["B"]},
        "c1": {"name": "Only C", "movements": ["C"]},
    },
    movements={"A": {"name": "Housing"}, "B": {"name": "Disability"}, "C": {"name": "Climate"}},
    memberships=[
        ("x", "a1", "2023-01-01", "2024-12-31"),
        ("x", "b1", "2023-01-01", "2024-12-31"),
        ("y", "a2", "2023-01-01", "2023-12-31"),
        ("y", "b2", "2023-01-01", "2023-12-31"),
        ("z", "a1", "2024-01-01", "2024-12-31"),
        ("z", "c1", "2024-01-01", "2024-12-31"),
        ("w", "c1", "2024-01-01", "2024-12-31"),
        ("w", "b2", "2024-01-01", "2024-12-31"),
    ],
)


def test_links_at_risk_and_rising_brokers_of_a_hand_built_coalition():
    brief = brief_for(RISK)
    assert section(brief, "What changed") == [
        "Comparing the year from 2024-01-01 to 2024-12-31 with the year before, from "
        "2023-01-01 to 2023-12-31.",
        "Active groups (with at least one tie): unchanged at 4.",  # a2 out, c1 in
        "Ties between groups: 3, up from 2.",
        "Share of ties across movements: unchanged at 100.0%.",
        "Support across movements that was returned: no figure in either period.",
        # gained a1-c1, c1-b2; lost a2-b2: all across movements
        "2 ties were gained and 1 lost since the period before; 2 of the gained and 1 of the "
        "lost cross movement lines.",
        "Link at risk: Housing and Disability are down to 1 direct tie, from 2 in the period "
        "before.",
        # a1 and c1 each lie between two pairs of b1 - a1 - c1 - b2: both first
        "Rising broker: <script>alert(1)</script>, now betweenness rank 1 (no broker in the "
        "period before).",
        "Rising broker: Only C, now betweenness rank 1 (no broker in the period before).",
    ]
    text = render_brief(brief)
    assert "Rising broker: &lt;script&gt;alert(1)&lt;/script&gt;, now" in text
    assert "<script" not in text


def test_the_brief_has_its_sections_in_the_order_of_the_issue(brief):
    assert [s.title for s in brief.sections] == [
        "The strongest and weakest links between movements",
        "Links one group holds alone",
        "The groups whose departure would fragment the coalition most",
        "Who shows up for whom, and where support runs one way",
        "What changed since the previous period",
        "Suggested introductions",
    ]
