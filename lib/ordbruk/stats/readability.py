"""Readability and lexical diversity: LIX, mean sentence length, MTLD and MATTR.

Pure functions over counts and token lists, so a notebook can apply them per document,
per actor or per level from the processed corpus (``Corpus.doc_tokens``,
``Corpus.units("sentence")``), and ``readability_documents``, the one place where they
are computed for every document of a corpus (the corpus overview and the rhetorical
markers both read it). Definitions follow the project's METHODS.md:

- LIX (Björnsson 1968): ``words / sentences + 100 * long_words / words``, a long word
  having more than six letters.
- MTLD (McCarthy and Jarvis 2010): the mean length of sequential runs of tokens whose
  running type-token ratio stays above a threshold (0.72), computed forwards and
  backwards and averaged; the unfinished run at the end counts as a partial factor.
- MATTR (Covington and McFall 2010): the mean type-token ratio over every window of
  ``window`` consecutive tokens.

Tokens are compared exactly as given: lowercase them (or map them to lemmas) first if
"Kommun" and "kommun" should be one type. Undefined values are NaN, never an exception,
so that one empty document does not stop a table.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

MTLD_THRESHOLD = 0.72
MATTR_WINDOW = 50
LONG_WORD_MIN_LETTERS = 7  # "more than six letters"


def lix(n_words: int, n_sentences: int, n_long_words: int) -> float:
    """Return the LIX readability index from counts.

    Args:
        n_words: number of words.
        n_sentences: number of sentences.
        n_long_words: number of words with more than six letters.

    Returns:
        ``n_words / n_sentences + 100 * n_long_words / n_words``; NaN when there are
        no words or no sentences.

    Raises:
        ValueError: for negative counts or more long words than words.
    """
    if min(n_words, n_sentences, n_long_words) < 0 or n_long_words > n_words:
        raise ValueError(
            f"lix: counts must be non-negative with n_long_words <= n_words, got "
            f"n_words={n_words}, n_sentences={n_sentences}, n_long_words={n_long_words}"
        )
    if n_words == 0 or n_sentences == 0:
        return math.nan
    return n_words / n_sentences + 100 * n_long_words / n_words


def word_is_long(word: str) -> bool:
    """Return whether a word has more than six letters (hyphens and digits do not count).

    "EU-medel" has seven letters and is long; "Covid-19" has five and is not. Combining
    marks are not letters, so a decomposed "å" (a + ring) still counts once.
    """
    return sum(ch.isalpha() for ch in word) >= LONG_WORD_MIN_LETTERS


def lix_text(words: Sequence[str], n_sentences: int) -> float:
    """Return LIX for a list of words (tokens that contain a letter) and a sentence count.

    Args:
        words: the words of the text; numbers and punctuation should already be
            left out, as they are not words in LIX.
        n_sentences: number of sentences in the text.

    Returns:
        The LIX value, NaN for an empty text.
    """
    return lix(len(words), n_sentences, sum(map(word_is_long, words)))


def sentence_length_mean(sentence_lengths: Sequence[int]) -> float:
    """Return the mean number of words per sentence.

    Args:
        sentence_lengths: the number of words of each sentence (e.g. from
            ``Corpus.units("sentence")``); sentences without words count as 0.

    Returns:
        The mean, NaN when there are no sentences.
    """
    if len(sentence_lengths) == 0:
        return math.nan
    return sum(sentence_lengths) / len(sentence_lengths)


def _mtld_factors(tokens: Sequence[str], threshold: float) -> float:
    """Count MTLD factors in one direction, the final partial factor included."""
    factors = 0.0
    seen: set[str] = set()
    n_run = 0
    ttr = 1.0
    for token in tokens:
        seen.add(token)
        n_run += 1
        ttr = len(seen) / n_run
        # McCarthy and Jarvis (2010) close a factor when the TTR "reaches" the
        # threshold: at or below it, as the lexicalrichness package also reads it.
        if ttr <= threshold:
            factors += 1
            seen.clear()
            n_run = 0
    if n_run > 0:
        # Partial factor: how far the unfinished run's TTR has fallen from 1 towards
        # the threshold (a run that ends at TTR 1 adds nothing).
        factors += (1 - ttr) / (1 - threshold)
    return factors


def mtld(tokens: Sequence[str], threshold: float = MTLD_THRESHOLD) -> float:
    """Return MTLD, the measure of textual lexical diversity (McCarthy and Jarvis 2010).

    Forwards: walk through the tokens keeping the type-token ratio (TTR) of the current
    run; when it falls to ``threshold`` or below, count one factor and start a new run.
    The unfinished last run counts ``(1 - TTR) / (1 - threshold)`` of a factor.
    MTLD one way is ``len(tokens) / factors``; the result averages the forward and the
    backward (reversed tokens) values.

    Args:
        tokens: the tokens of one text (normalise case first if wanted).
        threshold: the TTR that closes a factor (0.72 in the paper).

    Returns:
        MTLD; NaN for an empty text or one whose tokens are all different (no factor
        ever closes and the partial factor is 0, so MTLD is undefined; lexicalrichness
        returns the token count there instead). The paper recommends texts of at least
        100 tokens.
    """
    if not 0 < threshold < 1:
        raise ValueError(f"mtld: threshold must be between 0 and 1, got {threshold}")
    tokens = list(tokens)
    if not tokens:
        return math.nan
    forward = _mtld_factors(tokens, threshold)
    backward = _mtld_factors(tokens[::-1], threshold)
    if forward == 0 or backward == 0:  # only when every token is a new type
        return math.nan
    return (len(tokens) / forward + len(tokens) / backward) / 2


def mattr(tokens: Sequence[str], window: int = MATTR_WINDOW) -> float:
    """Return MATTR, the moving-average type-token ratio (Covington and McFall 2010).

    The TTR of every window of ``window`` consecutive tokens (positions 0..n-window),
    averaged. Updated incrementally, so the cost is linear in the text length.

    Args:
        tokens: the tokens of one text.
        window: window length in tokens (50 is common; 500 in the original paper).

    Returns:
        MATTR. For a text shorter than the window there is no full window: the plain
        TTR of the whole text is returned instead (not comparable across lengths).
        NaN for an empty text.
    """
    if window < 1:
        raise ValueError(f"mattr: window must be at least 1, got {window}")
    tokens = list(tokens)
    n = len(tokens)
    if n == 0:
        return math.nan
    if n < window:
        return len(set(tokens)) / n
    counts = Counter(tokens[:window])
    n_types = len(counts)
    total = n_types
    for i in range(window, n):
        leaving, entering = tokens[i - window], tokens[i]
        counts[leaving] -= 1
        if counts[leaving] == 0:
            n_types -= 1
        if counts[entering] == 0:
            n_types += 1
        counts[entering] += 1
        total += n_types
    return total / ((n - window + 1) * window)


def ttr(tokens: Sequence[str]) -> float:
    """Return the plain type-token ratio; NaN for an empty text.

    Depends strongly on text length: do not compare it across texts of different
    length (use MTLD or MATTR).
    """
    tokens = list(tokens)
    return len(set(tokens)) / len(tokens) if tokens else math.nan


def readability_documents(corpus, diversity: bool = True) -> pd.DataFrame:
    """Compute readability (and lexical diversity) for every document of a corpus.

    Words are tokens with a letter (``Corpus.form_is_word``), compared as lowercased
    forms; sentences are the tokeniser's sentences (a heading line counts as one).

    Args:
        corpus: an ``ordbruk.text.corpus.Corpus``.
        diversity: also compute MTLD and MATTR (a pass over every document's words).

    Returns:
        One row per document: n_words, n_sentences, n_long_words, lix,
        sentence_length_mean (words per sentence), and mtld, mattr when ``diversity``.
        NaN where a document has no words or no sentences.
    """
    n_docs = corpus.n_docs
    ids = corpus.ids("form")
    # One rule for "long" everywhere: word_is_long, once per distinct form.
    is_long = np.fromiter(map(word_is_long, corpus.forms), bool, len(corpus.forms))
    word = corpus.form_is_word[ids]
    doc_of = np.repeat(np.arange(n_docs), np.diff(corpus.doc_starts))
    n_words = np.bincount(doc_of[word], minlength=n_docs).astype(np.int64)
    n_long = np.bincount(doc_of[word & is_long[ids]], minlength=n_docs).astype(np.int64)
    _, s_doc = corpus.units("sentence")
    n_sent = np.bincount(s_doc, minlength=n_docs).astype(np.int64)
    out = pd.DataFrame({"n_words": n_words, "n_sentences": n_sent, "n_long_words": n_long})
    out["lix"] = [lix(w, s, lw) for w, s, lw in zip(n_words, n_sent, n_long, strict=True)]
    # Sentences partition the token stream, so words per sentence = words / sentences.
    out["sentence_length_mean"] = [
        w / s if s else math.nan for w, s in zip(n_words.tolist(), n_sent.tolist(), strict=True)
    ]
    if diversity:
        forms = np.asarray(corpus.forms, dtype=object)
        rows = []
        for i in range(n_docs):
            s, e = corpus.doc_starts[i], corpus.doc_starts[i + 1]
            words = list(forms[ids[s:e][word[s:e]]])
            rows.append((mtld(words), mattr(words)))
        out[["mtld", "mattr"]] = pd.DataFrame(rows, columns=["mtld", "mattr"], dtype=float)
    return out
