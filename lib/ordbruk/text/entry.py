"""Writing a cache entry atomically, and removing what killed writers left behind.

``entry_tmp`` makes ``.tmp-<key>-<pid>-h<host>-<random>/`` beside the entry; the workers write
their shards into it and the merge the vocabulary and, last, the manifest; ``entry_publish``
renames it into place, so a kill or a full disk never leaves a partial entry under the
key. A later write removes the temporary folders of processes that no longer run
(``leftovers_remove``). A cache folder that cannot be written (read-only, full) is an
``OrdbrukError`` naming it and what to do (``cache_unwritable``): ``ordbruk run`` needs
the entry on disk, since every notebook opens it by key.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
import socket
from pathlib import Path

from ordbruk.errors import OrdbrukError
from ordbruk.text import store

# ours (the host part since issue 14: a cache on a shared file system), and format 1's
_TMP = re.compile(r"^\.tmp-[0-9a-f]+-(\d+)-(?:h([0-9a-f]{8})-)?|^[0-9a-f]+\.tmp-(\d+)()$")


def _host() -> str:
    # This machine, in a folder name: a pid means nothing on another node of a cluster.
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


def entry_tmp(root: Path, key: str) -> Path:
    """Return a new temporary folder for the entry ``key`` in ``root`` (leftovers removed)."""
    root.mkdir(parents=True, exist_ok=True)
    leftovers_remove(root)
    return _tmp_make(root, key)


def _tmp_make(root: Path, key: str) -> Path:
    # mkdir, not tempfile.mkdtemp: the entry keeps the umask's permissions (mkdtemp's are
    # 0700), so a cache folder shared with others stays readable by them.
    tmp = root / f".tmp-{key}-{os.getpid()}-h{_host()}-{secrets.token_hex(6)}"
    tmp.mkdir()
    return tmp


def entry_publish(tmp: Path, folder: Path) -> None:
    """Rename ``tmp`` to ``folder``, moving an invalid entry there aside first."""
    old = None
    if folder.exists():
        if _valid(folder):  # another process published it meanwhile: the same content
            shutil.rmtree(tmp, ignore_errors=True)
            return
        old = _tmp_make(tmp.parent, folder.name)
        os.replace(folder, old / folder.name)
    try:
        os.replace(tmp, folder)
    except OSError:
        if not folder.is_dir():
            raise
        shutil.rmtree(tmp, ignore_errors=True)  # another process published the same entry
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _valid(folder: Path) -> bool:
    try:
        store.entry_read(
            folder
        )  # decoded too: checksums alone hold for a manifest whose counts lie
    except store.EntryInvalid:
        return False
    return True


def leftovers_remove(root: Path) -> None:
    """Remove the temporary folders of writers that no longer run (killed, or a full disk).

    Only this machine's: on a cache shared by the nodes of a cluster, another node's
    writer is alive or not whatever its pid says here.
    """
    host = _host()
    for p in root.iterdir():
        m = _TMP.match(p.name)
        if not m or (m.group(2) and m.group(2) != host) or not p.is_dir() or p.is_symlink():
            continue
        if not pid_alive(int(m.group(1) or m.group(3))):
            shutil.rmtree(p, ignore_errors=True)


def pid_alive(pid) -> bool:
    """Whether a process id names a live process (this one included); unknown ids count as alive.

    The one test of the cache's and the run folders' leftovers: a folder is removed only
    when the process that wrote it is known to be gone.
    """
    if not isinstance(pid, int) or pid <= 0 or pid == os.getpid():
        return True  # unknown (keep the folder), or this process: another thread may write it
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):  # no such process (or no such pid at all)
        return False
    except OSError:  # exists, owned by another user
        return True
    return True


def cache_unwritable(root: Path, e: OSError) -> OrdbrukError:
    """Return the one-line error for a cache folder that cannot be written."""
    why = e.strerror if e.strerror else str(e) or type(e).__name__
    return OrdbrukError(
        f"cannot write the cache folder {root}: {' '.join(why.split())}; make it writable or "
        "free space there, or choose another cache folder (--cache DIR, ORDBRUK_CACHE or "
        "cache_dir)"
    )
