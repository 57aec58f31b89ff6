"""Where the work of a preparation runs: this machine's cores, or a Dask cluster.

The ``engine`` setting (params ``engine``, ``--engine`` on the command line) is one of

- ``local`` (the default): a pool of worker processes on this machine, one per core
  (``concurrent.futures.ProcessPoolExecutor``, started with ``spawn`` so a notebook
  kernel's ``__main__`` is never forked or re-run); ``local:N`` uses N processes;
- ``serial``: everything in this process (what a one-shard corpus always does);
- the address of a running Dask scheduler (``tcp://host:8786``, or the path of the
  ``scheduler.json`` file a scheduler writes): the tasks go to its workers through
  ``dask.distributed``. The workers need ordbruk installed and must see the cache folder
  at the same path (a shared file system: what a SLURM cluster has).

``Engine.map`` runs one function over a list of tasks and returns the results in the
order of the tasks, whatever the order the workers finish in, so results never depend
on the engine. A task that fails raises its exception here, in the caller, unchanged.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ordbruk.errors import ParameterError

ENGINE_DEFAULT = "local"
LOCAL_MAX = 1024  # local:N above this is a typo, not a machine
_WATCH_SECONDS = 0.5  # how often a pool process checks that the run is still there


def engine_check(setting: str | None, where: str = "engine") -> str:
    """Return the engine setting, checked: ``local``, ``local:N``, ``serial`` or an address.

    Raises:
        ParameterError: a setting that is none of these, naming ``where``.
    """
    value = ENGINE_DEFAULT if setting in (None, "") else setting
    if not isinstance(value, str):
        raise ParameterError(f"{where}: expected a string (local, serial or a scheduler address)")
    if value in ("local", "serial") or value.startswith(("tcp://", "tls://", "inproc://")):
        return value
    if value.startswith("local:"):
        n = value.split(":", 1)[1]
        if n.isascii() and n.isdigit() and 1 <= int(n) <= LOCAL_MAX:
            return value
        raise ParameterError(
            f"{where}: {value!r}: local:N needs a whole number N from 1 to {LOCAL_MAX}"
        )
    if value.endswith(".json"):
        return value
    raise ParameterError(
        f"{where}: {value!r} is not local, local:N, serial, a scheduler address "
        "(tcp://host:port) or a scheduler.json file"
    )


def local_workers(setting: str) -> int:
    """Return how many processes ``local`` or ``local:N`` starts: N, at most every core.

    The tasks are CPU-bound, so a process beyond the cores would only add its start-up
    (each loads the tokeniser and the dictionary); provenance records the number started.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    if setting.startswith("local:"):
        return min(int(setting.split(":", 1)[1]), cores or 1)
    return cores or 1


class Engine:
    """Runs a function over tasks: in this process, in a process pool, or on Dask workers."""

    def __init__(self, setting: str, n_tasks: int, warm: Callable | None = None):
        self.setting = setting
        self._pool = self._client = None
        self._warming: list = []
        try:
            self._open(setting, n_tasks, warm)
        except BaseException:  # a pool or client half opened is closed, not leaked
            self.close()
            raise

    def _open(self, setting: str, n_tasks: int, warm: Callable | None) -> None:
        if n_tasks <= 1 or setting == "serial":
            self.kind, self.workers = "serial", 1
        elif setting.startswith("local"):
            self.kind = "local"
            self.workers = min(local_workers(setting), n_tasks)
            if self.workers > 1:
                context = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    self.workers, mp_context=context,
                    initializer=_worker_init, initargs=(os.getpid(),),
                )  # fmt: skip
                self._warming = _pool_start(self._pool, self.workers, warm)
            else:
                self.kind = "serial"
        else:
            self.kind = "dask"
            self._client = _client_connect(setting)
            names = list(self._client.scheduler_info().get("workers", {}))
            self.workers = max(1, len(names))
            # Each worker loads what the tasks need now, while the caller goes on (futures,
            # not Client.run, which would wait).
            self._warming = [
                self._client.submit(warm, workers=[w], allow_other_workers=False, pure=False)
                for w in names
            ] if warm else []  # fmt: skip

    def warmed(self) -> list:
        """Return what ``warm`` returned on each worker started (waits; serial: [])."""
        if self._client is not None:
            return self._client.gather(self._warming)
        return [f.result() for f in self._warming]

    def map(self, fn: Callable, tasks: Sequence) -> list:
        """Return ``[fn(t) for t in tasks]``, computed where the engine runs tasks."""
        if self.kind == "serial":
            return [fn(t) for t in tasks]
        if self.kind == "local":
            return list(self._pool.map(fn, tasks))
        # Each task and each result goes as one opaque pickle (Dask serialises a list
        # item by item: 7 s for the 250,000 lemmas of the bulk corpus), and the tasks are
        # scattered to the workers, not kept in the graph on the scheduler until they run.
        blobs = [pickle.dumps((fn, t), protocol=pickle.HIGHEST_PROTOCOL) for t in tasks]
        data = self._client.scatter(blobs, hash=False)
        del blobs
        futures = self._client.map(_pickled_run, data, pure=False)
        return [pickle.loads(b) for b in self._client.gather(futures)]

    def close(self) -> None:
        """Stop the pool, waiting for its running tasks; closing twice does nothing.

        A Dask cluster is left running (it is not ours): the client closes, which releases
        the tasks not started; one already running on a worker finishes there.
        """
        pool, client, self._pool, self._client = self._pool, self._client, None, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if client is not None:
            client.close()

    def describe(self) -> dict:
        """Return what the provenance records of the engine."""
        return {"setting": self.setting, "kind": self.kind, "workers": self.workers}


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Hide the caller's ``__main__`` from processes started meanwhile.

    A spawned process re-runs the parent's main script (``python script.py``) unless it is
    guarded by ``if __name__ == "__main__"``; the tasks live in ordbruk's own modules, so
    the workers never need it, and a student's unguarded script must not run twice.
    """
    main = sys.modules.get("__main__")
    saved = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    try:
        main.__dict__.pop("__file__", None)
        main.__spec__ = None
        yield
    finally:
        main.__dict__.pop("__file__", None)
        main.__dict__.update(saved)


def _pool_start(pool: ProcessPoolExecutor, n: int, warm: Callable | None) -> list:
    """Start every process of the pool now (main hidden), each loading what ``warm`` loads.

    The pool starts a process per task submitted while none is idle, up to its size, and
    never another afterwards; so ``n`` submissions at once start them all here, while the
    caller goes on reading the corpus.
    """
    with _main_hidden():
        return [pool.submit(warm or _nothing) for _ in range(n)]


def _worker_init(parent: int) -> None:
    """Set up a pool process: Ctrl-C is the parent's to handle; end when the parent is gone.

    Ctrl-C in a terminal reaches every process of the group: the parent stops the run and
    closes the pool (the running tasks end, the others are cancelled), so a worker ignores
    SIGINT rather than print a traceback of its own. A pool process waits for its next task
    on a pipe that a killed parent never closes for it; without the watch, each ``kill -9``
    of a preparation would leave its workers idle, holding the tokeniser and the
    dictionary in memory.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="ordbruk-parent-watch", daemon=True).start()


def _pickled_run(blob: bytes):
    """Run a task sent by ``Engine.map`` as a pickle of (function, task); pickle the result."""
    fn, task = pickle.loads(blob)
    return pickle.dumps(fn(task), protocol=pickle.HIGHEST_PROTOCOL)


def _nothing() -> None:
    """A task that does nothing (starts a worker)."""


def _client_connect(setting: str):
    try:
        # Imported here: dask.distributed takes a second to import, and only a cluster needs it.
        from distributed import Client
    except ImportError:  # pragma: no cover - a dependency, pinned in the lock file
        raise ParameterError("engine: a Dask scheduler needs the distributed package") from None
    try:
        if setting.endswith(".json"):
            if not Path(setting).is_file():
                raise ParameterError(f"engine: {setting}: no such scheduler file")
            return Client(scheduler_file=setting, timeout="20s")
        return Client(setting, timeout="20s")
    except (OSError, TimeoutError) as e:
        raise ParameterError(
            f"engine: cannot reach the Dask scheduler at {setting} ({e}); start it, or use "
            "engine: local"
        ) from None
    except ParameterError:
        raise
    except Exception as e:  # noqa: BLE001 - distributed's own errors for a malformed address or file
        what = " ".join(str(e).split()) or type(e).__name__
        raise ParameterError(
            f"engine: {setting}: not a usable Dask scheduler address or scheduler file "
            f"({type(e).__name__}: {what[:200]}); give tcp://host:port or the scheduler.json "
            "that `dask scheduler --scheduler-file` wrote"
        ) from None


def engine_reach(setting: str | None) -> None:
    """Connect to a Dask scheduler and close again, so a wrong address stops a run at once.

    ``ordbruk run`` calls it when the corpus is reused from the cache (nothing was
    prepared on the engine) and the notebooks will count on it; ``local`` and ``serial``
    need nothing.

    Raises:
        ParameterError: the scheduler cannot be reached or the address is malformed.
    """
    value = engine_check(setting)
    if value == "serial" or value.startswith("local"):
        return
    _client_connect(value).close()


@contextmanager
def engine_open(
    setting: str | None, n_tasks: int, warm: Callable | None = None
) -> Iterator[Engine]:
    """Open the engine for ``n_tasks`` tasks, and close it afterwards (also on an error).

    Args:
        setting: the engine setting (``engine_check``).
        n_tasks: how many tasks will be mapped (no more processes are started).
        warm: run once on each new local worker as it starts (imports, dictionaries).
    """
    engine = Engine(engine_check(setting), n_tasks, warm)
    try:
        yield engine
    finally:
        engine.close()
