"""Small counts as shown: ``graph.privacy``."""

from __future__ import annotations

import pytest

from graph.privacy import count_text


@pytest.mark.parametrize(
    ("n", "threshold", "expected"),
    [
        (0, 5, "0"),
        (1, 5, "<5"),
        (4, 5, "<5"),
        (5, 5, "5"),
        (1234, 5, "1,234"),
        (9, 10, "<10"),
        (None, 5, ""),
    ],
)
def test_count_text_suppresses_small_counts(n, threshold, expected):
    assert count_text(n, threshold) == expected
