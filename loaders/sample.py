"""The sample dataset that ships with the package (``coalition demo`` loads it).

The files live once, in ``sample_data/`` at the top of a checkout;
``loaders/sample_data`` links there, and the wheel carries them as package
data of :mod:`loaders`. Either way they are found through
:mod:`importlib.resources`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["sample_data"]


def sample_data() -> Path:
    """The folder of the sample dataset, in a checkout or an installed package.

    Returns
    -------
    pathlib.Path
        A dataset folder for :func:`loaders.load.load_dataset` (``groups.csv``,
        ``movements.csv``, ... and ``datapackage.json``).

    Examples
    --------
    >>> (sample_data() / "groups.csv").is_file()
    True
    """
    return Path(str(resources.files("loaders") / "sample_data")).resolve()
