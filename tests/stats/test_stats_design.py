import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import ParameterError
from ordbruk.stats.design import (
    composition_check,
    composition_plot,
    design_show,
    design_table,
    strata_resolve,
)


def meta_make(cells: dict[tuple[str, str], int], year0=2010) -> pd.DataFrame:
    """Documents per (level, genre); ten tokens each, years cycling over four years."""
    rows = []
    for (level, genre), n in cells.items():
        rows += [{"actor_level": level, "doc_type": genre} for _ in range(n)]
    df = pd.DataFrame(rows)
    df["n_tokens"] = 10
    df["year"] = pd.array([year0 + i % 4 for i in range(len(df))], dtype="Int64")
    return df


CONFOUNDED = {("local", "event"): 45, ("local", "press"): 5, ("national", "event"): 10,
              ("national", "press"): 90}  # fmt: skip
BALANCED = {("local", "event"): 25, ("local", "press"): 25, ("national", "event"): 50,
            ("national", "press"): 50}  # fmt: skip


def cramers_v(table: np.ndarray) -> float:
    # by hand: chi2 without continuity correction, V = sqrt(chi2 / (n (min(r, c) - 1)))
    n = table.sum()
    expected = np.outer(table.sum(1), table.sum(0)) / n
    chi2 = ((table - expected) ** 2 / expected).sum()
    return float(np.sqrt(chi2 / (n * (min(table.shape) - 1))))


def test_confounded_groups_are_flagged_with_the_strata_named():
    comp = composition_check(meta_make(CONFOUNDED), "actor_level", "doc_type")
    assert comp.cramers_v == pytest.approx(cramers_v(np.array([[45, 5], [10, 90]])))
    assert comp.flagged and comp.cramers_v >= 0.3
    assert {"group": "local", "stratum": "event", "share": 0.9, "other": "national",
            "other_share": 10 / 100} in comp.concentrated  # fmt: skip
    assert (
        "Composition differs: the actor_level groups differ in their mix of doc_type"
        in comp.warning
    )
    assert "local: 90% event (vs 10% for national)" in comp.warning


def test_balanced_groups_are_not_flagged():
    comp = composition_check(meta_make(BALANCED), "actor_level", "doc_type")
    assert comp.cramers_v == pytest.approx(0.0) and not comp.flagged and comp.warning == ""
    assert "Not flagged" in comp.note


def test_concentration_alone_flags_even_with_a_weak_association():
    # 80 % event for local, 20 % for national: V = 0.6 here, but the concentration rule
    # also fires on its own; a 79 % / 21 % split with a weaker V fires on neither.
    comp = composition_check(
        meta_make({("local", "event"): 8, ("local", "press"): 2, ("national", "event"): 20,
                   ("national", "press"): 80}), "actor_level", "doc_type")  # fmt: skip
    assert comp.concentrated and comp.flagged


def test_design_table_counts_by_stratum_and_year_band():
    t = design_table(meta_make(CONFOUNDED), "actor_level", "doc_type")
    row = t[(t["by"] == "doc_type") & (t["group"] == "local") & (t["stratum"] == "event")].iloc[0]
    assert (row["n_docs"], row["n_tokens"]) == (45, 450)
    assert row["share_of_group_docs"] == pytest.approx(0.9)
    assert row["share_of_stratum_docs"] == pytest.approx(45 / 55)
    bands = t[t["by"] == "year_band"]
    assert set(bands["stratum"]) == {"2010-2014"} and bands["n_docs"].sum() == 150


def test_strata_default_and_errors():
    meta = meta_make(BALANCED)
    assert strata_resolve(meta, "") == "doc_type"
    assert strata_resolve(meta.rename(columns={"doc_type": "genre"}), None) == "genre"
    assert strata_resolve(meta.drop(columns="doc_type"), None) == ""
    with pytest.raises(ParameterError, match="strata: column 'kind' is not in the metadata"):
        strata_resolve(meta, "kind")
    comp = composition_check(meta.drop(columns="doc_type"), "actor_level", "")
    assert not comp.flagged and "was not checked" in comp.note


class FakeRecorder:
    def __init__(self):
        self.shown, self.design = [], None

    def table(self, df, name, title, notes, show=20):
        self.shown.append(("table", name, notes))

    def figure(self, fig, name, title, notes):
        self.shown.append(("figure", name, notes))

    def design_note(self, comp):
        self.design = comp


def test_design_show_writes_the_table_and_the_figure_only_when_flagged():
    rec = FakeRecorder()
    design_show(rec, meta_make(CONFOUNDED), "actor_level", "")
    assert [s[:2] for s in rec.shown] == [("table", "design_actor_level"),
                                          ("figure", "design_actor_level_over_time")]  # fmt: skip
    assert "**Composition differs" in rec.shown[0][2] and rec.design.flagged
    rec = FakeRecorder()
    design_show(rec, meta_make(BALANCED), "actor_level", "", standing=False)
    assert [s[0] for s in rec.shown] == ["table"] and rec.design is None


def test_composition_plot_has_a_panel_per_group():
    fig = composition_plot(meta_make(CONFOUNDED), "actor_level", "doc_type")
    assert len(fig.axes) == 2


def test_composition_of_many_groups_draws_the_twelve_largest_and_names_the_rest():
    # review: 25 doc_type groups gave 13 rows of panels squeezed into one page, labels
    # overlapping and outside the figure
    import numpy as np

    from ordbruk import figures as F
    from ordbruk.stats.design import composition_plot

    n = [60 - i for i in range(25)]  # typ_0 the largest, typ_24 the smallest
    meta = pd.DataFrame(
        {
            "doc_type": [f"typ_{i}" for i, k in enumerate(n) for _ in range(k)],
            "genre": ["a", "b"] * (sum(n) // 2) + ["a"] * (sum(n) % 2),
            "year": np.resize(np.arange(2000, 2020), sum(n)),
        }
    )
    fig = composition_plot(meta, "doc_type", "genre")
    assert F.figure_problems(fig) == []
    titles = [
        ax.get_title(loc="left") for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")
    ]
    assert (
        len(titles) == 12
        and titles[0].startswith("typ_0 ")
        and not any("typ_12 " in t for t in titles)
    )
    assert "The 13 smallest doc_type groups are not drawn" in F.notes_of(fig)
    assert "typ_24" in F.notes_of(fig)


def test_design_show_judges_the_groups_for_later_key_results():
    # report 04 has no adequacy thresholds: its key results read the design's judgement
    meta = meta_make(CONFOUNDED)
    meta["actor"] = [f"a{i}" for i in range(len(meta))]
    meta.loc[meta["actor_level"] == "local", "n_tokens"] = 100  # 50 x 100 = 5,000 < 20,000
    meta.loc[meta["actor_level"] == "national", "n_tokens"] = 300  # 100 x 300 = 30,000
    comp = design_show(FakeRecorder(), meta, "actor_level", "")
    assert comp.groups[["group", "descriptive_only"]].to_dict("list") == {
        "group": ["local", "national"], "descriptive_only": [True, False],
    }  # fmt: skip
    assert comp.groups["reasons"].iloc[0] == "local: 5,000 tokens < 20,000"
