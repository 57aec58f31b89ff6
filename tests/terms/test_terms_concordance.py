"""KWIC lines cut by character offsets, sorting, sampling, dispersion positions."""

import re

import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import ParameterError
from ordbruk.paths import SEEDS_DIR, SHARED_CORPORA_DIR
from ordbruk.terms import concordance as C
from ordbruk.terms import families as T
from ordbruk.terms.locate import terms_locate
from ordbruk.text.cache import corpus_prepare
from ordbruk.text.corpus import corpus_from_texts


def test_kwic_lines_read_as_text(data):
    c, hits = data
    k = C.kwic_build(c, hits, width=12)
    assert list(k.columns) == C.KWIC_COLUMNS
    # hits in corpus order: samverkan, Samverkans-, segregation (masked), Segregation, Samverkan
    assert k["match"].tolist() == [
        "samverkan", "Samverkans-", "segregation", "Segregation", "Samverkan",
    ]  # fmt: skip
    first = k.iloc[0]
    # 12 characters before "samverkan" are "Vi vill öka " -> starts on a whole word
    assert first["left"] == "Vi vill öka"
    # 12 after are ", sa hon.\n\nS": whitespace collapsed, the cut word "S" dropped
    assert first["right"] == ", sa hon."
    assert (first["left_word"], first["right_word"]) == ("öka", "sa")
    assert k.iloc[1]["right"].startswith("och")  # truncated compound keeps its hyphen
    assert k["masked"].tolist() == [False, False, True, False, False]
    assert k.iloc[4]["right_word"] == "" and k.iloc[3]["left_word"] == ""  # document edges
    assert k.iloc[3][["doc_id", "actor", "actor_level", "date"]].tolist() == [
        "z", "B", "national", "2016-05",
    ]  # fmt: skip


def test_kwic_sort_and_sample(data):
    c, hits = data
    k = C.kwic_build(c, hits, width=20)
    by_right = C.kwic_sort(k, "right")
    sam = by_right[by_right["family"] == "samverkan"]["right_word"].tolist()
    assert sam == sorted(sam)
    with pytest.raises(ParameterError):
        C.kwic_sort(k, "middle")
    s1 = C.kwic_sample(k, 1, seed=3)
    s2 = C.kwic_sample(k, 1, seed=3)
    pd.testing.assert_frame_equal(s1, s2)
    assert s1.groupby("family").size().tolist() == [1, 1] and not s1["masked"].any()
    assert len(C.kwic_sample(k, 10, seed=3)) == 4  # 3 samverkan + 1 unmasked segregation


def test_dispersion_positions(data):
    c, hits = data
    pos = C.dispersion_positions(c, hits)
    # doc z (2016-05) is earlier than doc x (2020-02-01): rank 0
    z = pos[pos["doc_id"] == "z"].sort_values("position")
    assert z["doc_rank"].tolist() == [0, 0]
    # z has 3 tokens (Segregation minskar Samverkan): positions 0/2 and 2/2
    assert z["position"].tolist() == [0.0, 1.0]
    assert (pos[pos["doc_id"] == "x"]["doc_rank"] == 1).all() and len(pos) == 4


def test_kwic_match_spans_placeholder_abbreviation_and_line_break():
    text = "Skicka [e-post] post.\nVi har bl.a. post-\noch telefonsamverkan t.\nex. nu."
    c = corpus_from_texts([text])
    fam = T.family_from_spec("post", {"stems": ["post"], "endings": ["", "-"]})
    k = C.kwic_build(c, terms_locate(c, [fam])[0], width=10)
    # "post" after the placeholder is at 16, not inside "[e-post]" (10), as searching the
    # text after the previous token would have it; "post-" ends a line
    assert k["match"].tolist() == ["post", "post-"]
    assert k["left"].tolist() == ["[e-post]", "har bl.a."]
    assert k["right"].tolist() == [". Vi har", "och"]
    ab = T.family_from_spec("tex", {"forms": ["t.\nex."]})
    k = C.kwic_build(c, terms_locate(c, [ab])[0], width=3)
    assert k["match"].tolist() == ["t. ex."]  # whitespace collapsed, as in left and right


def _kwic_by_search(corpus, hits, width):
    """The KWIC lines as built before offsets were kept: each document's tokens found one
    after another in its text (an independent computation of the same spans)."""
    space = re.compile(r"\s+")
    rows = []
    for _, h in hits.sort_values("start", kind="stable").iterrows():
        d, start, k = int(h["doc"]), int(h["start"]), int(h["length"])
        text, d0 = corpus.texts[d], int(corpus.doc_starts[d])
        pos, offs = 0, []
        for t in corpus.tokens[d0 : start + k]:
            pos = text.find(corpus.vocab[t], pos)
            offs.append(pos)
            pos += len(corpus.vocab[t])
        a, b = offs[start - d0], pos
        lo, hi = max(0, a - width), min(len(text), b + width)
        left = space.sub(" ", text[lo:a]).strip()
        right = space.sub(" ", text[b:hi]).strip()
        if 0 < lo < a and text[lo - 1].isalnum() and text[lo].isalnum():
            left = left.split(" ", 1)[1] if " " in left else ""
        if b < hi < len(text) and text[hi - 1].isalnum() and text[hi].isalnum():
            right = right.rsplit(" ", 1)[0] if " " in right else ""
        rows.append((left, space.sub(" ", text[a:b]).strip(), right))
    return rows


def _kwic_equal_to_search(corpus, hits):
    k = C.kwic_build(corpus, hits, width=60)
    got = list(zip(k["left"], k["match"], k["right"], strict=True))
    assert got == _kwic_by_search(corpus, hits, 60)


def test_kwic_by_offset_equals_kwic_by_search_on_the_seeds(tmp_path):
    corpus = corpus_prepare(SEEDS_DIR, cache_dir=tmp_path)
    hits, _ = terms_locate(corpus, T.families_resolve())
    assert len(hits) == 42
    _kwic_equal_to_search(corpus, hits)
    # every token of the seed corpus as a one-token hit, and every pair of tokens
    n = len(corpus.tokens)
    doc = np.searchsorted(corpus.doc_starts, np.arange(n), "right") - 1
    every = pd.DataFrame({"family": "t", "doc": doc, "start": np.arange(n), "length": 1})
    every["masked"] = False
    _kwic_equal_to_search(corpus, every)
    pairs = every[np.r_[doc[1:] == doc[:-1], False]].assign(length=2)
    _kwic_equal_to_search(corpus, pairs)


@pytest.mark.slow
@pytest.mark.realdata
def test_kwic_by_offset_equals_kwic_by_search_on_policy_sv(tmp_path):
    folder = SHARED_CORPORA_DIR / "policy-sv"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    corpus = corpus_prepare(folder, cache_dir=tmp_path)
    hits, _ = terms_locate(corpus, T.families_resolve())
    _kwic_equal_to_search(corpus, hits)
