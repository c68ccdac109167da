"""Every default the command line shows, read from where the library defines it.

Each is a function that imports the library only when called (for ``--help``,
or when the option is left unset), so ``coalition`` starts fast and never
types a library value again. :class:`cli.options.LibraryDefault` calls them.

>>> batch_size() > 0
True
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any


def _parameter(function: Callable, name: str) -> Any:
    """The default of a library function's keyword parameter."""
    return inspect.signature(function).parameters[name].default


def batch_size() -> int:
    from loaders.load import DEFAULT_BATCH_SIZE

    return DEFAULT_BATCH_SIZE


def generate_groups() -> int:
    from loaders.generate import DEFAULT_GROUPS

    return DEFAULT_GROUPS


def generate_members() -> int:
    from loaders.generate import DEFAULT_MEMBERS

    return DEFAULT_MEMBERS


def generate_seed() -> int:
    from loaders.generate import DEFAULT_SEED

    return DEFAULT_SEED


def report_formats() -> tuple[str, ...]:
    from graph.output import FORMATS

    return FORMATS


def report_format() -> str:
    from graph.output import write_report

    return _parameter(write_report, "fmt")


def report_seed() -> int:
    from graph.report import compute_report

    return _parameter(compute_report, "seed")


def path_limit() -> int:
    from graph.paths import connecting_paths

    return _parameter(connecting_paths, "limit")


def dashboard_host() -> str:
    from dashboard.app import run

    return _parameter(run, "host")


def dashboard_port() -> int:
    from dashboard.app import run

    return _parameter(run, "port")


def suppress_below() -> int:
    from graph.privacy import SUPPRESS_BELOW

    return SUPPRESS_BELOW


def trend_periods() -> tuple[str, ...]:
    from graph.coalition import PERIODS

    return PERIODS


def trends_seed() -> int:
    from graph.metrics.trends import trends

    return _parameter(trends, "seed")


def bridges_top() -> int:
    from graph.metrics.bridges import DEFAULT_TOP

    return DEFAULT_TOP
