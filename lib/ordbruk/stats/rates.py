"""Term rates compared like with like: a count model with the genre mix held constant.

A pooled rate ratio (uses per token of one group over another's) mixes two things when the
groups write different genres: the level and the genre. ``rate_ratios`` reports both
figures for each group against a reference group:

- **pooled**: the ratio of the groups' pooled rates, sum(uses) / sum(tokens), which is
  what a frequency table shows;
- **adjusted**: the group effect of a Poisson regression of each document's uses with
  log(tokens) as offset and group + stratum (genre) + period (5-year band) as
  covariates, fitted with ``statsmodels`` GLM. The standard errors are cluster-robust by
  actor (``cov_type="cluster"``), so documents of one prolific actor do not count as
  independent evidence, and the robust (sandwich) errors also absorb over-dispersion: the
  quasi-Poisson reading of the model (Cameron and Trivedi 2013, ch. 3; Wooldridge 2010,
  ch. 18). Intervals use t with (actors - 1) degrees of freedom, since few clusters make
  the normal quantile too narrow. A group effect is identified only by strata where that
  group and the reference both write: the interval needs ``MIN_CLUSTERS`` actors per side
  there.

Both are exp(coefficient) with a 95 % Wald interval; the pooled one comes from the same
model without stratum and period, so its interval is clustered by actor too. A model that
cannot be fitted is reported with a note instead of a number: fewer than ``MIN_CLUSTERS``
actors in a group, a group without any use (the ratio is 0 and the log-linear model is
separated), no stratum shared by a group and the reference, or a fit that fails.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import (
    ConvergenceWarning,
    PerfectSeparationWarning,
    SingularMatrixWarning,
)

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import actors_key
from ordbruk.stats.design import year_band
from ordbruk.stats.groups import labels_get

_FIT_ERRORS = (
    PerfectSeparationWarning,
    ConvergenceWarning,
    SingularMatrixWarning,
    np.linalg.LinAlgError,
    ValueError,
)
#: A group needs this many distinct actors before its cluster-robust interval means anything.
MIN_CLUSTERS = 5

# The ratios first: they are what a reader looks for; the counts behind them follow.
COLUMNS = [
    "term", "group", "reference",
    "ratio_pooled", "ci_low_pooled", "ci_high_pooled",
    "ratio_adjusted", "ci_low_adjusted", "ci_high_adjusted",
    "rate_per_10k", "reference_rate_per_10k", "n_docs", "n_actors", "uses", "n_tokens",
    "adjusted_for", "n_strata_shared", "n_docs_adjusted", "note",
]  # fmt: skip


def design_matrix(groups, reference, extra: list[pd.Series]) -> pd.DataFrame:
    """Return the regression design: a constant and dummies.

    One dummy per non-reference group (``group[<name>]``) and one per level of each extra
    factor but its first (the baseline).
    """
    names = [g for g in sorted(set(groups)) if g != reference]
    cols = {f"group[{g}]": (groups == g).astype(float) for g in names}
    for s in extra:
        levels = sorted(set(s))
        for v in levels[1:]:  # the first level is the baseline
            cols[f"{s.name}[{v}]"] = (s == v).astype(float).to_numpy()
    X = pd.DataFrame(cols)
    X.insert(0, "const", 1.0)
    return X


def strata_shared(stratum: pd.Series, groups: np.ndarray) -> set:
    """Return the strata written by two or more groups: only they inform a group contrast."""
    per = pd.DataFrame({"s": stratum.to_numpy(), "g": groups}).groupby("s")["g"].nunique()
    return set(per.index[per >= 2])


def contrast_notes(sel, ref, clusters, in_shared, stratum, strata: str, reference: str,
                   what: str = "ratio") -> list[str]:  # fmt: skip
    """Return the support rules every group contrast shares (rate ratios, mean differences).

    Args:
        sel: documents of the group (boolean array).
        ref: documents of the reference group (boolean array).
        clusters: the actor (cluster) of each document.
        in_shared: documents in the rows of the adjusted fit, in strata two groups write.
        stratum: the stratum of each document (None: no stratum column).
        strata: the stratum column's name.
        reference: the reference group's name.
        what: "ratio" or "difference", for the wording.

    Returns:
        Notes: fewer than ``MIN_CLUSTERS`` actors on a side (no interval); fewer in the strata
        both write (no adjusted interval); no stratum shared (no adjusted figure).
    """
    note = []
    if min(len(set(clusters[sel])), len(set(clusters[ref]))) < MIN_CLUSTERS:
        note.append(f"fewer than {MIN_CLUSTERS} actors on a side: no interval")
    # The adjusted contrast is identified by the strata both sides write: count the actors
    # there.
    few_adj = min(len(set(clusters[in_shared & sel])), len(set(clusters[in_shared & ref])))
    if few_adj < MIN_CLUSTERS and not note:
        note.append(
            f"fewer than {MIN_CLUSTERS} actors on a side in the {strata or 'period'}s "
            "both write: no adjusted interval"
        )
    if stratum is not None and not set(stratum[sel]) & set(stratum[ref]):
        note.append(f"no {strata} shared with {reference}: no adjusted {what}")
    return note


def contrast_apply(note: list[str], pooled: tuple, adjusted: tuple) -> tuple[tuple, tuple]:
    """Blank the figures the notes rule out: (estimate, low, high) for pooled and adjusted."""
    nan3 = (np.nan,) * 3
    if any("no ratio" in s or "no difference" in s for s in note):
        pooled = adjusted = nan3
    if any("no adjusted" in s for s in note):
        adjusted = nan3
    if any("no interval" in s for s in note):
        pooled, adjusted = (pooled[0], np.nan, np.nan), (adjusted[0], np.nan, np.nan)
    return pooled, adjusted


def _rows_informative(y, stratum, period) -> np.ndarray:
    """Documents kept in the adjusted fit of one term.

    Strata or periods without a single use of the term are left out: their fixed effect
    would run to minus infinity, and documents with an expected count of zero carry no
    information. Strata written by one group stay: their dummy absorbs them, and they
    still inform the period effects. Repeated until stable, since dropping a stratum can
    empty a period.
    """
    keep = np.ones(len(y), dtype=bool)
    for _ in range(5):
        before = keep.sum()
        for s in [x for x in (stratum, period) if x is not None]:
            used = pd.Series(y[keep]).groupby(s.to_numpy()[keep]).sum()
            keep &= s.isin(set(used.index[used > 0])).to_numpy()
        if keep.sum() == before:
            break
    return keep


def _fit(y, X, log_tokens, clusters):
    # Drop columns that are constant zero in the rows used (a stratum absent here).
    X = X.loc[:, (X != 0).any(axis=0)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", SingularMatrixWarning)  # rank-deficient: not identified
        model = sm.GLM(y, X, family=sm.families.Poisson(), offset=log_tokens)
        # use_t: with few clusters the Wald interval from the normal quantile is too narrow;
        # statsmodels then uses t with (clusters - 1) degrees of freedom (Cameron and
        # Miller 2015).
        return model.fit(cov_type="cluster", cov_kwds={"groups": clusters}, maxiter=100, use_t=True)


def _ratio(result, name):
    if result is None or name not in result.params.index:
        return np.nan, np.nan, np.nan
    b = float(result.params[name])
    lo, hi = result.conf_int(alpha=0.05).loc[name]
    with np.errstate(over="ignore"):
        return np.exp(b), np.exp(float(lo)), np.exp(float(hi))


def rate_ratios(
    counts: pd.DataFrame,
    meta: pd.DataFrame,
    group_by: str,
    strata: str = "",
    reference: str | None = None,
    actors=None,
) -> pd.DataFrame:
    """Pooled and genre-adjusted rate ratios of each term, each group against a reference.

    Args:
        counts: uses per document, one column per term (rows in ``meta`` order).
        meta: document metadata with ``n_tokens`` (the offset), ``year`` for periods,
            ``group_by`` and ``strata`` columns.
        group_by: the grouping column (documents with an empty value are left out).
        strata: the stratum (genre) column; "" adjusts for period only.
        reference: the group the others are compared with (default: the one with the most
            documents).
        actors: the actor of each document (cluster); default ``meta["actor"]``.

    Returns:
        One row per term and non-reference group, columns ``COLUMNS``; ``note`` says why a
        ratio is missing.
    """
    groups = labels_get(meta, group_by)
    tokens = meta["n_tokens"].to_numpy(dtype=float)
    if actors is None:
        actors = actors_key(meta["actor"], meta["doc_id"] if "doc_id" in meta else None)
    actor = np.asarray(actors, dtype=object)
    use = (groups != "") & (tokens > 0)
    names, n = np.unique(groups[use], return_counts=True)
    if reference is None:
        reference = str(names[np.argmax(n)])
    elif reference not in set(names):
        raise ParameterError(
            f"reference: {reference!r} is not a {group_by} group (groups: {', '.join(names)})"
        )
    period = pd.Series(meta["year"].map(year_band).to_numpy()[use], name="period")
    stratum = (
        pd.Series(meta[strata].astype("string").fillna("").to_numpy()[use], name="stratum")
        if strata
        else None
    )
    g = groups[use]
    clusters = pd.factorize(actor[use])[0]
    log_t = np.log(tokens[use])
    X_pooled = design_matrix(g, reference, [])
    shared_strata = strata_shared(stratum, g) if stratum is not None else set()
    adjusted_for = " + ".join(["group"] + ([strata] if strata else []) + ["period"])
    rows = []
    ref = g == reference
    for term in counts.columns:
        y = counts[term].to_numpy(dtype=float)[use]
        fits = {}
        rows_adj = _rows_informative(y, stratum, period)
        X_adj = design_matrix(
            g[rows_adj], reference,
            [s[rows_adj].reset_index(drop=True) for s in (stratum, period) if s is not None],
        )  # fmt: skip
        data = {
            "pooled": (X_pooled, y, log_t, clusters),
            "adjusted": (X_adj, y[rows_adj], log_t[rows_adj], clusters[rows_adj]),
        }
        for kind, (X, yy, off, cl) in data.items():
            try:
                fits[kind] = _fit(yy, X, off, cl)
            except _FIT_ERRORS as e:
                fits[kind] = None
                fits[f"{kind}_error"] = type(e).__name__
        for name in sorted(set(g) - {reference}):
            sel = g == name
            n_actors = len(set(clusters[sel]))
            shared = len(set(stratum[sel]) & set(stratum[ref])) if stratum is not None else np.nan
            in_shared = rows_adj & (stratum.isin(shared_strata).to_numpy() if strata else True)
            note = contrast_notes(sel, ref, clusters, in_shared, stratum, strata, reference)
            if y[sel].sum() == 0 or y[ref].sum() == 0:
                note.append("no use on a side: the model is separated, no ratio")
            for kind in ("pooled", "adjusted"):
                if fits[kind] is None:
                    note.append(f"{kind} model not fitted ({fits[f'{kind}_error']})")
            pooled, adjusted = contrast_apply(
                note, _ratio(fits["pooled"], f"group[{name}]"),
                _ratio(fits["adjusted"], f"group[{name}]"),
            )  # fmt: skip
            n_adj = int((in_shared & (sel | ref)).sum())
            rate = y[sel].sum() / tokens[use][sel].sum() * 1e4
            ref_rate = y[ref].sum() / tokens[use][ref].sum() * 1e4
            rows.append([
                term, name, reference, *pooled, *adjusted, rate, ref_rate, int(sel.sum()),
                n_actors, int(y[sel].sum()), int(tokens[use][sel].sum()),
                adjusted_for, shared, n_adj, "; ".join(note),
            ])  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)
