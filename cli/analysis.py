"""``coalition metrics|paths|whatif|bridges|brief``: measuring the coalition graph."""

from __future__ import annotations

import json
import sys

import click
from rich.table import Table

from cli import defaults
from cli.options import (
    analysis_options,
    format_option,
    friendly,
    json_option,
    library_option,
    open_store,
    out,
    out_dir_option,
    out_file_option,
    window_options,
)

__all__ = ["metrics", "paths", "whatif", "bridges", "brief"]

#: Rows ``whatif`` lists with no ``--remove`` (the library ranks every group).
TOP = 10


def _read(ctx, since, until):
    from graph.read import read_coalition

    with open_store(ctx) as st:
        return read_coalition(st, since=since, until=until)


def _graph(ctx, since, until, weights, movements):
    from graph.projection import coalition_graph, parse_weights

    coalition = _read(ctx, since, until)
    return coalition_graph(coalition, weights=parse_weights(weights), movements=movements or None)


@click.command()
@out_dir_option()
@format_option
@click.option(
    "--write-back",
    is_flag=True,
    help="Also store every group's metrics and solidarity figures on its Group node.",
)
@click.option(
    "--members",
    is_flag=True,
    help="Also write member_metrics, one row per person (opt-in: per-person data).",
)
@library_option(
    "--seed",
    library=defaults.report_seed,
    type=int,
    help="Seed for sampling/Louvain.",
)
@analysis_options
@click.pass_context
@friendly
def metrics(ctx, out_dir, fmt, write_back, members, seed, since, until, movements, weights):
    """Compute every metric and write group, movement, solidarity and summary files.

    Per-person metrics (member_metrics) are written only with --members.

    Example:

    \b
        coalition metrics --out /tmp/coalition-metrics --since 2024-01-01
    """
    from graph.output import write_report
    from graph.projection import parse_weights
    from graph.report import compute_report

    report = compute_report(  # the one path: the dashboard runs the same function
        _read(ctx, since, until),
        weights=parse_weights(weights),
        movements=movements or None,
        seed=seed,
    )
    paths = write_report(report, out_dir, fmt=fmt, members=members)
    if write_back:
        from graph.store.writeback import write_back_metrics

        with open_store(ctx) as st:
            n = write_back_metrics(st, report.group_table())
        out.print(f"stored metrics on {n:,} Group nodes")
    s = report.summary
    out.print(
        f"{s['groups']:,} groups, {s['ties']:,} ties, {s['components']} components; "
        f"betweenness {s['betweenness_mode']}"
    )
    for p in paths:
        out.print(f"wrote {p}")


@click.command()
@click.argument("group_a")
@click.argument("group_b")
@library_option(
    "--limit",
    library=defaults.path_limit,
    type=click.IntRange(min=1),
    help="Show at most this many of the shortest paths.",
)
@json_option
@analysis_options
@click.pass_context
@friendly
def paths(ctx, group_a, group_b, limit, as_json, since, until, movements, weights):
    """Show how GROUP_A and GROUP_B are connected, hop by hop.

    Exit status 4 when they are not connected.

    Example:

    \b
        coalition paths G0001 G0042 --limit 3
    """
    from graph.paths import connecting_paths

    G = _graph(ctx, since, until, weights, movements)
    found = connecting_paths(G, group_a, group_b, limit=limit)
    if as_json:
        out.print_json(json.dumps(found))
        return
    if not found:
        out.print(f"{group_a} and {group_b} are not connected")
        sys.exit(4)
    for i, path in enumerate(found, 1):
        table = Table(title=f"path {i}: {len(path)} hop(s)")
        for col in ("from", "to", "tie types", "members", "actions", "resources"):
            table.add_column(col)
        for hop in path:
            table.add_row(
                f"{hop['from']} ({G.nodes[hop['from']]['name']})",
                f"{hop['to']} ({G.nodes[hop['to']]['name']})",
                ", ".join(t.replace("_", " ") for t in hop["tie_types"]),
                str(hop["shared_members"]),
                str(hop["joint_actions"]),
                str(hop["shared_resources"]),
            )
        out.print(table)


@click.command()
@click.option("--remove", help="Comma-separated group ids to remove.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=TOP,
    show_default=True,
    help="With no --remove: how many of the groups that matter most to list.",
)
@json_option
@analysis_options
@click.pass_context
@friendly
def whatif(ctx, remove, top, as_json, since, until, movements, weights):
    """What breaks if these groups leave; with no --remove, who matters most.

    Example:

    \b
        coalition whatif --remove G0001,G0002
    """
    from graph import metrics as m

    G = _graph(ctx, since, until, weights, movements)
    if remove:
        ids = [g.strip() for g in remove.split(",") if g.strip()]
        result = m.whatif(G, ids)
        if as_json:
            out.print_json(json.dumps(result))
            return
        out.print(f"removed: {', '.join(result['removed'])}")
        out.print(
            f"components: {result['components_before']} -> {result['components_after']}; "
            f"fragmentation: {_share(result['fragmentation_before'])} -> "
            f"{_share(result['fragmentation_after'])}"
        )
        lost = result["lost_movement_pairs"]
        out.print(
            "movement pairs that lose every tie: "
            + (", ".join(f"{a}–{b}" for a, b in lost) if lost else "none")
        )
        return
    ranking = m.fragmentation_ranking(G, top=top)
    if as_json:
        out.print_json(json.dumps(ranking))
        return
    table = Table(title="groups whose departure fragments the coalition most")
    for col in ("group", "name", "fragmentation after", "components after"):
        table.add_column(col)
    for row in ranking:
        table.add_row(
            row["group_id"], row["name"], _share(row["fragmentation"]), str(row["components"])
        )
    out.print(table)


def _share(value: float | None) -> str:
    """A share to four places; an undefined one (fewer than two groups) as "undefined"."""
    return "undefined" if value is None else f"{value:.4f}"


@click.command()
@out_dir_option()
@library_option(
    "--top",
    library=defaults.bridges_top,
    type=click.IntRange(min=1),
    help="Suggested introductions per pair of movements, at most.",
)
@format_option
@window_options
@click.pass_context
@friendly
def bridges(ctx, out_dir, top, fmt, since, until):
    """Write how fragile each movement link is, and who could be introduced to whom.

    movement_links: per pair of movements, the direct ties, the groups that
    carry them, the fewest groups whose departure cuts the link, the groups
    every tie touches, and how many hops apart the movements are.

    introductions: per pair of movements, untied groups that share partners,
    ranked by the Adamic-Adar index.

    Example:

    \b
        coalition bridges --out /tmp/coalition-bridges --top 3 --since 2024-01-01
    """
    from graph.bridges import compute_bridges, write_bridges

    found = compute_bridges(_read(ctx, since, until), top=top)
    paths = write_bridges(found, out_dir, fmt=fmt)
    fragile = sum(1 for row in found.links if row["ties"] and row["cut_size"] == 1)
    apart = sum(1 for row in found.links if not row["ties"])
    out.print(
        f"{len(found.links)} movement pairs: {fragile} held by one group, "
        f"{apart} with no direct tie; {len(found.introductions)} suggested introductions"
    )
    for p in paths:
        out.print(f"wrote {p}")


@click.command()
@out_file_option("HTML file to write (one self-contained page).")
@window_options
@click.pass_context
@friendly
def brief(ctx, out_file, since, until):
    """Write a one-page brief of the coalition for a meeting, as one HTML file.

    The key counts, a picture of the movements and their links, and plain
    sentences from the numbers: the strongest and weakest links, links one
    group holds alone, the groups whose departure would fragment the coalition
    most, where support runs one way, suggested introductions. Members appear
    only as counts. The file needs nothing else (no network) and prints on A4
    and Letter.

    Example:

    \b
        coalition brief --out brief.html --since 2024-01-01
    """
    from graph.brief import brief_for, write_brief

    path = write_brief(brief_for(_read(ctx, since, until)), out_file)
    out.print(f"wrote {path}")
