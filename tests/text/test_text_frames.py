"""Cache tables as CSV plus a schema (issue 12 item 5): dtypes and values round-trip exactly."""

import numpy as np
import pandas as pd
import pytest

from ordbruk.text.frames import frame_decode, frame_encode

HOSTILE = ["", "a\x00b", "x\ry", "p\r\nq", 'q"uo,te', " lead", "trail ", "ü😀\u2028", "\\N",
           "NA", "nan", "None", "#c", "\x1b[31m", "\ufeffbom", "\x85", "\n", '"', "=1+1"]  # fmt: skip


def roundtrip(df):
    data, schema = frame_encode(df)
    return frame_decode(data, schema)


def assert_exact(a, b):
    assert list(a.columns) == list(b.columns)
    assert list(a.dtypes.astype(str)) == list(b.dtypes.astype(str))
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert a.isna().equals(b.isna())


def test_every_column_kind_round_trips_exactly():
    n = len(HOSTILE)
    text = pd.Series(HOSTILE, dtype="str")
    text[3] = np.nan  # missing, beside "" in row 0
    df = pd.DataFrame(
        {
            "doc_id": text,
            "string": pd.Series(HOSTILE, dtype="string").mask(np.arange(n) == 5),
            "year": pd.array([2014, None, -3] + [2**40] * (n - 3), dtype="Int64"),
            "n": np.arange(n, dtype=np.int64) - 5,
            "i32": np.arange(n, dtype=np.int32),
            "u8": np.arange(n, dtype=np.uint8),
            "f": np.array([0.1, np.nan, np.inf, -0.0, 1e300, 1 / 3] + [2.5] * (n - 6)),
            "f32": np.full(n, 0.1, dtype=np.float32),
            "F": pd.array([0.1, None] + [1.5] * (n - 2), dtype="Float64"),
            "b": np.arange(n) % 2 == 0,
            "B": pd.array([True, None] + [False] * (n - 2), dtype="boolean"),
            "obj": pd.Series(HOSTILE, dtype=object),
        }
    )
    df['comma, "and"\nnewline ✓'] = text  # any column name
    assert_exact(roundtrip(df), df)


def test_duplicate_names_empty_frames_and_object_missing():
    df = pd.DataFrame([["a", "b"], ["", "c"]], columns=["x", "x"]).astype("str")
    assert_exact(roundtrip(df), df)
    empty = pd.DataFrame(columns=["doc_id", "line", "rule", "action", "text"])
    assert_exact(roundtrip(empty), empty)
    none = pd.DataFrame(index=range(3))
    assert roundtrip(none).shape == (3, 0)
    obj = pd.DataFrame({"o": pd.Series(["a", None, ""], dtype=object)})
    back = roundtrip(obj)
    assert back["o"].tolist() == ["a", None, ""]


def test_what_cannot_be_stored_exactly_is_refused():
    with pytest.raises(ValueError, match="not strings"):
        frame_encode(pd.DataFrame({"o": pd.Series(["a", 1], dtype=object)}))
    with pytest.raises(ValueError, match="not storable exactly"):
        frame_encode(pd.DataFrame({"d": pd.to_datetime(["2020-01-01"])}))
    with pytest.raises(ValueError, match="RangeIndex"):
        frame_encode(pd.DataFrame({"a": [1]}, index=[5]))


def test_bytes_that_do_not_match_the_schema_are_refused():
    data, schema = frame_encode(pd.DataFrame({"a": ["x", "y"], "n": [1, 2]}))
    with pytest.raises(ValueError):
        frame_decode(data[: len(data) // 2 + 3], schema)
    with pytest.raises(ValueError):
        frame_decode(data.replace(b'"1"', b'"one"'), schema)
