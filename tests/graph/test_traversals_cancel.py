"""``graph._fast.traversals.cancel_all``: a process that stops ends its metric workers."""

from __future__ import annotations

import time

import networkx as nx
import pytest

from graph._fast import traversals
from graph._fast.arrays import Arrays

from .test_metrics_backends import worker_graph


def test_cancel_all_ends_every_running_job_and_the_jobs_still_answer():
    G = worker_graph()
    jobs = [traversals.traversals(Arrays(G, None), workers=2) for _ in range(2)]
    processes = [p for job in jobs for p in job._pool._processes.values()]
    assert len(processes) == 4
    assert traversals.cancel_all() == 2
    deadline = time.monotonic() + 10
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.is_alive() for p in processes)
    assert traversals.cancel_all() == 0  # nothing left running
    # A job asked for its answer after all computes it in this process, right.
    nodes = sorted(G)
    expected = nx.betweenness_centrality(G)
    got = dict(zip(nodes, jobs[0].betweenness(), strict=True))
    assert got == pytest.approx(expected, abs=1e-9)


def test_a_finished_job_is_not_running():
    job = traversals.traversals(Arrays(worker_graph(), None), workers=2)
    job.betweenness()
    assert traversals.cancel_all() == 0
