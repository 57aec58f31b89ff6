"""The processed corpus: token tables, metadata and cleaned texts in one object.

``Corpus`` holds one flat token array for the whole corpus with offsets for documents,
paragraphs and sentences, each token's character offset in its document's cleaned text,
and id tables surface -> form -> lemma (``ordbruk.text.tables.TokenTables``), plus the
document metadata, the cleaned and redacted texts, the cleaning log and the manifest of
how it was made. Analyses work on these arrays with numpy rather than on Python lists of
strings, and cut text (KWIC lines, paragraphs) from ``texts`` by the character offsets.
``ordbruk.text.cache.corpus_prepare`` makes one from an input corpus;
``corpus_from_texts`` makes one in memory (tests, quotes).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ordbruk.errors import ParameterError
from ordbruk.text.redaction import meta_redact
from ordbruk.text.tables import TokenTables, tokens_build
from ordbruk.text.tokenize import PARAGRAPH_BREAK, stoplist_of

TOKEN_LEVELS = ("surface", "form", "lemma")
UNITS = ("document", "paragraph", "sentence")


@dataclass
class Corpus(TokenTables):
    """A processed corpus: the token stream and its tables, metadata and cleaned texts.

    See docs/architecture.md for the meaning of every attribute.
    """

    meta: pd.DataFrame = field(default_factory=pd.DataFrame)
    texts: list[str] = field(default_factory=list)
    cleaning_log: pd.DataFrame = field(default_factory=pd.DataFrame)
    manifest: dict = field(default_factory=dict)
    source: object = None  # text.counts.ShardCounts of an opened entry (counts by shard)

    @property
    def n_docs(self) -> int:
        """Number of documents."""
        return len(self.texts)

    def ids(self, token_level: str = "form") -> np.ndarray:
        """Return the token stream as ids at ``token_level`` ("surface", "form" or "lemma")."""
        _check_choice("token_level", token_level, TOKEN_LEVELS)
        if token_level == "surface":
            return self.tokens
        forms = self.lower[self.tokens]
        return forms if token_level == "form" else self.lemma[forms]

    def strings(self, token_level: str = "form") -> list[str]:
        """Return the id -> string table of ``token_level``."""
        _check_choice("token_level", token_level, TOKEN_LEVELS)
        return {"surface": self.vocab, "form": self.forms, "lemma": self.lemmas}[token_level]

    def units(self, unit: str = "document") -> tuple[np.ndarray, np.ndarray]:
        """Return (token offsets of each unit, length n+1; document index of each unit)."""
        _check_choice("unit", unit, UNITS)
        if unit == "document":
            return self.doc_starts, np.arange(self.n_docs, dtype=np.int32)
        if unit == "paragraph":
            return self.para_starts, self.para_doc
        return self.sent_starts, self.sent_doc

    def unit_text(self, unit: str, i: int) -> str:
        """Return the cleaned text of unit ``i`` of ``units(unit)``, cut by offsets.

        A document is its whole text. A paragraph is the block between the paragraph
        breaks (``tokenize.PARAGRAPH_BREAK``) around its tokens, whitespace stripped, so
        punctuation before its first token and after its last is kept. A sentence runs
        from its first token to the end of its last (final punctuation not included).

        Args:
            unit: "document", "paragraph" or "sentence".
            i: the unit's index.

        Returns:
            The text as written in ``texts``.
        """
        starts, unit_doc = self.units(unit)
        d = int(unit_doc[i])
        text = self.texts[d]
        if unit == "document":
            return text
        lo, hi = int(starts[i]), int(starts[i + 1])
        a, b = int(self.char_starts[lo]), int(self.char_ends(hi - 1))
        if unit == "sentence":
            return text[a:b]
        d0, d1 = int(self.doc_starts[d]), int(self.doc_starts[d + 1])
        # The text between two tokens holds no token, so the breaks found in it are the
        # tokeniser's paragraph breaks; blocks of it without tokens belong to no paragraph.
        before = int(self.char_ends(lo - 1)) if lo > d0 else 0
        after = int(self.char_starts[hi]) if hi < d1 else len(text)
        for m in PARAGRAPH_BREAK.finditer(text, before, a):
            before = m.end()
        m = PARAGRAPH_BREAK.search(text, b, after)
        return text[before : m.start() if m else after].strip()

    def doc_tokens(self, i: int, token_level: str = "form") -> list[str]:
        """Return the tokens of document ``i`` as strings at ``token_level``."""
        a, b = self.doc_starts[i], self.doc_starts[i + 1]
        table = self.strings(token_level)
        ids = self.ids(token_level)[a:b] if token_level != "surface" else self.tokens[a:b]
        return [table[j] for j in ids]

    def word_mask(self) -> np.ndarray:
        """Return a boolean per token: True where the token is a word (has a letter)."""
        return self.form_is_word[self.lower[self.tokens]]

    def stop_forms(self, stopwords) -> np.ndarray:
        """Return a boolean per form id: True where the form is a stop word.

        The one test of a stop word, used by every analysis that removes them: a token
        is one when its lowercased form or its lemma is on the list, so "finns" is
        removed at lemma level too (where its lemma is "finnas").

        Args:
            stopwords: a ``tokenize.StopList`` (``stopwords_load()``), or a set of
                lowercase strings matched against forms and lemmas.
        """
        stop = stoplist_of(stopwords)
        by_form = np.fromiter((f in stop.forms for f in self.forms), bool, len(self.forms))
        by_lemma = np.fromiter((x in stop.lemmas for x in self.lemmas), bool, len(self.lemmas))
        return by_form | by_lemma[self.lemma]

    def stopword_count(self, stopwords, words_only: bool = True) -> int:
        """Return how many tokens ``stop_forms(stopwords)`` removes (words only by default)."""
        if not stopwords:
            return 0
        forms = self.lower[self.tokens]
        hit = self.stop_forms(stopwords)[forms]
        if words_only:
            hit &= self.form_is_word[forms]
        return int(hit.sum())

    def surface_counts(self, unit: str = "document") -> sp.csr_matrix:
        """Return how often each surface form occurs in each unit (units x vocab, int32).

        A corpus opened from a cache entry counts shard by shard on its engine
        (``source``: ``text.counts.ShardCounts``) and stacks the shards' rows; one made in
        memory counts its own tokens. Both give the same matrix (``unit_counts``).
        """
        _check_choice("unit", unit, UNITS)
        if self.source is not None:
            return self.source.surface_counts(unit)
        return unit_counts(self.tokens, self.units(unit)[0], len(self.vocab))

    def dtm(
        self,
        token_level: str = "form",
        unit: str = "document",
        words_only: bool = True,
        stopwords: frozenset[str] | set[str] | None = None,
    ) -> tuple[sp.csr_matrix, list[str], np.ndarray]:
        """Count terms per unit.

        The counts of surface forms per unit (``surface_counts``: per shard, on the
        engine, for an opened corpus) are summed into the terms of ``token_level``.

        Args:
            token_level: "surface", "form" (lowercased) or "lemma".
            unit: "document", "paragraph" or "sentence".
            words_only: drop tokens without a letter (numbers).
            stopwords: tokens to drop (see ``stop_forms``: a token whose form or lemma
                is on the list), at every token level.

        Returns:
            (counts as CSR, units x terms; the terms, only those that occur; the
            document index of each row).
        """
        _check_choice("token_level", token_level, TOKEN_LEVELS)
        unit_doc = self.units(unit)[1]
        counts = self.surface_counts(unit)
        table = self.strings(token_level)
        n_vocab = len(self.vocab)
        term_of = {"surface": np.arange(n_vocab), "form": self.lower}.get(token_level)
        term_of = self.lemma[self.lower] if term_of is None else term_of
        keep = np.ones(len(table), dtype=bool)
        if words_only:
            if token_level == "surface":
                keep &= self.form_is_word[self.lower]
            else:
                word_at = np.zeros(len(table), dtype=bool)
                src = np.arange(len(self.forms)) if token_level == "form" else self.lemma
                np.logical_or.at(word_at, src, self.form_is_word)
                keep &= word_at
        sel = keep[term_of]
        if stopwords:
            sel &= ~self.stop_forms(stopwords)[self.lower]
        sel &= np.bincount(counts.indices, minlength=n_vocab) > 0
        present = np.bincount(term_of[sel], minlength=len(table)) > 0
        newcol = np.cumsum(present) - 1
        terms = [table[i] for i in np.flatnonzero(present)]
        surf = np.flatnonzero(sel)
        to_term = sp.csr_matrix(
            (np.ones(len(surf), np.int32), (surf, newcol[term_of[surf]])),
            shape=(n_vocab, len(terms)),
        )
        m = (counts @ to_term).tocsr().astype(np.int32, copy=False)
        m.sum_duplicates()
        m.eliminate_zeros()
        return m, terms, unit_doc


def unit_counts(tokens: np.ndarray, starts: np.ndarray, n_vocab: int) -> sp.csr_matrix:
    """Return the units x vocab counts (int32 CSR) of ``tokens`` cut at ``starts``.

    ``starts`` (length n+1, from 0 to ``len(tokens)``) are unit offsets; the one count of
    tokens per unit, of a corpus in memory and of one shard on a worker
    (``text.counts``).
    """
    n = len(starts) - 1
    row = np.repeat(np.arange(n, dtype=np.int32), np.diff(starts))
    m = sp.csr_matrix(
        (np.ones(len(tokens), np.int32), (row, tokens)), shape=(n, n_vocab), dtype=np.int32
    )
    m.sum_duplicates()
    return m


def _check_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ParameterError(f"{name}={value!r} is not one of {', '.join(choices)}")


def meta_counts(meta: pd.DataFrame, t: TokenTables, n_docs: int) -> pd.DataFrame:
    """Return ``meta`` with each document's n_tokens, n_words, n_sentences, n_paragraphs."""
    meta = meta.reset_index(drop=True).copy()
    meta["n_tokens"] = np.diff(t.doc_starts).astype(np.int64)
    is_word = t.form_is_word[t.lower[t.tokens]]
    doc_of = np.repeat(np.arange(n_docs), np.diff(t.doc_starts))
    meta["n_words"] = np.bincount(doc_of[is_word], minlength=n_docs).astype(np.int64)
    meta["n_sentences"] = np.bincount(t.sent_doc, minlength=n_docs).astype(np.int64)
    meta["n_paragraphs"] = np.bincount(t.para_doc, minlength=n_docs).astype(np.int64)
    return meta


def meta_redacted(meta: pd.DataFrame, log: pd.DataFrame | None):
    """Return the metadata redacted (``redaction.meta_redact``) and the log's doc_ids with it.

    Metadata enters a processed corpus only through ``meta_redact`` (here for an in-memory
    corpus; ``text.prepare`` for a prepared one, the log renamed shard by shard with
    ``log_renamed``): its text values (doc_id, title, actor, url, ...) are redacted and the
    log's doc_ids renamed with them, so no output shows a phone number, e-mail address or
    identity number from the metadata.
    """
    meta, renamed = meta_redact(meta)
    return meta.reset_index(drop=True), log_renamed(log, renamed)


def log_renamed(log: pd.DataFrame | None, renamed: dict[str, str]):
    """Return the cleaning log with the doc_ids that metadata redaction changed renamed.

    ``renamed`` is ``meta_redact``'s ``{old: new}``; used by ``meta_redacted`` and, for one
    shard's log, by ``text.shards.shard_build``.
    """
    if renamed and log is not None and "doc_id" in log and len(log):
        log = log.assign(doc_id=log["doc_id"].map(lambda d: renamed.get(d, d)))
    return log


def corpus_assemble(meta, texts, t: TokenTables, log, manifest) -> Corpus:
    """Join token tables, metadata (with per-document counts added) and texts.

    Metadata is redacted here (``meta_redacted``), as in a prepared corpus.

    Args:
        meta: one row per document.
        texts: the cleaned texts the tables were built from.
        t: ``tokens_build(texts)``.
        log: the cleaning log (doc_ids as in ``meta``), or None.
        manifest: how the corpus was made.

    Returns:
        The Corpus; ``meta`` gains n_tokens, n_words, n_sentences and n_paragraphs.
    """
    meta, log = meta_redacted(meta, log)
    return Corpus(
        **{f.name: getattr(t, f.name) for f in fields(TokenTables)},
        meta=meta_counts(meta, t, len(texts)),
        texts=list(texts),
        cleaning_log=log if log is not None else pd.DataFrame(),
        manifest=manifest,
    )


def corpus_from_texts(texts: list[str], meta: pd.DataFrame | list[dict] | None = None) -> Corpus:
    """Build a Corpus in memory from texts, without validation or cleaning (for tests).

    Args:
        texts: the documents' texts (NFC-normalised here).
        meta: one row per text; missing required columns get placeholders (doc_id d0,
            d1, ...; actor "unknown"; actor_level "other"; date "").

    Returns:
        The processed corpus.
    """
    texts = [unicodedata.normalize("NFC", s) for s in texts]
    df = pd.DataFrame(meta) if meta is not None else pd.DataFrame(index=range(len(texts)))
    if len(df) != len(texts):
        raise ParameterError(f"meta has {len(df)} rows for {len(texts)} texts")
    defaults = {"doc_id": [f"d{i}" for i in range(len(texts))], "actor": "unknown"}
    defaults |= {"actor_level": "other", "date": ""}
    for col, value in defaults.items():
        if col not in df.columns:
            df[col] = value
    if "year" not in df.columns:
        df["year"] = pd.to_numeric(df["date"].astype(str).str[:4], errors="coerce").astype("Int64")
    t = tokens_build(texts)
    return corpus_assemble(df, texts, t, None, {"source": "memory", "cache_hit": False})
