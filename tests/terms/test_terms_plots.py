"""Figures of the term analysis: dispersion strips and trend panels."""

import matplotlib.pyplot as plt
from terms_sample import FAMS

from ordbruk.terms import concordance as C
from ordbruk.terms import plots as P
from ordbruk.terms.frequency import terms_count
from ordbruk.terms.trends import terms_trend


def test_dispersion_plot_one_tick_per_use(data):
    c, hits = data
    pos = C.dispersion_positions(c, hits)
    fig = P.dispersion_plot(pos, [f.name for f in FAMS])
    assert len(fig.axes) == 1
    # 4 unmasked uses -> 4 ticks; documents z and x -> y from -0.5 to 1.5, top down
    assert len(fig.axes[0].collections[0].get_offsets()) == 4
    assert fig.axes[0].get_ylim() == (1.5, -0.5)
    plt.close(fig)


def test_trends_plot_panels(data):
    c, hits = data
    trend = terms_trend(terms_count(c, hits, [f.name for f in FAMS]), c.meta, min_docs=2)
    fig = P.trends_plot(trend, [f.name for f in FAMS])
    # two families side by side, the documents-per-year panel below (its neighbour hidden)
    assert len(fig.axes) == 4 and [ax.get_visible() for ax in fig.axes] == [True] * 3 + [False]
    assert [ax.get_title(loc="left") for ax in fig.axes[:2]] == ["samverkan", "segregation"]
    plt.close(fig)
