"""The brief (graph.brief) of the tiny fixture, sentence by sentence, worked out by hand.

tests/fixtures/tiny: ties g1-g2, g2-g3, g3-g4, g3-g5, g4-g5; primary movements g1, g2
Black Lives Matter; g3, g4 Queer Liberation; g5, g6, 007 Labour. Members m1-m6.
"""

from __future__ import annotations

import re

import pytest

from graph.brief import brief_for, render_brief, write_brief

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
