"""For ``pytest --doctest-modules dashboard``: an app exists before the pages are imported.

Each page module calls ``dash.register_page`` when imported (as Dash's
multi-page apps do), and Dash allows that only once an app with
``use_pages=True`` exists. Building one here (it reads nothing: the store is
first touched when a page asks for data) lets the doctest collector import
the page modules as any other. Not used when the app runs.
"""

from __future__ import annotations

from dashboard.app import create_app

create_app()
