"""The token tables of a corpus: one id stream, unit offsets, character offsets, lemmas.

``tokens_build`` runs the tokeniser (``ordbruk.text.tokenize``) over every cleaned text and
turns its matches into flat numpy tables for the whole corpus at once: surface ids per
token, document, paragraph and sentence offsets, the character offset of every token in
its document's text, and the id tables surface -> form -> lemma (``id_tables``). A large
corpus is tokenised shard by shard on several processes and merged (``text.shards``);
the tables are identical to one call on every text.

Character offsets cost 4 bytes per token (``char_starts``, int32, from the start of the
token's document); a token's end is its start plus the length of its surface string, so
ends are not stored. KWIC lines and the text of a paragraph are cut from the cleaned
text by these offsets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ordbruk.text import tokenize as tok


@dataclass
class TokenTables:
    """The token stream of a corpus and its lookup tables (see ``ordbruk.text.corpus.Corpus``).

    ``char_starts`` is each token's character offset in its document's cleaned text
    (int32); ``char_ends`` gives the end.
    """

    tokens: np.ndarray
    char_starts: np.ndarray
    doc_starts: np.ndarray
    para_starts: np.ndarray
    para_doc: np.ndarray
    sent_starts: np.ndarray
    sent_doc: np.ndarray
    vocab: list[str]
    lower: np.ndarray
    forms: list[str]
    lemma: np.ndarray
    lemmas: list[str]
    form_is_word: np.ndarray

    @cached_property
    def surface_len(self) -> np.ndarray:
        """Return the length in characters of each surface string (int32, per vocab id)."""
        return np.fromiter(map(len, self.vocab), dtype=np.int32, count=len(self.vocab))

    def char_ends(self, positions) -> np.ndarray:
        """Return the end (exclusive) character offset of the tokens at ``positions``.

        Args:
            positions: token positions (an int, a slice or an int array).

        Returns:
            ``char_starts[positions]`` plus the length of each token's surface string:
            ``texts[doc][start:end]`` is the token as written.
        """
        return self.char_starts[positions] + self.surface_len[self.tokens[positions]]


def text_sentences(text: str) -> list[list[str]]:
    """Split one text into sentences of tokens (line and paragraph breaks end sentences)."""
    built = tokens_build([text])
    vocab = built.vocab
    toks = built.tokens
    return [
        [vocab[i] for i in toks[a:b]]
        for a, b in zip(built.sent_starts[:-1], built.sent_starts[1:], strict=True)
    ]


def _units_from_breaks(flag: np.ndarray, doc_of_token: np.ndarray, n_tokens: int):
    starts = np.flatnonzero(flag).astype(np.int64)
    unit_doc = doc_of_token[starts].astype(np.int32) if n_tokens else np.zeros(0, np.int32)
    return np.append(starts, n_tokens).astype(np.int64), unit_doc


def _char_starts(raw_ids, gaps, raw_len, raw_doc_starts, real_pos, doc_of_token, n_chars):
    """Character offset of each real token in its text, from the gaps and match lengths.

    A match starts after every gap and match before it and its own gap: one running sum
    over all texts at once (a text's trailing gap is not counted, so each text starts
    where the previous one's last match ends); subtracting where each text starts gives
    offsets within it. In place where possible: 4 bytes per raw match on corpora under
    2**31 characters.
    """
    dtype = np.int32 if n_chars < 2**31 else np.int64
    start = gaps.astype(dtype)
    start[1:] += raw_len.astype(dtype)[raw_ids[:-1]]
    np.cumsum(start, out=start)
    first = raw_doc_starts[:-1]
    nonempty = first < raw_doc_starts[1:]
    text_start = np.zeros(len(first), dtype=dtype)
    text_start[nonempty] = start[first[nonempty]] - gaps[first[nonempty]]
    out = start[real_pos]
    out -= text_start[doc_of_token]
    return out.astype(np.int32, copy=False)


def tokens_build(texts: list[str], lemmatize: bool = True) -> TokenTables:
    """Tokenise a list of texts into one id stream with unit and character offsets.

    One process's share: a shard of a large corpus (``text.shards``), or a whole small one.

    Args:
        texts: cleaned texts, one per document.
        lemmatize: make the lemma tables; a shard's are left empty (``lemma`` all -1,
            ``lemmas`` empty), since the merge lemmatises each form of the corpus once.

    Returns:
        TokenTables with surface ids and character offsets per token,
        document/paragraph/sentence offsets and the surface -> form -> lemma tables.
    """
    n_chars = sum(map(len, texts))
    ids_of: defaultdict[str, int] = defaultdict()
    ids_of.default_factory = ids_of.__len__
    raw, doc_raw_starts, gaps = tok.texts_tokenize(texts, ids_of)
    lemmas_of: dict[str, str] = {}
    raw_ids = np.frombuffer(raw, dtype=np.int32) if len(raw) else np.zeros(0, np.int32)
    raw_gaps = np.frombuffer(gaps, dtype=np.int32) if len(gaps) else np.zeros(0, np.int32)
    raw_vocab = list(ids_of)
    kind = np.fromiter(map(tok.marker_kind, raw_vocab), dtype=np.int8, count=len(raw_vocab))
    tok_kind = kind[raw_ids]
    real = tok_kind == 0
    n_docs = len(texts)
    raw_doc_starts = np.frombuffer(doc_raw_starts, dtype=np.int64)
    real_pos = np.flatnonzero(real)
    doc_of_raw = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(raw_doc_starts))
    doc_of_token = doc_of_raw[real_pos]
    raw_len = np.fromiter(map(len, raw_vocab), dtype=np.int64, count=len(raw_vocab))
    char_starts = _char_starts(
        raw_ids, raw_gaps, raw_len, raw_doc_starts, real_pos, doc_of_token, n_chars
    )
    del raw_gaps, gaps  # before the larger arrays below: they set the peak of memory

    # Breaks: a sentence (paragraph) starts at a real token preceded, since the previous
    # real token, by a sentence or paragraph marker (paragraph marker) or a document start.
    sent_mark = np.cumsum((tok_kind == 1) | (tok_kind == 2))
    para_mark = np.cumsum(tok_kind == 2)
    n_tokens = len(real_pos)
    new_doc = np.ones(n_tokens, dtype=bool)
    new_doc[1:] = doc_of_token[1:] != doc_of_token[:-1]
    s = sent_mark[real_pos]
    p = para_mark[real_pos]
    new_sent = new_doc.copy()
    new_sent[1:] |= s[1:] != s[:-1]
    new_para = new_doc.copy()
    new_para[1:] |= p[1:] != p[:-1]
    sent_starts, sent_doc = _units_from_breaks(new_sent, doc_of_token, n_tokens)
    para_starts, para_doc = _units_from_breaks(new_para, doc_of_token, n_tokens)
    doc_starts = np.searchsorted(real_pos, raw_doc_starts).astype(np.int64)

    # Compact surface ids: markers drop out of the vocabulary.
    keep = np.flatnonzero(kind == 0)
    remap = np.full(len(raw_vocab), -1, dtype=np.int32)
    remap[keep] = np.arange(len(keep), dtype=np.int32)
    tokens = remap[raw_ids[real]]
    vocab = [raw_vocab[i] for i in keep]

    if lemmatize:
        lower, forms, lemma, lemmas, form_is_word = id_tables(vocab, lemmas_of)
    else:
        lower, forms, form_is_word = form_tables(vocab)
        lemma, lemmas = np.full(len(forms), -1, np.int32), []
    return TokenTables(
        tokens=tokens,
        char_starts=char_starts,
        doc_starts=doc_starts,
        para_starts=para_starts,
        para_doc=para_doc,
        sent_starts=sent_starts,
        sent_doc=sent_doc,
        vocab=vocab,
        lower=lower,
        forms=forms,
        lemma=lemma,
        lemmas=lemmas,
        form_is_word=form_is_word,
    )


def id_tables(vocab: list[str], lemmas_of: dict[str, str]):
    """Return the id tables of a vocabulary: (lower, forms, lemma, lemmas, form_is_word).

    The one place they are made, for one process's tokens and for the merge of shards:
    forms are the lowercased surfaces and lemmas the forms' lemmas, each in order of first
    appearance in the table before it, so equal vocabularies give equal tables.

    Args:
        vocab: the surface strings, in id order.
        lemmas_of: lemma of each form already lemmatised (extended with the others).
    """
    lower, forms, form_is_word = form_tables(vocab)
    for form in forms:
        if form not in lemmas_of:
            lemmas_of[form] = tok.form_lemmatize(form)
    lemma, lemmas = _table_map(forms, lemmas_of.__getitem__)
    return lower, forms, lemma, lemmas, form_is_word


def form_tables(vocab: list[str]) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Return (lower, forms, form_is_word) of a vocabulary: its part of ``id_tables``."""
    lower, forms = _table_map(vocab, str.lower)
    form_is_word = np.fromiter(
        (any(c.isalpha() for c in f) for f in forms), dtype=bool, count=len(forms)
    )
    return lower, forms, form_is_word


def _table_map(strings: list[str], fn) -> tuple[np.ndarray, list[str]]:
    """Map each string through fn; return id array into the distinct results and them."""
    out: defaultdict[str, int] = defaultdict()
    out.default_factory = out.__len__
    ids = np.fromiter((out[fn(s)] for s in strings), dtype=np.int32, count=len(strings))
    return ids, list(out)
