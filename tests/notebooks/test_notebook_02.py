import numpy as np
import pandas as pd
import pytest
from conftest import notebook_run, tables_check

AGG = [
    "family",
    "count",
    "masked_count",
    "n_tokens",
    "freq_per_10k",
    "n_docs",
    "n_docs_with_term",
    "n_actors",
    "n_actors_with_term",
    "dp_docs",
    "dp_actors",
]
EXPECTED = {
    "term_forms": ["family", "form", "rule", "admitted_by", "count", "masked_count", "n_docs"],
    "term_counts": ["doc_id", "family", "count", "masked_count", "n_tokens", "freq_per_10k"],
    "term_totals": AGG,
    "term_counts_by_actor_level": ["actor_level", *AGG],
    "term_counts_by_actor": ["actor", *AGG],
    "term_counts_by_year": ["year", *AGG],
    "term_trends": ["year", "actor_level", *AGG, "sparse", "ci_low", "ci_high"],
    "kwic": [
        # the order: left context, match, right context, doc_id, actor, level, date
        "family", "left", "match", "right", "doc_id", "actor", "actor_level", "date",
        "left_word", "right_word", "masked", "token_pos",
    ],
    "kwic_coding": [
        "line_id", "family", "group", "doc_id", "token_pos", "left", "match", "right", "relevant",
    ],
    "term_rates_by_stratum": [
        "family", "group", "stratum", "freq_per_10k", "ci_low", "ci_high", "n_docs", "n_actors",
        "uses", "n_tokens",
    ],
    "term_trends_standardised": [
        "year", "group", "family", "n_docs", "freq_per_10k", "freq_per_10k_standardised",
        "coverage", "mix_distance", "mix_far",
    ],
    "design_actor_level": [
        "group", "by", "stratum", "n_docs", "n_tokens", "share_of_group_docs",
        "share_of_stratum_docs",
    ],
    "collocates": [
        "group", "family", "collocate", "observed", "expected", "f_node", "f_collocate",
        "n_tokens", "mi", "log_dice", "t_score", "log_likelihood",
    ],
}  # fmt: skip


@pytest.mark.slow
def test_notebook_02_runs_on_seed_corpus(tmp_path):
    notebook_run("02_term_frequency", tmp_path)
    tables_check(tmp_path, EXPECTED)
    counts = pd.read_csv(tmp_path / "tables" / "term_counts.csv")
    assert counts["doc_id"].nunique() == 5 and counts["family"].nunique() == 10
    # seed 001 is published by "Delegationen mot segregation": its name is masked
    seg = counts[(counts["family"] == "segregation") & counts["doc_id"].str.startswith("001")]
    assert seg["masked_count"].iat[0] >= 1
    kwic = pd.read_csv(tmp_path / "tables" / "kwic.csv", keep_default_na=False)
    assert len(kwic) == counts["count"].sum() + counts["masked_count"].sum()
    notes = (tmp_path / "tables" / "term_counts_by_actor_level.notes.md").read_text("utf-8")
    assert "Descriptive only" in notes
    for fig in ("term_trends", "dispersion"):
        assert (tmp_path / "figures" / f"{fig}.svg").exists()
    # Hand-code the sample (first line of each family 0, the rest 1), name the copy: precision.
    sample = pd.read_csv(tmp_path / "tables" / "kwic_coding.csv", keep_default_na=False)
    first = ~sample.duplicated("family")
    coded = tmp_path / "coded.csv"
    sample.assign(relevant=np.where(first, "0", "yes")).to_csv(coded, index=False)
    notebook_run("02_term_frequency", tmp_path, kwic_coded=str(coded))
    prec = pd.read_csv(tmp_path / "tables" / "kwic_precision.csv")
    fam = prec[prec["group"] == "(all)"].set_index("family")
    assert (fam["n_coded"] == sample.groupby("family").size()).all()
    assert (fam["n_relevant"] == fam["n_coded"] - 1).all()
    notes = (tmp_path / "tables" / "kwic_precision.notes.md").read_text("utf-8")
    assert f"{len(sample)} coded, 0 blank" in notes and "Wilson" in notes
