"""The second process of ``ordbruk.text.tables.tokens_build`` for large corpora.

It starts by decoding simplemma's Swedish dictionary (several seconds), tokenises the
last documents it is sent, then lemmatises every distinct form: its own and those the
first process streams to it while tokenising the rest. It answers once, after its input
ends, so the parent can write without ever reading and the pipes cannot deadlock.
Messages both ways are pickles: ("texts", list[str]) first, then ("forms", list[str]).

A plain subprocess rather than multiprocessing, so the caller's ``__main__`` (a script,
a notebook kernel) is never re-imported. If the worker cannot start or fails, the parent
does its share itself: the result is the same.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from collections import defaultdict

from ordbruk.text import tokenize as tok


def texts_split(texts: list[str], share: float) -> int:
    """Return the index of the first text that starts in the last ``share`` of the characters."""
    total = sum(map(len, texts))
    seen = 0
    for i, text in enumerate(texts):
        if seen >= total * (1 - share):
            return i
        seen += len(text)
    return len(texts)


def worker_main() -> None:
    """Run in the child: read messages from stdin, answer on stdout at the end."""
    messages: list = []

    def drain() -> None:
        # Read everything at once, so the parent never waits on a full pipe.
        while True:
            try:
                messages.append(pickle.load(sys.stdin.buffer))
            except EOFError:
                break

    reader = threading.Thread(target=drain)
    reader.start()
    # Receive the texts before anything else: a busy main thread would starve the reader
    # of the GIL and keep the parent waiting on the pipe.
    while not messages:
        reader.join(0.01)
        if not reader.is_alive() and not messages:
            return
    kind, texts = messages[0]
    tok.form_lemmatize("samverkan")  # decode simplemma's Swedish dictionary now
    ids_of: defaultdict[str, int] = defaultdict()
    ids_of.default_factory = ids_of.__len__
    raw, starts, gaps = tok.texts_tokenize(texts, ids_of)
    vocab = list(ids_of)
    lemmas: dict[str, str] = {}

    def lemmatise(surfaces: list[str]) -> None:
        for surface in surfaces:
            form = surface.lower()
            if form not in lemmas and tok.marker_kind(surface) == 0:
                lemmas[form] = tok.form_lemmatize(form)

    lemmatise(vocab)
    i = 1
    while reader.is_alive() or i < len(messages):
        if i == len(messages):
            reader.join(0.01)
            continue
        lemmatise(messages[i][1])
        i += 1
    answer = (vocab, raw.tobytes(), starts.tobytes(), gaps.tobytes(), lemmas)
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


class Worker:
    """The parent's handle on the worker process."""

    def __init__(self, texts: list[str]):
        code = "from ordbruk.text.worker import worker_main; worker_main()"
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self.proc = None
            return
        self._send(("texts", texts))

    def _send(self, message) -> None:
        if self.proc is None:
            return
        try:
            pickle.dump(message, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:
            self.proc = None

    def feed(self, surfaces: list[str]) -> None:
        """Send strings seen for the first time in the parent's share, to lemmatise."""
        self._send(("forms", surfaces))

    def finish(self):
        """Return (vocab, raw ids, starts, gaps (bytes each), lemma of each form) or None."""
        if self.proc is None:
            return None
        try:
            out, _ = self.proc.communicate(timeout=900)
            if self.proc.returncode != 0:
                return None
            return pickle.loads(out)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, subprocess.TimeoutExpired):
            self.proc.kill()
            return None
