"""Key results and titles built from computed values (issue 13 item 5), hand-checked."""

import pandas as pd

from ordbruk.overview import notes as overview_notes
from ordbruk.rhetoric import notes as rhetoric_notes
from ordbruk.stats.groups import Adequacy
from ordbruk.terms import notes as terms_notes
from ordbruk.terms.key_results import ratio_sentence
from ordbruk.topics import notes as topics_notes
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
    # |log 0.25| > |log 2|: vård is the largest difference; pooled (no adjusted interval)
    assert texts[2].startswith("Largest difference between groups with an interval: vård in local")
    assert (
        "rate ratio 0.250 (90% interval 0.100 to 0.900; pooled); the interval excludes 1."
        in texts[2]
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
