"""Keyness within genres: a term is key for a group only where genre is held constant.

Pooled keyness of national against local actors on a corpus where local actors write only
event descriptions finds the vocabulary of event descriptions. ``keyness_within_strata``
runs every comparison again inside each stratum (genre) that both sides write, judging
each within-stratum comparison with the one adequacy policy (``stats.groups``), and
``keywords_consistent`` keeps, for each pooled key term, the verdict across strata:

- a term is **consistent** for a side when it is key (``p_adj_bh <= p_max`` and
  ``|Log Ratio| >= log_ratio_min``) in the pooled direction in at least one adequate
  stratum and key the other way in none (a stratum where it is merely not significant does
  not count against it);
- ``n_strata_tested`` / ``n_strata_key`` say how many strata that is; a term no adequate
  stratum tests is "not testable within strata" (``consistent`` empty), not a failure.

This is the rule "key in the same direction in the strata that have it"; the pooled
keyness stays, titled as pooled over genres.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.rhetoric.fightin_words import fightin_words_compare
from ordbruk.rhetoric.keyness import keyness_compare
from ordbruk.stats.actors import actors_key
from ordbruk.stats.groups import Comparison, comparisons_adequacy, labels_get


def keyness_within_strata(
    dtm,
    terms,
    comparisons,
    meta: pd.DataFrame,
    strata: str,
    settings: dict | None = None,
    min_docs: int = 10,
    min_actors: int = 5,
    min_tokens: int = 20_000,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run each comparison inside each stratum both sides write.

    Args:
        dtm: documents x terms counts (rows in ``meta`` order).
        terms: the terms (columns).
        comparisons: the pooled comparisons (``comparisons_build``).
        meta: the corpus metadata (``actor`` and ``n_tokens`` for the adequacy policy).
        strata: the stratum column ("": no stratum, nothing is compared).
        settings: the notebook's settings: ``min_freq`` (minimum a + b for a term to be
            tested in a stratum, default 5), ``fw_prior`` and ``fw_prior_size`` (Fightin'
            Words inside the stratum, defaults "corpus" and 1000).
        min_docs: adequacy threshold per side and stratum: documents.
        min_actors: adequacy threshold per side and stratum: distinct actors.
        min_tokens: adequacy threshold per side and stratum: tokens.

    Returns:
        ``(keyness, sizes)``: the keyness rows with a ``stratum`` column and the term's
        Fightin' Words z inside the stratum (``fw_z``; only strata where the
        within-stratum comparison is not descriptive only), and the adequacy record of
        every within-stratum comparison tried (with ``stratum``).
    """
    s = settings or {}
    min_freq = s.get("min_freq", 5)
    prior, prior_size = s.get("fw_prior", "corpus"), s.get("fw_prior_size", 1000.0)
    actors = actors_key(meta["actor"], meta["doc_id"] if "doc_id" in meta else None)
    tokens = meta["n_tokens"].to_numpy()
    strata_labels = labels_get(meta, strata, "strata") if strata else np.full(len(meta), "")
    strata_labels = np.asarray(strata_labels, dtype=object)
    names = sorted(set(strata_labels) - {""})
    subs, where = [], []
    for comp in comparisons:
        for s in names:
            in_s = strata_labels == s
            a, b = comp.docs_a & in_s, comp.docs_b & in_s
            if a.any() and b.any():
                subs.append(Comparison(comp.group_a, comp.group_b, a, b))
                where.append(s)
    cols = ["stratum", "group_a", "group_b"]
    if not subs:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    sizes = comparisons_adequacy(subs, actors, tokens, min_docs, min_actors, min_tokens)
    sizes.insert(0, "stratum", where)
    frames = []
    for comp, stratum, small in zip(subs, where, sizes["descriptive_only"], strict=True):
        if small:
            continue
        k = keyness_compare(dtm, terms, [comp], min_freq=min_freq)
        fw = fightin_words_compare(dtm, terms, [comp], prior, prior_size, min_freq)
        k = k.merge(fw[["term", "z"]].rename(columns={"z": "fw_z"}), on="term", how="left")
        k.insert(0, "stratum", stratum)
        frames.append(k)
    keyness = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return keyness, sizes


def keywords_consistent(
    top: pd.DataFrame,
    within: pd.DataFrame,
    p_max: float = 0.05,
    log_ratio_min: float = 1.0,
    confounded: bool = False,
) -> pd.DataFrame:
    """Say, for each pooled key term, whether it is key the same way inside every stratum.

    Args:
        top: pooled ``keywords_top`` rows (group_a, group_b, term, direction).
        within: ``keyness_within_strata``'s keyness.
        p_max: the BH-adjusted p a key term reaches, as for the pooled table.
        log_ratio_min: the |Log Ratio| a key term reaches, as for the pooled table.
        confounded: the design is flagged (``stats.design``): the groups differ in genre.

    The last condition of the one rule (``keyness.keywords_pass``) is applied here to
    ``passes``: a term key the other way in an adequate stratum never passes; when the
    design is confounded, a term passes only when it is consistent, since a term no stratum
    shows cannot be told apart from the genre mix.

    Returns:
        ``top`` with ``n_strata_tested``, ``n_strata_key`` (key in the pooled direction),
        ``n_strata_opposite`` and ``consistent`` (True, False, or NA when no adequate
        stratum tests the term).
    """
    keys = ["group_a", "group_b", "term"]
    out = top.copy()
    if within.empty or "term" not in within:
        out[["n_strata_tested", "n_strata_key", "n_strata_opposite"]] = 0
        out["consistent"] = pd.array([pd.NA] * len(out), dtype="boolean")
        if "passes" in out and confounded:
            out["passes"] = False
        return out
    w = within.copy()
    key = (w["p_adj_bh"] <= p_max) & (w["log_ratio"].abs() >= log_ratio_min)
    w["key_a"] = key & (w["g2"] > 0)
    w["key_b"] = key & (w["g2"] < 0)
    agg = w.groupby(keys).agg(
        n_strata_tested=("stratum", "nunique"), key_a=("key_a", "sum"), key_b=("key_b", "sum")
    )
    out = out.merge(agg.reset_index(), on=keys, how="left")
    out[["n_strata_tested", "key_a", "key_b"]] = out[["n_strata_tested", "key_a", "key_b"]].fillna(
        0
    )
    side_a = out["direction"] == out["group_a"]
    out["n_strata_key"] = np.where(side_a, out["key_a"], out["key_b"]).astype(int)
    out["n_strata_opposite"] = np.where(side_a, out["key_b"], out["key_a"]).astype(int)
    out["n_strata_tested"] = out["n_strata_tested"].astype(int)
    # Consistent: key the pooled way in at least one adequate stratum and significantly key
    # the other way in none (a small stratum where the term is merely not significant does
    # not count against it).
    consistent = (out["n_strata_key"] >= 1) & (out["n_strata_opposite"] == 0)
    out["consistent"] = consistent.astype("boolean").mask(out["n_strata_tested"] == 0)
    if "passes" in out:
        ok = out["n_strata_opposite"] == 0
        if confounded:
            ok &= out["consistent"].fillna(False).astype(bool)
        out["passes"] = out["passes"].astype(bool) & ok
    return out.drop(columns=["key_a", "key_b"])
