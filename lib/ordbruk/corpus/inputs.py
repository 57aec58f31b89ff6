"""The input files of a corpus and their sha256: defined once, for the cache key and provenance.

A folder corpus is ``metadata.csv`` plus every text file (``.txt``, ``.md``, ``.html``,
``.htm``) below it, hidden files and folders left out and documentation beside the texts
(``README.md``, ``LICENSE``, ...) not counted as a document; a file corpus (``.jsonl``,
``.jsonl.gz``, ``.csv``) is that one file. The readers read exactly these files, and
record each one's sha256 as they read it (``RawCorpus.files``); ``inputs_hash`` gives the
same listing without parsing anything, which is all a cache lookup needs. Provenance
takes the listing from the cache manifest, so it names the same files as the cache key.
``sha256_hex`` is the one sha256 helper of the project.

Every input file is read through ``input_bytes``, which reads only regular files (a FIFO,
device or folder named ``.txt`` is refused by name without blocking: opened non-blocking
and checked with ``fstat`` before one byte is read), refuses a symbolic link that leads
out of the corpus folder (an error, like a ``path`` pointing outside it: the corpus must
not publish a file it does not hold), and turns a broken link, a link loop or a missing
permission into one line naming the file and what to do (``InputFileError``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import unicodedata
from pathlib import Path

from ordbruk.errors import CorpusError

METADATA_FILE = "metadata.csv"
TEXT_SUFFIXES = (".txt", ".md", ".html", ".htm")
# Documentation beside the texts (data/seeds has a README.md) is not a document.
DOC_STEMS = {"readme", "license", "licence", "changelog", "citation", "notice", "contributing"}


def sha256_hex(data: bytes) -> str:
    """Return the sha256 hex digest of some bytes (a file's: ``sha256_hex(p.read_bytes())``).

    Args:
        data: the bytes.

    Returns:
        64 lowercase hex characters.
    """
    return hashlib.sha256(data).hexdigest()


class InputFileError(CorpusError):
    """An input file cannot be read safely.

    Attributes:
        name: the file as ``RawCorpus.files`` names it.
        reason: what is wrong and what to do (the message without the name).
    """

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason


def _open_reason(path: Path, e: OSError) -> str:
    if isinstance(e, FileNotFoundError) and os.path.islink(path):
        return f"broken symbolic link (to {os.readlink(path)}); fix or remove the link"
    if e.errno == errno.ELOOP:
        return "symbolic link loop (the link leads back to itself); fix or remove the link"
    if isinstance(e, PermissionError):
        return "cannot be read: permission denied; give read permission (chmod u+r) or remove it"
    if isinstance(e, FileNotFoundError):
        return "disappeared while the corpus was read; check that nothing edits the corpus"
    return f"cannot be read ({e.strerror or e}); check the file"


def input_bytes(path: Path, name: str, folder: Path | None = None) -> bytes:
    """Read an input file safely: a regular file, inside the corpus folder when one is given.

    Args:
        path: the file.
        name: the file as problems and ``RawCorpus.files`` name it.
        folder: the corpus folder the file must resolve into (None: a file corpus, which
            the user named directly).

    Returns:
        The file's bytes.

    Raises:
        InputFileError: not a regular file, a symbolic link out of the folder, a broken
            link or a loop, or not readable; one line naming the file.
    """
    try:
        # Non-blocking: opening a FIFO for reading would wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        raise InputFileError(name, _open_reason(Path(path), e)) from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            what = "a device or socket"
            if stat.S_ISDIR(mode) or stat.S_ISFIFO(mode):
                what = "a folder" if stat.S_ISDIR(mode) else "a FIFO (named pipe)"
            raise InputFileError(
                name, f"is {what}, not a regular file; remove it or replace it by a text file"
            )
        target = os.path.realpath(path)
        if folder is not None and not Path(target).is_relative_to(os.path.realpath(folder)):
            raise InputFileError(
                name, f"is a symbolic link to {target}, outside the corpus folder; copy the "
                "file into the folder instead of linking it",
            )  # fmt: skip
        try:
            return f.read()
        except OSError as e:
            raise InputFileError(name, _open_reason(Path(path), e)) from None


def text_files_list(folder: Path) -> dict[str, Path]:
    """Map every text file under a folder corpus to its path.

    Args:
        folder: the corpus folder.

    Returns:
        ``{relative posix path (NFC): path}`` in walking order (folders and names sorted);
        hidden files and folders and top-level documentation (``README.md``, ...) left out.
    """
    listed = {}

    def unlisted(e: OSError) -> None:  # os.walk would skip an unreadable folder silently
        raise InputFileError(str(e.filename), _open_reason(Path(e.filename), e))

    for dirpath, dirnames, filenames in os.walk(folder, onerror=unlisted):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        top = dirpath == str(folder)
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(TEXT_SUFFIXES):
                continue
            if top and name.split(".")[0].lower() in DOC_STEMS:
                continue
            full = Path(dirpath) / name
            # macOS writes file names decomposed; doc_ids in metadata.csv are NFC.
            listed[unicodedata.normalize("NFC", full.relative_to(folder).as_posix())] = full
    return listed


def inputs_list(path: str | os.PathLike) -> dict[str, Path]:
    """Return the input files of a corpus, named as ``RawCorpus.files`` names them.

    Args:
        path: a corpus folder or file.

    Returns:
        ``{name: path}``: ``metadata.csv`` (when present) and every text file of a folder,
        by path relative to it; the file itself, by its name, for a file corpus.

    Raises:
        CorpusError: the path does not exist.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise CorpusError(f"{path}: no such file or folder; check the corpus path")
    if not p.is_dir():
        return {p.name: p}
    # lexists: a broken link or a FIFO named metadata.csv is read (and named), not "missing".
    meta = p / METADATA_FILE
    named = {METADATA_FILE: meta} if os.path.lexists(meta) else {}
    named.update(text_files_list(p))
    return named


def inputs_hash(path: str | os.PathLike) -> dict[str, str]:
    """Return the sha256 of every input file of a corpus, reading each once, parsing nothing.

    For a corpus that loads, ``inputs_hash(path) == corpus_load(path).files``.

    Args:
        path: a corpus folder or file.

    Returns:
        ``{name: sha256}`` for the files of ``inputs_list(path)``.

    Raises:
        CorpusError: the path does not exist, or a file cannot be read (``InputFileError``).
    """
    p = Path(path).expanduser()
    folder = p if p.is_dir() else None
    # Named by full path: the error reaches the user without the corpus folder around it.
    return {name: sha256_hex(input_bytes(f, str(f), folder)) for name, f in inputs_list(p).items()}


def inputs_fingerprint(files: dict[str, str]) -> str:
    """Return one sha256 over a ``{name: sha256}`` listing (order-independent).

    It changes when any input byte or file name changes; the cache key is built on it.

    Args:
        files: ``inputs_hash(path)`` or ``RawCorpus.files``.

    Returns:
        A sha256 hex digest of the lines ``<sha256>  <name>``, sorted by name.
    """
    listing = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
    return sha256_hex(listing.encode("utf-8"))
