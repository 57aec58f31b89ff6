"""Progress bars of long library loops (corpus preparation, topic model fits, bootstraps).

``steps`` wraps a loop in a tqdm bar on stderr only when stderr is a terminal: in a
notebook kernel (stderr is no terminal there), in the tests, in a log file or a pipe it
returns the loop unchanged, so a bar never reaches a report's HTML or stdout. Set
``ORDBRUK_PROGRESS=0`` to switch the bars off on a terminal too. tqdm comes with
papermill; without it there are no bars.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


def shown(stream=None) -> bool:
    """True when progress bars are drawn: ``stream`` (default stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    if os.environ.get("ORDBRUK_PROGRESS", "") == "0":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def hidden(on: bool = True) -> Iterator[None]:
    """Draw no bars meanwhile (when ``on``).

    For a worker process's loops, whose bars would cross the caller's on one terminal.
    """
    if not on:
        yield
        return
    saved = os.environ.get("ORDBRUK_PROGRESS")
    os.environ["ORDBRUK_PROGRESS"] = "0"
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("ORDBRUK_PROGRESS", None)
        else:
            os.environ["ORDBRUK_PROGRESS"] = saved


def steps(iterable: Iterable, total: int | None = None, desc: str = "", unit: str = "it"):
    """Return ``iterable``, wrapped in a tqdm bar on stderr when it is a terminal.

    Args:
        iterable: the loop.
        total: its length, when ``len`` cannot tell.
        desc: what the loop does ("clean", "fit k = 10").
        unit: what one step is ("doc", "fit", "replicate"); the bar shows steps per second.

    Returns:
        The bar (cleared when the loop ends), or ``iterable`` itself.
    """
    if not shown():
        return iterable
    try:
        from tqdm import tqdm  # imported here: only on a terminal
    except ImportError:
        return iterable
    return tqdm(
        iterable, total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
        dynamic_ncols=True, mininterval=0.5,
    )  # fmt: skip
