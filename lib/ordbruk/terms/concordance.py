"""Where and when the terms occur: KWIC lines, positions in documents, trends over years.

KWIC lines are cut from the cleaned, redacted text (``Corpus.texts``) so they read as the
document does, with punctuation: in each document with hits the tokens' surface strings
are found in the text one after another, which gives the character span of the n-th token,
so a hit at token position p maps exactly onto the text. The word left and right
of each match (as lowercase forms) are columns to sort on. ``dispersion_positions`` gives
each hit's relative position in its document for the dispersion plot, documents ordered
by date. ``terms_trend`` and ``trends_plot`` give frequency per year and group with the
number of documents behind each point.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import rng_make
from ordbruk.terms.families import terms_aggregate

# Context first, as a concordance is read; then where it comes from.
KWIC_COLUMNS = [
    "family",
    "left",
    "match",
    "right",
    "doc_id",
    "actor",
    "actor_level",
    "date",
    "left_word",
    "right_word",
    "masked",
]
_SPACE = re.compile(r"\s+")


def _starts(text: str, surfaces: list[str]) -> list[int]:
    """Character offset of each token in ``text``, given the tokens in order.

    Between two tokens there are only separators (spaces, punctuation), which contain no
    letter or digit, so the next occurrence of a token's surface after the previous token
    is the token itself. This is exact and much faster than tokenising again.
    """
    out, pos, find = [], 0, text.find
    for s in surfaces:
        pos = find(s, pos)
        if pos < 0:
            raise ParameterError("text and token stream disagree; rebuild the corpus cache")
        out.append(pos)
        pos += len(s)
    return out


def _context(text: str, a: int, b: int) -> str:
    return _SPACE.sub(" ", text[a:b]).strip()


def kwic_build(corpus, hits: pd.DataFrame, width: int = 60) -> pd.DataFrame:
    """Build keyword-in-context lines for hits.

    Args:
        corpus: the ``prepare.Corpus`` the hits come from.
        hits: ``terms_locate`` hits (masked hits are included, flagged ``masked``).
        width: characters of context on each side (cut back to a whole word).

    Returns:
        One row per hit (``KWIC_COLUMNS``), in corpus order: left, match and right are
        text as written (whitespace collapsed); left_word and right_word are the
        lowercase neighbouring tokens ("" at a document edge), for sorting.
    """
    if width < 0:
        raise ParameterError(f"kwic width={width}: give 0 or more characters")
    form_ids = corpus.ids("form")
    h = hits.sort_values("start", kind="stable")
    start = h["start"].to_numpy(dtype=np.int64)
    length = h["length"].to_numpy(dtype=np.int64)
    doc = h["doc"].to_numpy(dtype=np.int64)
    rows = []
    bounds = np.flatnonzero(np.diff(doc)) + 1
    for lo, hi in zip(np.r_[0, bounds], np.r_[bounds, len(doc)], strict=True):
        if lo == hi:
            continue
        d = int(doc[lo])
        text = corpus.texts[d]
        d0, d1 = int(corpus.doc_starts[d]), int(corpus.doc_starts[d + 1])
        last = int((start[lo:hi] + length[lo:hi]).max()) - d0
        surfaces = [corpus.vocab[t] for t in corpus.tokens[d0 : d0 + last]]
        offs = _starts(text, surfaces)
        for r in range(lo, hi):
            i, k = int(start[r]) - d0, int(length[r])
            a, b = offs[i], offs[i + k - 1] + len(surfaces[i + k - 1])
            lo_c, hi_c = max(0, a - width), min(len(text), b + width)
            left, right = _context(text, lo_c, a), _context(text, b, hi_c)
            # A word cut by the width is dropped, so contexts start and end on whole words.
            if 0 < lo_c < a and text[lo_c - 1].isalnum() and text[lo_c].isalnum():
                left = left.split(" ", 1)[1] if " " in left else ""
            if b < hi_c < len(text) and text[hi_c - 1].isalnum() and text[hi_c].isalnum():
                right = right.rsplit(" ", 1)[0] if " " in right else ""
            lw = corpus.forms[form_ids[start[r] - 1]] if i > 0 else ""
            rw = corpus.forms[form_ids[start[r] + k]] if start[r] + k < d1 else ""
            rows.append((r, left, _context(text, a, b), right, lw, rw))
    cols = ["row", "left", "match", "right", "left_word", "right_word"]
    df = pd.DataFrame(rows, columns=cols)
    order = df["row"].to_numpy(dtype=np.int64)
    df["family"] = h["family"].to_numpy()[order]
    df["masked"] = h["masked"].to_numpy(dtype=bool)[order]
    meta = corpus.meta
    for c in ("doc_id", "actor", "actor_level", "date"):
        df[c] = meta[c].to_numpy()[doc[order]] if c in meta.columns else ""
    return df[KWIC_COLUMNS]


def kwic_sort(kwic: pd.DataFrame, by: str = "right") -> pd.DataFrame:
    """Sort KWIC lines within each family by the word right (or left) of the match.

    Args:
        kwic: ``kwic_build`` lines.
        by: "right" or "left".

    Returns:
        The lines sorted by family, then the neighbouring word, then the match.
    """
    if by not in ("left", "right"):
        raise ParameterError(f"kwic sort by={by!r}: use 'left' or 'right'")
    return kwic.sort_values(["family", f"{by}_word", "match"], kind="stable", ignore_index=True)


def kwic_sample(kwic: pd.DataFrame, n: int, seed: int, masked: bool = False) -> pd.DataFrame:
    """Draw up to ``n`` lines per family at random (reproducible), ordered by date.

    Args:
        kwic: ``kwic_build`` lines.
        n: lines per family.
        seed: the study seed (``ordbruk.stats.actors.rng_make``).
        masked: include masked mentions (default: uses only).

    Returns:
        The sample, sorted by family and date.
    """
    rng = rng_make(seed)
    pool = kwic if masked else kwic[~kwic["masked"]]
    parts = []
    for _fam, g in pool.groupby("family", sort=True):
        take = rng.choice(len(g), size=min(n, len(g)), replace=False)
        parts.append(g.iloc[np.sort(take)])
    if not parts:
        return pool.iloc[0:0]
    return pd.concat(parts).sort_values(["family", "date"], kind="stable", ignore_index=True)


def dispersion_positions(corpus, hits: pd.DataFrame) -> pd.DataFrame:
    """Relative position of each use in its document, documents ranked by date.

    Args:
        corpus: the corpus the hits come from.
        hits: ``terms_locate`` hits (masked hits are left out).

    Returns:
        family, doc_id, date, position (0 = first token, 1 = last) and doc_rank (0 =
        earliest document with any use; undated documents last).
    """
    h = hits[~hits["masked"].to_numpy(dtype=bool)]
    d = h["doc"].to_numpy(dtype=np.int64)
    a = corpus.doc_starts[d]
    n = np.maximum(corpus.doc_starts[d + 1] - a - 1, 1)
    dates = corpus.meta["date"].astype(str).to_numpy()
    with_hits = np.unique(d)
    order = sorted(with_hits, key=lambda i: (dates[i] == "", dates[i], i))
    rank = {doc: r for r, doc in enumerate(order)}
    return pd.DataFrame(
        {
            "family": h["family"].to_numpy(),
            "doc_id": corpus.meta["doc_id"].to_numpy()[d],
            "date": dates[d],
            "position": (h["start"].to_numpy() - a) / n,
            "doc_rank": [rank[i] for i in d],
        }
    )


def dispersion_plot(positions: pd.DataFrame, families: list[str], max_docs: int = 400):
    """Plot where in each document each family occurs (one column strip per family).

    Args:
        positions: ``dispersion_positions`` output.
        families: strip order, left to right.
        max_docs: show at most this many documents (the earliest by date; the figure's
            notes should say so when more have uses).

    Returns:
        A matplotlib Figure with one axes (cheap to render): each family has a strip
        [i, i + 1) in which x is the relative position in the document; y = documents
        ordered by date, earliest at the top; one tick per use.
    """
    import matplotlib.pyplot as plt

    p = positions[positions["doc_rank"] < max_docs]
    n_docs = int(p["doc_rank"].max()) + 1 if len(p) else 1
    fam_x = {f: i for i, f in enumerate(families)}
    p = p[p["family"].isin(fam_x)]
    x = p["family"].map(fam_x).to_numpy(dtype=float) + 0.05 + 0.9 * p["position"].to_numpy()
    fig, ax = plt.subplots(
        figsize=(max(4.0, 0.75 * len(families) + 1.5), min(2 + 0.02 * n_docs, 9))
    )
    ax.scatter(x, p["doc_rank"], marker="|", s=25, linewidths=0.7, color="black")
    for i in range(1, len(families)):
        ax.axvline(i, color="0.6", lw=0.6)
    ax.set_xlim(0, len(families))
    ax.set_xticks([i + 0.5 for i in range(len(families))])
    ax.set_xticklabels(families, rotation=45, ha="right")
    ax.set_ylim(n_docs - 0.5, -0.5)
    ax.set_ylabel("documents by date (earliest at top)")
    ax.set_xlabel("position within each document, start to end, per family")
    return fig


def terms_trend(
    counts: pd.DataFrame, meta: pd.DataFrame, group_by: str = "actor_level", min_docs: int = 5
) -> pd.DataFrame:
    """Frequency per year and group, with the documents behind each point and a sparse flag.

    Args:
        counts: ``terms_count`` rows per document.
        meta: ``corpus.meta`` with ``year`` (undated documents are left out).
        group_by: the grouping column.
        min_docs: a point resting on fewer documents is flagged ``sparse``.

    Returns:
        ``terms_aggregate`` by year and ``group_by``, plus ``sparse``.
    """
    dated = meta[pd.to_numeric(meta["year"], errors="coerce").notna()].copy()
    dated["year"] = pd.to_numeric(dated["year"]).astype(int)
    c = counts[counts["doc_id"].isin(dated["doc_id"])]
    out = terms_aggregate(c, dated, ["year", group_by])
    out["sparse"] = out["n_docs"] < min_docs
    return out


def _gaps_broken(s: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray]:
    """Return x, y with NaN inserted where years are missing, so lines do not bridge gaps."""
    x = s["year"].to_numpy(dtype=float)
    y = s[col].to_numpy(dtype=float)
    if len(x) < 2:
        return x, y
    cut = np.flatnonzero(np.diff(x) > 1) + 1
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def trends_plot(trend: pd.DataFrame, families: list[str], group_by: str = "actor_level"):
    """Plot frequency per year by group, one panel per family, documents per year below.

    Lines join only points resting on enough documents and break at missing years;
    sparse points (``trend.sparse``) are hollow markers without a line, and a sparse
    point above the highest solid point is drawn at the panel's top edge as a hollow
    triangle, so one tiny year cannot flatten the rest. Groups differ by marker and line
    style as well as colour, so the figure reads in black and white.

    Returns:
        A matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    groups = sorted(trend[group_by].astype(str).unique())
    markers, styles = "osDv<>PX", ["-", "--", ":", "-."]
    ncol = 2 if len(families) > 1 else 1
    nrow = int(np.ceil(len(families) / ncol)) + 1
    fig, axes = plt.subplots(nrow, ncol, figsize=(7.2, 2.0 * nrow), squeeze=False, sharex=True)
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for ax, fam in zip(axes.flat, families, strict=False):
        t = trend[trend["family"] == fam]
        dense_max = t.loc[~t["sparse"], "freq_per_10k"].max()
        top = 1.15 * dense_max if dense_max > 0 else None
        for j, g in enumerate(groups):
            s = t[t[group_by].astype(str) == g].sort_values("year")
            m, ls, col = markers[j % 8], styles[j % 4], colors[j % len(colors)]
            dense, sparse = s[~s["sparse"]], s[s["sparse"]]
            ax.plot(*_gaps_broken(dense, "freq_per_10k"), ls=ls, lw=1, color=col)
            ax.plot(dense["year"], dense["freq_per_10k"], m, ms=4, color=col)
            y = sparse["freq_per_10k"].to_numpy(dtype=float)
            over = (y > top) if top else np.zeros(len(y), bool)
            ax.plot(sparse["year"][~over], y[~over], m, ms=4, mfc="white", color=col)
            ax.plot(
                sparse["year"][over],
                np.full(over.sum(), top),
                "^",
                ms=5,
                mfc="white",
                color=col,
                clip_on=False,
            )
        ax.set_title(fam, fontsize=10)
        ax.set_ylabel("per 10k tokens", fontsize=8)
        ax.set_ylim(0, top)
        ax.tick_params(labelbottom=True)
    docs = trend.drop_duplicates(["year", group_by])
    last = axes[-1, 0]
    for j, g in enumerate(groups):
        s = docs[docs[group_by].astype(str) == g].sort_values("year")
        x, y = _gaps_broken(s, "n_docs")
        last.plot(
            x, y, markers[j % 8] + styles[j % 4], ms=3, lw=1, label=g, color=colors[j % len(colors)]
        )
    last.set_yscale("log")
    last.set_title("documents per year (behind each point)", fontsize=10)
    last.legend(fontsize=8, frameon=False, ncol=2, title=group_by, title_fontsize=8)
    for ax in axes[-1, 1:]:
        ax.set_visible(False)
    for ax in list(axes.flat)[len(families) : (nrow - 1) * ncol]:
        ax.set_visible(False)
    fig.subplots_adjust(hspace=0.6, wspace=0.3)
    return fig
