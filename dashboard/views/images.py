"""Pictures out of the dashboard: file names that say what and when, and how to ask for them.

The network drawing (dash-cytoscape) saves as PNG or SVG through its
``generateImage`` property (SVG through the cytoscape-svg extension, which
:func:`dashboard.app.create_app` loads with the extra bundle); Plotly charts
save as PNG from their mode bar, named by ``toImageButtonOptions``. Nothing
here reads the request or the clock: the date window in a name is the page's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["IMAGE_TYPES", "image_name", "cytoscape_image", "chart_config"]

#: What the network drawing can be saved as.
IMAGE_TYPES: tuple[str, ...] = ("png", "svg")
#: Pixels per drawing unit of a saved picture (sharp enough to print).
SCALE = 2
_UNSAFE = re.compile(r"[^a-z0-9-]+")


def image_name(what: str, since: str | None = None, until: str | None = None) -> str:
    """A file name (without extension) saying which view and which date window.

    >>> image_name("network")
    'coalition-network-all-dates'
    >>> image_name("movement matrix", "2021-01-01", "2021-12-31")
    'coalition-movement-matrix-2021-01-01-to-2021-12-31'
    >>> image_name("network", since="2021-01-01"), image_name("network", until="2020-06-30")
    ('coalition-network-since-2021-01-01', 'coalition-network-until-2020-06-30')
    """
    if since and until:
        when = f"{since}-to-{until}"
    elif since:
        when = f"since-{since}"
    elif until:
        when = f"until-{until}"
    else:
        when = "all-dates"
    slug = _UNSAFE.sub("-", what.casefold()).strip("-")
    return f"coalition-{slug}-{when}"


def cytoscape_image(
    kind: str, what: str, since: str | None = None, until: str | None = None
) -> dict[str, Any]:
    """The ``generateImage`` value that downloads the whole drawing as ``kind`` (png or svg).

    >>> cytoscape_image("svg", "network")["filename"], cytoscape_image("png", "network")["type"]
    ('coalition-network-all-dates', 'png')
    """
    if kind not in IMAGE_TYPES:
        raise ValueError(f"unknown image type {kind!r}")
    return {
        "type": kind,
        "action": "download",
        "filename": image_name(what, since, until),
        "options": {"full": True, "scale": SCALE, "bg": "#ffffff"},
    }


def chart_config(
    base: Mapping[str, Any], what: str, since: str | None = None, until: str | None = None
) -> dict[str, Any]:
    """A Plotly chart's ``config`` whose camera button saves a PNG named by :func:`image_name`.

    >>> chart_config({"displaylogo": False}, "points")["toImageButtonOptions"]["filename"]
    'coalition-points-all-dates'
    """
    return {
        **base,
        "toImageButtonOptions": {
            "format": "png",
            "filename": image_name(what, since, until),
            "scale": SCALE,
        },
    }
