"""Figures at print size (issue 13 item 3): every plot function, on tiny fixtures.

Each figure is 3.5 or 7 in wide, at most a page tall, with no text under 7 pt and none
outside the figure (``figures.figure_problems``); the rules of what a figure shows
(bars in the order of their value, the year axis limited to years with enough documents,
no panel for an unused family, small multiples beyond 12 groups) are checked on values
counted by hand.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from ordbruk import figures as F  # noqa: E402
from ordbruk.overview import plots as OP  # noqa: E402
from ordbruk.report.recorder import figure_style  # noqa: E402
from ordbruk.rhetoric import plots as RP  # noqa: E402
from ordbruk.stats.design import composition_plot  # noqa: E402
from ordbruk.terms import plots as TP  # noqa: E402
from ordbruk.topics import plots as PP  # noqa: E402

LEVELS = ["national", "other", "regional", "local"]


@pytest.fixture(autouse=True)
def _style():
    figure_style()
    yield
    plt.close("all")


def _ok(figs):
    for fig in figs if isinstance(figs, list) else [figs]:
        assert F.figure_problems(fig) == []


# --- the helpers, on hand-counted values -------------------------------------------------


def test_years_span_leaves_a_stray_early_year_out():
    # documents per year: 1955: 1, 1992: 6 + 6 = 12, 1993: 3, 1994: 11, 2026: 2
    years = [1955, 1992, 1992, 1993, 1994, 2026]
    n_docs = [1, 6, 6, 3, 11, 2]
    assert F.years_span(years, n_docs, 10) == (1992, 1994, [1955, 2026])
    assert F.years_span(years, n_docs, 1) == (1955, 2026, [])
    assert F.years_span(years, n_docs, 50) is None
    assert F.years_span([np.nan], [3], 1) is None


def test_palette_distinct_for_twelve_groups_okabe_ito_first():
    assert len(set(F.PALETTE)) == F.GROUPS_MAX == 12
    assert F.PALETTE[:8] == (
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
    )  # fmt: skip
    styles = [F.group_style(i) for i in range(12)]
    assert len({(s["color"], s["marker"]) for s in styles}) == 12


def test_pages_and_notes():
    assert F.pages(list("abcdefg"), 3) == [["a", "b", "c"], ["d", "e", "f"], ["g"]]
    assert F.pages([], 3) == [[]]
    fig, _ = F.figure_make()
    assert F.notes_of(fig) == ""
    F.note_add(fig, "One.")
    F.note_add(fig, "Two.")
    assert F.notes_of(fig) == "One. Two."


def test_figure_problems_finds_width_small_text_and_clipped_text():
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ax.set_title("tiny", fontsize=6)
    ax.text(1.5, 0.5, "far out", transform=ax.transAxes)
    found = " ".join(F.figure_problems(fig))
    assert "width 6.40" in found and "'tiny' at 6.0 pt" in found and "'far out' outside" in found


def test_log_axis_labels_are_plain_numbers():
    fig, axes = F.figure_make(F.WIDTH_SINGLE_IN, 2)
    axes[0, 0].plot([1, 10, 12000], [1, 2, 3])
    F.log_axis(axes[0, 0], "x")
    fig.canvas.draw()
    labels = [t.get_text() for t in axes[0, 0].get_xticklabels() if t.get_text()]
    assert "1,000" in labels and not any("$" in t for t in labels)


# --- every plot function at print size ------------------------------------------------


def _docs(n=400, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "actor_level": rng.choice(LEVELS, n, p=[0.7, 0.2, 0.06, 0.04]),
        "n_tokens": rng.lognormal(7, 1.2, n).astype(int) + 1,
        "lix": rng.normal(50, 8, n),
    })  # fmt: skip


def test_overview_figures_at_print_size():
    docs = _docs()
    tok = OP.tokens_plot(docs)
    assert tok.axes[0].get_xscale() == "log"  # skewed counts
    _ok(tok)
    lix = OP.lix_plot(docs)
    assert min(c.get_alpha() or 1 for c in lix.axes[0].collections) < 0.8  # translucent dots
    _ok(lix)


def test_documents_plot_stray_year_noted_not_drawn():
    counts = pd.DataFrame({
        "year": [1955, 1992, 1992, 1993, 2020],
        "actor_level": ["local", "local", "national", "national", "local"],
        "n_docs": [1, 4, 5, 2, 3],
    })  # fmt: skip
    fig = OP.documents_plot(counts, min_docs=2)
    _ok(fig)
    assert fig.axes[0].get_xlim()[0] > 1990
    assert "1955 (1)" in F.notes_of(fig)
    many = counts.assign(actor_level=[f"type {i}" for i in range(5)] * 1)
    many = pd.concat([many.assign(actor_level=f"type {i}") for i in range(13)])
    fig = OP.documents_plot(many, min_docs=2)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 13  # one panel per group
    _ok(fig)


def _trend(groups, families=("samverkan", "segregation", "trygghet"), unused="trygghet"):
    rng = np.random.default_rng(1)
    rows = []
    for year in [1955, *range(1992, 2006)]:
        for g in groups:
            for f in families:
                n = 1 if year == 1955 else int(rng.integers(1, 30))
                rows.append({
                    "year": year, "actor_level": g, "family": f, "n_docs": n,
                    "count": 0 if f == unused else int(rng.integers(0, 9)),
                    "freq_per_10k": rng.random() * 5, "sparse": n < 10,
                })  # fmt: skip
    return pd.DataFrame(rows)


def test_trends_plot_axis_from_years_with_enough_documents_and_no_empty_panel():
    trend = _trend(LEVELS)
    families = ["samverkan", "segregation", "trygghet"]
    fig = TP.trends_plot(trend, families, "actor_level", min_docs=10)
    _ok(fig)
    titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()]
    assert titles == ["samverkan", "segregation", "documents per year"]  # trygghet: 0 uses
    assert fig.axes[0].get_xlim()[0] > 1980  # 1955 (4 documents) does not stretch it
    notes = F.notes_of(fig)
    assert "1955 (4)" in notes and "trygghet" in notes
    assert fig.legends and fig.legends[0].get_title().get_text() == "actor_level"


def test_trends_plot_small_multiples_beyond_twelve_groups():
    groups = [f"doc type {i}" for i in range(25)]
    fig = TP.trends_plot(_trend(groups), ["samverkan", "segregation", "trygghet"],
                         "actor_level", min_docs=10)  # fmt: skip
    _ok(fig)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 26  # 25 groups + documents
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["samverkan", "segregation"]  # one line per family, not 25 colours


def test_dispersion_plot_at_print_size():
    pos = pd.DataFrame({"doc_rank": [0, 0, 1, 2], "family": ["a", "b", "a", "a"],
                        "position": [0.1, 0.5, 0.9, 0.3]})  # fmt: skip
    _ok(TP.dispersion_plot(pos, ["a", "b"]))
    assert F.notes_of(TP.dispersion_plot(pos, ["a", "b"])) == ""
    fig = TP.dispersion_plot(pos, list("abcdefgh"))
    _ok(fig)
    assert F.notes_of(fig) == "Empty strips (no use in the documents shown): c, d, e, f, g, h."


def _top(n_pairs):
    rows = []
    for k in range(n_pairs):
        for i in range(6):
            sign = 1 if i < 3 else -1
            # G2 order (as keywords_top gives it) differs from the Log Ratio order
            rows.append({"group_a": f"a{k}", "group_b": f"b{k}", "term": f"ord{i}",
                         "g2": sign * (30 - i), "log_ratio": sign * [1.0, 3.0, 2.0][i % 3],
                         "passes": i % 2 == 0})  # fmt: skip
    return pd.DataFrame(rows)


def test_keywords_plot_bars_sorted_by_the_log_ratio_they_show_in_pages():
    figs = RP.keywords_plot(_top(8), n=3)
    assert len(figs) == 2  # 8 comparisons: 6 on the first page, 2 on the second
    _ok(figs)
    ax = figs[0].axes[0]
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths) == [-3.0, -2.0, -1.0, 1.0, 2.0, 3.0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "ord4", "ord5", "ord3", "ord0", "ord2", "ord1"
    ]  # fmt: skip


def test_fightin_words_and_markers_at_print_size():
    rng = np.random.default_rng(2)
    n = 3000
    fw = pd.DataFrame({"group_a": "local", "group_b": "national", "term": [f"t{i}" for i in
                       range(n)], "a": rng.integers(0, 50, n), "b": rng.integers(0, 50, n),
                       "z": rng.normal(0, 2, n)})  # fmt: skip
    _ok(RP.fightin_words_plot(fw))
    markers = [f"marker_{i}" for i in range(17)]
    summary = pd.DataFrame([
        {"group": g, "marker": m, "mean": 1.0, "ci_low": 0.5, "ci_high": 1.5,
         "descriptive_only": g == "local"} for m in markers for g in LEVELS
    ])  # fmt: skip
    figs = RP.markers_plot(summary)
    assert len(figs) == 1
    _ok(figs)
    many = pd.concat([summary.assign(group=f"{g} {i}") for i in range(7) for g in LEVELS[:1]])
    figs = RP.markers_plot(many)  # 7 groups a panel
    _ok(figs)
    assert sum(len([a for a in f.axes if a.get_visible()]) for f in figs) == 17


def _prev():
    rows = []
    for t in range(1, 13):
        label = f"T{t:02d} välfärd skola omsorg"
        for grouping, groups in (("actor_level", LEVELS), ("year", range(2000, 2010))):
            for g in groups:
                rows.append({"topic": t, "label": label, "unstable": t % 4 == 0,
                             "stability": 0.5, "grouping": grouping, "group": str(g),
                             "n_docs": 12, "share_mean": 0.1, "ci_low": 0.05,
                             "ci_high": 0.15})  # fmt: skip
    return pd.DataFrame(rows)


def test_topic_figures_at_print_size():
    grid = pd.DataFrame({"k": [5, 10, 15], "stable_share": [0.8, 0.6, 0.4],
                         "npmi_mean": [0.1, 0.12, 0.09], "perplexity_heldout": [900, 850, 870]})  # fmt: skip
    _ok(PP.selection_plot(grid, 10, 0.5))
    terms = pd.DataFrame([{"topic": t, "rank": r, "term": f"ordet{r}", "weight": 1 / (r + 1),
                           "unstable": t == 3, "stability": 0.4} for t in range(1, 26)
                          for r in range(8)])  # fmt: skip
    _ok(PP.topic_words_plot(terms))
    stab = pd.DataFrame({"stability_jaccard": np.linspace(0.1, 0.9, 20),
                         "unstable": [i < 5 for i in range(20)]})  # fmt: skip
    labels = [f"T{i:02d} välfärd skola omsorg" for i in range(20)]
    _ok(PP.stability_plot(stab, labels, 0.5))
    prev = _prev()
    _ok(PP.prevalence_heatmap(prev, "actor_level"))
    _ok(PP.prevalence_trends(prev, "year", min_docs=10))
    adj = pd.DataFrame([{"topic": t, "label": f"T{t:02d} välfärd skola", "stability": 0.8,
                         "unstable": t == 2, "group": g, "reference": "national",
                         "diff_pooled": 0.01, "diff_adjusted": 0.02, "ci_low_adjusted": 0.0,
                         "ci_high_adjusted": 0.04} for t in range(1, 16)
                        for g in LEVELS[1:]])  # fmt: skip
    _ok(PP.adjusted_plot(adj))


def test_composition_plot_at_print_size():
    rng = np.random.default_rng(3)
    meta = pd.DataFrame({"actor_level": rng.choice(LEVELS, 300),
                         "doc_type": rng.choice(list("abcdefghij"), 300),
                         "year": rng.integers(1995, 2025, 300)})  # fmt: skip
    _ok(composition_plot(meta, "actor_level", "doc_type"))


def test_text_measures_the_same_at_every_dpi():
    # Seen on policy-sv: laid out at 100 dpi, long topic labels were cut at the left edge
    # of the 150 dpi copy in the report (hinted text is 2.5 % wider at 300 dpi than at 100).
    widths = []
    for dpi in (100, 150, 300):
        fig = plt.figure(figsize=(F.WIDTH_FULL_IN, 1), dpi=dpi)
        text = fig.text(0.1, 0.5, "T09 arbetsförmedling · arbetsmarknad · arbetslöshet (0.67)")
        fig.canvas.draw()
        widths.append(text.get_window_extent().width / dpi)
    assert max(widths) - min(widths) < 0.002 * max(widths)
