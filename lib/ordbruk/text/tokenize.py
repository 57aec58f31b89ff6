"""Swedish tokens, sentences, paragraphs and lemmas, built fast enough for 13 M tokens.

The tokeniser is one regular expression from the standard ``re`` module run once per
document (nltk's RegexpTokenizer wraps every call in a regex timeout and is about four
times slower in this loop). It returns words, numbers and Swedish abbreviations
("bl.a.", "t.ex.") as tokens, keeps the hyphen of a truncated compound ("Gymnasie-" in
"Gymnasie- och vuxenutbildningsförvaltningen") and also returns three kinds of markers:
sentence-final punctuation (only where a new sentence starts: followed by a capital,
digit, quote or dash, or at the end of a line), line breaks, and paragraph breaks (a
blank line). Markers never become tokens; numpy turns them into sentence and paragraph
offsets for the whole corpus at once.

Each distinct lowercased form is lemmatised once with simplemma (Swedish data shipped
inside the package, so nothing downloads). Stop words come from
``resources/stopwords_sv.txt``; removing them is an analysis choice made later.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import numpy as np

from ordbruk.resources import resource_lines
from ordbruk.text.redaction import PLACEHOLDERS

#: Bump when tokenisation, sentence splitting or lemmatisation changes: it is part of the
#: cache key, so a processed corpus made by older code is never reused.
TOKENS_VERSION = "2"


#: From this many characters of text a second process (``tokens_worker``) tokenises the
#: last WORKER_SHARE of the text and lemmatises every distinct form, fed new forms every
#: FEED_EVERY_DOCS documents, while this process tokenises the rest. The share balances
#: the two (measured on the 13 M-token bulk corpus: tokenising all text about 14 s,
#: simplemma's dictionary load 1 s, lemmatising 250 k forms 2 s).
PARALLEL_MIN_CHARS = 2_000_000
WORKER_SHARE = 0.35
FEED_EVERY_DOCS = 2_000

#: Abbreviations that often end a sentence; see ``_pattern_build``.
SENTENCE_FINAL_ABBREVIATIONS = ("m.m.", "m.fl.", "osv.", "o.s.v.", "etc.", "o.d.", "e.d.")


@lru_cache(maxsize=1)
def abbreviations_load() -> tuple[str, ...]:
    """Return the shipped Swedish abbreviations with full stops, longest first."""
    return tuple(sorted(set(resource_lines("abbreviations_sv.txt")), key=len, reverse=True))


@lru_cache(maxsize=1)
def stopwords_load() -> frozenset[str]:
    """Return the shipped Swedish stop-word list (lowercase forms)."""
    return frozenset(resource_lines("stopwords_sv.txt"))


def _pattern_build() -> re.Pattern:
    abbrevs = [a for a in abbreviations_load() if "." in a]
    # These often close a sentence ("... skola, fritid m.m. Sedan ..."): before a capital
    # the final stop is left to the sentence-end rule, so the token is "m.m" there.
    enders = "|".join(re.escape(a[:-1]) for a in SENTENCE_FINAL_ABBREVIATIONS)
    new_sentence = r"(?=\s+[\"”»(–—\-]*\s*[A-ZÅÄÖÉÜ0-9]|[ \t]*(?:\n|$))"
    # An abbreviation must start at a word boundary and not run on into a longer word.
    abbr = "|".join(re.escape(a).replace(r"\ ", r"\s?") for a in abbrevs)
    # A hyphen ends a truncated compound only when coordination follows: "hälso- och",
    # "nämnd-, förvaltnings- och", "för- eller". Anything else is a dash, not a token.
    trunc = r"-(?=\s*,|\s+(?:och|eller|samt|respektive|resp\.|&|till|som)\s)"
    number = r"\d+(?:[.,]\d+)+(?!\w)"
    word = rf"\w+(?:[-:'’]\w+)*(?:{trunc})?"
    # Sentence-final punctuation counts only where a new sentence plausibly begins.
    end = rf"[.!?…]+[\"”»’)]*{new_sentence}"
    # Redaction placeholders ("[telefon]") are matched whole so that they never count as
    # the words "telefon", "e-post" or "personnummer".
    placeholder = "|".join(re.escape(p) for p in PLACEHOLDERS.values())
    para = r"\n[ \t\r\f\v]*\n\s*"
    line = r"\n"
    return re.compile(
        # The guard (a short word and a full stop ahead) rejects almost every position
        # at once, so the long abbreviation alternation is rarely tried: 6x faster.
        rf"(?=\w{{1,6}}\.)(?:(?i:(?<!\w)(?:{enders}))(?=\.(?:{new_sentence[3:-1]}))|"
        rf"(?i:(?<!\w)(?:{abbr})(?!\w)))|{placeholder}|{number}|{word}|{end}|{para}|{line}",
        re.UNICODE,
    )


@lru_cache(maxsize=1)
def token_pattern() -> re.Pattern:
    """Return the compiled tokeniser (words, numbers, abbreviations and markers)."""
    return _pattern_build()


def _marker_kind(s: str) -> int:
    """Classify a matched string by kind.

    0 a token, 1 a sentence end or line break, 2 a paragraph break, 3 a redaction
    placeholder (neither a token nor a break).
    """
    if s.startswith("\n"):
        return 2 if s.count("\n") >= 2 else 1
    if s[0] in ".!?…":
        return 1
    if s[0] == "[":
        return 3
    return 0


def text_tokenize(text: str) -> list[str]:
    """Split one text into tokens (words, numbers, abbreviations); markers dropped.

    Args:
        text: any text, ideally NFC-normalised.

    Returns:
        The tokens in order, case as in the text.
    """
    return [t for t in token_pattern().findall(text) if _marker_kind(t) == 0]


def text_sentences(text: str) -> list[list[str]]:
    """Split one text into sentences of tokens (line and paragraph breaks end sentences)."""
    built = tokens_build([text])
    vocab = built.vocab
    toks = built.tokens
    return [
        [vocab[i] for i in toks[a:b]]
        for a, b in zip(built.sent_starts[:-1], built.sent_starts[1:], strict=True)
    ]


@dataclass
class TokenTables:
    """The token stream of a corpus and its lookup tables (see ``prepare.Corpus``)."""

    tokens: np.ndarray
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


def _units_from_breaks(flag: np.ndarray, doc_of_token: np.ndarray, n_tokens: int):
    starts = np.flatnonzero(flag).astype(np.int64)
    unit_doc = doc_of_token[starts].astype(np.int32) if n_tokens else np.zeros(0, np.int32)
    return np.append(starts, n_tokens).astype(np.int64), unit_doc


def texts_tokenize(texts: list[str], ids_of: defaultdict, feed=None) -> tuple[array, array]:
    """Tokenise texts into raw ids (tokens and markers), extending the table ``ids_of``.

    Args:
        texts: the texts.
        ids_of: string -> id, a defaultdict whose default factory is its own ``__len__``.
        feed: called every FEED_EVERY_DOCS documents with the strings new since the
            last call (the lemmatising worker takes them), or None.

    Returns:
        (raw ids as array("i"), start of each text in them as array("q"), len n+1).
    """
    findall = token_pattern().findall
    getid = ids_of.__getitem__
    raw = array("i")
    starts = array("q", [0])
    n_fed = len(ids_of)
    for i, text in enumerate(texts, start=1):
        raw.extend(map(getid, findall(text)))
        starts.append(len(raw))
        if feed is not None and (i % FEED_EVERY_DOCS == 0 or i == len(texts)):
            if len(ids_of) > n_fed:
                feed(list(islice(reversed(ids_of), len(ids_of) - n_fed))[::-1])
                n_fed = len(ids_of)
    return raw, starts


def tokens_build(texts: list[str], parallel: bool | None = None) -> TokenTables:
    """Tokenise a list of texts into one id stream with sentence and paragraph offsets.

    Args:
        texts: cleaned texts, one per document.
        parallel: use a second process that tokenises the last documents and lemmatises
            while this one tokenises the rest; None decides by size (worth it from a few
            million characters). The result is identical either way.

    Returns:
        TokenTables with surface ids per token, document/paragraph/sentence offsets and
        the surface -> form -> lemma tables.
    """
    if parallel is None:
        parallel = sum(map(len, texts)) >= PARALLEL_MIN_CHARS
    ids_of: defaultdict[str, int] = defaultdict()
    ids_of.default_factory = ids_of.__len__
    worker = None
    head = len(texts)
    if parallel:
        from ordbruk.text.worker import Worker, texts_split

        head = texts_split(texts, WORKER_SHARE)
        worker = Worker(texts[head:])
    raw, doc_raw_starts = texts_tokenize(texts[:head], ids_of, worker.feed if worker else None)
    lemmas_of: dict[str, str] = {}
    result = worker.finish() if worker else None
    if result is not None:
        tail_vocab, tail_raw, tail_starts, lemmas_of = result
        # Appending the tail's forms in their order of first occurrence gives exactly the
        # ids a single process would have given, so the result does not depend on this.
        remap = np.fromiter((ids_of[s] for s in tail_vocab), np.int32, len(tail_vocab))
        offset = len(raw)
        raw.frombytes(remap[np.frombuffer(tail_raw, np.int32)].tobytes())
        doc_raw_starts.frombytes((np.frombuffer(tail_starts, np.int64)[1:] + offset).tobytes())
    elif head < len(texts):
        more, more_starts = texts_tokenize(texts[head:], ids_of)
        offset = len(raw)
        raw.extend(more)
        doc_raw_starts.extend(x + offset for x in more_starts[1:])
    raw_ids = np.frombuffer(raw, dtype=np.int32) if len(raw) else np.zeros(0, np.int32)
    raw_vocab = list(ids_of)
    kind = np.fromiter((_marker_kind(s) for s in raw_vocab), dtype=np.int8, count=len(raw_vocab))
    tok_kind = kind[raw_ids]
    real = tok_kind == 0
    n_docs = len(texts)
    raw_doc_starts = np.frombuffer(doc_raw_starts, dtype=np.int64)

    # Breaks: a sentence (paragraph) starts at a real token preceded, since the previous
    # real token, by a sentence or paragraph marker (paragraph marker) or a document start.
    sent_mark = np.cumsum((tok_kind == 1) | (tok_kind == 2))
    para_mark = np.cumsum(tok_kind == 2)
    real_pos = np.flatnonzero(real)
    doc_of_raw = np.repeat(np.arange(n_docs, dtype=np.int32), np.diff(raw_doc_starts))
    doc_of_token = doc_of_raw[real_pos]
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
            lemmas_of[form] = form_lemmatize(form)
    lemma, lemmas = _table_map(forms, lemmas_of.__getitem__)
    form_is_word = np.fromiter(
        (any(c.isalpha() for c in f) for f in forms), dtype=bool, count=len(forms)
    )
    return TokenTables(
        tokens=tokens,
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


_LEMMA_SKIP = re.compile(r"^[\d\W_]|[-.:]$|\d")


def form_lemmatize(form: str) -> str:
    """Return the lowercase lemma of one lowercase form (simplemma, Swedish).

    Numbers, abbreviations and truncated compounds ("gymnasie-") are their own lemma.
    """
    if form + "." in SENTENCE_FINAL_ABBREVIATIONS:
        return form + "."
    if _LEMMA_SKIP.search(form):
        return form
    return _simplemma_lemmatize(form).lower()


def _simplemma_lemmatize(form: str) -> str:
    import simplemma

    return simplemma.lemmatize(form, lang="sv")
