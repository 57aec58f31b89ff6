"""The processed corpus: validated, cleaned, tokenised, lemmatised, and cached on disk.

``corpus_prepare`` validates, cleans, redacts, tokenises and lemmatises the input shard
by shard on the engine (``text.prepare.corpus_build``; the same result as one
``cleaning_shards.corpus_clean`` and one ``tables.tokens_build``) and stores the result under a key made from the sha256 of every input file
(``corpus.inputs``), the validation and cleaning settings, the shipped resource files and
the versions of the processing code and simplemma. An unchanged rerun loads the stored
arrays instead of redoing the work; any change to inputs or settings makes a new key, so
a stale result is never reused. How an entry is stored (Arrow and Parquet, no pickles) and
checked (SHA-256 of every file) is ``text.store``, how it is written atomically
``text.entry``; an invalid entry is rebuilt with a
one-line warning. ``ordbruk run`` prepares the corpus once (``cache_ensure``: on a hit the
input files are hashed and the entry's files checked, nothing parsed) and passes the key
to every notebook, whose ``corpus_open`` reads the entry by key without touching
the input; without a key ("Run All") ``corpus_open`` prepares as above.

The ``Corpus`` object (``ordbruk.text.corpus``) holds one flat token array for the whole
corpus with offsets for documents, paragraphs and sentences, and id tables surface ->
form -> lemma; its texts stay in the entry's memory-mapped files. Analyses
work on these arrays with numpy rather than on Python lists of strings.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from ordbruk.corpus.inputs import inputs_fingerprint, inputs_hash, sha256_hex
from ordbruk.corpus.validate import validation_args
from ordbruk.errors import CorpusError, ParameterError
from ordbruk.paths import cache_dir_default, path_resolve
from ordbruk.resources import resource_path
from ordbruk.text import cleaning as cl
from ordbruk.text import counts, store
from ordbruk.text import tokenize as tok
from ordbruk.text.corpus import Corpus
from ordbruk.text.prepare import Stages, corpus_build
from ordbruk.text.subset import corpus_subset
from ordbruk.versions import package_version

# The stop lists: cleaning's hyphen rule never joins before a stop word (form or lemma).
PREPARE_RESOURCES = (
    "abbreviations_sv.txt",
    "boilerplate.yaml",
    "lemma_corrections_sv.txt",
    "stopwords_sv.txt",
    "stopwords_lemmas_sv.txt",
)


def _resources_hash() -> str:
    parts = []
    for name in PREPARE_RESOURCES:
        p = resource_path(name)
        parts.append(name.encode() + b"\0" + (p.read_bytes() if p.exists() else b""))
    return sha256_hex(b"".join(parts))


def _settings(validation: dict | None, cleaning: dict | None) -> tuple[dict, dict]:
    """Return (reader arguments, complete cleaning settings) as the key and manifest hold them."""
    return validation_args(validation), {**cl.CLEANING_DEFAULTS, **dict(cleaning or {})}


def cache_key_make(files: dict[str, str], validation: dict, cleaning: dict) -> str:
    """Return the cache key: inputs, settings, resources and processing versions hashed.

    Args:
        files: ``{name: sha256}`` of every input file (``corpus.inputs.inputs_hash``).
        validation: the reader arguments (``corpus.validate.validation_args``).
        cleaning: the complete cleaning settings.

    Returns:
        24 hex characters.
    """
    # A rules file of the user's own (cleaning.boilerplate: path) counts by its content.
    rules = cleaning.get("boilerplate")
    rules_path = path_resolve(rules) if isinstance(rules, str) and rules else None
    payload = {
        "inputs": inputs_fingerprint(files),
        "validation": {
            "levels": validation["allowed_levels"],
            "fallback": validation["encoding_fallback"],
        },
        "cleaning": cleaning,
        "resources": _resources_hash(),
        "tokens_version": tok.TOKENS_VERSION,
        "cleaning_version": cl.CLEANING_VERSION,
        "store_format": store.STORE_FORMAT,
        **{name: package_version(name) for name in ("simplemma", "pandas", "numpy", "pyarrow")},
    }
    if rules_path is not None and rules_path.is_file():
        payload["rules_file"] = sha256_hex(rules_path.read_bytes())
    blob = json.dumps(payload, sort_keys=True, default=str).encode()
    return sha256_hex(blob)[:24]


def _warn(folder: Path, why: store.EntryInvalid) -> None:
    """Say, in one line, that an entry is not used and is being rebuilt."""
    sys.stderr.write(f"warning: cache: {folder}: {why}; not used, rebuilding it\n")
    sys.stderr.flush()


def _entry_found(folder: Path, decode: bool, engine=None) -> tuple[dict | None, Corpus | None]:
    """Return (manifest, Corpus when ``decode``) of a valid entry; (None, None) otherwise.

    Every file is checked against the manifest's SHA-256 even when nothing is decoded, so
    that ``ordbruk run`` never hands its notebooks a truncated or changed entry.
    """
    try:
        manifest = store.manifest_read(folder)
        if manifest is None:
            return None, None
        if decode:
            c = counts.entry_open(folder, manifest, engine)
            return c.manifest, c
        store.entry_check(folder, manifest)
    except store.EntryInvalid as e:
        _warn(folder, e)
        return None, None
    return {k: v for k, v in manifest.items() if k != "store"}, None


def _prepare(path, cache_dir, validation, cleaning, use_cache, stream, read_hit, engine=None,
             shard_tokens=None):  # fmt: skip
    """Find or build the cache entry; return (manifest, Corpus or None on an unread hit)."""
    started = time.perf_counter()
    src = path_resolve(path)
    args, settings = _settings(validation, cleaning)
    root = path_resolve(cache_dir, cache_dir_default())
    stages = Stages(stream)
    with stages.run("hash", "hash the input files"):
        files = inputs_hash(src)
        folder = root / cache_key_make(files, args, settings)
    manifest, c = _entry_found(folder, read_hit, engine) if use_cache else (None, None)
    if manifest is not None:
        manifest.update(cache_hit=True, cache_path=str(folder))
        manifest["seconds"] = round(time.perf_counter() - started, 3)
        return manifest, c
    manifest, c = corpus_build(
        src, root, folder, files, args, settings, stages, engine, shard_tokens, cache_key_make,
        read_hit,
    )  # fmt: skip
    manifest["seconds"] = round(time.perf_counter() - started, 3)
    return manifest, c


def corpus_prepare(
    path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    validation: dict | None = None,
    cleaning: dict | None = None,
    use_cache: bool = True,
    stream: TextIO | None = None,
    engine: str | None = None,
    shard_tokens: int | None = None,
) -> Corpus:
    """Validate, clean and process a corpus, or load it from the cache when unchanged.

    Args:
        path: the corpus (folder, .jsonl, .jsonl.gz or .csv); relative paths are
            resolved against the repository root.
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        validation: ``allowed_levels`` and ``encoding_fallback`` (params ``validation``).
        cleaning: the params ``cleaning`` block; None uses the defaults.
        use_cache: False always recomputes (the result is still stored).
        stream: where to report each stage as it runs (``corpus: <stage> ... done in
            <s> s``); None is silent.
        engine: where the shards are prepared (``ordbruk.engine``: local, local:N, serial
            or a Dask scheduler address); the result is the same on every engine.
        shard_tokens: the size of a shard in tokens (default ``shards.SHARD_TOKENS``).

    Returns:
        The processed corpus; ``manifest["cache_hit"]`` says whether it was reused.

    Raises:
        CorpusError: the input has errors (each named by file, row and field).
        OrdbrukError: the cache folder cannot be written (read-only, full).
    """
    return _prepare(
        path, cache_dir, validation, cleaning, use_cache, stream, True, engine, shard_tokens
    )[1]


def cache_ensure(
    path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    validation: dict | None = None,
    cleaning: dict | None = None,
    stream: TextIO | None = None,
    engine: str | None = None,
    shard_tokens: int | None = None,
) -> dict:
    """Make sure the processed corpus is in the cache, and return its manifest.

    What ``ordbruk run`` and ``ordbruk prepare`` call: it hashes the input files once
    and, on a hit, checks every file of the entry against its manifest without parsing
    anything; otherwise (or when the entry is invalid: rebuilt with a one-line warning) it
    reads and validates the input once, processes it and writes the entry.

    Args:
        path: the corpus (folder, .jsonl, .jsonl.gz or .csv).
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        validation: the params ``validation`` block.
        cleaning: the params ``cleaning`` block.
        stream: where to report each stage as it runs; None is silent.
        engine: where the shards are prepared (see ``corpus_prepare``).
        shard_tokens: the size of a shard in tokens.

    Returns:
        The manifest: ``key`` (the ``cache_key`` for ``corpus_open``), ``input_sha256``
        (every input file), ``warnings``, ``n_docs``, ``n_tokens``, ``cache_hit``, ...

    Raises:
        CorpusError: the input has errors (each named by file, row and field).
        OrdbrukError: the cache folder cannot be written (read-only, full).
    """
    return _prepare(
        path, cache_dir, validation, cleaning, True, stream, False, engine, shard_tokens
    )[0]


def corpus_open(
    corpus_path: str | os.PathLike,
    cache_dir: str | os.PathLike | None = None,
    cache_key: str = "",
    validation: dict | None = None,
    cleaning: dict | None = None,
    subset: dict | None = None,
    engine: str | None = None,
) -> Corpus:
    """Open the corpus a run has prepared, by its cache key; without a key, prepare it here.

    ``ordbruk run`` prepares the corpus once (``cache_ensure``) and passes the key to every
    notebook, which opens the entry without reading or hashing the input again. Without
    a key ("Run All" in JupyterLab) this is ``corpus_prepare``.

    Args:
        corpus_path: the corpus; with a key, it must be the one the entry was made from.
        cache_dir: where processed corpora are stored (default: ``.cache/ordbruk``).
        cache_key: the key of a prepared corpus, or "" to prepare (or find) it here.
        validation: the params ``validation`` block; with a key, it must match the entry.
        cleaning: the params ``cleaning`` block; with a key, it must match the entry.
        subset: the params ``subset``: the documents to analyse (``text.subset``); the
            cache always holds the whole corpus.
        engine: where the corpus's counts are made shard by shard (``text.counts``), and
            where it is prepared without a key; the numbers are the same on every engine.

    Returns:
        The processed corpus, restricted to ``subset``.

    Raises:
        CorpusError: the input has errors (only without a key), or no entry has that key,
            or an invalid entry rebuilt from the input no longer has that key.
        ParameterError: the entry was made from another corpus or with other settings.
        OrdbrukError: an invalid entry must be rebuilt and the cache cannot be written.
    """
    if not cache_key:
        c = corpus_prepare(corpus_path, cache_dir, validation, cleaning, engine=engine)
        return corpus_subset(c, subset)
    started = time.perf_counter()
    folder = path_resolve(cache_dir, cache_dir_default()) / cache_key
    again = (corpus_path, cache_dir, validation, cleaning, engine)
    try:
        manifest = store.manifest_read(folder)
    except store.EntryInvalid as e:
        return corpus_subset(_rebuilt(folder, e, *again), subset)
    if manifest is None:
        raise CorpusError(
            f"cache_key {cache_key}: no prepared corpus in {folder.parent}; run `ordbruk "
            "prepare` with the same parameters, or leave cache_key empty"
        )
    args, settings = _settings(validation, cleaning)
    expected = {
        "source": str(path_resolve(corpus_path)),
        "validation": {
            "allowed_levels": list(args["allowed_levels"]),
            "encoding_fallback": args["encoding_fallback"],
        },
        "cleaning": settings,
    }
    differ = [k for k, v in expected.items() if _canonical(manifest.get(k)) != _canonical(v)]
    if differ:
        raise ParameterError(
            f"cache_key {cache_key}: prepared with another {' and '.join(differ)} than "
            "these parameters give; leave cache_key empty to prepare this corpus"
        )
    try:
        c = counts.entry_open(folder, manifest, engine)
    except store.EntryInvalid as e:
        return corpus_subset(_rebuilt(folder, e, *again), subset)
    c.manifest.update(cache_hit=True, cache_path=str(folder))
    c.manifest["seconds"] = round(time.perf_counter() - started, 3)
    return corpus_subset(c, subset)


def _rebuilt(folder, why, corpus_path, cache_dir, validation, cleaning, engine) -> Corpus:
    """Rebuild an invalid entry a run prepared; the input must still give its key."""
    _warn(folder, why)
    c = corpus_prepare(corpus_path, cache_dir, validation, cleaning, use_cache=False, engine=engine)
    if c.manifest["key"] != folder.name:
        raise CorpusError(
            f"cache_key {folder.name}: the entry in {folder.parent} was invalid, and "
            f"{corpus_path} now gives the key {c.manifest['key']}: the corpus or the "
            "parameters changed since the run prepared it; run again"
        )
    return c


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, default=str)
