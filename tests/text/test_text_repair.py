"""Tests for ordbruk.text.repair and its rules in corpus_clean: markup, hyphens, content lines."""

import pandas as pd
import pytest

from ordbruk.corpus.html import html_text
from ordbruk.errors import ParameterError
from ordbruk.text import repair
from ordbruk.text.cache import cache_key_make
from ordbruk.text.cleaning import CLEANING_DEFAULTS
from ordbruk.text.cleaning_shards import corpus_clean
from ordbruk.text.tokenize import text_tokenize

ALL = frozenset(repair.REPAIR_RULES)
LIST_LINE = "– <![if !supportLists]>- <![endif]>friluftslivet omsätter 35 miljarder;"
LEAD_IN = "Med anledning av detta vill jag fråga statsrådet Anna Andersson följande:"
BLURB = "Kommunen arbetar för en hållbar framtid för alla invånare i kommunen."


def test_word_conditional_comments_go_and_the_bullet_stays():
    line, events = repair.markup_strip(LIST_LINE, ALL)
    assert line == "– - friluftslivet omsätter 35 miljarder;"
    assert events == ["word_conditional", "word_conditional"]
    hidden = "Text<!--[if gte mso 9]><xml><w:WordDocument/></xml><![endif]--> slut"
    assert repair.markup_strip(hidden, ALL) == ("Text slut", ["word_conditional"])
    assert repair.markup_strip("<![if !supportEmptyParas]> <![endif]>", ALL)[0] == ""


def test_other_markup_remnants_and_entities():
    line, events = repair.markup_strip(
        "Skola&nbsp;och vård<o:p></o:p> <!-- x --> &amp; <b>mer</b>", ALL
    )
    assert line == "Skola och vård & mer"
    assert events == ["markup_remnant"] * 7
    # Ordinary text with "<" or "&" is left alone.
    assert repair.markup_strip("Kostnad < 5 % & R&D", ALL) == ("Kostnad < 5 % & R&D", [])
    # A rule switched off leaves its remnants.
    assert repair.markup_strip(LIST_LINE, ALL - {"word_conditional"}) == (LIST_LINE, [])


def test_html_pages_lose_conditional_comments_in_the_parser():
    page = "<p><![if !supportLists]>- <![endif]>vård<!--[if gte mso 9]><xml>x</xml><![endif]--></p>"
    assert html_text(page) == "- vård"


@pytest.mark.parametrize(
    ("line", "out", "joined"),
    [
        (
            "ett inte- grationsdepartement",
            "ett integrationsdepartement",
            ["integrationsdepartement"],
        ),
        ("Globali- seringen går", "Globaliseringen går", ["Globaliseringen"]),
        ("det mellan- mänskliga", "det mellanmänskliga", ["mellanmänskliga"]),
        # Truncated compounds: coordination follows, or a chain of them.
        ("Gymnasie- och vuxenutbildningsförvaltningen", None, []),
        ("hälso- eller sjukvård", None, []),
        ("utrikes- försvars- och säkerhetspolitik", None, []),
        # The joined form is not a known word: left as it is.
        ("invandraminis- ter som uppdrag", None, []),
        # A capital after the hyphen is a new name, not the rest of a word.
        ("Skåne- Sverige", None, []),
    ],
)
def test_hyphen_join(line, out, joined):
    assert repair.hyphens_join(line) == (out or line, joined)


def test_joined_words_tokenise_whole():
    line, _ = repair.hyphens_join("ett inte- grationsdepartement")
    assert text_tokenize(line) == ["ett", "integrationsdepartement"]


@pytest.mark.parametrize(
    ("line", "content"),
    [
        (LEAD_IN, True),  # 11 words, "vill", "jag"
        ("Vilka åtgärder avser ministern vidta?", True),  # a question
        (BLURB, False),  # a verb but no speaker: an organisation's template
        ("Det talade ordet gäller.", False),
        ("Med anledning av detta jag", False),  # short
    ],
)
def test_line_has_content(line, content):
    assert repair.line_has_content(line) is content


def _mp_corpus():
    texts = [
        f"Interpellation {k}\n\n{LEAD_IN}\n\n{BLURB}\n\n{LIST_LINE}\n\nett inte- grationsdepartement"
        f" ({k}) och Gymnasie- och vuxenutbildningsförvaltningen"
        for k in range(3)
    ]
    return texts, pd.DataFrame({"doc_id": ["d0", "d1", "d2"], "actor": ["MP"] * 3})


def test_corpus_clean_applies_and_logs_the_rules():
    texts, meta = _mp_corpus()
    out, log = corpus_clean(texts, meta)
    assert out[0] == (
        f"Interpellation 0\n\n{LEAD_IN}\n\n– - friluftslivet omsätter 35 miljarder;\n\n"
        "ett integrationsdepartement (0) och Gymnasie- och vuxenutbildningsförvaltningen"
    )
    d0 = log[log["doc_id"] == "d0"]
    assert list(zip(d0["line"], d0["rule"], d0["action"], strict=True)) == [
        (3, "repeated_line_content", "kept"),
        (5, "repeated_line", "removed"),
        (7, "word_conditional", "repaired"),
        (7, "word_conditional", "repaired"),
        (9, "hyphen_join", "repaired"),
    ]
    # The log shows a repaired line as it is after the repair.
    assert d0["text"].iloc[-1].startswith("ett integrationsdepartement")


@pytest.mark.parametrize("rule", repair.REPAIR_RULES)
def test_each_rule_switches_off(rule):
    texts, meta = _mp_corpus()
    out, log = corpus_clean(texts, meta, {"disabled_rules": [rule]})
    assert rule not in set(log["rule"])
    fragment = {
        "word_conditional": "<![endif]>",
        "markup_remnant": None,
        "hyphen_join": "inte- grations",
        "repeated_line_content": None,
    }[rule]
    if fragment:
        assert fragment in out[0]
    if rule == "repeated_line_content":
        assert LEAD_IN not in out[0]


def test_unknown_rule_is_named():
    texts, meta = _mp_corpus()
    with pytest.raises(ParameterError, match="known rules: .*hyphen_join"):
        corpus_clean(texts, meta, {"disabled_rules": ["hyphen_joins"]})


def test_switching_a_rule_off_changes_the_cache_key():
    validation = {"allowed_levels": ["national"], "encoding_fallback": None}
    on = cache_key_make({"a": "0" * 64}, validation, dict(CLEANING_DEFAULTS))
    off = cache_key_make(
        {"a": "0" * 64}, validation, {**CLEANING_DEFAULTS, "disabled_rules": ["hyphen_join"]}
    )
    assert on != off


def test_a_form_written_unbroken_elsewhere_is_known():
    # "samverkansavtal" is not in simplemma's dictionary; the corpus writes it unbroken.
    texts = ["Ett nytt samver- kansavtal.", "Samverkansavtal tecknas.", "Om EU- kommissionen."]
    meta = pd.DataFrame({"doc_id": ["a", "b", "c"], "actor": ["A", "B", "C"]})
    out, log = corpus_clean(texts, meta)
    assert out[0] == "Ett nytt samverkansavtal."
    assert out[2] == texts[2]  # an acronym before the hyphen: never joined
    assert list(log["rule"]) == ["hyphen_join"]
    assert repair.hyphens_join(texts[0]) == (texts[0], [])  # without the vocabulary
    assert repair.written_whole(texts[1].lower(), "samverkansavtal")
    assert not repair.written_whole("samverkansavtalen", "samverkansavtal")


def test_a_dash_before_a_stop_word_is_not_a_break():
    assert repair.hyphens_join("Design- en fråga om form")[1] == []
