"""Mean differences between groups with the genre mix held constant.

The per-document counterpart of ``ordbruk.stats.rates`` for an outcome that is a share or
score of each document (a topic's share, a marker's rate): ``means_adjusted`` reports, for
each outcome column and each group against a reference,

- **pooled**: the difference of the group means (each document counts once), the
  coefficient of an OLS regression of the outcome on the group alone;
- **adjusted**: the group coefficient of an OLS regression on group + stratum (genre) +
  period (5-year band), so the difference is taken within genres and periods.

Both with standard errors cluster-robust by actor and t intervals with (actors - 1)
degrees of freedom (statsmodels ``OLS.fit(cov_type="cluster", use_t=True)``; Cameron and
Miller 2015), under the support rules the rate ratios use (``stats.rates.contrast_notes``:
no interval when a side has fewer than ``MIN_CLUSTERS`` actors, no adjusted interval with
too few in the strata both write, no adjusted difference without a shared stratum). A group
whose dummy is a combination of the stratum and period dummies (say, each level wrote in
its own years) is not separable from them: its adjusted difference is left out with a note,
never read off a pseudo-inverse. A linear model of shares is the plain reading of "difference in mean share";
its intervals do not rely on the shares being normal (the sandwich errors are robust to
the shares' heteroskedasticity).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from statsmodels.tools.sm_exceptions import SingularMatrixWarning

from ordbruk.errors import ParameterError
from ordbruk.stats.actors import actors_key
from ordbruk.stats.design import year_band
from ordbruk.stats.groups import labels_get
from ordbruk.stats.rates import contrast_apply, contrast_notes, design_matrix, strata_shared

COLUMNS = [
    "outcome", "group", "reference", "diff_pooled", "ci_low_pooled", "ci_high_pooled",
    "diff_adjusted", "ci_low_adjusted", "ci_high_adjusted", "mean_group", "mean_reference",
    "n_docs", "n_actors", "adjusted_for", "n_docs_adjusted", "note",
]  # fmt: skip


def _ols(y, X, clusters):
    X = X.loc[:, (X != 0).any(axis=0)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # A rank-deficient design is expected (a stratum only one period has, a group not
        # separable from the strata): estimable effects are exact under the pseudo-inverse,
        # and the group effects that are not estimable are ruled out by ``_separable``.
        warnings.simplefilter("ignore", SingularMatrixWarning)
        return sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True)


def _separable(X: pd.DataFrame, name: str) -> bool:
    # The group's effect is identified when its column adds one to the design's rank.
    X = X.loc[:, (X != 0).any(axis=0)]
    if name not in X:
        return False
    full = np.linalg.matrix_rank(X.to_numpy())
    return full - np.linalg.matrix_rank(X.drop(columns=[name]).to_numpy()) == 1


def _coef(result, name):
    if result is None or name not in result.params.index:
        return np.nan, np.nan, np.nan
    lo, hi = result.conf_int(alpha=0.05).loc[name]
    return float(result.params[name]), float(lo), float(hi)


def means_adjusted(
    values: pd.DataFrame, meta: pd.DataFrame, group_by: str, strata: str = "",
    reference: str | None = None,
) -> pd.DataFrame:  # fmt: skip
    """Pooled and genre-adjusted differences in the mean of each column, group vs reference.

    Args:
        values: one row per document (``meta`` order), one column per outcome; rows with a
            missing value are left out.
        meta: document metadata with ``actor``, ``year``, ``group_by`` and ``strata``.
        group_by: the grouping column (empty values form no group).
        strata: the stratum (genre) column; "" adjusts for period only.
        reference: the group compared with (default: the one with the most documents).

    Returns:
        One row per outcome and non-reference group, columns ``COLUMNS``.
    """
    groups = labels_get(meta, group_by)
    ok = (groups != "") & values.notna().all(axis=1).to_numpy()
    names, n = np.unique(groups[ok], return_counts=True)
    if len(names) < 2:
        return pd.DataFrame(columns=COLUMNS)
    if reference is None:
        reference = str(names[np.argmax(n)])
    elif reference not in set(names):
        raise ParameterError(f"reference: {reference!r} is not a {group_by} group")
    g = groups[ok]
    actor = actors_key(meta["actor"], meta["doc_id"] if "doc_id" in meta else None)
    clusters = pd.factorize(np.asarray(actor, dtype=object)[ok])[0]
    period = pd.Series(meta["year"].map(year_band).to_numpy()[ok], name="period")
    extra = [period]
    stratum = None
    if strata:
        stratum = pd.Series(meta[strata].astype("string").fillna("").to_numpy()[ok], name="s")
        extra.insert(0, stratum)
    X_pooled, X_adj = design_matrix(g, reference, []), design_matrix(g, reference, extra)
    in_shared = np.ones(len(g), dtype=bool)
    if stratum is not None:
        in_shared = stratum.isin(strata_shared(stratum, g)).to_numpy()
    adjusted_for = " + ".join(["group"] + ([strata] if strata else []) + ["period"])
    extra_names = ([strata] if strata else []) + ["period"]
    # Whether each group's effect is identified does not depend on the outcome: once.
    separable = {v: _separable(X_adj, f"group[{v}]") for v in names if v != reference}
    ref = g == reference
    rows = []
    for col in values.columns:
        y = values[col].to_numpy(dtype=float)[ok]
        fits = {}
        for kind, X in (("pooled", X_pooled), ("adjusted", X_adj)):
            try:
                fits[kind] = _ols(y, X, clusters)
            except (np.linalg.LinAlgError, ValueError):
                fits[kind] = None
        for name in [v for v in names if v != reference]:
            sel = g == name
            note = contrast_notes(sel, ref, clusters, in_shared, stratum, strata, reference,
                                  "difference")  # fmt: skip
            if not separable[name]:
                note.append(
                    f"{name} is not separable from {' and '.join(extra_names)}: no adjusted "
                    "difference"
                )
            for kind in ("pooled", "adjusted"):
                if fits[kind] is None:
                    note.append(f"{kind} model not fitted")
            pooled, adjusted = contrast_apply(
                note, _coef(fits["pooled"], f"group[{name}]"),
                _coef(fits["adjusted"], f"group[{name}]"),
            )  # fmt: skip
            rows.append([
                col, name, reference, *pooled, *adjusted, float(y[sel].mean()),
                float(y[ref].mean()), int(sel.sum()), len(set(clusters[sel])), adjusted_for,
                int((in_shared & (sel | ref)).sum()), "; ".join(note),
            ])  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)
