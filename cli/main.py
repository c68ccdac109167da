"""``coalition``: the command line, a thin layer over graph, loaders and dashboard.

Every command parses its options, calls a library function, and turns our own
exceptions (:class:`graph.errors.CoalitionError`) into one clear message and a
non-zero exit status at this one edge.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from graph.errors import CoalitionError, UsageError

log = logging.getLogger("coalition")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)

SAMPLE_DATA = Path(__file__).resolve().parent.parent / "sample_data"


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True, emoji=False)
    sys.exit(code)


def friendly(func):
    """Turn our exceptions into one message and exit status 1 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except CoalitionError as exc:
            from rich.markup import escape

            _fail(escape(str(exc)))
        except KeyboardInterrupt:
            _fail("interrupted", 130)

    return wrapper


def _config(ctx: click.Context):
    from graph.store import StoreConfig

    o = ctx.find_root().obj or {}
    return StoreConfig.from_env(
        uri=o.get("uri"),
        username=o.get("username"),
        password=o.get("password"),
        database=o.get("database"),
    )


def _open(ctx: click.Context):
    from graph.store import open_store

    return open_store(_config(ctx))


def _date(_ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None
    if len(value) != 10:
        raise click.BadParameter(f"{value!r} is not an ISO date (YYYY-MM-DD)")
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--uri", help="Bolt URI of a Neo4j server (default: $NEO4J_URI; unset = embedded).")
@click.option("--username", help="Store user name (default: $NEO4J_USERNAME).")
@click.option(
    "--password",
    help="Store password (default: $NEO4J_PASSWORD; prefer the variable, it stays out of ps).",
)
@click.option("--database", help="Database name (default: $NEO4J_DATABASE or the server's).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
@click.pass_context
def main(ctx, uri, username, password, database, verbose):
    """Coalition Graph Explorer: map and measure solidarity across movements.

    With no NEO4J_URI the embedded store in $COALITION_HOME (default
    ./.coalition) is used, started on demand.
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = {"uri": uri, "username": username, "password": password, "database": database}


# -- store -------------------------------------------------------------------
@main.group()
def store():
    """Start, stop or inspect the embedded store."""


@store.command("start")
@friendly
def store_start():
    """Start the embedded store (no-op if it is running)."""
    from graph.store.embedded import EmbeddedStore

    status = EmbeddedStore().ensure_running()
    out.print(f"embedded store running: pid {status.pid}, {status.uri}, home {status.home}")


@store.command("stop")
@friendly
def store_stop():
    """Stop the embedded store."""
    from graph.store.embedded import EmbeddedStore

    stopped = EmbeddedStore().stop()
    out.print("embedded store stopped" if stopped else "embedded store was not running")


@store.command("status")
@friendly
def store_status():
    """Say whether the embedded store is running (exit 0) or not (exit 3)."""
    from graph.store.embedded import EmbeddedStore

    status = EmbeddedStore().status()
    if status.running:
        out.print(f"running: pid {status.pid}, {status.uri}, home {status.home}")
    else:
        out.print(f"not running (home {status.home})")
        sys.exit(3)


# -- data ----------------------------------------------------------------------
@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@friendly
def validate(directory: Path):
    """Check the dataset in DIRECTORY; writes nothing."""
    from loaders.dataset import validate_dataset

    report = validate_dataset(directory)
    _rows_table(f"{directory} is valid", report.rows)


def _rows_table(title: str, rows: dict[str, int], created: dict[str, int] | None = None):
    table = Table(title=title)
    table.add_column("part")
    table.add_column("rows", justify="right")
    if created is not None:
        table.add_column("created", justify="right")
        table.add_column("already there", justify="right")
    for name, n in rows.items():
        cells = [name, f"{n:,}"]
        if created is not None:
            c = created.get(name, 0)
            cells += [f"{c:,}", f"{n - c:,}"]
        table.add_row(*cells)
    out.print(table)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Also delete records the store has and the dataset no longer does.",
)
@click.option(
    "--pseudonymize",
    is_flag=True,
    help="Replace member ids by keyed HMAC-SHA256 pseudonyms and drop names before loading.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=5000,
    show_default=True,
    help="Rows per UNWIND batch.",
)
@click.pass_context
@friendly
def load(ctx, directory: Path, dry_run: bool, prune: bool, pseudonymize: bool, batch_size: int):
    """Validate the dataset in DIRECTORY, then load it into the store."""
    from loaders.dataset import validate_dataset
    from loaders.load import load_dataset

    report = validate_dataset(directory)
    if dry_run:
        summary = load_dataset(directory, None, dry_run=True, report=report)
        _rows_table(f"{directory} is valid; dry run, nothing written", summary.rows)
        return
    with _open(ctx) as st:
        total = sum(report.rows.values()) + report.rows.get("groups", 0)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,} rows"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("loading", total=total)
            done: dict[str, int] = {}

            def progress(step: str, rows: int) -> None:
                done[step] = rows
                bar.update(task, completed=sum(done.values()), description=f"loading {step}")

            summary = load_dataset(
                directory,
                st,
                prune=prune,
                pseudonymize_members=pseudonymize,
                batch_size=batch_size,
                progress=progress,
                report=report,
            )
    _rows_table(f"loaded {directory}", summary.rows, summary.created)
    if prune:
        gone = {k: v for k, v in summary.deleted.items() if v}
        out.print(
            "pruned: " + (", ".join(f"{k} {v:,}" for k, v in gone.items()) if gone else "nothing")
        )


@main.command()
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder to write."
)
@click.option("--groups", type=click.IntRange(min=8), default=120, show_default=True)
@click.option("--members", type=click.IntRange(min=1), default=2000, show_default=True)
@click.option(
    "--memberships", type=click.IntRange(min=0), help="Memberships (default ~2.5/member)."
)
@click.option("--actions", type=click.IntRange(min=0), help="Joint actions (default ~2.5/group).")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
@friendly
def generate(out_dir, groups, members, memberships, actions, seed):
    """Write a synthetic coalition dataset of any size to --out."""
    from loaders.generate import generate as gen

    counts = gen(
        out_dir, groups=groups, members=members, seed=seed, memberships=memberships, actions=actions
    )
    _rows_table(f"generated {out_dir}", counts)


# -- metrics -------------------------------------------------------------------
def _analysis_options(func):
    func = click.option(
        "--weights",
        help="Tie weights, e.g. members=1,actions=1,resources=1 (0 drops a tie type).",
    )(func)
    func = click.option(
        "--movement",
        "movements",
        multiple=True,
        help="Keep only groups in this movement (repeatable).",
    )(func)
    func = click.option(
        "--until", callback=_date, help="Keep links that overlap a window ending on this date."
    )(func)
    func = click.option(
        "--since", callback=_date, help="Keep links that overlap a window starting on this date."
    )(func)
    return func


def _graph(ctx, since, until, weights, movements):
    from graph.projection import coalition_graph, parse_weights
    from graph.read import read_coalition

    w = parse_weights(weights)
    with _open(ctx) as st:
        coalition = read_coalition(st, since=since, until=until)
    return coalition, coalition_graph(coalition, weights=w, movements=list(movements) or None), w


@main.command()
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Folder to write."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "parquet"]),
    default="csv",
    show_default=True,
    help="File format of the tables.",
)
@click.option("--write-back", is_flag=True, help="Also store group metrics on the Group nodes.")
@click.option("--seed", type=int, default=42, show_default=True, help="Seed for sampling/Louvain.")
@_analysis_options
@click.pass_context
@friendly
def metrics(ctx, out_dir, fmt, write_back, seed, since, until, movements, weights):
    """Compute every metric and write group, member, movement and summary files."""
    from graph.output import write_report
    from graph.report import compute_report

    coalition, G, w = _graph(ctx, since, until, weights, movements)
    report = compute_report(coalition, graph=G, seed=seed)
    paths = write_report(report, out_dir, fmt=fmt)
    if write_back:
        from graph.store.writeback import write_back_metrics

        with _open(ctx) as st:
            n = write_back_metrics(st, report.groups)
        out.print(f"stored metrics on {n:,} Group nodes")
    s = report.summary
    out.print(
        f"{s['groups']:,} groups, {s['ties']:,} ties, {s['components']} components; "
        f"betweenness {s['betweenness_mode']}"
    )
    for p in paths:
        out.print(f"wrote {p}")


@main.command()
@click.argument("group_a")
@click.argument("group_b")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@_analysis_options
@click.pass_context
@friendly
def paths(ctx, group_a, group_b, limit, as_json, since, until, movements, weights):
    """Show how GROUP_A and GROUP_B are connected, hop by hop."""
    from graph.paths import connecting_paths

    _, G, _ = _graph(ctx, since, until, weights, movements)
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


@main.command()
@click.option("--remove", help="Comma-separated group ids to remove.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_analysis_options
@click.pass_context
@friendly
def whatif(ctx, remove, top, as_json, since, until, movements, weights):
    """What breaks if these groups leave; with no --remove, who matters most."""
    from graph import metrics as m

    _, G, _ = _graph(ctx, since, until, weights, movements)
    if remove:
        ids = [g.strip() for g in remove.split(",") if g.strip()]
        result = m.whatif(G, ids)
        if as_json:
            out.print_json(json.dumps(result))
            return
        out.print(f"removed: {', '.join(result['removed'])}")
        out.print(
            f"components: {result['components_before']} -> {result['components_after']}; "
            f"fragmentation: {result['fragmentation_before']:.4f} -> "
            f"{result['fragmentation_after']:.4f}"
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
            row["group_id"], row["name"], f"{row['fragmentation']:.4f}", str(row["components"])
        )
    out.print(table)


@main.command("erase-member")
@click.argument("member_id")
@click.pass_context
@friendly
def erase_member(ctx, member_id):
    """Remove a person from the store and from every file written under COALITION_HOME."""
    from graph.privacy import erase_member as erase

    with _open(ctx) as st:
        n = erase(st, member_id, home=_config(ctx).home)
    if n == 0:
        raise CoalitionError(f"no member {member_id!r} in the store")
    out.print(f"erased member {member_id!r}")


# -- dashboard -----------------------------------------------------------------
@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Any address but the loopback needs --auth-file.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8050,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--auth-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Users file: one `user:hash` line each, made with `coalition dashboard-passwd USER` "
    "(default: $COALITION_DASHBOARD_AUTH_FILE). With it, every page needs a user.",
)
@click.option(
    "--suppress-below",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Member counts under this are shown as '<N'.",
)
@click.pass_context
@friendly
def dashboard(ctx, host, port, auth_file, suppress_below):
    """Serve the dashboard (http://127.0.0.1:8050 by default)."""
    _serve(ctx, host, port, auth_file=auth_file, suppress_below=suppress_below)


def _serve(
    ctx, host: str, port: int, *, auth_file: Path | None = None, suppress_below: int = 5
) -> None:
    from dashboard.app import create_app, run
    from dashboard.security import auth_file as find_auth_file
    from dashboard.security import check_bind, is_loopback, load_users

    path = find_auth_file(auth_file)
    users = load_users(path) if path else None
    check_bind(host, users)
    app = create_app(_config(ctx), users=users, suppress_below=suppress_below)
    if users:
        out.print(f"sign-in required: {len(users)} user(s) from {path}")
        if not is_loopback(host):
            err.print(
                "warning: over plain HTTP the passwords and the data cross the network "
                "unencrypted; put a reverse proxy with TLS in front, or use an SSH tunnel",
                soft_wrap=True,
            )
    out.print(f"dashboard on http://{host}:{port}/  (Ctrl-C to stop)")
    run(app, host=host, port=port)


@main.command("dashboard-passwd")
@click.argument("user")
@friendly
def dashboard_passwd(user):
    """Print a dashboard users-file line, USER:hash, for --auth-file.

    The password is asked twice without echo on a terminal, or read as one
    line from standard input otherwise. Append the line to the users file:

    \b
        coalition dashboard-passwd alice >> dashboard-users.txt
    """
    from dashboard.security import user_line

    stdin = click.get_text_stream("stdin")
    if stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True)
    else:
        password = stdin.readline().rstrip("\r\n")
        if not password:
            raise UsageError("no password on standard input")
    click.echo(user_line(user, password))


@main.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8050,
    show_default=True,
    help="Port of the dashboard (on 127.0.0.1).",
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=SAMPLE_DATA,
    help="Dataset folder to load (default: the sample data).",
)
@click.option("--no-serve", is_flag=True, help="Set everything up but do not serve.")
@click.pass_context
@friendly
def demo(ctx, port, data, no_serve):
    """Embedded store + sample data + metrics + dashboard, in one go."""
    from graph.output import write_report
    from graph.read import read_coalition
    from graph.report import compute_report
    from graph.store import coalition_home
    from loaders.load import load_dataset

    with _open(ctx) as st:
        out.print(f"store: {st.config.describe()}")
        summary = load_dataset(data, st)
        out.print(f"loaded {data} ({sum(summary.rows.values()):,} rows)")
        coalition = read_coalition(st)
    report = compute_report(coalition)
    target = coalition_home() / "metrics"
    write_report(report, target)
    out.print(f"metrics written to {target}")
    if not no_serve:
        _serve(ctx, "127.0.0.1", port)


if __name__ == "__main__":  # pragma: no cover
    main()
