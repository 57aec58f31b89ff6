"""Choosing the documents an analysis reads: the ``subset`` parameter.

A study compares like with like by selecting documents on their metadata, without copying
files into a new corpus. ``subset`` is a mapping with any of:

``keep``
    ``{column: [values]}``: keep documents whose value in ``column`` is one of ``values``
    (compared as text); several columns must all match.
``drop``
    ``{column: [values]}``: leave out documents whose value is one of ``values``.
``date``
    ``{from: "2009", to: "2015-12"}`` (either may be left out): keep dated documents whose
    ``date``, cut to the precision of the bound, is within it ("2015" keeps 2015-06-01 and
    2015-06). A document whose date is less precise than a bound (2009 against "2009-06") or
    missing is left out, and counted.
``min_words``
    keep documents of at least this many word tokens (tokens with a letter).

The selection is made after preparation (the cache holds the whole corpus) and before any
analysis. ``corpus_subset`` returns a ``Corpus`` of the selected documents, recording the
conditions and the counts before and after in ``manifest["subset"]``; the Recorder adds
that to every note and the index. A condition that names a missing column or a value no
document has, or that leaves no document, is a one-line ``ParameterError`` listing what
exists.
"""

from __future__ import annotations

import copy
from dataclasses import fields, replace

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.text.tables import TokenTables

SUBSET_KEYS = ("keep", "drop", "date", "min_words")
_DATE_KEYS = ("from", "to")
_SHOW_VALUES = 12


def subset_spec_check(subset, where: str = "subset") -> dict:
    """Check the shape of a ``subset`` mapping (no corpus needed) and return a clean copy.

    Args:
        subset: the parameter as read from YAML (None or {} select every document).
        where: the name shown in messages.

    Returns:
        ``{"keep": {col: [str]}, "drop": {...}, "date": {"from": str, "to": str}, "min_words": int}``
        with only the keys given.

    Raises:
        ParameterError: an unknown key or a value of the wrong type, naming it.
    """
    if subset is None:
        return {}
    if not isinstance(subset, dict):
        raise ParameterError(f"{where}: expected a mapping (keep, drop, date, min_words)")
    out: dict = {}
    for key, value in subset.items():
        if key not in SUBSET_KEYS:
            raise ParameterError(
                f"{where}.{key}: unknown condition (known: {', '.join(SUBSET_KEYS)})"
            )
        if key in ("keep", "drop"):
            if not isinstance(value, dict) or not value:
                raise ParameterError(f"{where}.{key}: expected a mapping column: [values]")
            out[key] = {}
            for col, vals in value.items():
                vals = vals if isinstance(vals, list) else [vals]
                if not vals or any(isinstance(v, (dict, list)) or v is None for v in vals):
                    raise ParameterError(f"{where}.{key}.{col}: expected a list of values")
                out[key][str(col)] = [str(v) for v in vals]
        elif key == "date":
            if not isinstance(value, dict) or not value or set(value) - set(_DATE_KEYS):
                raise ParameterError(f"{where}.date: expected a mapping with from and/or to")
            out["date"] = {k: str(v).strip() for k, v in value.items() if v not in (None, "")}
            for k, v in out["date"].items():
                if not _is_iso_prefix(v):
                    raise ParameterError(
                        f"{where}.date.{k}: {v!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
                    )
        else:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ParameterError(f"{where}.min_words: expected a non-negative integer")
            out["min_words"] = value
    return out


def _is_iso_prefix(s: str) -> bool:
    parts = s.split("-")
    sizes = [4, 2, 2][: len(parts)]
    return 1 <= len(parts) <= 3 and all(
        p.isdigit() and len(p) == n for p, n in zip(parts, sizes, strict=True)
    )


def _values_show(values) -> str:
    values = sorted({str(v) for v in values})
    shown = ", ".join(values[:_SHOW_VALUES])
    more = len(values) - _SHOW_VALUES
    return shown + (f" and {more} more" if more > 0 else "")


def subset_mask(meta: pd.DataFrame, subset) -> tuple[np.ndarray, dict]:
    """Return which documents ``subset`` selects, and the counts each condition removed.

    Args:
        meta: one row per document (``date``; ``n_words`` for ``min_words``).
        subset: the ``subset`` parameter.

    Returns:
        (a boolean per document; ``{"keep.<col>": n removed, ..., "date_missing": n}``).

    Raises:
        ParameterError: a missing column, a value no document has, or nothing selected.
    """
    spec = subset_spec_check(subset)
    mask = np.ones(len(meta), dtype=bool)
    removed: dict[str, int] = {}
    for key in ("keep", "drop"):
        for col, vals in spec.get(key, {}).items():
            if col not in meta.columns:
                cols = ", ".join(c for c in meta.columns if not c.startswith("n_"))
                raise ParameterError(
                    f"subset.{key}.{col}: no such metadata column (columns: {cols})"
                )
            cell = meta[col].astype("string").fillna("")
            unknown = [v for v in vals if not (cell == v).any()]
            if unknown:
                raise ParameterError(
                    f"subset.{key}.{col}: no document has {', '.join(map(repr, unknown))} "
                    f"(values: {_values_show(cell.unique())})"
                )
            hit = cell.isin(vals).to_numpy()
            step = hit if key == "keep" else ~hit
            removed[f"{key}.{col}"] = int((mask & ~step).sum())
            mask &= step
    if "date" in spec:
        date = (
            meta["date"].astype("string").fillna("")
            if "date" in meta
            else pd.Series([""] * len(meta))
        )
        missing = (date == "").to_numpy()
        ok = ~missing
        for k, bound in spec["date"].items():
            cut = date.str[: len(bound)]
            too_coarse = (date.str.len() < len(bound)).to_numpy()
            within = (cut >= bound) if k == "from" else (cut <= bound)
            ok &= within.to_numpy() & ~too_coarse
        removed["date_missing"] = int((mask & missing).sum())
        removed["date"] = int((mask & ~missing & ~ok).sum())
        mask &= ok
    if "min_words" in spec:
        step = meta["n_words"].to_numpy() >= spec["min_words"]
        removed["min_words"] = int((mask & ~step).sum())
        mask &= step
    if spec and not mask.any():
        raise ParameterError(
            f"subset: {subset_describe(spec)} selects no document of {len(meta)} "
            f"(removed: {', '.join(f'{k} {v}' for k, v in removed.items() if v)})"
        )
    return mask, removed


def subset_describe(subset) -> str:
    """Return the conditions of ``subset`` in words, e.g. ``doc_type is event_description``."""
    spec = subset_spec_check(subset)
    parts = []
    for col, vals in spec.get("keep", {}).items():
        parts.append(f"{col} is {' or '.join(vals)}")
    for col, vals in spec.get("drop", {}).items():
        parts.append(f"{col} is not {' or '.join(vals)}")
    if "date" in spec:
        a, b = spec["date"].get("from"), spec["date"].get("to")
        parts.append(
            f"dated {a} to {b}" if a and b else f"dated from {a}" if a else f"dated up to {b}"
        )
    if "min_words" in spec:
        parts.append(f"at least {spec['min_words']} words")
    return "; ".join(parts) or "every document"


def corpus_take(corpus, docs: np.ndarray):
    """Return a Corpus of the documents ``docs`` (sorted indices), tables and offsets rebuilt.

    Token, unit and character offsets are cut to the selected documents; the surface,
    form and lemma tables keep only the entries the selection uses, so no analysis sees a
    term with no occurrence.

    Raises:
        ParameterError: ``docs`` are not whole numbers, sorted, distinct and in range.
    """
    given = np.asarray(docs)
    if given.size and (given.ndim != 1 or given.dtype.kind not in "iu"):
        raise ParameterError("corpus_take: docs must be a list of document indices (integers)")
    docs = given.astype(np.int64).reshape(-1)
    if len(docs) and (np.any(np.diff(docs) <= 0) or docs[0] < 0 or docs[-1] >= corpus.n_docs):
        raise ParameterError(
            f"corpus_take: docs must be sorted, distinct and from 0 to {corpus.n_docs - 1}"
        )
    lengths = np.diff(corpus.doc_starts)
    doc_of_token = np.repeat(np.arange(corpus.n_docs), lengths)
    new_of_doc = np.full(corpus.n_docs, -1, dtype=np.int64)
    new_of_doc[docs] = np.arange(len(docs))
    keep_tok = new_of_doc[doc_of_token] >= 0
    doc_starts = np.concatenate([[0], np.cumsum(lengths[docs])]).astype(corpus.doc_starts.dtype)
    shift = np.zeros(corpus.n_docs, dtype=np.int64)
    shift[docs] = corpus.doc_starts[docs] - doc_starts[:-1]

    def _units(starts, unit_doc):
        sel = new_of_doc[unit_doc] >= 0
        new_starts = starts[:-1][sel] - shift[unit_doc[sel]]
        n = int(doc_starts[-1])
        return (
            np.append(new_starts, n).astype(starts.dtype),
            new_of_doc[unit_doc[sel]].astype(unit_doc.dtype),
        )

    para_starts, para_doc = _units(corpus.para_starts, corpus.para_doc)
    sent_starts, sent_doc = _units(corpus.sent_starts, corpus.sent_doc)
    surface_used = np.unique(corpus.tokens[keep_tok])
    forms_used = np.unique(corpus.lower[surface_used])
    lemmas_used = np.unique(corpus.lemma[forms_used])
    tables = {
        "tokens": np.searchsorted(surface_used, corpus.tokens[keep_tok]).astype(
            corpus.tokens.dtype
        ),
        "char_starts": corpus.char_starts[keep_tok],
        "doc_starts": doc_starts,
        "para_starts": para_starts,
        "para_doc": para_doc,
        "sent_starts": sent_starts,
        "sent_doc": sent_doc,
        "vocab": [corpus.vocab[i] for i in surface_used],
        "lower": np.searchsorted(forms_used, corpus.lower[surface_used]).astype(corpus.lower.dtype),
        "forms": [corpus.forms[i] for i in forms_used],
        "lemma": np.searchsorted(lemmas_used, corpus.lemma[forms_used]).astype(corpus.lemma.dtype),
        "lemmas": [corpus.lemmas[i] for i in lemmas_used],
        "form_is_word": corpus.form_is_word[forms_used],
    }
    assert set(tables) == {f.name for f in fields(TokenTables)}
    ids = set(corpus.meta["doc_id"].iloc[docs])
    log = corpus.cleaning_log
    if len(log) and "doc_id" in log:
        log = log[log["doc_id"].isin(ids)].reset_index(drop=True)
    return replace(
        corpus,
        **tables,
        meta=corpus.meta.iloc[docs].reset_index(drop=True),
        texts=[corpus.texts[i] for i in docs],
        cleaning_log=log,
        manifest=copy.deepcopy(corpus.manifest),
        source=corpus.source.take(docs, surface_used) if corpus.source is not None else None,
    )


def corpus_subset(corpus, subset):
    """Return the corpus restricted to the documents ``subset`` selects.

    Args:
        corpus: a prepared Corpus.
        subset: the ``subset`` parameter (None or {}: the corpus itself, unchanged).

    Returns:
        The Corpus of the selected documents; ``manifest["subset"]`` holds ``conditions``,
        ``description``, ``n_documents_before``, ``n_documents``, ``n_tokens_before``,
        ``n_tokens`` and ``removed`` (documents left out by each condition, in order).

    Raises:
        ParameterError: see ``subset_mask``.
    """
    spec = subset_spec_check(subset)
    if not spec:
        return corpus
    mask, removed = subset_mask(corpus.meta, spec)
    out = corpus_take(corpus, np.flatnonzero(mask))
    out.manifest["subset"] = {
        "conditions": spec,
        "description": subset_describe(spec),
        "n_documents_before": int(corpus.n_docs),
        "n_documents": int(out.n_docs),
        "n_tokens_before": int(len(corpus.tokens)),
        "n_tokens": int(len(out.tokens)),
        "removed": removed,
    }
    return out
