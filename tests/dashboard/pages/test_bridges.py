"""The bridges page (``dashboard.pages.bridges``): its callback over the small coalition.

By hand from the fixture (tests/dashboard/conftest.py): ties g1-g2, g2-g3, g1-g3
(a1), g3-g4, g4-g5; g6 isolated. Primary movements: g1, g2 blm; g3 (Rainbow
Bridge), g4 queer; g5 (a hostile name), g6 labour (a hostile name too).

- blm-queer: ties g1-g3 and g2-g3, both through g3: cut by Rainbow Bridge alone;
- labour-queer: the single tie g4-g5: both ends critical;
- blm-labour: no direct tie; g1 - g3 - g4 - g5 is 3 hops.

Introductions: g1 and g2 (blm) both work with g3, not with g4 (queer): Adamic-Adar
1/ln 3 each (g3 has 3 ties), ranked by id; g5 (labour) and g3 both work with g4.
"""

from __future__ import annotations

from dash import dcc

from ..test_app import module
from ..util import EVIL, texts, walk


def words(component) -> str:
    return " ".join(texts(component))


def links(component) -> list[str]:
    return [node.href for node in walk(component) if isinstance(node, dcc.Link)]


def render(*args, **kwargs):
    return module("bridges").render(*args, **kwargs)


def test_fragile_links_come_first_with_their_critical_groups(app):
    with app.server.test_request_context():
        status, headline, fragile, apart, intros, options, search = render(None, None, None)
    assert status is None and search == ""
    assert words(headline).startswith("3 pairs of movements: 2 linked through a single group, 1 ")
    said = words(fragile)
    assert "Black Lives Matter and Queer Liberation are linked only through  Rainbow Bridge" in said
    assert f"{EVIL} and Queer Liberation are linked only through the tie between" in said
    # the single tie (1 tie) is more fragile than the two ties through g3
    assert said.index(f"{EVIL} and Queer") < said.index("Black Lives Matter and Queer")
    hrefs = links(fragile)
    assert "/network?group=g3" in hrefs and "/whatif?remove=g3" in hrefs
    assert {"/network?group=g4", "/network?group=g5", "/whatif?remove=g5"} <= set(hrefs)
    assert texts(apart) == [
        "Movement",
        "Movement",
        "Closest groups",
        "Black Lives Matter",
        EVIL,
        "3 hops",
    ]
    assert {o["value"] for o in options} == {"blm", "queer", "labour"}


def test_introductions_name_the_partners_behind_them(app):
    with app.server.test_request_context():
        *_, intros, _options, _search = render(None, None, None)
    said = words(intros)
    assert "Northside Defenders  and  Trans Care Network : both work with Rainbow Bridge" in said
    assert "Justice Kitchen  and  Trans Care Network : both work with Rainbow Bridge" in said
    assert said.index("Northside Defenders") < said.index("Justice Kitchen")
    assert f"{EVIL}  and  Rainbow Bridge : both work with Trans Care Network" in said
    assert "Adamic–Adar 0.91" in said and "Adamic–Adar 1.44" in said
    assert "/network?group=g1" in links(intros)


def test_movements_and_window_filter_and_go_in_the_url(app):
    with app.server.test_request_context():
        status, headline, fragile, apart, intros, _o, search = render(["labour"], None, None)
        assert search == "?movements=labour"
        assert "Black Lives Matter and Queer" not in words(fragile)
        assert words(headline).startswith("2 pairs of movements")
        assert "Northside Defenders" not in words(intros)
        # in 2021: g1-g2 (m0-m5, a2), g2-g3 (m10, no dates), g4-g5 (r1, no dates); a1 (2019)
        # and m11 (2020) are out, so g3-g4 and g1-g3 are gone
        _s, _h, fragile, apart, intros, _o, search = render(None, "2021-01-01", "2021-12-31")
        assert search == "?since=2021-01-01&until=2021-12-31"
        said = words(fragile)
        assert (
            "Black Lives Matter and Queer Liberation are linked only through the tie between  "
            "Justice Kitchen" in said
        )
        assert "/network?group=g2&since=2021-01-01&until=2021-12-31" in links(fragile)
        assert texts(apart)[-1] == "cannot reach each other"
        assert "Northside Defenders  and  Rainbow Bridge : both work with Justice Kitchen" in (
            words(intros)
        )
        assert "Trans Care Network" not in words(intros)


def test_the_overview_downloads_the_brief_of_its_window(app):
    with app.server.test_request_context():
        sent = module("overview").download_brief(1, None, "2030-12-31")
    assert sent["filename"] == "coalition-brief-until-2030-12-31.html"
    assert sent["type"] == "text/html" and not sent["base64"]
    text = sent["content"]
    assert text.startswith("<!DOCTYPE html>")
    # the same sentences as the bridges page: g3 holds blm-queer alone, g4-g5 is one tie
    assert (
        "Black Lives Matter and Queer Liberation are linked only through Rainbow Bridge (2 ties)."
        in text
    )
    escaped = EVIL.replace("<", "&lt;").replace(">", "&gt;")
    assert f"only by the tie between Trans Care Network and {escaped}." in text
    assert EVIL not in text
