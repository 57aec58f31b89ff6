"""Measure a family's precision: a KWIC sample to hand-code, and the precision it gives.

A family admits word forms by rule, so some of its uses may mean something else
("integration" of EU economies, not of migrants). ``coding_sample`` draws a seeded sample
of uses stratified by family and group (``group_by``), each line with a stable id
(``family|doc_id|token_pos``) and an empty ``relevant`` column. A researcher codes a copy
(1/0, yes/no; blank = uncoded) and names it in the parameters; ``coded_read`` checks it
against the current sample and ``precision_table`` turns it into precision per family and
per family x group with a Wilson 95 % interval, and precision-adjusted counts (per-group
precision x raw count, interval carried). ``coding_record`` does the three for the notebook
and records the tables.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from ordbruk import paths
from ordbruk.errors import ParameterError
from ordbruk.escape import csv_cell_restore, text_clean
from ordbruk.stats.actors import rng_make
from ordbruk.stats.groups import labels_get
from ordbruk.terms import notes

CODING_COLUMNS = [
    "line_id",
    "family",
    "group",
    "doc_id",
    "token_pos",
    "left",
    "match",
    "right",
    "relevant",
]
PRECISION_COLUMNS = [
    "family",
    "group",
    "raw_count",
    "n_sampled",
    "n_coded",
    "n_relevant",
    "precision",
    "precision_low",
    "precision_high",
    "adjusted_count",
    "adjusted_low",
    "adjusted_high",
]
ALL_GROUPS = "(all)"  # the family row of the precision table
ALPHA = 0.05
_VALUES = {
    "1": 1.0,
    "yes": 1.0,
    "y": 1.0,
    "ja": 1.0,
    "true": 1.0,
    "0": 0.0,
    "no": 0.0,
    "n": 0.0,
    "nej": 0.0,
    "false": 0.0,
    "": np.nan,
}


def line_ids(kwic: pd.DataFrame) -> pd.Series:
    """Return the stable id of each KWIC line: ``family|doc_id|token_pos``."""
    return (
        kwic["family"].astype(str)
        + "|"
        + kwic["doc_id"].astype(str)
        + "|"
        + kwic["token_pos"].astype(str)
    )


def _uses(kwic: pd.DataFrame, meta: pd.DataFrame, group_by: str) -> pd.DataFrame:
    # The uses (masked mentions left out) with their id and the group of their document.
    uses = kwic[~kwic["masked"].to_numpy(dtype=bool)].copy()
    group = dict(zip(meta["doc_id"].astype(str), labels_get(meta, group_by), strict=True))
    uses["group"] = uses["doc_id"].astype(str).map(group)
    uses["line_id"] = line_ids(uses)
    return uses


def coding_sample(
    kwic: pd.DataFrame, meta: pd.DataFrame, group_by: str, n: int, seed: int
) -> pd.DataFrame:
    """Draw up to ``n`` uses per family and group at random (reproducible) for hand-coding.

    Args:
        kwic: ``concordance.kwic_build`` lines (masked mentions are left out).
        meta: the corpus metadata (``doc_id`` and the ``group_by`` column).
        group_by: the metadata column that names the groups ("" = no group, a stratum too).
        n: lines per family x group.
        seed: the study seed (``ordbruk.stats.actors.rng_make``).

    Returns:
        ``CODING_COLUMNS``, sorted by family, group, document and position; ``relevant``
        is empty.
    """
    if n < 0:
        raise ParameterError(f"kwic_coding_size={n}: give 0 or more lines per family and group")
    rng = rng_make(seed)
    uses = _uses(kwic, meta, group_by)
    parts = []
    for _key, g in uses.groupby(["family", "group"], sort=True):
        take = rng.choice(len(g), size=min(n, len(g)), replace=False)
        parts.append(g.iloc[np.sort(take)])
    out = pd.concat(parts) if parts else uses.iloc[0:0]
    out = out.assign(relevant="")[CODING_COLUMNS]
    return out.sort_values(["family", "group", "doc_id", "token_pos"], ignore_index=True)


def coded_read(path, sample: pd.DataFrame, kwic: pd.DataFrame) -> pd.DataFrame:
    """Read a coded copy of ``kwic_coding.csv`` and check it against the current lines.

    Args:
        path: the coded copy (relative paths from the repository root).
        sample: the current ``coding_sample``.
        kwic: every KWIC line of the current corpus (``kwic_build``).

    Returns:
        line_id, relevant (1.0, 0.0, NaN = uncoded) and ``in_sample``: False for a line of
        an older sample (a use of this corpus, but not drawn now, or its match reads
        differently), which the precision leaves out.

    Raises:
        ParameterError: one line naming the file, row and field: a missing file or
            column, a value of ``relevant`` other than 1/0/yes/no/blank, a repeated id, or
            an id that is no use of this corpus.
    """
    p = paths.path_resolve(path)
    if not p.is_file():
        raise ParameterError(f"kwic_coded: {p}: no such file")
    try:
        df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise ParameterError(f"{p}: not a UTF-8 CSV file ({str(e).splitlines()[0]})") from e
    for col in ("line_id", "relevant"):
        if col not in df.columns:
            raise ParameterError(f"{p}: no column {col!r}; keep the columns of kwic_coding.csv")
    # The file holds what kwic_coding.csv wrote: cells neutralised for spreadsheets and
    # control characters replaced (ordbruk.escape); compare in that form, return the ids.
    for col in ("line_id", "match"):
        if col in df.columns:
            df[col] = df[col].map(csv_cell_restore)
    known = {text_clean(x): x for x in line_ids(kwic)}
    now = {
        text_clean(a): text_clean(m)
        for a, m in zip(sample["line_id"], sample["match"], strict=True)
    }
    seen: set[str] = set()
    rows = []
    for i, (lid, val) in enumerate(zip(df["line_id"], df["relevant"], strict=True)):
        where = f"{p}: row {i + 1} (line {i + 2}), field"
        v = _VALUES.get(val.strip().lower())
        if v is None and val.strip().lower() not in _VALUES:
            raise ParameterError(f"{where} relevant: {val!r}: use 1 or 0, yes or no, or blank")
        if lid in seen:
            raise ParameterError(f"{where} line_id: {lid!r} appears twice")
        if lid not in known:
            raise ParameterError(
                f"{where} line_id: {lid!r} is no use of this corpus (coded on another corpus, "
                "cleaning or family rules?): code the current kwic_coding.csv"
            )
        seen.add(lid)
        same = lid in now and ("match" not in df.columns or df["match"].iat[i] == now[lid])
        rows.append((known[lid], v, same))
    return pd.DataFrame(rows, columns=["line_id", "relevant", "in_sample"])


def wilson_interval(k, n, alpha: float = ALPHA) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the proportion k/n and its Wilson score interval (Wilson 1927).

    statsmodels' ``proportion_confint(method="wilson")``: it stays inside [0, 1] and is not
    degenerate at 0 or n successes, unlike the Wald interval.

    Args:
        k: successes (array or scalar).
        n: trials; n = 0 gives NaN.
        alpha: 1 - the confidence level.

    Returns:
        proportion, lower bound, upper bound (float arrays).
    """
    k, n = np.atleast_1d(np.asarray(k, dtype=float)), np.atleast_1d(np.asarray(n, dtype=float))
    ok = n > 0
    p, low, high = (np.full(len(n), np.nan) for _ in range(3))
    p[ok] = k[ok] / n[ok]
    low[ok], high[ok] = proportion_confint(k[ok], n[ok], alpha=alpha, method="wilson")
    return p, low, high


def precision_table(
    sample: pd.DataFrame, coded: pd.DataFrame, kwic: pd.DataFrame, meta: pd.DataFrame, group_by: str
) -> pd.DataFrame:
    """Precision per family x group and per family, and precision-adjusted counts.

    Args:
        sample: the current ``coding_sample``.
        coded: ``coded_read`` of the coded copy (lines of an older sample are left out).
        kwic: every KWIC line (the raw counts are its uses).
        meta: the corpus metadata.
        group_by: the grouping column, as for ``coding_sample``.

    Returns:
        ``PRECISION_COLUMNS``: per family, one row per group and a family row (group
        ``ALL_GROUPS``). precision = n_relevant / n_coded with a Wilson 95 % interval;
        adjusted_count = precision x raw_count per group, its interval the precision
        interval x raw_count. The family row pools its coded lines for the precision and
        sums the groups' adjusted counts and bounds (empty when a group with uses has no
        coded line).
    """
    uses = _uses(kwic, meta, group_by)
    raw = uses.groupby(["family", "group"]).size().rename("raw_count")
    cur = coded[coded["in_sample"]].set_index("line_id")["relevant"]
    s = sample[["family", "group", "line_id"]].assign(relevant=sample["line_id"].map(cur))
    g = s.groupby(["family", "group"]).agg(
        n_sampled=("line_id", "size"),
        n_coded=("relevant", "count"),
        n_relevant=("relevant", "sum"),
    )
    t = pd.concat([raw, g], axis=1).fillna(0).astype(int).reset_index()
    t["precision"], t["precision_low"], t["precision_high"] = wilson_interval(
        t["n_relevant"], t["n_coded"]
    )
    for a, b in (("adjusted_count", "precision"), ("adjusted_low", "precision_low")):
        t[a] = t[b] * t["raw_count"]
    t["adjusted_high"] = t["precision_high"] * t["raw_count"]
    fam = t.groupby("family").agg(
        raw_count=("raw_count", "sum"),
        n_sampled=("n_sampled", "sum"),
        n_coded=("n_coded", "sum"),
        n_relevant=("n_relevant", "sum"),
    )
    # A group with uses but no coded line leaves its family's sums empty.
    gap = fam.index.isin(t[(t["raw_count"] > 0) & (t["n_coded"] == 0)]["family"])
    for c in ("adjusted_count", "adjusted_low", "adjusted_high"):
        fam[c] = t.groupby("family")[c].sum(min_count=1).where(~gap)
    fam = fam.reset_index().assign(group=ALL_GROUPS)
    p, lo, hi = wilson_interval(fam["n_relevant"], fam["n_coded"])
    fam["precision"], fam["precision_low"], fam["precision_high"] = p, lo, hi
    out = pd.concat([fam, t], ignore_index=True)
    out["_order"] = out["group"] != ALL_GROUPS
    out = out.sort_values(["family", "_order", "group"], kind="stable", ignore_index=True)
    return out[PRECISION_COLUMNS]


def coding_record(
    rec, corpus, kwic: pd.DataFrame, group_by: str, size: int, seed: int, coded: str = ""
) -> pd.DataFrame | None:
    """Record ``kwic_coding`` and, when a coded copy is named, ``kwic_precision``.

    Args:
        rec: the notebook's ``ordbruk.report.recorder.Recorder`` (its ``table`` and
            ``prose`` are called).
        corpus: the corpus the KWIC lines come from.
        kwic: every KWIC line (``kwic_build``).
        group_by: the notebook's grouping column.
        size: lines per family x group (parameter ``kwic_coding_size``).
        seed: the study seed.
        coded: the coded copy (parameter ``kwic_coded``); "" = none yet.

    Returns:
        The precision table, or None when no coded copy is named.
    """
    sample = coding_sample(kwic, corpus.meta, group_by, size, seed)
    v = dict(kwic_coding_size=size, group_by=group_by, seed=seed, n_lines=len(sample))
    rec.table(sample, "kwic_coding", **notes.terms_result("kwic_coding", **v), show=10)
    if not coded:
        return None
    lines = coded_read(coded, sample, kwic)
    table = precision_table(sample, lines, kwic, corpus.meta, group_by)
    cur = lines[lines["in_sample"]]
    v |= dict(
        coded=str(paths.path_resolve(coded)),
        n_file=len(lines),
        n_coded=int(cur["relevant"].notna().sum()),
        n_blank=int(cur["relevant"].isna().sum()),
        n_old=int((~lines["in_sample"]).sum()),
        n_missing=len(sample) - len(cur),
    )
    rec.table(table, "kwic_precision", **notes.terms_result("kwic_precision", **v), show=None)
    rec.prose(notes.coding_prose(table, **v))
    return table
