"""Where the uses of term families are: every hit in the token stream, masks applied.

The member forms of each family (``families.family_forms``, decided once on the
vocabulary) are found in the token stream with numpy lookup tables. Phrases and masks
(names such as "Delegationen mot segregation") are found on id arrays: candidate
positions of the first word, then the following ids are checked, within one sentence.
``terms_locate`` returns one row per hit; ``frequency`` counts them, ``concordance``
shows them in context.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ordbruk.terms.families import FormIndex, TermFamily, family_forms


def _sequence_parse(text: str) -> list[tuple[list[str], bool]]:
    """Split "Delegationen mot segregation|segregations" into (alternatives, capital) per word."""
    out = []
    for word in text.split():
        alts = [a for a in word.split("|") if a]
        out.append(([a.lower() for a in alts], alts[0][:1].isupper()))
    return out


def _sequences_find(
    corpus, form_ids: np.ndarray, index: FormIndex, texts: list[str], cap_surface: np.ndarray
) -> list[np.ndarray]:
    """Find each phrase or mask (``texts``) as token start positions inside one sentence.

    Candidate positions of the first word come from one lookup-table scan shared by all
    sequences; the following words are checked on the id array at offset 1, 2, ...
    ``cap_surface`` says per surface id whether the form starts with a capital.
    """
    if not texts:
        return []
    parsed = [_sequence_parse(t) for t in texts]
    n_forms = len(index.forms)
    luts = []
    first_any = np.zeros(n_forms, dtype=bool)
    for seq in parsed:
        word_luts = []
        for alts, _cap in seq:
            lut = np.zeros(n_forms, dtype=bool)
            for a in alts:
                lut[index.glob(a)] = True
            word_luts.append(lut)
        luts.append(word_luts)
        first_any |= word_luts[0]
    cand_all = np.flatnonzero(first_any[form_ids]) if first_any.any() else np.zeros(0, np.int64)
    n = len(form_ids)
    out = []
    for seq, word_luts in zip(parsed, luts, strict=True):
        cand = cand_all[word_luts[0][form_ids[cand_all]]]
        cand = cand[cand + len(seq) <= n]
        for j, ((_alts, cap), lut) in enumerate(zip(seq, word_luts, strict=True)):
            pos = cand + j
            ok = lut[form_ids[pos]]
            if cap:
                ok &= cap_surface[corpus.tokens[pos]]
            cand = cand[ok]
        if len(seq) > 1 and len(cand):
            sent = corpus.sent_starts
            same = np.searchsorted(sent, cand, "right") == np.searchsorted(
                sent, cand + len(seq) - 1, "right"
            )
            cand = cand[same]
        out.append(cand.astype(np.int64))
    return out


def _covered(pos: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Return True where a position lies in one of the [start, end) spans."""
    if not len(starts) or not len(pos):
        return np.zeros(len(pos), dtype=bool)
    order = np.argsort(starts, kind="stable")
    s, e = starts[order], np.maximum.accumulate(ends[order])
    i = np.searchsorted(s, pos, "right") - 1
    return (i >= 0) & (pos < e[np.maximum(i, 0)])


HITS_COLUMNS = ["family", "doc", "start", "length", "form", "rule", "masked"]


def terms_locate(corpus, families: list[TermFamily], index: FormIndex | None = None):
    """Find every use (and every masked mention) of every family in the corpus.

    Masks of all selected families apply to all of them: a name is a name whichever
    family it was listed under. A hit whose first token lies inside a masked name is kept
    with ``masked=True``. Single-word hits inside a phrase hit of the same family are
    dropped (the phrase is the use).

    Args:
        corpus: an ``ordbruk.text.corpus.Corpus``.
        families: the families to find.
        index: ``FormIndex.of_corpus(corpus)`` (built here when None; pass it to reuse).

    Returns:
        ``(hits, forms)``: hits has one row per hit with columns family, doc (document
        index), start (token position), length (tokens), form (the lowercase form or
        phrase), rule (which family rule matched) and masked; ``forms`` maps family name
        to ``{form id: rule}``.
    """
    index = index or FormIndex.of_corpus(corpus)
    form_ids = corpus.ids("form")
    n_forms = len(index.forms)
    members = {f.name: family_forms(f, index) for f in families}
    union = np.zeros(n_forms, dtype=bool)
    for m in members.values():
        union[list(m)] = True
    pos_all = np.flatnonzero(union[form_ids]) if union.any() else np.zeros(0, np.int64)
    ids_all = form_ids[pos_all]
    cap = np.fromiter((v[:1].isupper() for v in corpus.vocab), bool, len(corpus.vocab))
    mask_texts = sorted({m for f in families for m in f.masks})
    mask_hits = _sequences_find(corpus, form_ids, index, mask_texts, cap)
    m_start = np.concatenate([np.zeros(0, np.int64), *mask_hits])
    m_len = [len(t.split()) for t, h in zip(mask_texts, mask_hits, strict=True) for _ in h]
    m_end = m_start + np.asarray(m_len, dtype=np.int64)
    parts = []
    for fam in families:
        lut = np.zeros(n_forms, dtype=bool)
        lut[list(members[fam.name])] = True
        pos = pos_all[lut[ids_all]]
        rules = members[fam.name]
        labels = [index.forms[i] for i in form_ids[pos]]
        df = pd.DataFrame({"start": pos, "length": 1, "form": labels})
        df["rule"] = [rules[i] for i in form_ids[pos]]
        p_hits = _sequences_find(corpus, form_ids, index, list(fam.phrases), cap)
        p_start = np.concatenate([np.zeros(0, np.int64), *p_hits])
        p_len = np.asarray(
            [len(t.split()) for t, h in zip(fam.phrases, p_hits, strict=True) for _ in h],
            dtype=np.int64,
        )
        if len(p_start):
            df = df[~_covered(df["start"].to_numpy(), p_start, p_start + p_len)]
            phr = [
                " ".join(index.forms[i] for i in form_ids[s : s + k])
                for s, k in zip(p_start, p_len, strict=True)
            ]
            df = pd.concat(
                [
                    df,
                    pd.DataFrame(
                        {"start": p_start, "length": p_len, "form": phr, "rule": "phrase"}
                    ),
                ]
            )
        df = df.drop_duplicates("start").sort_values("start", kind="stable")
        df.insert(0, "family", fam.name)
        df["masked"] = _covered(df["start"].to_numpy(), m_start, m_end)
        parts.append(df)
    if not parts:
        empty = {"family": [], "start": np.zeros(0, np.int64), "length": np.zeros(0, np.int64)}
        parts = [pd.DataFrame(empty | {"form": [], "rule": [], "masked": np.zeros(0, bool)})]
    hits = pd.concat(parts, ignore_index=True)
    starts = hits["start"].to_numpy(dtype=np.int64)
    hits.insert(1, "doc", (np.searchsorted(corpus.doc_starts, starts, "right") - 1).astype(int))
    hits["length"] = hits["length"].astype(np.int64)
    return hits[HITS_COLUMNS].reset_index(drop=True), members
