"""Collocates of a term family: which words occur within k tokens of its uses, and how strongly.

The node is a term family (its unmasked hits from ``terms.terms_locate``); a collocate is
any word form found within ``window`` tokens to the left or right of a hit, inside the
same unit (document or paragraph, so a window never runs into the next text). The
measures follow ``METHODS.md`` (Collocation): observed ``O``, expected
``E = f(node) * f(collocate) * 2k / N``, MI, t-score, logDice (Rychlý 2008) and
Dunning's (1993) log-likelihood G2 from the 2x2 table of window slots against the
collocate's corpus frequency. MI favours rare words, so a minimum ``O`` is applied.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError

COLLOCATE_COLUMNS = [
    "family",
    "collocate",
    "observed",
    "expected",
    "f_node",
    "f_collocate",
    "n_tokens",
    "mi",
    "log_dice",
    "t_score",
    "log_likelihood",
]


def _xlogx_ratio(o: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Return o * ln(o / e) with 0 for o == 0 (the limit)."""
    o = np.asarray(o, dtype=float)
    e = np.asarray(e, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = o * np.log(o / e)
    return np.where(o > 0, out, 0.0)


def collocation_scores(observed, f_node, f_collocate, n_tokens, span) -> pd.DataFrame:
    """Association measures for node-collocate pairs (vectorised).

    Args:
        observed: co-occurrence counts ``O`` within the window.
        f_node: node frequency (number of node hits).
        f_collocate: corpus frequency of each collocate.
        n_tokens: corpus size ``N`` in tokens.
        span: window slots per hit, ``2k``.

    Returns:
        Columns expected, mi (``log2(O/E)``), t_score (``(O-E)/sqrt(O)``), log_dice
        (``14 + log2(2 O / (f_node + f_collocate))``) and log_likelihood (Dunning's G2:
        ``2 * sum O_ij ln(O_ij / E_ij)`` over the 2x2 table with rows "collocate / other
        word" and columns "in a node window / elsewhere"; window slots
        ``R1 = f_node * span``; negative cells from overlapping windows are set to 0).
    """
    o = np.asarray(observed, dtype=float)
    fn = np.broadcast_to(np.asarray(f_node, dtype=float), o.shape)
    fc = np.asarray(f_collocate, dtype=float)
    n = float(n_tokens)
    e = fn * fc * span / n
    with np.errstate(divide="ignore", invalid="ignore"):
        mi = np.log2(o / e)
        t = (o - e) / np.sqrt(o)
        log_dice = 14 + np.log2(2 * o / (fn + fc))
    r1 = fn * span
    cells = np.clip(np.stack([o, r1 - o, fc - o, n - r1 - fc + o]), 0, None)
    rows = np.stack(
        [cells[0] + cells[1], cells[0] + cells[1], cells[2] + cells[3], cells[2] + cells[3]]
    )
    cols = np.stack(
        [cells[0] + cells[2], cells[1] + cells[3], cells[0] + cells[2], cells[1] + cells[3]]
    )
    total = cells.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected_cells = rows * cols / total
    g2 = 2 * _xlogx_ratio(cells, expected_cells).sum(axis=0)
    return pd.DataFrame(
        {"expected": e, "mi": mi, "t_score": t, "log_dice": log_dice, "log_likelihood": g2}
    )


def collocates_compute(
    corpus,
    hits: pd.DataFrame,
    window: int = 5,
    min_count: int = 3,
    unit: str = "document",
    docs: np.ndarray | None = None,
    stopwords: frozenset[str] | set[str] | None = None,
) -> pd.DataFrame:
    """Collocates of each family within ``window`` tokens, with association measures.

    Args:
        corpus: the ``ordbruk.text.corpus.Corpus`` the hits come from.
        hits: ``terms_locate`` hits (masked hits are not nodes).
        window: k, tokens on each side of a hit (the hit's own tokens excluded).
        min_count: keep collocates with at least this observed count.
        unit: windows stay inside a "document" or "paragraph".
        docs: boolean per document: restrict nodes, collocate frequencies and N to
            these documents (e.g. one actor level); None: all.
        stopwords: stop words (``Corpus.stop_forms``: form or lemma on the list) never
            reported as collocates (they still occupy window slots and count in N).

    Returns:
        One row per family and collocate (``COLLOCATE_COLUMNS``), sorted by family and
        descending log-likelihood. N and f(collocate) count every token (words and
        numbers) of the selected documents; only word forms are reported as collocates.
    """
    if window < 1:
        raise ParameterError(f"window={window}: give at least 1 token")
    if unit not in ("document", "paragraph"):
        raise ParameterError(f"unit={unit!r}: use 'document' or 'paragraph'")
    form_ids = corpus.ids("form")
    n_forms = len(corpus.forms)
    starts, _unit_doc = corpus.units(unit)
    if docs is None:
        docs = np.ones(corpus.n_docs, dtype=bool)
    doc_sizes = np.diff(corpus.doc_starts)
    tok_in = np.repeat(np.asarray(docs, dtype=bool), doc_sizes)
    n_tokens = int(tok_in.sum())
    f_coll = np.bincount(form_ids[tok_in], minlength=n_forms)
    reportable = corpus.form_is_word.copy()
    if stopwords:
        reportable &= ~corpus.stop_forms(stopwords)
    span = 2 * window
    offsets = np.concatenate([np.arange(-window, 0), np.arange(window)])
    parts = []
    sel = hits[~hits["masked"].to_numpy(dtype=bool)]
    sel = sel[np.asarray(docs, dtype=bool)[sel["doc"].to_numpy(dtype=np.int64)]]
    for fam, h in sel.groupby("family", sort=True):
        s = h["start"].to_numpy(dtype=np.int64)
        length = h["length"].to_numpy(dtype=np.int64)
        u = np.searchsorted(starts, s, "right") - 1
        lo, hi = starts[u], starts[u + 1]
        # Right-hand slots start after the hit's last token.
        pos = s[:, None] + offsets[None, :] + np.where(offsets >= 0, length[:, None], 0)
        ok = (pos >= lo[:, None]) & (pos < hi[:, None])
        ids = form_ids[pos[ok]]
        ids = ids[reportable[ids]]
        o = np.bincount(ids, minlength=n_forms)
        keep = np.flatnonzero(o >= max(min_count, 1))
        if not len(keep):
            continue
        scores = collocation_scores(o[keep], len(s), f_coll[keep], n_tokens, span)
        df = pd.DataFrame(
            {
                "family": fam,
                "collocate": [corpus.forms[i] for i in keep],
                "observed": o[keep],
                "f_node": len(s),
                "f_collocate": f_coll[keep],
                "n_tokens": n_tokens,
            }
        )
        parts.append(pd.concat([df, scores], axis=1))
    if not parts:
        return _empty()
    out = pd.concat(parts, ignore_index=True)[COLLOCATE_COLUMNS]
    return out.sort_values(["family", "log_likelihood"], ascending=[True, False], ignore_index=True)


def _empty() -> pd.DataFrame:
    # typed, so that concatenating a group without collocates keeps the scores numeric
    # (an untyped empty frame made every column object dtype: printed and sorted as text)
    ints = {"observed", "f_node", "f_collocate", "n_tokens"}
    return pd.DataFrame(
        {
            c: pd.Series(dtype=object if i < 2 else "int64" if c in ints else "float64")
            for i, c in enumerate(COLLOCATE_COLUMNS)
        }
    )


def collocates_top(table: pd.DataFrame, n: int = 10, by: str = "log_likelihood") -> pd.DataFrame:
    """Return the ``n`` strongest collocates per family (and per group column if present).

    Args:
        table: ``collocates_compute`` output, optionally with a ``group`` column.
        n: rows per family (and group).
        by: the measure to rank on (log_likelihood, log_dice, mi, t_score).

    Returns:
        The selected rows, ranked, with a ``rank`` column (1 = strongest).
    """
    if by not in ("log_likelihood", "log_dice", "mi", "t_score", "observed"):
        raise ParameterError(
            f"collocate ranking {by!r}: use log_likelihood, log_dice, mi or t_score"
        )
    keys = [k for k in ("group", "family") if k in table.columns]
    ranked = table.sort_values([*keys, by], ascending=[True] * len(keys) + [False])
    ranked = ranked.groupby(keys, sort=False).head(n).copy()
    ranked.insert(len(keys), "rank", ranked.groupby(keys, sort=False).cumcount() + 1)
    return ranked.reset_index(drop=True)


def collocates_by_group(corpus, hits: pd.DataFrame, group_by: str = "actor_level", **kwargs):
    """Collocates for the whole corpus (group "all") and for each value of ``group_by``.

    Args:
        corpus: the corpus.
        hits: ``terms_locate`` hits.
        group_by: a metadata column; within a group, N and collocate frequencies come from the
            group's documents only.
        **kwargs: passed to ``collocates_compute`` (window, min_count, unit, stopwords).

    Returns:
        ``collocates_compute`` rows with a leading ``group`` column.
    """
    if group_by not in corpus.meta.columns:
        raise ParameterError(
            f"group_by={group_by!r}: not a metadata column; use one of {list(corpus.meta.columns)}"
        )
    values = corpus.meta[group_by].astype(str).to_numpy()
    parts = [collocates_compute(corpus, hits, **kwargs).assign(group="all")]
    for g in sorted(set(values)):
        parts.append(collocates_compute(corpus, hits, docs=values == g, **kwargs).assign(group=g))
    out = pd.concat(parts, ignore_index=True)
    return out[["group", *COLLOCATE_COLUMNS]]
