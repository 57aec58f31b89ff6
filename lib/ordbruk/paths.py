"""Where things are: the repository root, data, notebooks, params, outputs and caches.

Every path the library uses comes from here, so notebooks and the runner agree whatever
their working directory. Relative paths in parameters are resolved against the
repository root (the folder holding ``pyproject.toml``), not the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _root_find() -> Path:
    # The package is installed editable from lib/ordbruk, so the root is two levels up.
    # Fall back to the working directory when installed elsewhere (a wheel).
    candidate = PACKAGE_DIR.parent.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


ROOT = _root_find()
DATA_DIR = ROOT / "data"
SEEDS_DIR = DATA_DIR / "seeds"
NOTEBOOKS_DIR = ROOT / "notebooks"
PARAMS_DIR = ROOT / "params"
OUTPUTS_DIR = ROOT / "outputs"
SHARED_CORPORA_DIR = ROOT.parent / "shared" / "corpora"


def cache_dir_default() -> Path:
    """Return the default cache folder: ``$ORDBRUK_CACHE`` or ``.cache/ordbruk`` in the root."""
    env = os.environ.get("ORDBRUK_CACHE")
    return Path(env).expanduser().resolve() if env else ROOT / ".cache" / "ordbruk"


def path_resolve(path: str | os.PathLike | None, default: Path | None = None) -> Path:
    """Resolve a path from parameters: absolute as given, relative against the repository root.

    Args:
        path: the path as written in a parameter; ``None`` or ``""`` selects ``default``.
        default: what an empty path means.

    Returns:
        An absolute path.
    """
    if path is None or str(path) == "":
        if default is None:
            raise ValueError("no path given and no default")
        return default
    p = Path(path).expanduser()
    return p if p.is_absolute() else (ROOT / p).resolve()


def path_show(path: str | os.PathLike) -> str:
    """Return a path as written into reports and provenance, without the user's home folder.

    A path inside the repository is given relative to its root (what ``path_resolve``
    reads back), one inside the home folder as ``~/...``; any other path as it is.

    Args:
        path: an absolute or relative path.

    Returns:
        The path to show: ``data/seeds``, ``~/corpora/x``, ``/srv/corpora/x``.
    """
    p = Path(path).expanduser()
    if not p.is_absolute():
        return p.as_posix()
    p = Path(os.path.abspath(p))
    for base, shown in ((ROOT, None), (Path.home(), "~")):
        try:
            rel = p.relative_to(base)
        except ValueError:
            continue
        if shown is None:
            return rel.as_posix() or "."
        return f"~/{rel.as_posix()}" if rel.parts else "~"
    return str(p)


def path_report(path: str | os.PathLike) -> str:
    """Return a path as a report shows it: relative to the repository, or by its folder name.

    Reports are sent to co-authors, so they name no folder of the user's machine: a path
    inside the repository is shown relative to its root (``data/seeds``), any other by its
    last part (``policy-sv``).

    Args:
        path: an absolute or relative path (relative: taken from the repository root).
    """
    shown = path_show(path_resolve(path)) if str(path) else ""
    if shown.startswith(("/", "~")) or (len(shown) > 1 and shown[1] == ":"):
        return Path(shown).name or shown
    return shown
