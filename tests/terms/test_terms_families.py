"""Term families, their uses in a corpus and their counts: rules, matching, masks, DP."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import ParameterError
from ordbruk.paths import SHARED_CORPORA_DIR
from ordbruk.terms import families as T
from ordbruk.terms import frequency as F
from ordbruk.terms.locate import terms_locate
from ordbruk.text.corpus import corpus_from_texts

DOC_A = (
    "Samverkan mellan kommunerna är viktig. Vi samverkar om nya samverkansformer och "
    "regionsamverkan. Samverkans- och samordningsformer diskuterades. Delegationen mot "
    "segregation besökte Borås för att diskutera segregation och bostadssegregationen. "
    "Kommunikatören på kommunen skrev om könssegregering."
)
DOC_B = (
    "Ett socialt hållbart samhälle kräver social hållbarhet. Enheten för social hållbarhet "
    "vid Länsstyrelsen svarar.\n\nSociala hållbarhetsfrågor och hållbarhet. Vi är sociala. "
    "Hållbarhet är viktigt."
)
META = [
    {"doc_id": "a", "actor": "Borås Stad", "actor_level": "local", "date": "2019-01-01"},
    {"doc_id": "b", "actor": "Länsstyrelsen", "actor_level": "regional", "date": "2020-05"},
    {"doc_id": "c", "actor": "Borås Stad", "actor_level": "local", "date": "2021"},
]


@pytest.fixture(scope="module")
def corpus():
    return corpus_from_texts([DOC_A, DOC_B, ""], META)


@pytest.fixture(scope="module")
def shipped():
    return {f.name: f for f in T.families_resolve()}


def _counts(corpus, fams):
    hits, _ = terms_locate(corpus, fams)
    return hits, F.terms_count(corpus, hits, [f.name for f in fams])


def test_shipped_file_has_required_families(shipped):
    required = {
        "samverkan", "segregation", "integration", "utanförskap", "social hållbarhet",
        "trygghet", "delaktighet", "jämlikhet", "områdesutveckling", "arbetsmarknad",
    }  # fmt: skip
    assert required <= set(shipped)


def test_shipped_examples_hold(shipped):
    """Every included/excluded/masked example written in the YAML is what the rules do."""
    for fam in shipped.values():
        for form in fam.examples.get("included", []):
            assert T.form_rule(fam, form), f"{fam.name}: {form} should be included"
        for form in fam.examples.get("excluded", []):
            assert T.form_rule(fam, form) is None, f"{fam.name}: {form} should be excluded"
        for form in fam.examples.get("masked", []):
            assert T.form_rule(fam, form), f"{fam.name}: {form} matches before masking"
            globs = [m.lower() for m in fam.masks if " " not in m]
            assert any(re.fullmatch(g.replace("*", ".*"), form) for g in globs)


def test_form_rule_positions():
    fam = T.family_from_spec("samverkan", {"stems": ["samverkan"], "endings": ["", "s"]})
    assert T.form_rule(fam, "samverkan") == "stem"
    assert T.form_rule(fam, "Samverkans") == "stem"  # case folded
    assert T.form_rule(fam, "samverkansformer") == "prefix_compound"  # linking -s
    assert T.form_rule(fam, "samverkanforum") == "prefix_compound"  # no linker
    assert T.form_rule(fam, "samverkans-") == "prefix_compound"  # truncated
    assert T.form_rule(fam, "regionsamverkan") == "suffix_compound"
    assert T.form_rule(fam, "kultursamverkansmodellen") == "infix_compound"
    assert T.form_rule(fam, "samverkande") is None  # a verb form, not listed here
    assert T.form_rule(fam, "samverkanab") is None  # rest shorter than min_rest
    assert T.form_rule(fam, "xsamverkan") is None  # head shorter than min_head
    assert T.form_rule(fam, "samverkan2025") is None  # digits are not a compound part


def test_plain_word_family_and_exclusion():
    plain = T.family_from_spec("kommun", None)
    assert T.form_rule(plain, "kommunerna") == "stem"
    assert T.form_rule(plain, "kommunikatör") == "prefix_compound"  # why excludes exist
    fixed = T.family_from_spec("kommun", {"stems": ["kommun"], "exclude": ["kommunikat*"]})
    assert T.form_rule(fixed, "kommunikatör") is None
    assert T.form_rule(fixed, "kommunstyrelsen") == "prefix_compound"


def test_form_rule_min_rest_zero_bare_stem_without_empty_ending():
    # Bug: with min_rest 0 and no "" ending, the bare stem left an empty compound rest
    # and rest[0] raised IndexError instead of saying "not a member".
    fam = T.family_from_spec("x", {"stems": ["samverkan"], "endings": ["s"], "min_rest": 0})
    assert T.form_rule(fam, "samverkan") is None  # no ending "" and no compound part
    assert T.form_rule(fam, "samverkans") == "stem"
    assert T.form_rule(fam, "samverkansråd") == "prefix_compound"


def test_nfd_spec_matches_nfc_form():
    nfd = unicodedata.normalize("NFD", "områdesutveckling")
    fam = T.family_from_spec("x", {"stems": [nfd], "endings": ["", "en"]})
    assert T.form_rule(fam, "områdesutvecklingen") == "stem"
    assert T.form_rule(fam, unicodedata.normalize("NFD", "Områdesutveckling")) == "stem"


def test_bad_specs_raise():
    with pytest.raises(ParameterError, match="unknown key"):
        T.family_from_spec("x", {"stem": ["x"]})
    with pytest.raises(ParameterError, match="list of strings"):
        T.family_from_spec("x", {"stems": "x"})
    with pytest.raises(ParameterError, match="at least one"):
        T.family_from_spec("x", {"masks": ["X"]})
    with pytest.raises(ParameterError, match="one word"):
        T.family_from_spec("två ord", None)


def test_form_index_glob_and_containing():
    idx = T.FormIndex(["abc", "samverkan", "samverkans-", "regionsamverkan", "x"])
    assert idx.glob("samverkan*").tolist() == [1, 2]  # anchored at the form start
    assert idx.glob("*samverkan").tolist() == [1, 3]
    assert idx.glob("abc").tolist() == [0]
    assert idx.containing("verkan").tolist() == [1, 2, 3]


def test_form_index_glob_bracket_set_is_not_a_literal():
    # Bug: glob() took the letters inside "[...]" for a literal to look up, so "*[bc]d"
    # searched for the string "bc" and found neither "abd" nor "acd".
    idx = T.FormIndex(["abd", "acd", "aed", "bd"])
    # hand check with fnmatch: *[bc]d -> abd, acd, bd; [ab]*d -> abd, acd, aed, bd
    assert idx.glob("*[bc]d").tolist() == [0, 1, 3]
    assert idx.glob("[ab]*d").tolist() == [0, 1, 2, 3]
    assert idx.glob("a[!b]d").tolist() == [1, 2]


def test_counts_hand_counted(corpus, shipped):
    fams = [shipped["samverkan"], shipped["segregation"], shipped["social hållbarhet"]]
    hits, counts = _counts(corpus, fams)
    got = counts.set_index(["doc_id", "family"])
    # samverkan in a: Samverkan, samverkar, samverkansformer, regionsamverkan, Samverkans- = 5
    assert got.loc[("a", "samverkan"), "count"] == 5
    # segregation in a: "segregation" (2nd), bostadssegregationen = 2; the one in
    # "Delegationen mot segregation" is masked; "könssegregering" is excluded.
    assert got.loc[("a", "segregation"), "count"] == 2
    assert got.loc[("a", "segregation"), "masked_count"] == 1
    # social hållbarhet in b: socialt hållbart, social hållbarhet, Sociala hållbarhetsfrågor = 3;
    # "Enheten för social hållbarhet" is masked; "sociala. Hållbarhet" crosses a sentence.
    assert got.loc[("b", "social hållbarhet"), "count"] == 3
    assert got.loc[("b", "social hållbarhet"), "masked_count"] == 1
    # the empty document: zero counts, zero tokens, frequency 0
    assert (got.loc["c", "count"] == 0).all() and (got.loc["c", "n_tokens"] == 0).all()
    n_a = corpus.meta["n_tokens"].iat[0]
    assert got.loc[("a", "samverkan"), "freq_per_10k"] == pytest.approx(5 / n_a * 1e4)
    assert list(counts.columns) == [
        "doc_id", "family", "count", "masked_count", "n_tokens", "freq_per_10k",
    ]  # fmt: skip


def test_forms_table(corpus, shipped):
    hits, _ = terms_locate(corpus, [shipped["samverkan"], shipped["segregation"]])
    forms = F.terms_forms(hits).set_index(["family", "form"])
    assert forms.loc[("samverkan", "samverkans-"), "count"] == 1
    assert forms.loc[("samverkan", "samverkans-"), "rule"] == "prefix_compound"
    assert forms.loc[("segregation", "segregation"), "count"] == 1
    assert forms.loc[("segregation", "segregation"), "masked_count"] == 1
    assert ("segregation", "könssegregering") not in forms.index


def test_mask_needs_capital_and_single_token_glob():
    texts = [
        "Länsstyrelserna i samverkan arrangerar. Hon sa att länsstyrelserna i samverkan med "
        "kommunerna planerar. Integrationsministern svarade om integration."
    ]
    c = corpus_from_texts(texts)
    fams = [
        T.family_from_spec(
            "samverkan", {"stems": ["samverkan"], "masks": ["Länsstyrelserna i samverkan"]}
        ),
        T.family_from_spec(
            "integration", {"stems": ["integration"], "masks": ["integrationsminister*"]}
        ),
    ]
    hits, counts = _counts(c, fams)
    got = counts.set_index("family")
    # capitalised name masked (1); lower-case "länsstyrelserna i samverkan med" is a use (1)
    assert got.loc["samverkan", ["count", "masked_count"]].tolist() == [1, 1]
    # Integrationsministern masked by the glob (1); "integration" is a use (1)
    assert got.loc["integration", ["count", "masked_count"]].tolist() == [1, 1]


def test_phrase_hits_absorb_single_word_hits():
    c = corpus_from_texts(["Social hållbarhet och hållbarhet."])
    fam = T.family_from_spec("hb", {"stems": ["hållbarhet"], "phrases": ["social hållbarhet"]})
    hits, counts = _counts(c, [fam])
    # phrase "Social hållbarhet" (1) + standalone "hållbarhet" (1); the phrase's own
    # "hållbarhet" is not counted again
    assert counts["count"].tolist() == [2]
    assert sorted(hits["form"]) == ["hållbarhet", "social hållbarhet"]


def test_counts_agree_with_independent_regex():
    """Family counts equal a regular-expression count written from the rules."""
    text = (
        "Segregationen ökar. Boendesegregation och skolsegregationen diskuteras, liksom "
        "segregationsfrågor, segregationspolitik och segregations- och integrationsfrågor. "
        "Segregat är inget ord, segregationab inte heller, och xsegregation saknar förled. "
        "SEGREGATION skrivs ibland så. Bostadssegregationsfrågan är svår."
    )
    fam = T.family_from_spec("segregation", None)  # plain word: default rules
    c = corpus_from_texts([text])
    _, counts = _counts(c, [fam])
    endings = "|".join(sorted(T.DEFAULT_ENDINGS, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w-])(?:[^\W\d]{{3,}})?segregation"
        rf"(?:(?:{endings})(?![\w-])|s?-?[^\W\d][\w-]{{2,}}|s?-(?=\s))",
        re.IGNORECASE,
    )
    expected = len(pattern.findall(text))
    # hand count: Segregationen, Boendesegregation, skolsegregationen, segregationsfrågor,
    # segregationspolitik, segregations-, SEGREGATION, Bostadssegregationsfrågan = 8
    assert expected == 8
    assert counts["count"].tolist() == [expected]


def test_dispersion_dp_worked_examples():
    # observed [.25, 0, .75], expected [.25, .25, .5]: 0.5 * (0 + .25 + .25) = 0.25
    assert F.dispersion_dp([1, 0, 3], [10, 10, 20]) == pytest.approx(0.25)
    # all uses in one of n equal parts: DP = 1 - 1/n (Gries 2008)
    assert F.dispersion_dp([7, 0, 0, 0], [5, 5, 5, 5]) == pytest.approx(0.75)
    # proportional to part sizes: 0
    assert F.dispersion_dp([2, 4], [100, 200]) == pytest.approx(0.0)
    assert np.isnan(F.dispersion_dp([0, 0], [1, 1]))


def test_aggregate_hand_counted():
    counts = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "a", "b", "c"],
            "family": ["f"] * 3 + ["g"] * 3,
            "count": [1, 0, 3, 0, 0, 0],
            "masked_count": [0, 1, 0, 0, 0, 0],
            "n_tokens": [10, 10, 20] * 2,
        }
    )
    meta = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "actor": ["X", "Y", "X"], "actor_level": ["l", "l", "n"]}
    )
    allg = F.terms_aggregate(counts, meta).set_index("family")
    assert allg.loc["f", "count"] == 4 and allg.loc["f", "masked_count"] == 1
    assert allg.loc["f", "n_docs_with_term"] == 2 and allg.loc["f", "n_actors_with_term"] == 1
    assert allg.loc["f", "freq_per_10k"] == pytest.approx(4 / 40 * 1e4)
    assert allg.loc["f", "dp_docs"] == pytest.approx(0.25)  # as in the DP example above
    # actors: X has 4 of 4 uses and 30 of 40 tokens: 0.5 * (|1 - .75| + |0 - .25|) = 0.25
    assert allg.loc["f", "dp_actors"] == pytest.approx(0.25)
    assert np.isnan(allg.loc["g", "dp_docs"]) and allg.loc["g", "n_actors_with_term"] == 0
    lev = F.terms_aggregate(counts, meta, "actor_level").set_index(["actor_level", "family"])
    # level l: docs a (1 use, 10 tokens), b (0, 10): 0.5 * (|1-.5| + |0-.5|) = 0.5
    assert lev.loc[("l", "f"), "dp_docs"] == pytest.approx(0.5)
    assert lev.loc[("l", "f"), "n_docs"] == 2 and lev.loc[("n", "f"), "n_actors"] == 1


def test_paragraph_unit(corpus, shipped):
    hits, _ = terms_locate(corpus, [shipped["social hållbarhet"]])
    per_para = F.terms_count(corpus, hits, ["social hållbarhet"], unit="paragraph")
    b = per_para[per_para["doc_id"] == "b"]
    # b has two paragraphs: 2 uses (+1 masked) in the first, 1 use in the second
    assert b["count"].tolist() == [2, 1] and b["unit_index"].tolist() == [0, 1]
    with pytest.raises(ParameterError):
        F.terms_count(corpus, hits, ["social hållbarhet"], unit="sentence")


def test_families_resolve_custom_and_file(tmp_path):
    path = tmp_path / "fam.yaml"
    path.write_text("families:\n  bostad:\n    stems: [bostad]\n    endings: ['', en]\n")
    fams = T.families_resolve(["bostad", "skola"], {"trygg": None}, path=path)
    assert [f.name for f in fams] == ["bostad", "skola", "trygg"]
    assert fams[0].endings == ("", "en") and fams[1].stems == ("skola",)
    path.write_text("- not a mapping\n")
    with pytest.raises(ParameterError, match="families"):
        T.families_load(path)


@pytest.mark.slow
@pytest.mark.realdata
def test_shipped_families_on_real_vocabulary():
    """The false positives named in the YAML stay out of the real policy-sv vocabulary."""
    folder = SHARED_CORPORA_DIR / "policy-sv"
    if not folder.exists():
        pytest.skip(f"{folder} is absent")
    forms = set()
    for p in sorted((folder / "texts").rglob("*.txt"))[:3000]:
        forms.update(w.lower() for w in re.findall(r"\w+", p.read_text("utf-8")))
    fams = {f.name: f for f in T.families_resolve()}
    idx = T.FormIndex(sorted(forms))
    matched = {n: {idx.forms[i] for i in T.family_forms(f, idx)} for n, f in fams.items()}
    assert "samverkan" in matched["samverkan"]
    assert not {"fördelaktigt", "otrygghet", "ojämlikhet"} & set().union(*matched.values())


def test_aggregate_counts_each_unattributed_document_as_its_own_actor():
    # regression: two documents without an actor were counted as one actor ""
    import pandas as pd

    from ordbruk.terms.frequency import terms_aggregate

    counts = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "family": ["samverkan"] * 3,
            "count": [1, 2, 0],
            "masked_count": [0, 0, 0],
            "n_tokens": [10, 10, 10],
        }
    )
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["", "", "Borås Stad"]})
    row = terms_aggregate(counts, meta).iloc[0]
    assert row["n_actors"] == 3 and row["n_actors_with_term"] == 2


def test_aggregate_by_actor_largest_actor_first():
    # per actor the actor with most documents comes first, families keep their order
    import pandas as pd

    from ordbruk.terms.frequency import terms_aggregate

    counts = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "b", "c", "c"],
            "family": ["samverkan", "segregation"] * 3,
            "count": [1, 0, 2, 1, 0, 3],
            "masked_count": [0] * 6,
            "n_tokens": [10, 10, 20, 20, 30, 30],
        }
    )
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["Alingsås", "Öckerö", "Öckerö"]})
    out = terms_aggregate(counts, meta, "actor")
    assert out["actor"].tolist() == ["Öckerö", "Öckerö", "Alingsås", "Alingsås"]
    assert out["family"].tolist() == ["samverkan", "segregation"] * 2
    assert out["n_docs"].tolist() == [2, 2, 1, 1] and out["count"].tolist() == [2, 4, 1, 0]
