"""The command line's shape (cli.main, cli.options, cli.defaults): help, examples, defaults.

These run the real commands in-process with click's runner; none needs the store.
"""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner

from cli import defaults
from cli.main import main
from cli.options import LibraryDefault


def _commands(group: click.Group = main, prefix: tuple[str, ...] = ()):
    yield prefix, group
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


COMMANDS = dict(_commands())


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "coalition")
def test_every_command_and_option_has_help(path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    assert command.help, path
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, (path, param.name)


@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "coalition")
def test_every_help_ends_with_an_example_to_paste(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    example = result.output.split("Example:")[-1].split("Options:")[0].strip()
    assert "Example:" in result.output and example.startswith("coalition"), result.output
    assert "\n" not in example


def test_every_default_is_the_librarys() -> None:
    from dashboard.app import run
    from dashboard.data import SUPPRESS_BELOW
    from graph.metrics.bridges import DEFAULT_TOP as BRIDGES_TOP
    from graph.metrics.trends import trends
    from graph.output import FORMATS, write_report, write_trends
    from graph.paths import connecting_paths
    from graph.report import compute_report
    from loaders.generate import generate
    from loaders.load import DEFAULT_BATCH_SIZE

    def default(function, name):
        return inspect.signature(function).parameters[name].default

    expected = {
        ("load", "batch_size"): DEFAULT_BATCH_SIZE,
        ("generate", "groups"): default(generate, "groups"),
        ("generate", "members"): default(generate, "members"),
        ("generate", "seed"): default(generate, "seed"),
        ("metrics", "fmt"): default(write_report, "fmt"),
        ("metrics", "seed"): default(compute_report, "seed"),
        ("export-graph", "seed"): default(compute_report, "seed"),
        ("paths", "limit"): default(connecting_paths, "limit"),
        ("dashboard", "host"): default(run, "host"),
        ("dashboard", "port"): default(run, "port"),
        ("dashboard", "suppress_below"): SUPPRESS_BELOW,
        ("demo", "port"): default(run, "port"),
        ("trends", "fmt"): default(write_trends, "fmt"),
        ("trends", "seed"): default(trends, "seed"),
        ("bridges", "top"): BRIDGES_TOP,
        ("bridges", "fmt"): default(write_report, "fmt"),
    }
    found = {
        (path[-1], param.name): param.get_default(click.Context(command))
        for path, command in COMMANDS.items()
        for param in command.params
        if isinstance(param, LibraryDefault)
    }
    assert found == expected
    assert COMMANDS["metrics",].params[1].type.choices == FORMATS
    assert defaults.report_formats() == FORMATS


def test_defaults_are_shown_in_the_help() -> None:
    result = CliRunner().invoke(main, ["load", "--help"])
    assert "[default: 5000; x>=1]" in result.output
    result = CliRunner().invoke(main, ["metrics", "--help"])
    assert "--format [csv|json|parquet]" in result.output and "[default: csv]" in result.output


def test_shared_options_read_the_same_everywhere() -> None:
    """--since/--until/--movement/--weights and --json are one decorator, not copies."""

    def options(path: str) -> dict[str, tuple]:
        return {
            p.name: (tuple(p.opts), p.help)
            for p in COMMANDS[path,].params
            if isinstance(p, click.Option)
        }

    shared = ("since", "until", "movements", "weights")
    metrics, paths, whatif = options("metrics"), options("paths"), options("whatif")
    assert {k: metrics[k] for k in shared} == {k: paths[k] for k in shared}
    assert {k: paths[k] for k in shared} == {k: whatif[k] for k in shared}
    assert paths["as_json"] == whatif["as_json"]
    assert options("dashboard")["port"][0] == options("demo")["port"][0] == ("--port",)


def test_a_bad_option_value_is_one_clear_message() -> None:
    result = CliRunner().invoke(main, ["metrics", "--out", "/tmp/never", "--format", "xml"])
    assert result.exit_code == 2
    assert "'xml' is not one of 'csv', 'json', 'parquet'" in result.output


def test_generate_writes_a_dataset(tmp_path) -> None:
    result = CliRunner().invoke(
        main, ["generate", "--out", str(tmp_path), "--groups", "8", "--members", "5"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "datapackage.json").exists()
    assert len((tmp_path / "groups.csv").read_text().splitlines()) == 9


def test_generate_impossible_sizes_are_one_clear_message(tmp_path) -> None:
    result = CliRunner().invoke(main, ["generate", "--out", str(tmp_path), "--groups", "7"])
    assert result.exit_code == 1
    assert "groups must be at least 8" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_dry_run_needs_no_store() -> None:
    result = CliRunner().invoke(main, ["load", "--dry-run", "tests/fixtures/tiny"])
    assert result.exit_code == 0, result.output
    assert "dry run, nothing" in result.output
    assert "│ MEMBER_OF    │    9 │" in result.output
