"""Run folders that ordbruk owns: the marker, the lock, publishing, stale and failed folders.

A folder is ordbruk's only when it carries ordbruk's marker file ``.ordbruk-run``, which
ordbruk writes into every temporary run folder it creates (run id, process id, host) and,
when the run is complete or failed, completes with the sha256 of every file the run wrote.
ordbruk deletes or replaces a folder only when it has the marker, and then only when every
file in it is one the marker lists, unchanged: a file a user added to (or edited in) an old
run folder is never deleted; the run stops with a one-line error instead. A folder without
the marker is never touched, whatever it holds (a ``provenance.json`` proves nothing).

Publishing a run, pointing ``latest`` at it, removing stale temporary folders and pruning
failed runs happen under a lock on the folder that holds the run folders (``flock`` on the
folder itself, so no lock file is left behind), so concurrent runs each publish a complete
folder of their own and ``latest`` always names one complete run.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from ordbruk.corpus.inputs import sha256_hex
from ordbruk.errors import OrdbrukError
from ordbruk.text.entry import pid_alive

try:
    import fcntl
except ImportError:  # Windows: no flock; runs on one folder are then not serialised
    fcntl = None

MARKER = ".ordbruk-run"
#: Where a run's kernel keeps its connection file, inside the run's temporary folder.
KERNEL_DIR = ".kernel"
#: Folders next to the run folders that only ordbruk makes (each with the marker inside).
TEMP_PREFIXES = (".tmp-", ".old-")
FAILED_PREFIX = "failed-"
_OLD_RE = re.compile(r"^\.old-\d{8}-\d{6}-[0-9a-f]{7}-[0-9a-f]{6}-(.+)$")
_FOREIGN_SHOWN = 3


def marker_write(folder: Path, run_id: str, state: str, files: bool = False) -> None:
    """Write ordbruk's marker into ``folder``: run id, pid, host, state and, on request, files.

    Args:
        folder: a folder ordbruk created.
        run_id: the run's id.
        state: ``running``, ``complete`` or ``failed``.
        files: list the sha256 of every file now in the folder (what ordbruk wrote).
    """
    record = {
        "ordbruk_run": 1,
        "run_id": run_id,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "state": state,
    }
    if files:
        record["files"] = {rel: sha256_hex(p.read_bytes()) for rel, p in _files(folder)}
    (folder / MARKER).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", "utf-8")


def marker_read(folder: Path) -> dict | None:
    """Return the marker of ``folder``, or None when it has none (or not ordbruk's)."""
    path = folder / MARKER
    try:
        if path.is_symlink() or not path.is_file():
            return None
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("ordbruk_run") == 1 else None


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names) + [d for d in dirs if Path(root, d).is_symlink()]:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if rel != MARKER:
                yield rel, path


def foreign_files(folder: Path) -> list[str] | None:
    """Return the files in ``folder`` ordbruk did not write (or that changed since).

    Args:
        folder: a run folder.

    Returns:
        Paths relative to ``folder``; None when the folder has no marker (not ordbruk's).
    """
    marker = marker_read(folder)
    if marker is None:
        return None
    written = marker.get("files") or {}
    out = []
    for rel, path in _files(folder):
        if path.is_symlink() or not path.is_file() or rel not in written:
            out.append(rel)
        elif sha256_hex(path.read_bytes()) != written[rel]:
            out.append(rel)
    return out


def _foreign_error(folder: Path, foreign: list[str], what: str) -> OrdbrukError:
    names = ", ".join(foreign[:_FOREIGN_SHOWN])
    more = f" and {len(foreign) - _FOREIGN_SHOWN} more" if len(foreign) > _FOREIGN_SHOWN else ""
    return OrdbrukError(
        f"{what} {folder}: holds files ordbruk did not write or that changed since ({names}"
        f"{more}); move them out of the folder, or give another folder"
    )


def target_check(target: Path) -> None:
    """Check that an ``--out`` folder may be replaced by a new run; raise if not.

    Allowed: a folder that does not exist, an empty folder, and an earlier ordbruk run
    folder (with the marker) holding only the files that run wrote, unchanged.

    Raises:
        OrdbrukError: the folder is not ordbruk's, or holds files a user added or changed.
    """
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir():
        raise OrdbrukError(f"--out {target}: exists and is not a folder; give a new folder")
    if not any(target.iterdir()):
        return
    foreign = foreign_files(target)
    if foreign is None:
        raise OrdbrukError(
            f"--out {target}: exists and is not an ordbruk run folder (no {MARKER} marker); "
            "give a new or empty folder"
        )
    if foreign:
        raise _foreign_error(target, foreign, "--out")


def tree_remove(folder: Path) -> None:
    """Delete an ordbruk folder, its marker last, so a kill midway leaves it recognisable."""
    with contextlib.suppress(FileNotFoundError):
        for child in list(folder.iterdir()):
            if child.name == MARKER:
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                with contextlib.suppress(FileNotFoundError):
                    child.unlink()
        with contextlib.suppress(FileNotFoundError):
            (folder / MARKER).unlink()
        shutil.rmtree(folder, ignore_errors=True)


def temp_make(root: Path, run_id: str) -> Path:
    """Create the run's own temporary folder ``root/.tmp-<run_id>`` (never an existing one).

    Raises:
        FileExistsError: the folder exists (another process has this run id).
    """
    tmp = root / f".tmp-{run_id}"
    tmp.mkdir()
    marker_write(tmp, run_id, "running")
    return tmp


def temp_start(root: Path, run_id_new: Callable[[], str]) -> tuple[Path, str]:
    """Create a run's temporary folder under ``root`` after removing stale ones, under the lock.

    Args:
        root: the folder holding the run folders (created when missing).
        run_id_new: makes a new run id (``runner.run_id_make``); asked again on a clash.

    Returns:
        The temporary folder and the run id.

    Raises:
        OrdbrukError: ``root`` cannot be written (read-only, no permission, disk full).
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
        with folder_lock(root):
            stale_clean(root)
            while True:  # the id is random: a clash means another process holds it
                run_id = run_id_new()
                with contextlib.suppress(FileExistsError):
                    return temp_make(root, run_id), run_id
    except OSError as e:
        raise OrdbrukError(
            f"{e.filename or root}: cannot create the run folder ({e.strerror}); give a "
            "writable folder with --out, or fix the permissions"
        ) from None


def stale_clean(root: Path) -> list[str]:
    """Delete ``.tmp-*`` and ``.old-*`` folders of ordbruk runs whose process is gone.

    Only folders with ordbruk's marker written on this host by a process that is no longer
    alive are deleted (a run killed with SIGKILL, or the power going off); the caller holds
    the folder's lock (``folder_lock``). An ``.old-<run_id>-<name>`` folder whose ``<name>``
    is missing is an earlier run a kill caught between the two moves of ``publish``: it is
    moved back to ``<name>`` instead.

    Returns:
        The names of the folders deleted.
    """
    removed = []
    host = socket.gethostname()
    for child in sorted(root.iterdir()) if root.is_dir() else []:
        if not child.name.startswith(TEMP_PREFIXES) or child.is_symlink() or not child.is_dir():
            continue
        marker = marker_read(child)
        if marker is None or marker.get("host") != host or pid_alive(marker.get("pid")):
            continue
        if child.name.startswith(".old-"):
            swapped = _OLD_RE.match(child.name)
            if swapped and not (root / swapped[1]).exists():
                os.replace(child, root / swapped[1])  # killed mid-swap: put the old run back
                continue
            if foreign_files(child):  # a user's file in an old run: leave it where it is
                continue
        tree_remove(child)
        removed.append(child.name)
    for link in root.glob(".latest-*") if root.is_dir() else []:
        if link.is_symlink():  # a `latest` being replaced when its run was killed
            link.unlink()
    return removed


def failed_prune(root: Path, keep: Path | None) -> list[str]:
    """Delete every ``failed-*`` folder in ``root`` but ``keep``, when it is ordbruk's.

    A failed run is kept for debugging until the next failure: only the last one stays,
    so failed runs never pile up on a disk. A failed folder holding a file a user added
    is left alone.

    Returns:
        The names of the folders deleted.
    """
    removed = []
    for child in sorted(root.glob(FAILED_PREFIX + "*")):
        if keep is not None and child.name == keep.name:
            continue
        if child.is_symlink() or not child.is_dir() or foreign_files(child) != []:
            continue
        tree_remove(child)
        removed.append(child.name)
    return removed


def disk_full(error: BaseException) -> bool:
    """Whether a run failed because the disk (or the quota) is full, in the runner or a kernel."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    text = f"{error} {getattr(error, 'evalue', '')}"  # a kernel's error arrives as text
    return "[Errno 28]" in text or "No space left on device" in text


def failed_keep(root: Path, tmp: Path, run_id: str, disk_full: bool = False) -> Path | None:
    """Keep a failed run as ``root/failed-<run_id>``, the only failed run kept.

    Args:
        root: the folder holding the run folders.
        tmp: the failed run's temporary folder.
        run_id: the run's id.
        disk_full: the run failed because the disk is full: keeping the partial run
            would keep it full, so it is deleted (and earlier failed runs with it).

    Returns:
        The failed folder, or None when it was deleted.
    """
    shutil.rmtree(tmp / KERNEL_DIR, ignore_errors=True)
    with folder_lock(root):
        if disk_full:
            tree_remove(tmp)
            failed_prune(root, None)
            return None
        failed = root / f"{FAILED_PREFIX}{run_id}"
        with contextlib.suppress(OSError):  # a marker without the file list keeps it safe
            marker_write(tmp, run_id, "failed", files=True)
        os.replace(tmp, failed)
        failed_prune(root, failed)
    return failed


@contextlib.contextmanager
def folder_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the folder ``root`` (``flock`` on the folder itself).

    Waits for another ordbruk process holding it; no lock file is created.
    """
    if fcntl is None:
        yield
        return
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, so moving folders is never cut midway."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    sigs = [signal.SIGINT, signal.SIGTERM]
    before = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in sigs}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)
        for s in caught[:1]:
            signal.raise_signal(s)


def latest_point(outputs_root: str | Path, run_dir: str | Path) -> Path:
    """Point ``outputs_root/latest`` at a run folder (a relative symlink, replaced atomically).

    Falls back to a text file ``outputs_root/LATEST`` holding the folder name where
    symlinks cannot be made (some file systems, Windows without privileges).

    Args:
        outputs_root: the folder holding the run folders.
        run_dir: the newest complete run.

    Returns:
        The symlink or the ``LATEST`` file.
    """
    root, name = Path(outputs_root), Path(run_dir).name
    link, tmp_link, text_file = root / "latest", root / f".latest-{name}", root / "LATEST"
    try:
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(name, tmp_link, target_is_directory=True)
        os.replace(tmp_link, link)
    except (OSError, NotImplementedError):
        if tmp_link.is_symlink():
            tmp_link.unlink()
        text_file.write_text(name + "\n", encoding="utf-8")
        return text_file
    if text_file.exists():
        text_file.unlink()  # a stale fallback would contradict the symlink
    return link


def publish(tmp: Path, target: Path, run_id: str, update_latest: bool) -> None:
    """Move a complete temporary run folder into place; the caller holds the folder's lock.

    An explicit ``--out`` folder from an earlier run is checked again (a user may have
    added a file during the run) and swapped out; ``latest`` is pointed at the new run.
    """
    marker_write(tmp, run_id, "complete", files=True)
    root = target.parent
    with signals_deferred():
        if target.exists():
            target_check(target)
            old = root / f".old-{run_id}-{target.name}"  # its name, to restore it after a kill
            os.replace(target, old)
            os.replace(tmp, target)
            tree_remove(old)
        else:
            os.replace(tmp, target)
        if update_latest:
            latest_point(root, target)
