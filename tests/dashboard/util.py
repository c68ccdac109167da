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


def callback_body(dependencies: list[dict], output: str, values: list) -> dict:
    """The JSON body the browser would post to ``/_dash-update-component``.

    ``output`` is the start of a callback's output key without dots (say
    ``"network-graph.elements"``); ``values`` are its inputs' values, in order.
    """
    dep = next(d for d in dependencies if d["output"].strip(".").startswith(output))
    keys = dep["output"].strip(".").split("...")
    outputs = [{"id": k.split(".")[0], "property": k.split(".")[1]} for k in keys]
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": [
            {"id": i["id"], "property": i["property"], "value": v}
            for i, v in zip(dep["inputs"], values, strict=True)
        ],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }
