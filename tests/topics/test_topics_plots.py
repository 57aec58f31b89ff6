import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ordbruk.topics.plots import prevalence_heatmap, prevalence_trends  # noqa: E402
from ordbruk.topics.prevalence import topics_prevalence  # noqa: E402


def _prevalence_undated():
    # Three documents, two topics, no document has a year: "year" forms no group.
    shares = np.array([[0.5, 0.5], [0.2, 0.8], [0.9, 0.1]])
    meta = pd.DataFrame(
        {
            "actor": ["A", "B", "C"],
            "actor_level": ["local", "local", "national"],
            "year": pd.array([None, None, None], dtype="Int64"),
        }
    )
    return topics_prevalence(shares, meta, ("actor_level", "year"), n_boot=20, seed=1)


def test_prevalence_trends_without_any_year_does_not_crash():
    # Bug: with no dated document (or every year below min_docs) there was no topic to
    # draw and plt.subplots(0, 1) raised "Number of rows must be a positive integer".
    prev = _prevalence_undated()
    assert (prev["grouping"] == "year").sum() == 0
    fig = prevalence_trends(prev, "year")
    assert "no year" in " ".join(t.get_text() for t in fig.texts + fig.axes[0].texts)
    fig = prevalence_trends(prev[prev["grouping"] == "actor_level"], "year", min_docs=5)
    assert fig.axes


def test_prevalence_heatmap_and_trends_smoke():
    prev = _prevalence_undated()
    fig = prevalence_heatmap(prev, "actor_level")
    assert fig.axes[0].get_xticklabels()[0].get_text() == "local"
