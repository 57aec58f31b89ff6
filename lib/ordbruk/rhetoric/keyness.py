"""Keyness: which words one group of texts uses more than another, with effect sizes.

Vectorised statistics over whole vocabularies (count vectors, one entry per term) for a
target group T against a reference group R, exactly as defined in METHODS.md:
log-likelihood G2 with p and Benjamini-Hochberg adjustment, Log Ratio and %DIFF
(Fightin' Words, the log-odds alternative, is in ``ordbruk.rhetoric.fightin_words``).
Comparisons come from ``ordbruk.stats.groups.comparisons_build`` (every pair, and each
group against the rest when there are three or more groups); ``actors_bootstrap`` checks
that a key term is not the work of one prolific actor by resampling actors, not documents
(the bootstrap of ``ordbruk.stats.actors``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import chi2

from ordbruk.progress import steps
from ordbruk.stats import actors as sa
from ordbruk.stats.groups import group_counts

ZERO_SUBSTITUTE = 0.5  # Hardie (2014): a zero count is replaced by 0.5 for Log Ratio


def _arrays(*xs):
    return [np.asarray(x, dtype=float) for x in xs]


def g2_compute(a, b, c, d) -> tuple[np.ndarray, np.ndarray]:
    """Compute signed log-likelihood G2 and its p value (Rayson and Garside 2000).

    Args:
        a: counts of each term in the target group T.
        b: counts of each term in the reference group R.
        c: total tokens of T (scalar or array).
        d: total tokens of R (scalar or array).

    Returns:
        ``(g2, p)``: G2 is positive when ``a / c > b / d`` (overuse in T) and negative
        for underuse; p is the chi-square (1 df) survival function of ``|G2|``.
    """
    a, b, c, d = _arrays(a, b, c, d)
    n = c + d
    e1 = c * (a + b) / n
    e2 = d * (a + b) / n
    with np.errstate(divide="ignore", invalid="ignore"):
        # A zero count contributes 0 (the limit of x ln x as x -> 0).
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    g2 = 2.0 * (t1 + t2)
    g2 = np.maximum(g2, 0.0)  # rounding can give -1e-13 for equal proportions
    p = chi2.sf(g2, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        over = a * d >= b * c
    return np.where(over, g2, -g2), p


def p_adjust_bh(p) -> np.ndarray:
    """Adjust p values for the false discovery rate (Benjamini and Hochberg 1995).

    Args:
        p: raw p values; NaN stays NaN and is not counted among the tests.

    Returns:
        Adjusted p values in the input order, capped at 1.
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    m = q.size
    if m == 0:
        return out
    order = np.argsort(q)
    ranked = q[order] * m / np.arange(1, m + 1)
    # The running minimum from the largest p down keeps the adjusted values monotone.
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(m)
    adj[order] = np.minimum(ranked, 1.0)
    out[ok] = adj
    return out


def log_ratio_compute(a, b, c, d, zero: float = ZERO_SUBSTITUTE) -> np.ndarray:
    """Compute Log Ratio, ``log2((a / c) / (b / d))`` (Hardie 2014).

    Args:
        a: counts in T.
        b: counts in R.
        c: total tokens of T.
        d: total tokens of R.
        zero: the value that replaces a zero count (Hardie's 0.5).

    Returns:
        Log Ratio per term: +1 means twice as frequent in T.
    """
    a, b, c, d = _arrays(a, b, c, d)
    a = np.where(a == 0, zero, a)
    b = np.where(b == 0, zero, b)
    return np.log2((a / c) / (b / d))


def pct_diff_compute(a, b, c, d, zero: float = ZERO_SUBSTITUTE) -> np.ndarray:
    """Compute %DIFF, ``100 * (a/c - b/d) / (b/d)`` (Gabrielatos and Marchi 2012).

    Args:
        a: counts in T.
        b: counts in R; a zero is replaced by ``zero`` (else %DIFF is infinite).
        c: total tokens of T.
        d: total tokens of R.
        zero: substitute for a zero count in R, as for Log Ratio.

    Returns:
        %DIFF per term.
    """
    a, b, c, d = _arrays(a, b, c, d)
    b = np.where(b == 0, zero, b)
    return 100.0 * (a / c - b / d) / (b / d)


def keyness_table(a, b, c: float, d: float, terms, min_freq: int = 1) -> pd.DataFrame:
    """Compute every keyness statistic for one comparison, one row per term.

    Args:
        a: counts of each term in T.
        b: counts of each term in R.
        c: total tokens of T.
        d: total tokens of R.
        terms: the term strings, aligned with ``a`` and ``b``.
        min_freq: keep terms with ``a + b >= min_freq``; BH adjusts over the kept terms.

    Returns:
        DataFrame with term, a, b, c, d, g2, p, p_adj_bh, log_ratio, pct_diff, sorted by
        G2 (overuse in T first).
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    keep = (a + b) >= max(int(min_freq), 1)
    a, b = a[keep], b[keep]
    terms = np.asarray(terms, dtype=object)[keep]
    g2, p = g2_compute(a, b, c, d)
    df = pd.DataFrame(
        {
            "term": terms,
            "a": a,
            "b": b,
            "c": int(c),
            "d": int(d),
            "g2": g2,
            "p": p,
            "p_adj_bh": p_adjust_bh(p),
            "log_ratio": log_ratio_compute(a, b, c, d),
            "pct_diff": pct_diff_compute(a, b, c, d),
        }
    )
    return df.sort_values(["g2", "term"], ascending=[False, True], ignore_index=True)


def keyness_compare(dtm, terms, comparisons, min_freq: int = 5) -> pd.DataFrame:
    """Run ``keyness_table`` for every comparison over a document-term matrix.

    Args:
        dtm: documents x terms counts (scipy sparse), rows aligned with the masks.
        terms: term strings (columns of ``dtm``).
        comparisons: from ``ordbruk.stats.groups.comparisons_build``.
        min_freq: minimum ``a + b`` for a term to be tested.

    Returns:
        Long table: group_a, group_b, then the ``keyness_table`` columns. c and d count
        the tokens in ``dtm`` (words only, after any stop-word removal done there).
    """
    dtm = sparse.csr_matrix(dtm)
    frames = []
    for comp in comparisons:
        a = group_counts(dtm, comp.docs_a)
        b = group_counts(dtm, comp.docs_b)
        df = keyness_table(a, b, a.sum(), b.sum(), terms, min_freq=min_freq)
        df.insert(0, "group_b", comp.group_b)
        df.insert(0, "group_a", comp.group_a)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def keywords_top(
    keyness: pd.DataFrame, n: int = 20, p_max: float = 0.05, log_ratio_min: float = 1.0
):
    """Pick the top keywords each way for every comparison in a ``keyness_compare`` table.

    Terms are ranked by |G2| among those whose |Log Ratio| reaches ``log_ratio_min`` (an
    effect-size filter); ``passes`` says whether ``p_adj_bh <= p_max`` as well, so that
    small comparisons still show their (descriptive) top terms, clearly marked.

    Args:
        keyness: output of ``keyness_compare``.
        n: terms per direction and comparison.
        p_max: threshold on the BH-adjusted p.
        log_ratio_min: minimum absolute Log Ratio.

    Returns:
        The selected rows with two more columns: ``direction`` (the group that uses the
        term more) and ``passes`` (bool).
    """
    df = keyness[keyness["log_ratio"].abs() >= log_ratio_min]
    parts = []
    for (ga, gb), sub in df.groupby(["group_a", "group_b"], sort=False):
        up = sub[sub["g2"] > 0].nlargest(n, "g2").assign(direction=ga)
        down = sub[sub["g2"] < 0].nsmallest(n, "g2").assign(direction=gb)
        parts += [up, down]
    cols = [*keyness.columns, "direction", "passes"]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["passes"] = out["p_adj_bh"] <= p_max
    return out[cols]


def actors_bootstrap(
    dtm,
    terms,
    doc_actor,
    comparisons,
    key_terms: pd.DataFrame,
    n_boot: int = 1000,
    seed: int = 0,
    ci_level: float = 0.95,
) -> pd.DataFrame:
    """Check key terms at the level of actors: who uses them, and a bootstrap CI over actors.

    Relative frequency of a term in a group = the group's count / its tokens, per 10,000
    tokens. The CI of the difference (group_a minus group_b) resamples actors with
    replacement within each group (all documents of a drawn actor come along), so a term
    used heavily by one prolific actor gets a wide interval.

    Args:
        dtm: documents x terms counts.
        terms: term strings (columns of ``dtm``).
        doc_actor: actor of each document; an empty actor counts as its own actor.
        comparisons: from ``ordbruk.stats.groups.comparisons_build``.
        key_terms: rows with group_a, group_b, term (e.g. from ``keywords_top``).
        n_boot: bootstrap replicates.
        seed: the study seed; one Generator for all comparisons, in order, side a before
            side b (``ordbruk.stats.actors.rng_make``).
        ci_level: confidence level of the percentile interval.

    Returns:
        One row per key term: group_a, group_b, term, n_actors_a, n_actors_b,
        n_actors_a_using, n_actors_b_using, top_actor_share_a, top_actor_share_b,
        freq_per_10k_a, freq_per_10k_b, diff_per_10k, ci_low, ci_high, n_boot; the
        interval is empty when a side rests on one actor.
    """
    dtm = sparse.csr_matrix(dtm)
    col = {t: i for i, t in enumerate(terms)}
    actors = sa.actors_key(doc_actor)
    doc_tokens = np.asarray(dtm.sum(axis=1)).ravel()
    rng = sa.rng_make(seed)
    rows = []
    for comp in steps(comparisons, desc="actor bootstrap", unit="comparison"):
        sel = key_terms[
            (key_terms["group_a"] == comp.group_a) & (key_terms["group_b"] == comp.group_b)
        ]
        want = list(dict.fromkeys(t for t in sel["term"] if t in col))
        if not want:
            continue
        cols = [col[t] for t in want]
        side = {}
        for name, mask in (("a", comp.docs_a), ("b", comp.docs_b)):
            docs = np.flatnonzero(mask)
            _, counts, _ = sa.actors_sum(actors[docs], dtm[docs][:, cols])
            _, totals, _ = sa.actors_sum(actors[docs], doc_tokens[docs])
            side[name] = (counts, totals, sa.actors_bootstrap(rng, counts, totals, n_boot))
        ca, ta, ba = side["a"]
        cb, tb, bb = side["b"]
        lo, hi = sa.interval_percentile((ba - bb) * 1e4, ci_level)
        if min(ta.size, tb.size) < 2:  # one actor on a side: resampling says nothing
            lo, hi = np.full(len(want), np.nan), np.full(len(want), np.nan)
        fa = ca.sum(axis=0) / max(ta.sum(), 1) * 1e4
        fb = cb.sum(axis=0) / max(tb.sum(), 1) * 1e4
        with np.errstate(divide="ignore", invalid="ignore"):
            top_a = ca.max(axis=0) / ca.sum(axis=0)
            top_b = cb.max(axis=0) / cb.sum(axis=0)
        rows.append(
            pd.DataFrame(
                {
                    "group_a": comp.group_a,
                    "group_b": comp.group_b,
                    "term": want,
                    "n_actors_a": ta.size,
                    "n_actors_b": tb.size,
                    "n_actors_a_using": (ca > 0).sum(axis=0),
                    "n_actors_b_using": (cb > 0).sum(axis=0),
                    "top_actor_share_a": top_a,
                    "top_actor_share_b": top_b,
                    "freq_per_10k_a": fa,
                    "freq_per_10k_b": fb,
                    "diff_per_10k": fa - fb,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n_boot": n_boot,
                }
            )
        )
    if not rows:
        return pd.DataFrame()
    return pd.concat(rows, ignore_index=True)


def keywords_pass(
    top: pd.DataFrame, actors_table: pd.DataFrame, min_actors: int = 5
) -> pd.DataFrame:
    """Apply the one rule that says a key term passes, to ``keywords_top`` rows.

    A term passes only when all hold: ``p_adj_bh <= p_max`` (``passes_test``, from
    ``keywords_top``), the comparison is not descriptive only, the actor-bootstrap interval
    of the difference excludes 0 on the term's side (``actors_bootstrap``), and at least
    ``min_actors`` actors of the side it is key for use it; and, applied after this by
    ``rhetoric.strata.keywords_consistent``, it is not key the other way (or not key) inside
    a genre, and when the groups differ in genre it is key the same way inside every genre
    that can test it. The top-keyword table, its bar charts and the index count all read the
    resulting ``passes``.

    Args:
        top: ``keywords_top`` rows, with ``descriptive_only`` merged in.
        actors_table: ``actors_bootstrap`` for those rows.
        min_actors: actors of the term's side who must use it (the adequacy threshold).

    Returns:
        ``top`` with ``passes_test`` (the p threshold alone), ``n_actors_using`` (on the
        side the term is key for), ``ci_excludes_0``, ``passes_actors`` and ``passes``.
    """
    keys = ["group_a", "group_b", "term"]
    cols = ["n_actors_a_using", "n_actors_b_using", "ci_low", "ci_high"]
    rob = actors_table[keys + cols] if len(actors_table) else pd.DataFrame(columns=keys + cols)
    out = top.rename(columns={"passes": "passes_test"}).merge(rob, on=keys, how="left")
    side_a = out["direction"] == out["group_a"]
    out["n_actors_using"] = np.where(side_a, out["n_actors_a_using"], out["n_actors_b_using"])
    out["n_actors_using"] = out["n_actors_using"].fillna(0).astype(int)
    lo, hi = out["ci_low"].to_numpy(float), out["ci_high"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        out["ci_excludes_0"] = np.where(side_a, lo > 0, hi < 0)
    out["passes_actors"] = out["ci_excludes_0"] & (out["n_actors_using"] >= min_actors)
    descriptive = out["descriptive_only"].astype(bool) if "descriptive_only" in out else False
    out["passes"] = out["passes_test"] & ~descriptive & out["passes_actors"]
    return out.drop(columns=cols)
