"""Fixtures of the graph tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def tiny(empty_store, dataset):
    """The tiny fixture dataset, loaded into the emptied session store and read back."""
    from graph.read import read_coalition
    from loaders.load import load_dataset

    load_dataset(dataset("tiny"), empty_store)
    return read_coalition(empty_store)
