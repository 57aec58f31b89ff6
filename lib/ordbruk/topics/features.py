"""Features for topic models: lemmas without stop words, filtered, families optionally merged.

The modelled matrix counts lemmas (``Corpus.dtm(token_level="lemma")``) per unit (document or
paragraph), drops the shipped Swedish stop words, keeps terms whose unit frequency lies
between ``min_df`` and ``max_df`` and drops units left without any term. Optionally each
term family (``ordbruk.terms.families``) becomes one feature, so "segregation",
"bostadssegregation" and "segregationen" count as one word and the model is not pushed
to split a concept over its compounds. Family membership is decided per word form by the
term-family rules; a lemma joins a family when one of its forms is a member (names to
mask are not removed here: they are a concern of counting, not of co-occurrence).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ordbruk.errors import ParameterError
from ordbruk.terms import families as term_families
from ordbruk.text.tokenize import names_load, stoplist_make, stoplist_of, stopwords_load

UNITS = ("document", "paragraph")


@dataclass
class Features:
    """The modelled unit-term matrix and where each row came from.

    Attributes:
        X: units x terms counts (CSR, int64), only units with at least one feature.
        terms: the feature names (lemmas, or family names for collapsed families).
        unit: "document" or "paragraph".
        unit_index: index of each row's unit in ``corpus.units(unit)``.
        unit_doc: document index of each row.
        n_units_total: units in the corpus before dropping empty ones.
        settings: the feature settings, for method notes.
        families_collapsed: family name -> lemmas merged into it (empty if none).
    """

    X: sp.csr_matrix
    terms: list[str]
    unit: str
    unit_index: np.ndarray
    unit_doc: np.ndarray
    n_units_total: int
    settings: dict = field(default_factory=dict)
    families_collapsed: dict = field(default_factory=dict)


def _df_limit(value, n_units: int, name: str) -> int:
    """Turn a min_df / max_df parameter (unit count or share of units) into a unit count.

    A share is a value below 1 for min_df and at most 1 for max_df (so min_df 1.0 means one
    unit and max_df 1.0 means all units, whether YAML reads them as int or float).
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(f"{name} must be a number, got {value!r}")
    share_max = 1 if name == "max_df" else 1 - 1e-12
    if 0 < value <= share_max:
        return int(np.ceil(value * n_units)) if name == "min_df" else int(value * n_units)
    if value >= 1 and float(value).is_integer():
        return int(value)
    raise ParameterError(
        f"{name} must be a share of units in (0, 1) or a whole unit count, got {value!r}"
    )


def features_filter(X, terms: list[str], min_df=2, max_df=0.5) -> tuple[sp.csr_matrix, list[str]]:
    """Keep terms whose unit frequency lies within [min_df, max_df].

    Args:
        X: units x terms counts.
        terms: column names.
        min_df: minimum number of units containing a term, or share of units if below 1.
        max_df: maximum share of units (<= 1) or number (> 1); very common words carry
            no topic.

    Returns:
        The filtered matrix and its terms.
    """
    X = sp.csr_matrix(X)
    n = X.shape[0]
    lo, hi = _df_limit(min_df, n, "min_df"), _df_limit(max_df, n, "max_df")
    df = np.asarray((X > 0).sum(axis=0)).ravel()
    keep = np.flatnonzero((df >= lo) & (df <= hi))
    return X[:, keep].tocsr(), [terms[i] for i in keep]


def families_collapse(X, terms: list[str], family_of: dict[str, str]):
    """Sum the columns of each term family's members into one feature named by the family.

    Args:
        X: units x terms counts.
        terms: column names (lemmas).
        family_of: lemma -> family name, for members only.

    Returns:
        (matrix, terms, feature name -> sorted member lemmas found in ``terms``); family
        features are named "fam:<family>".
    """
    X = sp.csc_matrix(X)
    names: list[str] = []
    index: dict[str, int] = {}
    col_target = np.empty(len(terms), dtype=np.int64)
    members: dict[str, list[str]] = {}
    for j, t in enumerate(terms):
        # A prefix keeps a family feature apart from a lemma spelled like the family name.
        name = f"fam:{family_of[t]}" if t in family_of else t
        if t in family_of:
            members.setdefault(name, []).append(t)
        if name not in index:
            index[name] = len(names)
            names.append(name)
        col_target[j] = index[name]
    M = sp.csr_matrix(
        (np.ones(len(terms)), (np.arange(len(terms)), col_target)), shape=(len(terms), len(names))
    )
    out = (X @ M).tocsr().astype(np.int64)
    return out, names, {k: sorted(v) for k, v in members.items()}


def topics_features(
    corpus,
    unit: str = "paragraph",
    min_df=2,
    max_df=0.5,
    stopwords=None,
    family_of: dict[str, str] | None = None,
    drop_names: bool = False,
) -> Features:
    """Build the modelled matrix: lemmas without stop words, filtered by unit frequency.

    Args:
        corpus: an ``ordbruk.text.corpus.Corpus``.
        unit: "document" or "paragraph".
        min_df: see ``features_filter``.
        max_df: see ``features_filter``.
        stopwords: stop words to drop (``Corpus.stop_forms``); None loads the shipped list.
        family_of: optional lemma -> family name mapping; each family becomes one feature
            (applied before the frequency filter).
        drop_names: leave the shipped place names out too (``tokenize.names_load``), so
            that topics are not the places each kind of actor writes about.

    Returns:
        Features; units left without any feature are dropped (counted in n_units_total).
    """
    if unit not in UNITS:
        raise ParameterError(f"unit must be one of {UNITS}, got {unit!r}")
    n_stopwords = len(stopwords_load() if stopwords is None else stopwords)
    n_stop_removed = corpus.stopword_count(stopwords_load() if stopwords is None else stopwords)
    if stopwords is None:
        stopwords = stoplist_make(True, drop_names)
    elif drop_names:
        stopwords = stoplist_make(False, True).union(stoplist_of(stopwords))
    X, terms, unit_doc = corpus.dtm(
        token_level="lemma", unit=unit, words_only=True, stopwords=stopwords
    )
    collapsed: dict = {}
    if family_of:
        X, terms, collapsed = families_collapse(X, terms, family_of)
    n_total = X.shape[0]
    X, terms = features_filter(X, terms, min_df, max_df)
    keep = np.flatnonzero(np.asarray(X.sum(axis=1)).ravel() > 0)
    settings = {
        "unit": unit,
        "token_level": "lemma",
        "min_df": min_df,
        "max_df": max_df,
        "n_stopwords": n_stopwords,
        "n_stop_removed": n_stop_removed,
        "n_names_removed": corpus.stopword_count(names_load()) if drop_names else None,
        "families": bool(family_of),
    }
    return Features(
        X=X[keep].astype(np.int64).tocsr(),
        terms=list(terms),
        unit=unit,
        unit_index=keep.astype(np.int64),
        unit_doc=np.asarray(unit_doc)[keep].astype(np.int64),
        n_units_total=n_total,
        settings=settings,
        families_collapsed=collapsed,
    )


def families_lemma_map(corpus, names=None) -> tuple[dict[str, str], str]:
    """Map lemmas to term families (``ordbruk.terms.families``).

    Args:
        corpus: an ``ordbruk.text.corpus.Corpus``.
        names: family names (None: every shipped family).

    Returns:
        (lemma -> family name, a sentence for the method notes).
    """
    families = term_families.families_resolve(list(names) if names else None)
    index = term_families.FormIndex.of_corpus(corpus)
    out: dict[str, str] = {}
    for fam in families:
        for form_id in term_families.family_forms(fam, index):
            # First family wins: a lemma is one feature, so it cannot join two families.
            out.setdefault(corpus.lemmas[corpus.lemma[form_id]], fam.name)
    n_fam = len(set(out.values()))
    return out, (
        f"{len(out):,} lemmas of {n_fam} term families (ordbruk.terms.families) were each merged "
        "into one feature named `fam:<family>`."
    )
