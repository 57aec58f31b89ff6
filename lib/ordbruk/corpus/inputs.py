"""The input files of a corpus and their sha256: defined once, for the cache key and provenance.

A folder corpus is ``metadata.csv`` plus every text file (``.txt``, ``.md``, ``.html``,
``.htm``) below it, hidden files and folders left out and documentation beside the texts
(``README.md``, ``LICENSE``, ...) not counted as a document; a file corpus (``.jsonl``,
``.jsonl.gz``, ``.csv``) is that one file. The readers read exactly these files, and
record each one's sha256 as they read it (``RawCorpus.files``); ``inputs_hash`` gives the
same listing without parsing anything, which is all a cache lookup needs. Provenance
takes the listing from the cache manifest, so it names the same files as the cache key.
``sha256_hex`` is the one sha256 helper of the project.
"""

from __future__ import annotations

import hashlib
import os
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


def text_files_list(folder: Path) -> dict[str, Path]:
    """Map every text file under a folder corpus to its path.

    Args:
        folder: the corpus folder.

    Returns:
        ``{relative posix path (NFC): path}`` in walking order (folders and names sorted);
        hidden files and folders and top-level documentation (``README.md``, ...) left out.
    """
    listed = {}
    for dirpath, dirnames, filenames in os.walk(folder):
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
    named = {METADATA_FILE: p / METADATA_FILE} if (p / METADATA_FILE).is_file() else {}
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
        CorpusError: the path does not exist.
    """
    return {name: sha256_hex(f.read_bytes()) for name, f in inputs_list(path).items()}


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
