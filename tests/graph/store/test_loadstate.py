"""The load state: one claim at a time, readers refused while a load runs or after it broke."""

from __future__ import annotations

import pytest

from graph.errors import IncompleteLoad, LoadInProgress
from graph.store.loadstate import claim, ensure_readable, read_state

pytestmark = pytest.mark.store


def test_a_store_never_loaded_is_readable(empty_store):
    state = ensure_readable(empty_store)
    assert not state.running and not state.interrupted


def test_a_finished_load_bumps_the_version_and_is_readable(empty_store):
    with claim(empty_store, "first") as c:
        c.finish()
    first = read_state(empty_store).version
    with claim(empty_store, "second") as c:
        c.finish()
    assert read_state(empty_store).version == first + 1
    assert ensure_readable(empty_store).dataset == "second"


def test_a_running_load_refuses_readers_and_a_second_claim(empty_store):
    with claim(empty_store, "running"):
        with pytest.raises(LoadInProgress, match="running"):
            ensure_readable(empty_store)
        with pytest.raises(LoadInProgress):
            claim(empty_store, "other").__enter__()


def test_a_failed_load_leaves_the_store_marked_incomplete_until_rerun(empty_store):
    with pytest.raises(RuntimeError), claim(empty_store, "broken"):
        raise RuntimeError("the load stopped part-way")
    with pytest.raises(IncompleteLoad, match="re-run `coalition load broken`"):
        ensure_readable(empty_store)
    with claim(empty_store, "broken") as c:
        c.finish()
    ensure_readable(empty_store)


@pytest.mark.parametrize("first_ever", [True, False], ids=["first load", "a later load"])
def test_many_claims_at_once_exactly_one_wins_and_the_others_fail_before_writing(
    empty_store, first_ever
):
    import threading

    if not first_ever:
        with claim(empty_store, "before") as c:
            c.finish()
    n = 8
    start = threading.Barrier(n)
    outcomes: list[tuple[str, str | None]] = []

    def attempt(i: int) -> None:
        start.wait()
        try:
            won = claim(empty_store, f"load {i}").__enter__()
            outcomes.append(("won", won.token))
        except LoadInProgress:
            outcomes.append(("lost", None))

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [token for outcome, token in outcomes if outcome == "won"]
    assert len(outcomes) == n and len(winners) == 1
    state = read_state(empty_store)
    assert state.running and state.token == winners[0]
