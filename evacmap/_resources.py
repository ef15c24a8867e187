"""Where evacmap's bundled geographic data live, in a wheel and in a source checkout.

The wheel carries the repository's ``data/geo`` as ``evacmap/_data/geo`` (hatchling
``force-include``), read with :mod:`importlib.resources`. A source checkout has no
``evacmap/_data``; there the files are read from ``<repo>/data/geo``. This module is
the only place that knows both layouts.

Examples
--------
>>> data_path("basemap", "countries.geojson").name
'countries.geojson'
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = ["data_path", "example_path"]

_PACKAGE = "evacmap"
_PACKAGED = ("_data", "geo")  # inside the installed package
_CHECKOUT = ("data", "geo")  # at the root of a source checkout


def _checkout_dir() -> Path | None:
    """``<repo>/data/geo`` when this module sits in a source checkout."""
    root = Path(__file__).resolve().parent.parent
    folder = root.joinpath(*_CHECKOUT)
    if (root / "pyproject.toml").is_file() and folder.is_dir():
        return folder
    return None


def data_path(*parts: str) -> Traversable | Path:
    """A bundled data file or folder below ``data/geo``, e.g. ``data_path("places.csv")``.

    Parameters
    ----------
    *parts
        Path components below the geo data folder (``data/geo/`` in the repository,
        ``evacmap/_data/geo/`` in the wheel).

    Returns
    -------
    importlib.resources.abc.Traversable or pathlib.Path
        Something with ``read_text``, ``read_bytes``, ``open`` and ``name``. Use
        :func:`importlib.resources.as_file` where a real file path is needed.

    Raises
    ------
    FileNotFoundError
        When neither the installed package nor the checkout has the file.

    Examples
    --------
    >>> data_path("no-such-file.csv")
    Traceback (most recent call last):
    ...
    FileNotFoundError: bundled data file 'no-such-file.csv' is missing ...
    """
    if not parts or any(not p or "/" in p or "\\" in p or p in (".", "..") for p in parts):
        raise ValueError(f"`parts` must be plain path components, got {parts!r}")
    packaged: Traversable = resources.files(_PACKAGE)
    for part in (*_PACKAGED, *parts):
        packaged = packaged / part  # one step at a time: namespace packages need it
    if packaged.is_file() or packaged.is_dir():
        return packaged
    folder = _checkout_dir()
    if folder is not None:
        checkout = folder.joinpath(*parts)
        if checkout.exists():
            return checkout
    relative = "/".join(parts)
    raise FileNotFoundError(
        f"bundled data file {relative!r} is missing from the installed package "
        f"({_PACKAGE}/{'/'.join(_PACKAGED)}/{relative}) and from the source checkout "
        f"({'/'.join(_CHECKOUT)}/{relative}); reinstall evacmap, or in a checkout "
        "restore the file from version control"
    )


def example_path(name: str = "al-waer-2017.csv") -> Path:
    """A bundled example table as a file path, e.g. the al-Waer 2017 evacuation.

    Examples
    --------
    >>> example_path().name
    'al-waer-2017.csv'
    >>> example_path().is_file()
    True
    """
    found = data_path("examples", name)
    return Path(str(found))
