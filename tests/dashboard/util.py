"""Helpers of the dashboard tests."""

from __future__ import annotations

#: A name that would run script if it were ever treated as HTML.
EVIL = "<img src=x onerror=alert(1)>"

NAMES = {"blm": "Black Lives Matter", "queer": "Queer Liberation", "labour": "Labour"}


def texts(component) -> list[str]:
    """Every string child in a Dash component tree."""
    out: list[str] = []

    def visit(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                visit(child)
        elif hasattr(node, "children"):
            visit(node.children)

    visit(component)
    return out


def walk(node):
    """Every component in a Dash component tree."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif children is not None and not isinstance(children, str):
        yield from walk(children)
