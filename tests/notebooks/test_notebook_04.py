import pandas as pd
import pytest
from conftest import notebook_run, tables_check

EXPECTED = {
    "topic_selection": [
        "k", "stable_share", "n_stable_reported", "stability_mean", "npmi_mean", "npmi_min",
        "umass_mean", "perplexity_heldout", "n_heldout_tokens", "reported_seed", "n_iter_max",
        "n_converged", "n_fits", "seconds_per_fit", "n_train_units", "n_test_units", "n_top",
        "n_seeds", "chosen",
    ],
    "topic_fits": [
        "k", "role", "seed", "n_units", "n_iter", "max_iter", "converged", "seconds", "objective",
    ],
    "topic_stability": [
        "topic", "label", "stability_jaccard", "jaccard_min", "cosine_mean", "n_runs", "unstable",
    ],
    "topic_terms": ["topic", "label", "stability", "unstable", "rank", "term", "weight"],
    "topic_examples": [
        "topic", "label", "stability", "unstable", "rank", "doc_id", "unit_no", "share",
        "n_feature_tokens", "text",
    ],
    "doc_topics": [
        "doc_id", "actor", "actor_level", "year", "topic", "label", "stability", "unstable",
        "share",
    ],
    "topic_prevalence": [
        "grouping", "group", "topic", "label", "stability", "unstable", "n_docs", "n_actors",
        "share_mean", "ci_low", "ci_high", "n_boot",
    ],
    "topic_by_level_adjusted": [
        "topic", "label", "stability", "unstable", "group", "reference", "diff_pooled",
        "ci_low_pooled", "ci_high_pooled", "diff_adjusted", "ci_low_adjusted",
        "ci_high_adjusted", "share_group", "share_reference", "n_docs", "n_actors",
        "adjusted_for", "n_docs_adjusted", "note",
    ],
}  # fmt: skip


@pytest.mark.slow
def test_notebook_04_runs_on_seed_corpus(tmp_path):
    notebook_run("04_topic_model", tmp_path)
    tables_check(tmp_path, EXPECTED)
    for name in EXPECTED:
        notes = (tmp_path / "tables" / f"{name}.notes.md").read_text(encoding="utf-8")
        # The seed corpus (5 documents) is below the adequacy threshold: every note says so.
        assert "Descriptive only" in notes, name
    sel = pd.read_csv(tmp_path / "tables" / "topic_selection.csv")
    assert sel["chosen"].sum() == 1 and set(sel["k"]) <= {2, 3, 4}
    k = int(sel.loc[sel["chosen"], "k"].iloc[0])
    terms = pd.read_csv(tmp_path / "tables" / "topic_terms.csv")
    assert terms["topic"].nunique() == k and terms["rank"].max() == 10
    stab = pd.read_csv(tmp_path / "tables" / "topic_stability.csv")
    # The unstable flag is the same topic by topic in every table.
    flags = dict(zip(stab["topic"], stab["unstable"], strict=True))
    stability = dict(zip(stab["topic"], stab["stability_jaccard"], strict=True))
    for name in ("topic_terms", "topic_examples", "doc_topics", "topic_prevalence",
                 "topic_by_level_adjusted"):  # fmt: skip
        df = pd.read_csv(tmp_path / "tables" / f"{name}.csv")
        assert all(flags[t] == u for t, u in zip(df["topic"], df["unstable"], strict=True)), name
        # ... and so is its stability, beside the label.
        assert all(stability[t] == s for t, s in zip(df["topic"], df["stability"], strict=True))
    fits = pd.read_csv(tmp_path / "tables" / "topic_fits.csv")
    # every k: n_seeds stability fits on all units and one held-out fit
    assert len(fits) == 4 * len(sel) and (fits.groupby("k").size() == 4).all()
    assert sel["n_fits"].eq(4).all() and fits["seconds"].gt(0).all()
    shares = pd.read_csv(tmp_path / "tables" / "doc_topics.csv")
    # Each share is written with CSV_FLOAT_FORMAT (6 significant digits): k of them can sum
    # to 1 +- k * 5e-7 (seen: 1.000001 once the stop list grew in issue 9).
    assert (shares.groupby("doc_id")["share"].sum() - 1).abs().max() < 1e-5
    # Issue 12 item 9: the seed corpus's "- Även om ..." (a quote opened by a dash) is a
    # formula to a spreadsheet; it is written with a leading apostrophe and the notes say so,
    # while negative numbers stay numbers.
    examples = pd.read_csv(tmp_path / "tables" / "topic_examples.csv", keep_default_na=False)
    assert examples["text"].str.startswith("'- Även om").any()
    assert not examples["text"].str.startswith(("-", "=", "+", "@")).any()
    notes = (tmp_path / "tables" / "topic_examples.notes.md").read_text(encoding="utf-8")
    assert "leading apostrophe" in notes
    adjusted = pd.read_csv(tmp_path / "tables" / "topic_by_level_adjusted.csv")
    assert (
        pd.api.types.is_float_dtype(adjusted["diff_pooled"]) and adjusted["diff_pooled"].lt(0).any()
    )
    for fig in ("topic_selection", "topic_stability", "topic_words", "topic_by_level",
                "topic_trends", "topic_by_level_adjusted"):  # fmt: skip
        assert (tmp_path / "figures" / f"{fig}.svg").exists()
