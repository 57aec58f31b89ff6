"""The token tables of a corpus: one id stream, unit offsets, character offsets, lemmas.

``tokens_build`` runs the tokeniser (``ordbruk.text.tokenize``) over every cleaned text and
turns its matches into flat numpy tables for the whole corpus at once: surface ids per
token, document, paragraph and sentence offsets, the character offset of every token in
its document's text, and the id tables surface -> form -> lemma. On large corpora it
orchestrates the second process (``ordbruk.text.worker``), which tokenises the last
documents and lemmatises every distinct form while this process tokenises the rest; the
tables are identical either way.

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
from ordbruk.text.worker import Worker, texts_split

#: From this many characters of text a second process (``ordbruk.text.worker``)
#: tokenises the last WORKER_SHARE of the text and lemmatises every distinct form, fed
#: new forms every ``tokenize.FEED_EVERY_DOCS`` documents, while this process tokenises
#: the rest. The share balances the two (measured on the 13 M-token bulk corpus:
#: tokenising all text about 14 s, simplemma's dictionary load 1 s, lemmatising 250 k
#: forms 2 s).
PARALLEL_MIN_CHARS = 2_000_000
WORKER_SHARE = 0.35


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


def tokens_build(texts: list[str], parallel: bool | None = None) -> TokenTables:
    """Tokenise a list of texts into one id stream with unit and character offsets.

    Args:
        texts: cleaned texts, one per document.
        parallel: use a second process that tokenises the last documents and lemmatises
            while this one tokenises the rest; None decides by size (worth it from a few
            million characters). The result is identical either way.

    Returns:
        TokenTables with surface ids and character offsets per token,
        document/paragraph/sentence offsets and the surface -> form -> lemma tables.
    """
    n_chars = sum(map(len, texts))
    if parallel is None:
        parallel = n_chars >= PARALLEL_MIN_CHARS
    ids_of: defaultdict[str, int] = defaultdict()
    ids_of.default_factory = ids_of.__len__
    worker = None
    head = len(texts)
    if parallel:
        head = texts_split(texts, WORKER_SHARE)
        worker = Worker(texts[head:])
    feed = worker.feed if worker else None
    raw, doc_raw_starts, gaps = tok.texts_tokenize(texts[:head], ids_of, feed)
    lemmas_of: dict[str, str] = {}
    result = worker.finish() if worker else None
    if result is not None:
        tail_vocab, tail_raw, tail_starts, tail_gaps, lemmas_of = result
        del result
        # Appending the tail's forms in their order of first occurrence gives exactly the
        # ids a single process would have given, so the result does not depend on this.
        remap = np.fromiter((ids_of[s] for s in tail_vocab), np.int32, len(tail_vocab))
        offset = len(raw)
        raw.frombytes(remap[np.frombuffer(tail_raw, np.int32)].tobytes())
        doc_raw_starts.frombytes((np.frombuffer(tail_starts, np.int64)[1:] + offset).tobytes())
        gaps.frombytes(tail_gaps)
        del tail_raw, tail_gaps
    elif head < len(texts):
        more, more_starts, more_gaps = tok.texts_tokenize(texts[head:], ids_of)
        offset = len(raw)
        raw.extend(more)
        doc_raw_starts.extend(x + offset for x in more_starts[1:])
        gaps.extend(more_gaps)
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

    lower, forms = _table_map(vocab, str.lower)
    for form in forms:
        if form not in lemmas_of:
            lemmas_of[form] = tok.form_lemmatize(form)
    lemma, lemmas = _table_map(forms, lemmas_of.__getitem__)
    form_is_word = np.fromiter(
        (any(c.isalpha() for c in f) for f in forms), dtype=bool, count=len(forms)
    )
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


def _table_map(strings: list[str], fn) -> tuple[np.ndarray, list[str]]:
    """Map each string through fn; return id array into the distinct results and them."""
    out: defaultdict[str, int] = defaultdict()
    out.default_factory = out.__len__
    ids = np.fromiter((out[fn(s)] for s in strings), dtype=np.int32, count=len(strings))
    return ids, list(out)
