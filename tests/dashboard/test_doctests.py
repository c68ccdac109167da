"""Every example in the dashboard's docstrings runs, as ``pytest --doctest-modules dashboard`` does.

The page modules call ``dash.register_page`` when imported, which needs an
app built with ``use_pages=True`` first; ``dashboard/conftest.py`` builds one
for ``--doctest-modules``, and :func:`make_app` here.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import dashboard

from .test_app import make_app

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(dashboard.__path__, "dashboard.")
    if info.name != "dashboard.conftest"
)


def examples(name: str) -> doctest.TestResults:
    if name.startswith("dashboard.pages."):
        make_app()  # imports the pages (and attaches their callbacks to this app)
    module = importlib.import_module(name)
    return doctest.testmod(module, optionflags=doctest.ELLIPSIS)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    assert examples(name).failed == 0


def test_every_package_has_examples():
    # dashboard.model's small-count examples moved with the rule to graph.privacy
    for package, least in (("dashboard.views", 5), ("dashboard.model", 3), ("dashboard.params", 5)):
        attempted = sum(examples(n).attempted for n in MODULES if n.startswith(package))
        assert attempted >= least, package
    # The examples of the former dashboard/views.py, now in views/, model/, params.py and
    # graph/privacy.py.
    import graph.privacy

    former = ("dashboard.views", "dashboard.model", "dashboard.params")
    attempted = sum(examples(n).attempted for n in MODULES if n.startswith(former))
    assert attempted + doctest.testmod(graph.privacy).attempted >= 10
