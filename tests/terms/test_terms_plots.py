"""Figures of the term analysis: dispersion strips and trend panels."""

import matplotlib.pyplot as plt
import pytest

from ordbruk.terms import concordance as C
from ordbruk.terms import families as T
from ordbruk.terms import plots as P
from ordbruk.terms.frequency import terms_count
from ordbruk.terms.locate import terms_locate
from ordbruk.terms.trends import terms_trend
from ordbruk.text.corpus import corpus_from_texts

TEXTS = [
    "Vi vill öka samverkan, sa hon.\n\nSamverkans- och samordningsformer är bra för "
    "Delegationen mot segregation.",
    "Ingen träff här.",
    "Segregation minskar. Samverkan!",
]
META = [
    {"doc_id": "x", "actor": "A", "actor_level": "local", "date": "2020-02-01"},
    {"doc_id": "y", "actor": "B", "actor_level": "national", "date": "2018"},
    {"doc_id": "z", "actor": "B", "actor_level": "national", "date": "2016-05"},
]
FAMS = [
    T.family_from_spec("samverkan", {"stems": ["samverkan"], "endings": ["", "s"]}),
    T.family_from_spec(
        "segregation", {"stems": ["segregation"], "masks": ["Delegationen mot segregation"]}
    ),
]


@pytest.fixture(scope="module")
def data():
    c = corpus_from_texts(TEXTS, META)
    hits, _ = terms_locate(c, FAMS)
    return c, hits


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
    assert [ax.get_title() for ax in fig.axes[:2]] == ["samverkan", "segregation"]
    plt.close(fig)
