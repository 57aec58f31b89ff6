"""The lemma route of a plain-word family: every inflection, homographs kept out."""

from __future__ import annotations

import pytest

from ordbruk.terms import families as T
from ordbruk.terms import frequency as F
from ordbruk.terms.locate import terms_locate
from ordbruk.text.corpus import corpus_from_texts
from ordbruk.text.tokenize import stopwords_load

# A synthetic form -> lemma table, written as a lemmatiser would give it (including its
# homograph mistakes: the modal "ska" under the noun `skola`, "är" under `vara`).
LEMMAS = {
    "bostad": "bostad",
    "bostaden": "bostad",
    "bostäder": "bostad",
    "bostäderna": "bostad",
    "bostädernas": "bostad",
    "bostads-": "bostads-",
    "bostadsbrist": "bostadsbrist",
    "hyresbostäder": "hyresbostäder",
    "bo-städer": "bo-städer",
    "skola": "skola",
    "skolor": "skola",
    "ska": "skola",
    "skulle": "skola",
    "vara": "vara",
    "varor": "vara",
    "är": "vara",
    "varit": "vara",
    "böcker": "bok",
    "bok": "bok",
    "bok2": "bok",
    "ab": "bok",
}


@pytest.fixture(scope="module")
def index():
    forms = sorted(LEMMAS)
    stop = stopwords_load().forms
    return T.FormIndex(forms, [LEMMAS[f] for f in forms], [f in stop for f in forms])


def _members(fam, index):
    return {index.forms[i]: rule for i, rule in T.family_forms(fam, index).items()}


def test_plain_word_reaches_every_inflection_and_the_compounds(index):
    got = _members(T.family_from_spec("bostad", None), index)
    assert got == {
        "bostad": "stem",
        "bostaden": "stem",
        "bostäder": "lemma",
        "bostäderna": "lemma",
        "bostädernas": "lemma",
        "bostads-": "prefix_compound",
        "bostadsbrist": "prefix_compound",
        "hyresbostäder": "suffix_compound",  # ends in the lemma form "bostäder"
    }


def test_homographs_are_not_admitted_by_lemma(index):
    # "ska"/"skulle" have the lemma skola in this table, but they are stop words
    assert _members(T.family_from_spec("skola", None), index) == {
        "skola": "stem",
        "skolor": "lemma",  # "r" is not a default ending
    }
    # "vara" (goods): "är" does not start with v, "varit" is a stop word
    assert _members(T.family_from_spec("vara", None), index) == {"vara": "stem", "varor": "lemma"}
    # vowel change in the first syllable is reached; a number or a short odd form is not
    assert _members(T.family_from_spec("bok", None), index) == {"bok": "stem", "böcker": "lemma"}


def test_explicit_families_keep_their_rules(index):
    fam = T.family_from_spec("bostad", {"stems": ["bostad"], "endings": ["", "en"]})
    assert fam.lemma_word == ""
    assert "bostäder" not in _members(fam, index)
    shipped = T.families_resolve()
    assert shipped and all(f.lemma_word == "" for f in shipped)
    fams = {f.name: f for f in T.families_resolve(["bostad", "segregation"], {"trygg": None})}
    assert fams["bostad"].lemma_word == "bostad" and fams["trygg"].lemma_word == "trygg"
    assert fams["segregation"].lemma_word == ""
    # exclusions also hold for the lemma route
    excl = T.TermFamily(name="b", stems=("bostad",), lemma_word="bostad", exclude=("*derna",))
    assert "bostäderna" not in _members(excl, index) and "bostäder" in _members(excl, index)


def test_without_lemmas_spelling_rules_only():
    idx = T.FormIndex(["bostad", "bostäder"])
    assert _members(T.family_from_spec("bostad", None), idx) == {"bostad": "stem"}


def test_precedence_stem_before_lemma():
    # bostaden has the family's lemma and the stem rule: the stem rule names it
    fam = T.family_from_spec("bostad", None)
    assert T.form_rule(fam, "bostaden", lemma_ok=True) == "stem"
    assert T.form_rule(fam, "bostäder", lemma_ok=True) == "lemma"
    assert T.form_rule(fam, "bostadsbrist", lemma_ok=True) == "lemma"  # lemma before compound
    assert T.form_rule(fam, "bostadsbrist") == "prefix_compound"


def test_corpus_lemma_table_drives_the_forms_table():
    """End to end on the corpus's own lemmas: bostäder is counted, admitted by lemma."""
    text = (
        "Bostäder byggs. Bostäderna är nya. En bostad och bostaden. Bostadsbristen ökar. "
        "Bostads- och arbetsmarknaden. Vi ska bygga fler bostäder."
    )
    c = corpus_from_texts([text])
    lemma_of = dict(zip(c.forms, (c.lemmas[j] for j in c.lemma), strict=True))
    if lemma_of.get("bostäder") != lemma_of.get("bostad"):
        pytest.skip("the lemmatiser does not join bostäder and bostad here")
    hits, _ = terms_locate(c, [T.family_from_spec("bostad", None)])
    forms = F.terms_forms(hits).set_index("form")
    assert forms.loc["bostäder", "count"] == 2 and forms.loc["bostäder", "admitted_by"] == "lemma"
    assert forms.loc["bostad", "admitted_by"] == "stem"
    assert forms.loc["bostads-", "admitted_by"] == "compound"
    assert forms.loc["bostadsbristen", "rule"] == "prefix_compound"
    assert "ska" not in forms.index
    assert set(forms["admitted_by"]) <= set(T.ADMITTED_BY.values())
