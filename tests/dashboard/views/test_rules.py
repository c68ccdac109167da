"""The two rules of every view: members only as counts, data as text never HTML."""

from __future__ import annotations

from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[3] / "dashboard"


def test_no_raw_html_anywhere_in_the_dashboard():
    source = "\n".join(p.read_text() for p in DASHBOARD.rglob("*.py"))
    assert "dangerously_allow_html" not in source
    assert "Markdown(" not in source
