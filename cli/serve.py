"""``coalition dashboard|dashboard-passwd|demo``: serving the dashboard."""

from __future__ import annotations

from pathlib import Path

import click

from cli import defaults
from cli.options import err, friendly, library_option, open_store, out, port_option, store_config
from graph.errors import UsageError

__all__ = ["dashboard", "dashboard_passwd", "demo"]


def _sample_data() -> Path:
    from loaders.sample import sample_data

    return sample_data()


@click.command()
@library_option(
    "--host",
    library=defaults.dashboard_host,
    help="Address to listen on. Any address but the loopback needs --auth-file.",
)
@port_option()
@click.option(
    "--auth-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Users file: one `user:hash` line each, made with `coalition dashboard-passwd USER` "
    "(default: $COALITION_DASHBOARD_AUTH_FILE). With it, every page needs a user.",
)
@library_option(
    "--suppress-below",
    library=defaults.suppress_below,
    type=click.IntRange(min=2),
    help="Member counts under this are shown as '<N'.",
)
@click.pass_context
@friendly
def dashboard(ctx, host, port, auth_file, suppress_below):
    """Serve the dashboard (http://127.0.0.1:8050 by default) until Ctrl-C or SIGTERM.

    The server is waitress, a production WSGI server (one process, threads).

    Example:

    \b
        coalition dashboard --port 8050
    """
    _serve(ctx, host, port, auth_file=auth_file, suppress_below=suppress_below)


def _serve(
    ctx, host: str, port: int, *, auth_file: Path | None = None, suppress_below: int | None = None
) -> None:
    from dashboard.app import create_app, run
    from dashboard.security import auth_file as find_auth_file
    from dashboard.security import check_bind, is_loopback, load_users

    path = find_auth_file(auth_file)
    users = load_users(path) if path else None
    check_bind(host, users)
    banding = {} if suppress_below is None else {"suppress_below": suppress_below}
    app = create_app(store_config(ctx), users=users, **banding)
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
    out.print("dashboard stopped")


@click.command("dashboard-passwd")
@click.argument("user")
@friendly
def dashboard_passwd(user):
    """Print a dashboard users-file line, USER:hash, for --auth-file.

    The password is asked twice without echo on a terminal, or read as one
    line from standard input otherwise. Append the line to the users file.

    Example:

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


@click.command()
@port_option("Port of the dashboard (on 127.0.0.1).")
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dataset folder to load (default: the sample data that comes with the package).",
)
@click.option("--no-serve", is_flag=True, help="Set everything up but do not serve.")
@click.pass_context
@friendly
def demo(ctx, port, data, no_serve):
    """Embedded store + sample data + metrics + dashboard, in one go.

    Example:

    \b
        coalition demo --port 8050
    """
    from graph.output import write_report
    from graph.read import read_coalition
    from graph.report import compute_report
    from graph.store import coalition_home
    from loaders.load import load_dataset

    data = data or _sample_data()
    with open_store(ctx) as st:
        out.print(f"store: {st.config.describe()}")
        summary = load_dataset(data, st)
        out.print(f"loaded {data} ({sum(summary.rows.values()):,} rows)")
        coalition = read_coalition(st)
    report = compute_report(coalition)
    target = coalition_home() / "metrics"
    write_report(report, target)  # no member_metrics: per-person metrics are opt-in
    out.print(f"metrics written to {target}")
    if not no_serve:
        _serve(ctx, defaults.dashboard_host(), port)
