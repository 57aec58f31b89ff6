import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from ordbruk.topics.plots import adjusted_plot, prevalence_heatmap, prevalence_trends  # noqa: E402
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


def _adjusted(ci_low, unstable):
    return pd.DataFrame({
        "topic": [1, 2], "label": ["T01 a", "T02 b"], "stability": [0.9, 0.2],
        "unstable": unstable, "group": "local", "reference": "national",
        "diff_pooled": [0.1, 0.2], "diff_adjusted": [0.05, 0.1],
        "ci_low_adjusted": ci_low, "ci_high_adjusted": [0.1, 0.2],
    })  # fmt: skip


def test_adjusted_plot_greys_unstable_topics_and_draws_no_zero_width_interval():
    fig = adjusted_plot(_adjusted([0.0, 0.05], [False, True]))
    ticks = fig.axes[0].get_yticklabels()
    # the unstable topic is drawn grey, marked, below the compared ones
    assert [t.get_text() for t in ticks] == ["T01 a (0.90)", "T02 b (0.20) [unstable]"]
    assert (
        ticks[1].get_color() == "#888888"
        and ticks[0].get_position()[1] > ticks[1].get_position()[1]
    )
    assert "adjusted (95% CI) (unstable)" in [t.get_text() for t in fig.legends[0].get_texts()]
    both = adjusted_plot(_adjusted([0.0, 0.05], [False, True]), include_unstable=True)
    assert "adjusted (95% CI) (unstable)" not in both.axes[0].get_legend_handles_labels()[1]
    # A difference without an interval (too few actors) is a cross, labelled so.
    nan = adjusted_plot(_adjusted([np.nan, np.nan], [False, False]))
    labels = [t.get_text() for t in nan.legends[0].get_texts()]
    assert "adjusted, no interval" in labels and "adjusted (95% CI)" not in labels


def test_heatmap_greys_the_whole_row_of_an_unstable_topic():
    # Seen on policy-sv: the grey overlay covered the first column only.
    prev = _prevalence_undated()
    prev["unstable"] = prev["topic"] == 2
    fig = prevalence_heatmap(prev, "actor_level")
    overlay = np.asarray(fig.axes[0].images[0].get_array())
    assert overlay.shape == (2, 2) and np.isfinite(overlay[1]).all() and np.isnan(overlay[0]).all()
