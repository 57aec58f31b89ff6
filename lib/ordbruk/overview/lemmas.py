"""Lemmas that join different words: an audit table of the lemmatiser.

simplemma gives every form one lemma and knows no part of speech, so two words can share
a lemma ("ska" and "skola" did before ``resources/lemma_corrections_sv.txt``). This table
lists the lemmas whose merge a reader should check, as the forms table of a family lets
them check a family. A lemma is listed when it has at least two frequent forms (each at
least ``min_count`` tokens) and the merge is doubtful:

- "function and content forms": some of its frequent forms are stop words (the shipped
  list, ``Corpus.stop_forms``: the test every analysis removes them by) and some are not, so the lemma mixes a function word
  with a content word (e.g. "man" the pronoun and "män" the noun);
- "forms of another stem": a frequent form does not begin with the first three letters of
  the lemma (the whole lemma when it is shorter), so the merge rests on simplemma's table
  alone (irregular inflection such as "gick" -> gå, or a homograph such as "ska" -> skola).

A lemma all of whose frequent forms are stop words ("en", "ett") is not listed: stop-word
removal takes all of it, and the merge of two function words misleads no table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.text.corpus import Corpus
from ordbruk.text.tokenize import stopwords_load

LEMMA_JOIN_COLUMNS = ("lemma", "lemma_tokens", "reason", "form", "tokens", "share", "stop_word")

#: Letters of the lemma a form must begin with not to count as "forms of another stem".
STEM_PREFIX = 3


def _other_stem(form: str, lemma: str) -> bool:
    n = min(STEM_PREFIX, len(lemma))
    return form[:n] != lemma[:n]


def lemma_joins(corpus: Corpus, min_count: int = 20) -> pd.DataFrame:
    """Return the lemmas that join different words, one row per frequent form.

    Args:
        corpus: a prepared corpus.
        min_count: a form is frequent with at least this many tokens.

    Returns:
        Columns ``LEMMA_JOIN_COLUMNS``: the lemma, its tokens (all forms), why it is
        listed ("function and content forms", "forms of another stem", or both joined by
        "; "), each frequent form with its tokens, its share of the lemma's tokens and
        whether it is a stop word (``Corpus.stop_forms``). Sorted by lemma tokens, then form tokens.
    """
    forms = corpus.lower[corpus.tokens]
    count = np.bincount(forms, minlength=len(corpus.forms))
    lemma_tokens = np.bincount(corpus.lemma, weights=count, minlength=len(corpus.lemmas))
    stop = corpus.stop_forms(stopwords_load())
    frequent = np.flatnonzero((count >= min_count) & corpus.form_is_word)
    by_lemma: dict[int, list[int]] = {}
    for f in frequent:
        by_lemma.setdefault(int(corpus.lemma[f]), []).append(int(f))
    rows = []
    for lem, fs in by_lemma.items():
        if len(fs) < 2:
            continue
        lemma = corpus.lemmas[lem]
        is_stop = [bool(stop[f]) for f in fs]
        if all(is_stop):
            continue
        reasons = []
        if any(is_stop):
            reasons.append("function and content forms")
        if any(_other_stem(corpus.forms[f], lemma) for f in fs):
            reasons.append("forms of another stem")
        if not reasons:
            continue
        total = int(lemma_tokens[lem])
        for f, s in zip(fs, is_stop, strict=True):
            n = int(count[f])
            rows.append((lemma, total, "; ".join(reasons), corpus.forms[f], n, n / total, s))
    out = pd.DataFrame(rows, columns=list(LEMMA_JOIN_COLUMNS))
    out = out.sort_values(["lemma_tokens", "lemma", "tokens"], ascending=[False, True, False])
    return out.reset_index(drop=True)
