import pandas as pd
import pytest
from conftest import notebook_run, tables_check

EXPECTED = {
    "comparisons": ["group_a", "group_b", "n_docs_a", "n_docs_b", "n_actors_a", "n_actors_b",
                    "n_tokens_a", "n_tokens_b", "descriptive_only", "reasons"],
    "keyness": ["group_a", "group_b", "term", "a", "b", "c", "d", "g2", "p", "p_adj_bh", "log_ratio", "pct_diff"],
    "fightin_words": ["group_a", "group_b", "term", "a", "b", "c", "d", "prior", "delta", "var", "z"],
    "quotes": ["doc_id", "speaker", "role", "organisation", "party", "speaker_level", "quote"],
    "rhetoric_markers": ["group", "marker", "n_docs", "n_actors", "mean", "ci_low", "ci_high",
                         "descriptive_only", "grouping"],
}  # fmt: skip


@pytest.mark.slow
def test_notebook_03_runs_on_seed_corpus(tmp_path):
    notebook_run("03_rhetoric_comparison", tmp_path)
    tables_check(tmp_path, EXPECTED)
    comps = pd.read_csv(tmp_path / "tables" / "comparisons.csv")
    # seeds: local (3 docs), national (1), regional (1): 3 pairs + 3 vs rest, all too small
    assert len(comps) == 6 and comps["descriptive_only"].all()
    # the adequacy record says why, token counts included
    assert comps["reasons"].str.contains("tokens < 20,000").all()
    # one name per measure in every table (overview's documents.csv has the same column)
    docs = pd.read_csv(tmp_path / "tables" / "rhetoric_markers_docs.csv")
    assert list(docs.columns[:6]) == [
        "doc_id",
        "n_words",
        "lix",
        "sentence_length_mean",
        "mtld",
        "mattr",
    ]
    markers = pd.read_csv(tmp_path / "tables" / "rhetoric_markers.csv")
    assert "sentence_length_mean" in set(markers["marker"])
    assert set(markers["grouping"]) == {"actor_level"}
    quotes = pd.read_csv(tmp_path / "tables" / "quotes.csv", keep_default_na=False)
    assert len(quotes) == 13  # every seed quote, see tests/test_quotes.py
    for fig in ("keywords_top", "rhetoric_markers", "fightin_words_local_vs_national"):
        assert (tmp_path / "figures" / f"{fig}.svg").exists(), fig
    report = (tmp_path / "03_rhetoric_comparison.ipynb").read_text(encoding="utf-8")
    assert "descriptive only" in report
