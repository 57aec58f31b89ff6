"""The KWIC coding sample, reading a coded copy, Wilson intervals and adjusted counts."""

import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import ParameterError
from ordbruk.terms import coding as K
from ordbruk.terms import concordance as C

CODED = "tests/terms/kwic_coded_sample.csv"  # a hand-coded copy of the size-5 sample below


@pytest.fixture(scope="module")
def kwic(data):
    c, hits = data
    return c, C.kwic_build(c, hits, width=20)


def test_sample_is_stratified_seeded_with_stable_ids(kwic):
    c, k = kwic
    s = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    assert list(s.columns) == K.CODING_COLUMNS
    # every use, no masked mention (segregation in x is inside "Delegationen mot segregation")
    assert s["line_id"].tolist() == [
        "samverkan|x|3", "samverkan|x|6", "samverkan|z|2", "segregation|z|0",
    ]  # fmt: skip
    assert s["group"].tolist() == ["local", "local", "national", "national"]
    assert (s["relevant"] == "").all()
    one = K.coding_sample(k, c.meta, "actor_level", 1, seed=7)
    pd.testing.assert_frame_equal(one, K.coding_sample(k, c.meta, "actor_level", 1, seed=7))
    assert one.groupby(["family", "group"]).size().tolist() == [1, 1, 1]
    with pytest.raises(ParameterError, match="kwic_coding_size"):
        K.coding_sample(k, c.meta, "actor_level", -1, seed=1)


def test_wilson_interval_matches_the_published_values():
    # Wilson (1927) for 8 of 10: (0.4902, 0.9433); 0 of 10 stays inside [0, 1]
    p, lo, hi = K.wilson_interval([8, 0, 10, 0], [10, 10, 10, 0])
    np.testing.assert_allclose(lo[:3], [0.490162, 0.0, 0.722467], atol=1e-6)
    np.testing.assert_allclose(hi[:3], [0.943318, 0.277533, 1.0], atol=1e-6)
    assert p[0] == 0.8 and np.isnan(p[3]) and np.isnan(lo[3])


def test_precision_from_the_coded_fixture(kwic):
    c, k = kwic
    s = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    coded = K.coded_read(CODED, s, k)
    assert coded["relevant"].tolist()[:3] == [1.0, 0.0, 1.0] and coded["in_sample"].all()
    t = K.precision_table(s, coded, k, c.meta, "actor_level")
    assert list(t.columns) == K.PRECISION_COLUMNS
    row = t.set_index(["family", "group"])
    fam = row.loc[("samverkan", "(all)")]
    assert (fam["raw_count"], fam["n_coded"], fam["n_relevant"]) == (3, 3, 2)
    assert fam["precision"] == pytest.approx(2 / 3)
    p, lo, hi = K.wilson_interval(2, 3)
    assert (fam["precision_low"], fam["precision_high"]) == pytest.approx((lo[0], hi[0]))
    local = row.loc[("samverkan", "local")]
    assert local["precision"] == 0.5 and local["adjusted_count"] == 1.0  # 0.5 x 2 uses
    _, lo, hi = K.wilson_interval(1, 2)
    assert (local["adjusted_low"], local["adjusted_high"]) == pytest.approx((2 * lo[0], 2 * hi[0]))
    assert fam["adjusted_count"] == 2.0  # 0.5 x 2 + 1.0 x 1
    # segregation: its one use is uncoded (blank): no precision, no adjusted count
    seg = row.loc[("segregation", "(all)")]
    assert seg["n_coded"] == 0 and np.isnan(seg["precision"]) and np.isnan(seg["adjusted_count"])


def test_older_sample_lines_are_left_out_and_counted(kwic, tmp_path):
    c, k = kwic
    s = K.coding_sample(k, c.meta, "actor_level", 1, seed=7)  # one of the two local samverkan
    coded = K.coded_read(CODED, s, k)
    assert (~coded["in_sample"]).sum() == 1
    t = K.precision_table(s, coded, k, c.meta, "actor_level").set_index(["family", "group"])
    assert t.loc[("samverkan", "local"), "n_coded"] == 1
    # a line whose match reads differently now is from an older sample too
    f = tmp_path / "c.csv"
    full = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    pd.read_csv(CODED, dtype=str).assign(match="x").to_csv(f, index=False)
    assert not K.coded_read(f, full, k)["in_sample"].any()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            {"relevant": ["1", "maybe", "", ""]},
            r"c\.csv: row 2 \(line 3\), field relevant: 'maybe'",
        ),
        (
            {"line_id": ["samverkan|x|3", "samverkan|q|9", "samverkan|z|2", "segregation|z|0"]},
            r"c\.csv: row 2 \(line 3\), field line_id: 'samverkan\|q\|9' is no use",
        ),
        (
            {"line_id": ["samverkan|x|3", "samverkan|x|3", "samverkan|z|2", "segregation|z|0"]},
            "row 2 .*appears twice",
        ),
    ],
)
def test_a_coded_file_that_does_not_match_names_file_row_field(kwic, tmp_path, edit, message):
    c, k = kwic
    s = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    f = tmp_path / "c.csv"
    pd.read_csv(CODED, dtype=str, keep_default_na=False).assign(**edit).to_csv(f, index=False)
    with pytest.raises(ParameterError, match=message) as e:
        K.coded_read(f, s, k)
    assert "\n" not in str(e.value)


def test_a_missing_file_or_column_is_one_line(kwic, tmp_path):
    c, k = kwic
    s = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    with pytest.raises(ParameterError, match="kwic_coded: .*no such file"):
        K.coded_read(tmp_path / "none.csv", s, k)
    f = tmp_path / "c.csv"
    pd.read_csv(CODED, dtype=str).drop(columns="relevant").to_csv(f, index=False)
    with pytest.raises(ParameterError, match="no column 'relevant'"):
        K.coded_read(f, s, k)


def test_a_coded_copy_of_a_neutralised_kwic_coding_csv_reads_back(kwic, tmp_path, monkeypatch):
    # Issue 12 item 9: kwic_coding.csv is written with a leading apostrophe before cells a
    # spreadsheet would evaluate (a family named "=samverkan", a match "-samverkan"); the
    # coded copy still matches the current sample.
    from ordbruk.report import recorder
    from ordbruk.report.recorder import Recorder

    monkeypatch.setattr(recorder, "_display", lambda html_text, plain: None)
    c, k = kwic
    k = k.assign(family="=" + k["family"], match="-" + k["match"])
    s = K.coding_sample(k, c.meta, "actor_level", 5, seed=1)
    Recorder(tmp_path).table(s, "kwic_coding", "T", "N")
    path = tmp_path / "tables" / "kwic_coding.csv"
    written = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert written["line_id"].str.startswith("'=").all()
    assert written["match"].str.startswith("'-").all()
    written["relevant"] = "1"
    written.to_csv(path, index=False)
    coded = K.coded_read(path, s, k)
    assert coded["line_id"].tolist() == s["line_id"].tolist() and coded["in_sample"].all()
