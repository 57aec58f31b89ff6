"""A prepared corpus on disk: no pickles, every file checksummed, written atomically.

An entry is a folder ``<cache>/<key>/`` holding

- ``arrays.npz``: the token tables, numeric arrays only, loaded with ``allow_pickle=False``;
- ``vocab.txt``, ``forms.txt``, ``lemmas.txt``: one string per line; ``texts.txt``: the
  cleaned texts separated by NUL (validation rejects NUL in texts); all UTF-8;
- ``meta.csv``, ``cleaning_log.csv``: the tables (``text.frames``: CSV plus a schema that
  restores every dtype and every missing value);
- ``manifest.json``, written last: how the corpus was made (``Corpus.manifest``) and, under
  ``store``, the format (``STORE_FORMAT``), the tables' schemas and the size and SHA-256 of
  every other file.

Nothing in an entry can run code when it is read, so a cache folder others can write is
no way to run code as the user. ``entry_read`` checks the format, the key, the list of
files, each file's size and SHA-256 and the shapes before it returns a Corpus; any
mismatch (a truncated, changed, missing, extra or undecodable file, a manifest that is
not JSON) raises ``EntryInvalid`` with a one-line reason, and the caller rebuilds the
entry. Each file is read once: the bytes that are hashed are the bytes that are decoded.

``entry_write`` writes into ``.tmp-<key>-<pid>-<random>/`` beside the entry and renames
it into place, so a kill or a full disk never leaves a partial entry under the key; a
later write removes the temporary folders of processes that no longer run. A cache folder
that cannot be written (read-only, full) is an ``OrdbrukError`` naming it and what to do:
``ordbruk run`` needs the entry on disk, since every notebook opens it by key.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import zipfile
from pathlib import Path

import numpy as np

from ordbruk.corpus.inputs import sha256_hex
from ordbruk.errors import OrdbrukError
from ordbruk.text.corpus import Corpus
from ordbruk.text.frames import frame_decode, frame_encode

#: The on-disk format; part of the cache key, so entries of another format are never read.
#: 1: tables pickled, no checksums (before issue 12); 2: CSV tables, SHA-256 of every file.
STORE_FORMAT = "2"
ARRAYS = ("tokens", "char_starts", "doc_starts", "para_starts", "para_doc", "sent_starts")
ARRAYS += ("sent_doc",)
TABLES = ("lower", "lemma", "form_is_word")
LISTS = ("vocab", "forms", "lemmas")
FRAMES = ("meta", "cleaning_log")
FILES = ("arrays.npz", *(f"{n}.txt" for n in LISTS), "texts.txt", *(f"{n}.csv" for n in FRAMES))
MANIFEST = "manifest.json"
_TMP = re.compile(r"^\.tmp-[0-9a-f]+-(\d+)-|^[0-9a-f]+\.tmp-(\d+)$")  # ours, and format 1's


class EntryInvalid(Exception):
    """A cache entry that must not be used; the message says why, in one line."""


def file_read(path: Path) -> bytes:
    """Return a file's bytes (one place, so tests can count the reads)."""
    return path.read_bytes()


def file_write(path: Path, data: bytes) -> None:
    """Write a file's bytes (one place, so tests can fail or interrupt a write)."""
    path.write_bytes(data)


def manifest_read(folder: Path) -> dict | None:
    """Return the manifest of the entry in ``folder``, None when there is no entry.

    Raises:
        EntryInvalid: the folder is there but its manifest is missing, not JSON, of
            another format or for another key.
    """
    path = folder / MANIFEST
    if not path.is_file():
        if not folder.exists():
            return None
        raise EntryInvalid(f"{MANIFEST} is missing (a partial entry)")
    try:
        manifest = json.loads(file_read(path).decode("utf-8"))
    except (OSError, ValueError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise EntryInvalid(f"{MANIFEST} cannot be read ({_why(e)})") from None
    store = manifest.get("store") if isinstance(manifest, dict) else None
    if not isinstance(store, dict) or store.get("format") != STORE_FORMAT:
        raise EntryInvalid(f"{MANIFEST} is not of cache format {STORE_FORMAT}")
    if manifest.get("key") != folder.name:
        raise EntryInvalid(f"{MANIFEST} is for key {manifest.get('key')!r}")
    if not isinstance(store.get("files"), dict) or sorted(store["files"]) != sorted(FILES):
        raise EntryInvalid(f"{MANIFEST} does not list the files of an entry")
    return manifest


def entry_files(folder: Path, manifest: dict) -> dict[str, bytes]:
    """Read every file of the entry and check it against the manifest; return the bytes.

    Raises:
        EntryInvalid: a file is missing or extra, or its size or SHA-256 differ.
    """
    try:
        names = {p.name for p in folder.iterdir()}
    except OSError as e:
        raise EntryInvalid(f"cannot be listed ({_why(e)})") from None
    extra = sorted(names - {*FILES, MANIFEST})
    if extra:
        raise EntryInvalid(f"holds files an entry does not have: {', '.join(extra)}")
    out = {}
    for name, record in manifest["store"]["files"].items():
        try:
            data = file_read(folder / name)
        except OSError as e:
            raise EntryInvalid(f"{name} cannot be read ({_why(e)})") from None
        if not isinstance(record, dict) or len(data) != record.get("bytes"):
            raise EntryInvalid(f"{name} is truncated or changed (size differs from the manifest)")
        if sha256_hex(data) != record.get("sha256"):
            raise EntryInvalid(f"{name} is changed (its SHA-256 differs from the manifest)")
        out[name] = data
    return out


def entry_read(folder: Path, manifest: dict | None = None) -> Corpus:
    """Return the Corpus stored in ``folder``, every file checked first.

    Args:
        folder: the entry.
        manifest: its manifest when already read (``manifest_read``).

    Raises:
        EntryInvalid: anything about the entry is wrong (see the module docstring).
    """
    manifest = manifest or manifest_read(folder)
    if manifest is None:
        raise EntryInvalid("there is no entry")
    data = entry_files(folder, manifest)
    try:
        c = _decode(data, manifest)
        _shapes_check(c, manifest)
    except (OSError, ValueError, KeyError, TypeError, IndexError, zipfile.BadZipFile) as e:
        raise EntryInvalid(f"cannot be decoded ({_why(e)})") from None
    return c


def _decode(data: dict[str, bytes], manifest: dict) -> Corpus:
    with np.load(io.BytesIO(data["arrays.npz"]), allow_pickle=False) as z:
        if sorted(z.files) != sorted(ARRAYS + TABLES):
            raise ValueError("arrays.npz does not hold the token tables")
        arrays = {k: z[k] for k in z.files}
    lists = {}
    for name in LISTS:
        text = data[f"{name}.txt"].decode("utf-8")
        lists[name] = text.split("\n") if text else []
    texts = data["texts.txt"].decode("utf-8").split("\0") if manifest["n_docs"] else []
    schemas = manifest["store"]["tables"]
    frames = {n: frame_decode(data[f"{n}.csv"], schemas[n]) for n in FRAMES}
    public = {k: v for k, v in manifest.items() if k != "store"}
    return Corpus(**arrays, **lists, texts=texts, **frames, manifest=public)


def _shapes_check(c: Corpus, manifest: dict) -> None:
    n_docs, n_tokens = manifest["n_docs"], manifest["n_tokens"]
    problems = [
        name
        for name, ok in (
            ("texts", len(c.texts) == n_docs == len(c.meta)),
            ("tokens", len(c.tokens) == len(c.char_starts) == n_tokens),
            ("doc_starts", len(c.doc_starts) == n_docs + 1),
            (
                "vocab",
                len(c.vocab) == len(c.lower)
                and (not n_tokens or 0 <= c.tokens.min() <= c.tokens.max() < len(c.vocab)),
            ),
            ("forms", len(c.forms) == manifest["n_forms"] == len(c.lemma) == len(c.form_is_word)),
            ("lemmas", len(c.lemmas) == manifest["n_lemmas"]),
        )
        if not ok
    ]
    if problems:
        raise EntryInvalid(f"{', '.join(problems)} do not match the manifest")


def entry_write(root: Path, key: str, c: Corpus) -> Path:
    """Store ``c`` as the entry ``root/key`` (atomically) and return its folder.

    Raises:
        OrdbrukError: the cache folder cannot be written (read-only, full, not a folder).
    """
    folder = root / key
    tmp = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        _leftovers_remove(root)
        tmp = _tmp_make(root, key)
        files, tables = {}, {}
        buffer = io.BytesIO()
        np.savez(buffer, **{k: np.asarray(getattr(c, k)) for k in ARRAYS + TABLES})
        blobs = {"arrays.npz": buffer.getvalue()}
        for name in LISTS:
            blobs[f"{name}.txt"] = "\n".join(getattr(c, name)).encode("utf-8")
        blobs["texts.txt"] = "\0".join(c.texts).encode("utf-8")
        for name in FRAMES:
            blobs[f"{name}.csv"], tables[name] = frame_encode(getattr(c, name))
        for name, data in blobs.items():
            file_write(tmp / name, data)
            files[name] = {"bytes": len(data), "sha256": sha256_hex(data)}
        store = {"format": STORE_FORMAT, "files": files, "tables": tables}
        manifest = {**c.manifest, "key": key, "store": store}
        text = json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False)
        file_write(tmp / MANIFEST, text.encode("utf-8"))
        _publish(tmp, folder)
    except OSError as e:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise OrdbrukError(
            f"cannot write the cache folder {root}: {_why(e)}; make it writable or free space "
            "there, or choose another cache folder (--cache DIR, ORDBRUK_CACHE or cache_dir)"
        ) from None
    except BaseException:  # an interrupt: the temporary folder goes, nothing is published
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        raise
    return folder


def _publish(tmp: Path, folder: Path) -> None:
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


def _tmp_make(root: Path, key: str) -> Path:
    # mkdir, not tempfile.mkdtemp: the entry keeps the umask's permissions (mkdtemp's are
    # 0700), so a cache folder shared with others stays readable by them.
    tmp = root / f".tmp-{key}-{os.getpid()}-{secrets.token_hex(6)}"
    tmp.mkdir()
    return tmp


def _valid(folder: Path) -> bool:
    try:
        entry_read(folder)  # decoded too: checksums alone hold for a manifest whose counts lie
    except EntryInvalid:
        return False
    return True


def _leftovers_remove(root: Path) -> None:
    """Remove the temporary folders of writers that no longer run (killed, or a full disk)."""
    for p in root.iterdir():
        m = _TMP.match(p.name)
        if m and p.is_dir() and not p.is_symlink() and not pid_alive(int(m.group(1) or m.group(2))):
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


def _why(e: BaseException) -> str:
    text = e.strerror if isinstance(e, OSError) and e.strerror else str(e) or type(e).__name__
    return " ".join(text.split())
