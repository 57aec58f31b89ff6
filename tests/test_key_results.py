"""Key results and titles built from computed values (issue 13 item 5), hand-checked."""

import pandas as pd

from ordbruk.overview import notes as overview_notes
from ordbruk.rhetoric import notes as rhetoric_notes
from ordbruk.rhetoric.key_results import key_term_sentence
from ordbruk.stats.design import Composition
from ordbruk.stats.groups import Adequacy
from ordbruk.terms import notes as terms_notes
from ordbruk.terms.key_results import ratio_sentence
from ordbruk.topics import notes as topics_notes
from ordbruk.topics.key_results import difference_sentence
from ordbruk.topics.select import Choice


def test_terms_title_follows_the_families_and_grouping():
    assert terms_notes.terms_title(["skola"], "doc_type") == (
        'Term frequency: who says "skola", by doc_type, where and with what'
    )
    title = terms_notes.terms_title(["a", "b", "c"], "actor_level")
    assert title.startswith('Term frequency: who says "a", "b" and 1 more family, by actor_level')


def _ratios(**over):
    row = dict(family="skola", group="local", reference="national", ratio_pooled=2.0,
               ci_low_pooled=1.5, ci_high_pooled=2.5, ratio_adjusted=float("nan"),
               ci_low_adjusted=float("nan"), ci_high_adjusted=float("nan"),
               adjusted_for="group + genre + period")  # fmt: skip
    row.update(over)
    return pd.DataFrame([row])


def test_terms_results_name_the_largest_ratio_with_its_interval():
    totals = pd.DataFrame({"family": ["skola", "vård"], "count": [12, 0],
                           "freq_per_10k": [12.5, 0.0], "n_docs_with_term": [1, 0]})  # fmt: skip
    adequacy = pd.DataFrame({"group": ["local", "regional"], "descriptive_only": [False, True],
                             "reasons": ["", "regional: 1 document < 10"]})  # fmt: skip
    two = pd.concat([_ratios(), _ratios(family="vård", ratio_pooled=0.25, ci_low_pooled=0.1,
                                        ci_high_pooled=0.9)])  # fmt: skip
    summary, keys = terms_notes.terms_results(["skola", "vård"], 1200, totals, two, adequacy,
                                              "actor_level", 0.9)  # fmt: skip
    texts = [k[0] for k in keys]
    assert texts[0] == (
        "1 of 2 families are used in the 1,200 documents; the most used: skola "
        "(12.5 per 10,000 tokens, 1 document)."
    )
    assert texts[1] == "Not used at all: vård."
    # vård's 0.25 is the more extreme, but skola's bound nearest 1 (1.5: |log| 0.405) is
    # farther from 1 than vård's (0.9: 0.105): skola is the clearest; pooled (no adjusted)
    assert texts[2] == (
        "Clearest difference between groups (its interval farthest from 1): skola is more "
        "frequent in local than in national, rate ratio 2.00 (90% interval 1.50 to 2.50; "
        "pooled, not adjusted); the interval excludes 1."
    )
    assert keys[3] == (
        "1 of 2 actor_level groups are descriptive only (too small to compare): regional.",
        "", True,
    )  # fmt: skip
    assert summary.startswith("2 term families over 1,200 documents; skola 12.5 per 10k tokens;")


def test_terms_results_leave_descriptive_groups_out_of_the_largest_ratio():
    # policy-sv: the largest ratio named a group that is descriptive only (regional)
    text, found = ratio_sentence(_ratios(), 95, {"local"})
    assert not found and "descriptive only" in text


def test_terms_results_without_interval_say_descriptive():
    text, found = ratio_sentence(_ratios(ci_low_pooled=float("nan")), 95)
    assert not found and "descriptive only" in text


def test_topics_results_difference_in_percentage_points():
    adj = pd.DataFrame({
        "label": ["T01 a", "T02 b"], "unstable": [False, True], "group": ["local", "local"],
        "reference": ["national"] * 2, "diff_pooled": [0.05, 0.5], "ci_low_pooled": [0.01, 0.4],
        "ci_high_pooled": [0.09, 0.6], "diff_adjusted": [-0.031, 0.5],
        "ci_low_adjusted": [-0.052, 0.4], "ci_high_adjusted": [0.004, 0.6],
        "adjusted_for": ["group + genre + period"] * 2,
    })  # fmt: skip
    stab = pd.DataFrame({"unstable": [False, True], "stability_jaccard": [0.8, 0.2]})
    choice = Choice(k=2, why="most coherent", warnings=[])
    summary, keys = topics_notes.topics_results("nmf", choice, False, stab, Adequacy("c"), adj, 0.5)
    assert keys[0][0].startswith("NMF with k = 2 topics (the most coherent k with enough stable")
    assert "1 of 2 topics of the reported run are stable" in keys[0][0]
    # the unstable topic (0.5) is left out: T01, adjusted, -3.1 points
    assert keys[-1] == (
        "Largest difference in topic share between levels: T01 a in local against national, "
        "-3.10 percentage points (interval -5.20 to 0.40; adjusted for genre + period); the "
        "interval includes 0.",
        "table:topic_by_level_adjusted", False,
    )  # fmt: skip
    assert summary.startswith("NMF, k = 2")


def test_rhetoric_results_strongest_passing_term():
    sizes = pd.DataFrame({"group_a": ["local"], "group_b": ["national"],
                          "descriptive_only": [False], "reasons": [""]})  # fmt: skip
    top = pd.DataFrame({"group_a": ["local"] * 2, "group_b": ["national"] * 2,
                        "term": ["skola", "vård"], "log_ratio": [1.5, -3.0], "g2": [40.0, 55.5],
                        "p_adj_bh": [1e-5, 3.14e-9], "passes": [True, False]})  # fmt: skip
    rob = pd.DataFrame({"group_a": ["local"], "group_b": ["national"], "term": ["skola"],
                        "diff_per_10k": [4.2], "ci_low": [1.0], "ci_high": [7.5]})  # fmt: skip
    agree = {"n_quotes": 1500, "n_differ": 1}
    summary, keys = rhetoric_notes.rhetoric_results("actor_level", sizes, top, rob, agree)
    assert keys[1][0] == (
        "1 key term passes the rule. Strongest key term that passes the rule: “skola”, more "
        "frequent in local (local against national: log ratio 1.5, G2 = 40, adjusted p = "
        "1.0e-05; rate difference 4.20 per 10,000 tokens, interval over actors 1.00 to 7.50)."
    )
    assert (
        keys[2][0]
        == "1,500 quote-speaker rows, 1 by a speaker of another level than the publisher."
    )
    assert "1 key terms pass" in summary  # the index line as before


def test_corpus_results_warn_when_one_actor_dominates():
    docs = pd.DataFrame({"actor": ["A", "A", "B"], "actor_level": ["local"] * 3,
                         "n_tokens": [700, 200, 100], "year": [2015, 2016, None]})  # fmt: skip
    by_level = pd.DataFrame({"actor_level": ["local"], "n_docs": [3], "n_actors": [2],
                             "share_of_tokens": [1.0]})  # fmt: skip
    log = pd.DataFrame({"action": ["removed", "removed", "redacted"]})
    summary, keys = overview_notes.corpus_results(docs, by_level, log)
    assert keys[0][0] == "3 documents from 2 actors, 1,000 tokens after cleaning, dated 2015–2016."
    assert keys[1][0] == "By level: local: 3 documents, 2 actors, 100.0% of tokens."
    assert keys[2][0].startswith("The largest actor, A, has 90.0% of all tokens; results by level")
    assert keys[2][2] is True
    assert keys[3][0] == "Cleaning removed 2 lines and made 1 redaction of contact data."
    assert summary == "3 documents, 2 actors, 1,000 tokens"


# policy-sv (review of issue 13): delaktighet, other against national, pooled 3.78 (2.49 to
# 5.75), adjusted 0.248 (0.0765 to 0.804) on one shared doc_type; the key result named the
# adjusted 0.248 as the largest difference, with no direction in words and no word on the
# pooled ratio pointing the other way.
DELAKTIGHET = dict(family="delaktighet", group="other", ratio_pooled=3.78097,
                   ci_low_pooled=2.48783, ci_high_pooled=5.74627, ratio_adjusted=0.248013,
                   ci_low_adjusted=0.0765074, ci_high_adjusted=0.803979, n_strata_shared=1)  # fmt: skip


def test_terms_ratio_on_one_shared_stratum_is_not_named_and_reversal_is_said():
    text, found = ratio_sentence(_ratios(**DELAKTIGHET), 95)
    assert found
    assert text == (
        "Clearest difference between groups (its interval farthest from 1): delaktighet is "
        "more frequent in other than in national, rate ratio 3.78 (95% interval 2.49 to 5.75; "
        "pooled, not adjusted: no adjusted ratio rests on 2 or more shared strata); the "
        "interval excludes 1. The adjusted ratio, 0.248 (on 1 shared stratum), points the "
        "other way: where they disagree, the pooled ratio follows the genre mix."
    )


def test_terms_ratio_most_certain_adjusted_with_direction_in_words():
    rows = pd.concat([
        _ratios(**DELAKTIGHET),
        # the most extreme adjusted ratio, but its interval holds 1: log(0.9) < 0
        _ratios(family="vård", group="other", ratio_adjusted=6.0, ci_low_adjusted=0.9,
                ci_high_adjusted=40.0, n_strata_shared=3),
        # the clearest: its bound nearest 1 is 1/0.8 (|log| 0.223) from it, against
        # 1.05 (0.049) for trygghet
        _ratios(family="skola", group="other", ratio_pooled=1.2, ci_low_pooled=0.9,
                ci_high_pooled=1.6, ratio_adjusted=0.5, ci_low_adjusted=0.3,
                ci_high_adjusted=0.8, n_strata_shared=4),
        _ratios(family="trygghet", group="other", ratio_adjusted=1.4, ci_low_adjusted=1.05,
                ci_high_adjusted=1.9, n_strata_shared=3),
    ])  # fmt: skip
    text, found = ratio_sentence(rows, 95)
    assert found
    assert text == (
        "Clearest difference between groups (its interval farthest from 1): skola is less "
        "frequent in other than in national, rate ratio 0.500 (95% interval 0.300 to 0.800; "
        "adjusted for genre + period, on 4 shared strata); the interval excludes 1. The "
        "pooled ratio, 1.20, points the other way: where they disagree, the pooled ratio "
        "follows the genre mix."
    )


# policy-sv: T10 in local against national, +11.6 points, led the key results although
# local (31 documents, 4,441 tokens) is descriptive only in reports 02 and 03.
def _topic_adj():
    return pd.DataFrame({
        "label": ["T10 social"] * 2, "unstable": [False, False], "group": ["local", "other"],
        "reference": ["national"] * 2, "diff_pooled": [0.2, 0.1], "ci_low_pooled": [0.1, 0.05],
        "ci_high_pooled": [0.3, 0.15], "diff_adjusted": [0.1161, 0.059],
        "ci_low_adjusted": [0.0147, 0.0149], "ci_high_adjusted": [0.2176, 0.1036],
        "adjusted_for": ["group + doc_type + period"] * 2,
    })  # fmt: skip


def _design(small=("local",)):
    groups = pd.DataFrame({"group": ["local", "national", "other"]})
    groups["descriptive_only"] = groups["group"].isin(small)
    return Composition("actor_level", "doc_type", 0.55, flagged=True, groups=groups)


def test_topics_difference_leaves_descriptive_groups_out():
    stab = pd.DataFrame({"unstable": [False], "stability_jaccard": [0.8]})
    choice = Choice(k=1, why="fixed", warnings=[])
    _, keys = topics_notes.topics_results("nmf", choice, True, stab, Adequacy("c"),
                                          _topic_adj(), 0.5, _design())  # fmt: skip
    assert keys[-1] == (
        "Largest difference in topic share between levels: T10 social in other against "
        "national, +5.9 percentage points (interval 1.5 to 10.4; adjusted for doc_type + "
        "period); the interval excludes 0. Left out as descriptive only (too small): local.",
        "table:topic_by_level_adjusted", False,
    )  # fmt: skip


def test_topics_difference_only_in_descriptive_groups_is_a_warning():
    _, keys = topics_notes.topics_results(
        "nmf", Choice(k=1, why="fixed", warnings=[]), True,
        pd.DataFrame({"unstable": [False], "stability_jaccard": [0.8]}), Adequacy("c"),
        _topic_adj(), 0.5, _design(("local", "other")),
    )  # fmt: skip
    assert keys[-1] == (
        "The level comparison is descriptive only: local, other are too small to compare, "
        "and no other difference in topic share between levels has an interval (too few "
        "actors on a side, or a level not separable from genre and period).",
        "table:topic_by_level_adjusted", True,
    )  # fmt: skip
    # without a design (an older caller) nothing is left out
    assert difference_sentence(_topic_adj())[0].startswith(
        "Largest difference in topic share between levels: T10 social in local against national, "
        "+11.6 percentage points (interval 1.5 to 21.8;"
    )


def _top(**over):
    row = dict(group_a="local", group_b="national", term="stad", log_ratio=5.9, g2=254.8,
               p_adj_bh=2.4e-53, direction="local", passes_test=True, descriptive_only=False,
               n_actors_using=9, ci_excludes_0=True, passes_actors=True, passes=False,
               consistent=pd.NA)  # fmt: skip
    row.update(over)
    return pd.DataFrame([row])


def test_rhetoric_no_passing_term_says_which_part_of_the_rule_fails():
    rob = pd.DataFrame(columns=["group_a", "group_b", "term", "diff_per_10k", "ci_low", "ci_high"])
    text, passes = key_term_sentence(_top(ci_excludes_0=False, passes_actors=False), rob)
    assert not passes
    assert text == (
        "No key term passes the rule (test, size and actors); the largest, which does not pass "
        "it (its interval over actors includes 0): “stad”, more frequent in local (local "
        "against national: log ratio 5.9, G2 = 254.8, adjusted p = 2.4e-53)."
    )
    text, _ = key_term_sentence(_top(descriptive_only=True), rob)
    assert (
        "the largest, which does not pass it (descriptive only: the comparison is too small)"
        in text
    )
    # all but the genre part pass: a confounded design with no genre that tests the term
    text, _ = key_term_sentence(_top(), rob)
    assert "(no genre both sides write tests it, and the groups differ in genre)" in text
    assert "descriptive only" not in text


def test_rhetoric_nan_direction_is_not_a_group():
    rob = pd.DataFrame(columns=["group_a", "group_b", "term", "diff_per_10k", "ci_low", "ci_high"])
    text, _ = key_term_sentence(_top(direction=float("nan"), log_ratio=-2.0), rob)
    assert "more frequent in national (local against national" in text
    assert "nan" not in text
