"""The processed corpus, cached on disk: validated, cleaned, tokenised, lemmatised once.

``corpus_prepare`` is what every notebook calls. It validates the input
(``corpus.validate.corpus_load``), cleans and redacts it (``cleaning.corpus_clean``),
builds the token tables (``tables.tokens_build``) and stores the resulting ``Corpus``
(``ordbruk.text.corpus``) under a key made from the sha256 of every input file, the
validation and cleaning settings, the shipped resource files and the versions of the
processing code and simplemma. An unchanged rerun loads the stored arrays instead of
redoing the work; any change to inputs or settings makes a new key, so a stale result is
never reused. The cache is written to a temporary folder and moved into place, so an
interrupted run leaves no half-written entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from ordbruk.paths import RESOURCES_DIR, cache_dir_default, path_resolve
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import Corpus, corpus_assemble
from ordbruk.text.tables import tokens_build

_ARRAYS = (
    "tokens",
    "char_starts",
    "doc_starts",
    "para_starts",
    "para_doc",
    "sent_starts",
    "sent_doc",
)
_TABLES = ("lower", "lemma", "form_is_word")


def actors_key(actors, doc_ids=None) -> np.ndarray:
    """Return each document's actor for counting and resampling actors.

    A document without an actor counts as an actor of its own ("doc:<doc_id>", or its
    position when no ids are given), so that unattributed documents are never pooled
    into one prolific "actor". Every analysis that counts or resamples actors uses this.

    Args:
        actors: the actor of each row (str; "" or NaN where unknown).
        doc_ids: the document id of each row, when rows are not one per document.

    Returns:
        An object array of actor keys.
    """
    actors = pd.Series(actors).astype("string").fillna("").str.strip().to_numpy(dtype=object)
    ids = range(len(actors)) if doc_ids is None else list(doc_ids)
    return np.asarray(
        [a if a else f"doc:{d}" for a, d in zip(actors, ids, strict=True)], dtype=object
    )


# --- the on-disk cache -------------------------------------------------------------


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "absent"


#: The shipped resources that change what preparation produces. Analysis resources
#: (term families, dictionaries) are read by the notebooks and must not invalidate it.
PREPARE_RESOURCES = ("abbreviations_sv.txt", "boilerplate.yaml")


def _resources_hash() -> str:
    h = hashlib.sha256()
    for name in PREPARE_RESOURCES:
        p = RESOURCES_DIR / name
        h.update(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b""))
    return h.hexdigest()


def cache_key_make(fingerprint: str, validation: dict, cleaning: dict) -> str:
    """Return the cache key: inputs, settings, resources and processing versions hashed."""
    from ordbruk.text import cleaning as cl

    # A rules file of the user's own (cleaning.boilerplate: path) counts by its content.
    rules = cleaning.get("boilerplate")
    rules_path = path_resolve(rules) if isinstance(rules, str) and rules else None
    payload = {
        "inputs": fingerprint,
        "validation": validation,
        "cleaning": cleaning,
        "resources": _resources_hash(),
        "tokens_version": tok.TOKENS_VERSION,
        "cleaning_version": getattr(cl, "CLEANING_VERSION", "1"),
        "simplemma": _version("simplemma"),
        "pandas": _version("pandas"),
        "numpy": _version("numpy"),
    }
    if rules_path is not None and rules_path.is_file():
        payload["rules_file"] = hashlib.sha256(rules_path.read_bytes()).hexdigest()
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:24]


def _cache_write(folder: Path, c: Corpus) -> None:
    tmp = folder.with_name(folder.name + f".tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    arrays = {k: getattr(c, k) for k in _ARRAYS + _TABLES}
    np.savez(tmp / "arrays.npz", **arrays)
    for name in ("vocab", "forms", "lemmas"):
        (tmp / f"{name}.txt").write_bytes("\n".join(getattr(c, name)).encode("utf-8"))
    # Validation rejects NUL bytes in texts, so NUL separates documents safely.
    # Bytes both ways: no newline translation, so a cached text equals the fresh one.
    (tmp / "texts.txt").write_bytes("\0".join(c.texts).encode("utf-8"))
    c.meta.to_pickle(tmp / "meta.pkl")
    c.cleaning_log.to_pickle(tmp / "cleaning_log.pkl")
    (tmp / "manifest.json").write_text(json.dumps(c.manifest, indent=2, sort_keys=True))
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)


def _cache_read(folder: Path) -> Corpus:
    with np.load(folder / "arrays.npz") as z:
        arrays = {k: z[k] for k in z.files}

    def lines(name: str) -> list[str]:
        text = (folder / f"{name}.txt").read_bytes().decode("utf-8")
        return text.split("\n") if text else []

    # Bytes then decode: TextIOWrapper's newline handling is slower on 96 MB of text.
    texts_blob = (folder / "texts.txt").read_bytes().decode("utf-8")
    manifest = json.loads((folder / "manifest.json").read_text())
    return Corpus(
        meta=pd.read_pickle(folder / "meta.pkl"),
        texts=texts_blob.split("\0") if manifest.get("n_docs", 1) else [],
        vocab=lines("vocab"),
        forms=lines("forms"),
        lemmas=lines("lemmas"),
        cleaning_log=pd.read_pickle(folder / "cleaning_log.pkl"),
        manifest=manifest,
        **arrays,
    )


def corpus_prepare(
    path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    validation: dict | None = None,
    cleaning: dict | None = None,
    use_cache: bool = True,
) -> Corpus:
    """Validate, clean and process a corpus, or load it from the cache when unchanged.

    Args:
        path: the corpus (folder, .jsonl, .jsonl.gz or .csv); relative paths are
            resolved against the repository root.
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        validation: ``allowed_levels`` and ``encoding_fallback`` (params ``validation``).
        cleaning: the params ``cleaning`` block; None uses the defaults.
        use_cache: False always recomputes (the result is still stored).

    Returns:
        The processed corpus; ``manifest["cache_hit"]`` says whether it was reused.

    Raises:
        CorpusError: the input has errors (each named by file, row and field).
    """
    from ordbruk.corpus import validate as co
    from ordbruk.text import cleaning as cl

    started = time.perf_counter()
    src = path_resolve(path)
    validation = dict(validation or {})
    cleaning_settings = {**cl.CLEANING_DEFAULTS, **dict(cleaning or {})}
    levels = tuple(validation.get("allowed_levels") or co.DEFAULT_LEVELS)
    fallback = validation.get("encoding_fallback")
    fingerprint = co.corpus_fingerprint(src)
    key = cache_key_make(fingerprint, {"levels": levels, "fallback": fallback}, cleaning_settings)
    folder = path_resolve(cache_dir, cache_dir_default()) / key
    if use_cache and (folder / "manifest.json").exists():
        c = _cache_read(folder)
        c.manifest.update(cache_hit=True, cache_path=str(folder))
        c.manifest["seconds"] = round(time.perf_counter() - started, 3)
        return c
    timings = {"fingerprint": time.perf_counter() - started}
    mark = time.perf_counter()
    raw = co.corpus_load(src, allowed_levels=levels, encoding_fallback=fallback)
    timings["load"], mark = time.perf_counter() - mark, time.perf_counter()
    texts, log = cl.corpus_clean(raw.texts, raw.meta, cleaning_settings)
    timings["clean"], mark = time.perf_counter() - mark, time.perf_counter()
    t = tokens_build(texts)
    timings["tokens"], mark = time.perf_counter() - mark, time.perf_counter()
    manifest = {
        "key": key,
        "source": str(src),
        "kind": raw.kind,
        "input_sha256": raw.files,
        "fingerprint": fingerprint,
        "validation": {"allowed_levels": list(levels), "encoding_fallback": fallback},
        "cleaning": cleaning_settings,
        "warnings": [str(p) for p in raw.problems],
        "n_docs": len(texts),
        "n_tokens": int(len(t.tokens)),
        "n_forms": len(t.forms),
        "n_lemmas": len(t.lemmas),
        "versions": {"ordbruk_tokens": tok.TOKENS_VERSION, "simplemma": _version("simplemma")},
    }
    c = corpus_assemble(raw.meta, texts, t, log, manifest)
    timings["assemble"], mark = time.perf_counter() - mark, time.perf_counter()
    _cache_write(folder, c)
    timings["write"] = time.perf_counter() - mark
    c.manifest["timings"] = {k: round(v, 2) for k, v in timings.items()}
    c.manifest.update(cache_hit=False, cache_path=str(folder))
    c.manifest["seconds"] = round(time.perf_counter() - started, 3)
    return c
