"""Progress inside a running notebook, on stderr: the section reached, the cell, the seconds.

``ordbruk run`` prints ``[4/4] 04_topic_model ... `` on stdout and ``done in 105.2 s``
when the notebook ends; a notebook can take minutes in between. ``NotebookProgress``
(entered around ``execute.notebook_execute``, which feeds it every cell papermill
starts) shows where the notebook is: the last markdown heading reached, the cell number
as in the failure messages (papermill's injected cell not counted) and the elapsed time.

On a terminal it is one status line, rewritten every second and cleared at the end (the
stdout line then reads as before). Otherwise (a log file, a pipe, the tests) it writes a
plain line when a new section starts and, in a long cell, every ``HEARTBEAT`` seconds;
stdout is never written to, and nothing reaches the notebook or its report.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import time
from typing import TextIO

HEARTBEAT = 30.0  # seconds between plain lines in one long cell
_HIDDEN_TAGS = ("injected-parameters", "papermill-error-cell-tag")
_HEADING_RE = re.compile(r"^#{1,3}\s+(.+?)\s*#*\s*$", re.M)
_MARKUP_RE = re.compile(r"[*_`]")

_current: NotebookProgress | None = None


def current() -> NotebookProgress | None:
    """Return the progress display of the notebook running now (None: none shown)."""
    return _current


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _same_file(a, b) -> bool:
    try:
        sa, sb = os.fstat(a.fileno()), os.fstat(b.fileno())
    except (AttributeError, ValueError, OSError):
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def heading_of(source: str) -> str:
    """Return the first markdown heading (levels 1-3) of a cell's source, plain; "" when none."""
    m = _HEADING_RE.search(source or "")
    return _MARKUP_RE.sub("", m.group(1)).strip() if m else ""


def _hidden(cell) -> bool:
    return any(t in _HIDDEN_TAGS for t in cell.get("metadata", {}).get("tags", []))


class NotebookProgress:
    """Shows one notebook's progress on ``stream`` (default stderr) while it is entered.

    Args:
        name: the notebook (``04_topic_model``).
        prefix: what the runner wrote on stdout before the notebook started; on a
            terminal the status line repeats it, so the screen reads as one line.
        stream: where progress goes (default ``sys.stderr``).
        tty: force terminal (True) or plain (False) output; default: ``stream.isatty()``.
    """

    def __init__(self, name: str, prefix: str = "", stream: TextIO | None = None, tty=None):
        self.name, self.prefix = name, prefix
        self.stream = stream or sys.stderr
        self.tty = _isatty(self.stream) if tty is None else tty
        self.section, self.number, self.total = "", 0, 0
        self.started = self._said = time.perf_counter()
        # Sharing one file with stdout (2>&1), the first plain line starts a line of its own.
        self._newline = not self.tty and _same_file(sys.stdout, self.stream)
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> NotebookProgress:
        global _current
        _current = self
        self.started = self._said = time.perf_counter()
        self._thread = threading.Thread(target=self._tick, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        global _current
        _current = None
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            if self.tty:  # clear the status line; leave stdout's prefix as it was
                back = self.prefix if _isatty(sys.stdout) else ""
                self._write(f"\r{back}\x1b[K")
            elif self._said > self.started and self._newline:
                self._write(self.prefix)  # stdout's "done in" follows on this line

    def status(self) -> str:
        """``cell 13/40, 42 s: Choosing k``: where the notebook is now."""
        seconds = time.perf_counter() - self.started
        cell = f"cell {self.number}/{self.total}, " if self.total else ""
        section = self.section if len(self.section) <= 60 else self.section[:59] + "…"
        return f"{cell}{seconds:.0f} s" + (f": {section}" if section else "")

    def cell_start(self, cell, index: int | None, cells) -> None:
        """Called by the engine as papermill starts a cell (markdown cells included)."""
        if _hidden(cell):
            return
        shown = [c for c in cells if not _hidden(c)]
        with self._lock:
            self.total = len(shown)
            self.number = next((i for i, c in enumerate(shown, 1) if c is cell), self.number + 1)
            heading = (
                heading_of(cell.get("source", "")) if cell.get("cell_type") == "markdown" else ""
            )
            if heading and heading != self.section:
                self.section = heading
                if not self.tty:
                    self._line()
            if self.tty:
                self._render()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                if self.tty:
                    self._render()
                elif time.perf_counter() - self._said >= HEARTBEAT:
                    self._line()

    def _render(self) -> None:
        width = shutil.get_terminal_size((100, 20)).columns - 1
        self._write(f"\r{(self.prefix + self.status())[:width]}\x1b[K")

    def _line(self) -> None:
        lead = "\n" if self._newline and self._said == self.started else ""
        self._said = time.perf_counter()
        self._write(f"{lead}  {self.name}: {self.status()}\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or full stream never stops the run
            pass
