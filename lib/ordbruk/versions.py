"""Installed package versions: the one lookup, for the cache key and for provenance.

The cache key holds the versions of the packages that change what preparation produces
(simplemma, pandas, numpy); provenance records the versions of every key package of a
run. Both ask here, so "not installed" means the same thing in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import metadata


def package_version(name: str) -> str | None:
    """Return the installed version of a distribution.

    Args:
        name: the distribution name as on PyPI (e.g. ``"scikit-learn"``).

    Returns:
        The version string, or None when the package is not installed.
    """
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def packages_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Return the installed version of each package.

    Args:
        names: distribution names as on PyPI.

    Returns:
        ``{name: version or None}`` in the order given.
    """
    return {name: package_version(name) for name in names}
