"""Hits of term families in the token stream: positions, phrases, masks, hand-counted."""

import numpy as np

from ordbruk.terms import families as T
from ordbruk.terms.locate import HITS_COLUMNS, terms_locate
from ordbruk.text.corpus import corpus_from_texts


def test_hits_positions_and_rules():
    c = corpus_from_texts(
        ["Samverkan i Borås. Regionsamverkan och samverkans- och samordningsformer.", "Ingen."]
    )
    fam = T.family_from_spec("samverkan", {"stems": ["samverkan"], "endings": ["", "s"]})
    hits, members = terms_locate(c, [fam])
    assert hits.columns.tolist() == HITS_COLUMNS
    # tokens: Samverkan(0) i(1) Borås(2) Regionsamverkan(3) och(4) samverkans-(5) och(6) ...
    assert hits["start"].tolist() == [0, 3, 5] and hits["doc"].tolist() == [0, 0, 0]
    assert hits["rule"].tolist() == ["stem", "suffix_compound", "prefix_compound"]
    assert hits["length"].tolist() == [1, 1, 1] and not hits["masked"].any()
    assert sorted(c.forms[i] for i in members["samverkan"]) == [
        "regionsamverkan", "samverkan", "samverkans-",
    ]  # fmt: skip


def test_phrase_stays_inside_a_sentence_and_masks_cover_hits():
    c = corpus_from_texts(
        [
            "Social hållbarhet är målet. Vi är sociala. Hållbarhet kräver mer.",
            "Enheten för social hållbarhet och Delegationen mot segregation svarar.",
        ]
    )
    fams = [
        T.family_from_spec(
            "sh",
            {"phrases": ["social|sociala hållbarhet"], "masks": ["Enheten för social hållbarhet"]},
        ),
        T.family_from_spec(
            "seg", {"stems": ["segregation"], "masks": ["Delegationen mot segregation"]}
        ),
    ]
    hits, _ = terms_locate(c, fams)
    sh = hits[hits["family"] == "sh"]
    # doc 0 has 10 tokens; "Social hållbarhet" at 0 (2 tokens); "sociala. Hållbarhet"
    # crosses a sentence. Doc 1: Enheten(10) för(11) social(12) hållbarhet(13) och(14)
    # Delegationen(15) mot(16) segregation(17) svarar(18); the phrase at 12 lies inside
    # the mask at 10-13
    assert sh["start"].tolist() == [0, 12] and sh["length"].tolist() == [2, 2]
    assert sh["masked"].tolist() == [False, True]
    seg = hits[hits["family"] == "seg"]
    assert seg["start"].tolist() == [17] and seg["masked"].tolist() == [True]
    assert hits["doc"].tolist() == [0, 1, 1]
    # a name is a name whichever family listed it: a family without masks is masked too
    plain = T.family_from_spec("segregation", None)
    hits, _ = terms_locate(c, [plain, fams[1]])
    assert hits.loc[hits["family"] == "segregation", "masked"].tolist() == [True]


def test_no_families_and_no_hits():
    c = corpus_from_texts(["Inget här."])
    hits, members = terms_locate(c, [])
    assert hits.columns.tolist() == HITS_COLUMNS and hits.empty and members == {}
    hits, _ = terms_locate(c, [T.family_from_spec("skola", None)])
    assert hits.empty and hits["start"].dtype == np.int64
