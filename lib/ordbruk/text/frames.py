"""Tables on disk without pickles: CSV cells plus a schema that restores every dtype exactly.

The cache stores the metadata and the cleaning log as CSV (pyarrow, for Parquet, is not a
dependency). A CSV cell cannot tell an empty string from a missing value, nor say which
dtype a column had, so ``frame_encode`` returns, beside the CSV bytes, a schema: per
column its name, its dtype and the rows where it is missing. ``frame_decode`` gives back
the same frame: equal values, the same dtypes (a nullable ``Int64`` year stays ``Int64``
with its missing values; pandas' ``str`` stays ``str``), "" stays "" and missing stays
missing, and any Unicode (NUL, CR, line separators, emoji) survives, because every cell is
quoted. Supported: string, object (strings only), numpy integer, float and bool, and
pandas' nullable integer, float and boolean columns, with a RangeIndex from 0; anything
else is refused when writing rather than stored inexactly.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd


def frame_encode(df: pd.DataFrame) -> tuple[bytes, dict]:
    """Return (UTF-8 CSV of ``df``, every cell quoted; the schema to restore it).

    Args:
        df: the table; a RangeIndex from 0 and string column names.

    Returns:
        The CSV bytes (a header row, then one row per row of ``df``) and the schema:
        ``{"rows": n, "columns": [{"name", "dtype", ["storage", "na_value"], "na": [rows]}]}``.

    Raises:
        ValueError: a column or index the format cannot store exactly (a bug, not input).
    """
    if not df.index.equals(pd.RangeIndex(len(df))):
        raise ValueError("cache tables need a RangeIndex from 0")
    columns, cells = [], []
    for i, name in enumerate(df.columns):
        if not isinstance(name, str):
            raise ValueError(f"cache tables need string column names, not {name!r}")
        spec, values = _column_encode(name, df.iloc[:, i])
        columns.append(spec)
        cells.append(values)
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    if columns:
        writer.writerow([c["name"] for c in columns])
        writer.writerows(zip(*cells, strict=True))
    return out.getvalue().encode("utf-8"), {"rows": len(df), "columns": columns}


def frame_decode(data: bytes, schema: dict) -> pd.DataFrame:
    """Return the table ``frame_encode`` wrote as ``data`` with ``schema``.

    Raises:
        ValueError: the bytes do not match the schema (rows, columns or a cell's type).
    """
    columns, n = schema["columns"], int(schema["rows"])
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(n))
    raw = pd.read_csv(
        io.BytesIO(data),
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        encoding="utf-8",
        engine="c",
    )
    if raw.shape != (n, len(columns)):
        raise ValueError(f"table has shape {raw.shape}, the schema says {(n, len(columns))}")
    index = pd.RangeIndex(n)
    frame = pd.DataFrame(
        {
            i: pd.Series(_column_decode(raw.iloc[:, i].to_numpy(object), c), index=index)
            for i, c in enumerate(columns)
        },
        index=index,
    )
    frame.columns = pd.Index([c["name"] for c in columns])
    return frame


def _nullable(dtype) -> bool:
    # pandas' nullable Int*/UInt*/Float*/boolean extension dtypes (kind i, u, f, b)
    return isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iufb"


def _column_encode(name: str, col: pd.Series) -> tuple[dict, list[str]]:
    dtype = col.dtype
    na = col.isna().to_numpy()
    spec = {"name": name, "dtype": str(dtype), "na": np.flatnonzero(na).tolist()}
    values = col.to_numpy(object)
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        strings = values[~na]
        if not all(isinstance(v, str) for v in strings):
            raise ValueError(f"cache tables: column {name!r} holds values that are not strings")
        if isinstance(dtype, pd.StringDtype):
            spec["dtype"] = "string"
            spec["storage"] = dtype.storage
            spec["na_value"] = "NA" if dtype.na_value is pd.NA else "nan"
        cells = ["" if m else v for v, m in zip(values, na, strict=True)]
    elif isinstance(dtype, np.dtype) and dtype.kind in "iub":
        cells = [str(v) for v in values]
    elif isinstance(dtype, np.dtype) and dtype.kind == "f":
        cells = [repr(float(v)) for v in values]  # shortest repr: reads back exactly
        spec["na"] = []
    elif _nullable(dtype):
        text = repr if dtype.kind == "f" else str
        cells = [
            "" if m else text(v.item() if hasattr(v, "item") else v)
            for v, m in zip(values, na, strict=True)
        ]
    else:
        raise ValueError(f"cache tables: column {name!r} has dtype {dtype}, not storable exactly")
    return spec, cells


def _column_decode(cells: np.ndarray, spec: dict):
    kind = spec["dtype"]
    na = np.zeros(len(cells), dtype=bool)
    na[np.asarray(spec["na"], dtype=np.int64)] = True
    if kind == "string":
        missing = pd.NA if spec["na_value"] == "NA" else np.nan
        cells[na] = missing
        return pd.array(cells, dtype=pd.StringDtype(spec["storage"], na_value=missing))
    if kind == "object":
        cells[na] = None
        return pd.Series(cells, dtype=object)  # a bare object array would become str
    dtype = pd.api.types.pandas_dtype(kind)
    if isinstance(dtype, np.dtype):
        if dtype.kind == "b":
            return _bools(cells).astype(dtype)
        if dtype.kind == "f":
            return np.array([float(v) for v in cells], dtype=dtype)
        return np.array([int(v) for v in cells], dtype=dtype)
    if not _nullable(dtype):
        raise ValueError(f"dtype {kind} is not one the cache writes")
    parse = {"b": lambda v: _bools(np.array([v]))[0], "f": float}.get(dtype.kind, int)
    return pd.array([None if m else parse(v) for v, m in zip(cells, na, strict=True)], dtype=dtype)


def _bools(cells: np.ndarray) -> np.ndarray:
    ok = np.isin(cells, ("True", "False"))
    if not ok.all():
        raise ValueError(f"not a boolean: {cells[~ok][0]!r}")
    return cells == "True"
