"""The whole suite over a coalition: one path for the CLI, the dashboard and notebooks."""

from __future__ import annotations

import pytest

from graph import metrics
from graph.projection import coalition_graph, coalition_graph_with_arrays, parse_weights
from graph.report import REPORT_SUMMARY_KEYS, compute_report

pytestmark = pytest.mark.store


def same(a, b) -> None:
    assert a.groups == b.groups
    assert a.matrix == b.matrix
    assert a.members == b.members
    assert a.summary == b.summary


def test_report_is_the_same_with_or_without_prebuilt_graph_and_arrays(tiny):
    built = compute_report(tiny, exact_max=100)
    same(built, compute_report(tiny, graph=coalition_graph(tiny), exact_max=100))
    G, arrays = coalition_graph_with_arrays(tiny)
    same(built, compute_report(tiny, graph=G, arrays=arrays, exact_max=100))


@pytest.mark.parametrize(
    ("weights", "movements"),
    [("members=2,actions=0,resources=1", None), (None, ["blm"]), ("actions=3", ["blm", "queer"])],
)
def test_weights_and_movements_build_the_graph_the_cli_used_to_build(tiny, weights, movements):
    """`coalition metrics --weights --movement` passes them on; nothing builds the graph twice."""
    w = parse_weights(weights)
    passed = compute_report(tiny, weights=w, movements=movements)
    built = compute_report(tiny, graph=coalition_graph(tiny, weights=w, movements=movements))
    same(passed, built)


def test_the_summary_holds_the_network_figures_and_how_betweenness_was_computed(tiny):
    summary = compute_report(tiny).summary
    assert list(summary)[: len(REPORT_SUMMARY_KEYS)] == list(REPORT_SUMMARY_KEYS)
    assert summary["betweenness_mode"] == "exact" and summary["betweenness_samples"] is None
    sampled = compute_report(tiny, exact_max=2, samples=3).summary
    assert (sampled["betweenness_mode"], sampled["betweenness_samples"]) == ("sampled", 3)


def test_the_library_defaults_are_the_metrics_constants():
    import inspect

    defaults = inspect.signature(compute_report).parameters
    assert defaults["exact_max"].default == metrics.EXACT_MAX
    assert defaults["samples"].default == metrics.DEFAULT_SAMPLES
    assert defaults["seed"].default == metrics.DEFAULT_SEED


def test_names_that_moved_are_still_importable_from_where_notebooks_found_them():
    from graph.coalition import coalition_graph as old_graph
    from graph.coalition import read_coalition as old_read
    from graph.output import write_report
    from graph.read import read_coalition
    from graph.report import write_report as old_write

    assert (old_graph, old_read, old_write) == (coalition_graph, read_coalition, write_report)
    with pytest.raises(ImportError):
        from graph.coalition import no_such_name  # noqa: F401
