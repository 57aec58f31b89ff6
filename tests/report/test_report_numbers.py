"""The one number format (ordbruk.numbers), checked by hand."""

import math

import numpy as np
import pandas as pd

from ordbruk.numbers import (
    cell_format,
    column_kind,
    count_format,
    number_format,
    p_format,
    share_format,
)


def test_counts_have_thousands_separated():
    assert count_format(1626020) == "1,626,020"
    assert count_format(np.int64(1431213)) == "1,431,213"
    assert count_format(12.0) == "12"
    assert count_format(None) == ""


def test_shares_are_percentages():
    # issue 13: a share of 0.2732 must not read as 0.27 %
    assert share_format(0.2732) == "27.3%"
    assert share_format(0.0027) == "0.27%"
    assert share_format(0) == "0%"
    assert share_format(1.0) == "100.0%"
    assert share_format(float("nan")) == ""


def test_p_values_in_scientific_notation():
    assert p_format(0.000031) == "3.1e-05"
    assert p_format(0.5) == "5.0e-01"


def test_other_numbers_four_significant_digits():
    assert number_format(0.12738853503184713) == "0.1274"
    assert number_format(14760.4) == "14,760"
    assert number_format(0.000012345) == "1.234e-05"
    assert number_format(math.inf) == "inf"
    assert number_format(7) == "7"


def test_columns_by_name():
    assert column_kind("p_adj_bh") == "p"
    assert column_kind("p") == "p"
    assert column_kind("share_of_docs") == "share"
    assert column_kind("n_strata_shared") == "number"
    assert cell_format(0.25, "quote_share") == "25.0%"
    assert cell_format(2.5e-7, "p_adj_bh") == "2.5e-07"
    assert cell_format(1234567, "n_tokens") == "1,234,567"
    assert cell_format("Malmö", "actor") == "Malmö"
    assert cell_format(True, "ok") == "True"


def test_label_columns_are_plain_integers():
    # seeds and years are labels: 20261122, not 20,261,122 (seen in report 04's fit table)
    assert column_kind("seed") == column_kind("reported_seed") == column_kind("year") == "label"
    assert cell_format(20261122, "reported_seed") == "20261122"
    assert cell_format(2015.0, "year") == "2015"
    assert cell_format(20261122, "n_tokens") == "20,261,122"
    assert cell_format(2015.5, "year") == "2015.5"


def test_prose_counts_from_md_format_have_separators():
    # issue 13: "over 1000 resamples" in the notes, beside "1,000" in a table
    import numpy as np

    from ordbruk.escape import md_format

    text = md_format("{n_boot} resamples, seed {seed}, {n:.0%}, {k}", n_boot=1000,
                     seed=20261122, n=0.5, k=np.int64(12345))  # fmt: skip
    assert text == "1,000 resamples, seed 20261122, 50%, 12,345"


def test_numbers_in_a_column_of_mixed_types_are_formatted():
    # the collocates table showed 0.12738853503184713: its columns hold None and numbers
    import pandas as pd

    from ordbruk.report.recorder import table_html

    df = pd.DataFrame({"mi": [0.12738853503184713, None], "n": [1570, None]}, dtype=object)
    out = table_html(df)
    # all numbers: a numeric column (right-aligned, numeric sort), in the one number format
    assert '<td class="num">0.1274</td>' in out and '<td class="num">1,570</td>' in out


def test_interval_bounds_of_a_share_are_shares():
    # seen on policy-sv: topic prevalence showed share_mean 10.2% with ci 0.04975 to 0.1603
    from ordbruk.numbers import columns_format_names
    from ordbruk.report.tables import table_html

    assert columns_format_names(["share_mean", "ci_low", "ci_high"]) == [
        "share_mean",
        "share_ci_low",
        "share_ci_high",
    ]
    # an interval of another estimate beside a share column stays a number
    cols = ["top_actor_share_a", "diff_per_10k", "ci_low"]
    assert columns_format_names(cols) == cols
    out, _, _ = table_html(pd.DataFrame({"share_mean": [0.102], "ci_low": [0.04975]}), 20)
    assert ">10.2%<" in out and ">5.0%<" in out


def test_an_estimate_and_its_interval_share_their_decimals():
    from ordbruk.numbers import interval_format

    # seen on policy-sv: "+11.61 percentage points (interval 1.467 to 21.76)"
    assert interval_format(11.61, 1.467, 21.76) == ("11.6", "1.5", "21.8")
    assert interval_format(0.248, 0.07651, 0.804) == ("0.248", "0.077", "0.804")
    assert interval_format(12345.6, 100, 20000) == ("12,346", "100", "20,000")
    assert interval_format(float("nan"), 1, 2) == ("", "1.00", "2.00")


def test_differences_of_two_mean_shares_are_percentage_points():
    # seen on policy-sv: topic_by_level_adjusted showed diff_adjusted 0.1161 (1.467e-02 ...)
    # and mean_group 0.2155 while the key result said "+11.6 percentage points"
    from ordbruk.numbers import columns_format_names, points_format
    from ordbruk.report.tables import table_html

    assert points_format(0.1161) == "11.6 pp"
    assert points_format(-0.031) == "-3.1 pp"
    assert points_format(0.0027) == "0.27 pp"
    assert points_format(float("nan")) == ""
    cols = ["topic", "diff_pooled", "ci_low_pooled", "diff_adjusted", "ci_high_adjusted",
            "share_group", "share_reference", "n_docs", "n_docs_adjusted"]  # fmt: skip
    assert columns_format_names(cols) == [
        "topic", "points_diff_pooled", "points_ci_low_pooled", "points_diff_adjusted",
        "points_ci_high_adjusted", "share_group", "share_reference", "n_docs",
        "n_docs_adjusted",
    ]  # fmt: skip
    # a rate difference beside no pair of shares stays a number
    assert columns_format_names(["diff_per_10k", "ci_low", "ci_high"]) == [
        "diff_per_10k", "ci_low", "ci_high",
    ]  # fmt: skip
    df = pd.DataFrame({"diff_adjusted": [0.1161], "ci_low_adjusted": [0.01467],
                       "ci_high_adjusted": [0.2176], "share_group": [0.2155],
                       "share_reference": [0.0994], "n_docs": [1357]})  # fmt: skip
    out, _, _ = table_html(df, 20)
    for cell in (">11.6 pp<", ">1.5 pp<", ">21.8 pp<", ">21.6%<", ">9.9%<", ">1,357<"):
        assert cell in out, cell
