"""Choosing the number of topics on coherence and stability, with a held-out fit beside.

- ``topics_grid`` fits, for every k of the grid, ``n_seeds`` models on all units (their
  agreement is the stability of each topic, ``ordbruk.topics.stability``; the medoid run is
  the model reported, and its NPMI and UMass coherence on all units are the grid's
  coherence) and one model on a training share whose held-out per-word perplexity by
  document completion is shown beside (``ordbruk.topics.heldout``). Fits are independent
  and run in parallel processes when asked, one BLAS thread each.
- ``k_choose`` picks the most coherent k among those with enough stable topics, unless k
  is fixed by a parameter; it says why in words and warns when no k is stable enough or
  the chosen k sits at an edge of the grid.
- ``corpus_adequacy`` applies the adequacy policy of ``ordbruk.stats.groups`` to the
  modelled corpus: below its size thresholds a topic model is reported as descriptive only.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ordbruk.errors import ParameterError
from ordbruk.progress import steps
from ordbruk.stats import groups
from ordbruk.stats.actors import rng_make
from ordbruk.topics.coherence import coherence_npmi, coherence_umass, top_ids_from_weights
from ordbruk.topics.heldout import perplexity_completion
from ordbruk.topics.models import shares_infer, topics_fit
from ordbruk.topics.stability import runs_reference, topics_stability

#: Below any of these a topic model is too small to interpret (see corpus_adequacy).
TOPICS_MIN_UNITS = 200
TOPICS_MIN_TERMS = 300
TOPICS_MIN_TOKENS = groups.MIN_TOKENS  # 20,000, the same size as for group comparisons


def units_split(n_units: int, test_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split unit indices at random into (train, test), at least one unit in each.

    Args:
        n_units: number of units.
        test_share: share of units held out, in (0, 0.5].
        seed: the study seed (``ordbruk.stats.actors.rng_make``).

    Returns:
        Sorted train and test index arrays.
    """
    if not 0 < test_share <= 0.5:
        raise ParameterError(f"test_share must be in (0, 0.5], got {test_share}")
    if n_units < 2:
        raise ParameterError("at least 2 units are needed to hold some out")
    n_test = min(max(1, round(test_share * n_units)), n_units - 1)
    perm = rng_make(seed).permutation(n_units)
    return np.sort(perm[n_test:]), np.sort(perm[:n_test])


def units_sample(n_units: int, size: int, seed: int) -> np.ndarray:
    """Return ``size`` of ``n_units`` unit indices drawn at random without replacement, sorted.

    The sample a topic model is fitted on when the corpus has more than ``fit_max_units``
    units (``topics_grid``); drawn from the study seed (``stats.actors.rng_make``).
    """
    if size >= n_units:
        return np.arange(n_units)
    return np.sort(rng_make(seed).choice(n_units, size, replace=False))


@dataclass
class Selection:
    """The grid of candidate k and every fit behind it.

    Attributes:
        grid: one row per k (``GRID_COLUMNS``).
        fits: one row per fit (``FIT_COLUMNS``): k, role, seed, iterations, time.
        runs: k -> the ``n_seeds`` models fitted on all units.
        reference: k -> index in ``runs[k]`` of the reported (medoid) run.
        stability: k -> ``topics_stability`` of the reported run.
        skipped: k values of the grid that do not fit the corpus (too large).
        k_max: the largest k the corpus allows.
        sample: the units the models were fitted on when there were more than
            ``fit_max_units`` (sorted indices of the modelled matrix), else None.
        n_units: units of the modelled matrix (all of them, fitted or not).
    """

    grid: pd.DataFrame
    fits: pd.DataFrame
    runs: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    stability: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)
    k_max: int = 0
    sample: np.ndarray | None = None
    n_units: int = 0
    _X: object = field(default=None, repr=False)  # the whole matrix, for shares of a sample fit
    _engine: str | None = field(default=None, repr=False)
    _inferred: set = field(default_factory=set, repr=False)

    def reported(self, k: int):
        """Return (the reported model of k, its stability table).

        The model's ``doc_topic`` holds the shares of every unit: for a fit on a sample,
        they are inferred once here from the fitted model (``models.shares_infer``, on
        the engine).
        """
        model = self.runs[k][self.reference[k]]
        if self.sample is not None and k not in self._inferred:
            model.doc_topic = shares_infer(model, self._X, self._engine)
            self._inferred.add(k)
        return model, self.stability[k]


@dataclass
class Choice:
    """The chosen k, the sentence saying why, and warnings for the report and the index."""

    k: int
    why: str
    warnings: list[str] = field(default_factory=list)


GRID_COLUMNS = [
    "k", "stable_share", "n_stable_reported", "stability_mean", "npmi_mean", "npmi_min", "umass_mean",
    "perplexity_heldout", "n_heldout_tokens", "reported_seed", "n_iter_max", "n_converged",
    "n_fits", "seconds_per_fit", "n_train_units", "n_test_units", "n_top", "n_seeds",
]  # fmt: skip
#: Wall-clock columns: the only cells of the selection tables that differ between reruns.
TIMING_COLUMNS = ("seconds", "seconds_per_fit")
FIT_COLUMNS = ["k", "role", "seed", "n_units", "n_iter", "max_iter", "converged", "seconds",
               "objective"]  # fmt: skip


def _fit_one(X, k, method, seed, shares, fit_kw):
    # One BLAS thread per fit, in the main process and in workers alike, so that a fit's
    # numbers do not depend on how many fits run at once.
    with threadpool_limits(limits=1):
        return topics_fit(X, k, method, seed, shares=shares, **fit_kw)


def fits_run(X, jobs, method: str, n_jobs: int = 1, **fit_kw) -> list:
    """Fit independent models, in parallel processes when ``n_jobs`` > 1.

    The processes come from the standard library's ``ProcessPoolExecutor`` started by a
    fork server (safe inside a Jupyter kernel), and are shut down before returning.

    Args:
        X: units x terms counts.
        jobs: (k, seed, rows or None, shares) per fit; ``rows`` selects training units.
        method: "lda" or "nmf".
        n_jobs: worker processes (1: in this process; the results are the same).
        **fit_kw: passed to ``topics_fit``.

    Returns:
        The TopicModels, in the order of ``jobs``.
    """
    X = sp.csr_matrix(X)
    tasks = [(X if rows is None else X[rows], k, method, s, sh, fit_kw) for k, s, rows, sh in jobs]
    if n_jobs <= 1 or len(tasks) <= 1:  # a bar on stderr when it is a terminal (never a report)
        return [_fit_one(*t) for t in steps(tasks, len(tasks), "topic model fits", "fit")]
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(n_jobs, len(tasks)), mp_context=context) as pool:
        fits = pool.map(_fit_one, *zip(*tasks, strict=True))
        return list(steps(fits, len(tasks), "topic model fits", "fit"))


def topics_grid(
    X, k_grid, method="lda", seeds=(0, 1, 2), seed=0, test_share=0.1, n_top=10,
    threshold=0.5, n_jobs=1, epsilon=1e-12, k_fixed=0, fit_max_units=0, engine="serial", **fit_kw,
) -> Selection:  # fmt: skip
    """Fit and score every k of the grid on coherence, stability and held-out fit.

    For each k: ``len(seeds)`` fits on all units give the stability of topics (matched
    top words, ``topics.stability``) and the reported run (the medoid run); its NPMI and
    UMass coherence on all units are the coherence of the model the report shows. One
    more fit on a training share of the units (seed ``seed``) gives the held-out per-word
    perplexity by document completion on the other units (``topics.heldout``).

    Args:
        X: units x terms counts (the modelled corpus).
        k_grid: the k values to try (values that do not fit the corpus are skipped).
        method: "lda" or "nmf".
        seeds: the fit seeds of the stability runs (at least 2).
        seed: seed of the train/test split, the held-out fit and the half split.
        test_share: share of units held out.
        n_top: top words per topic for coherence and stability.
        threshold: topics with stability below this are unstable.
        n_jobs: fits run in this many processes at once (0: one per core).
        epsilon: NPMI epsilon.
        k_fixed: a k set by the user (0: none); it joins the grid.
        fit_max_units: above this many units every model is fitted, scored and split on
            a seeded sample of this many (``units_sample``, seed ``seed``), and the shares
            of all units come from the reported model (``Selection.reported``); 0: all.
        engine: where those shares are inferred (``ordbruk.engine``).
        **fit_kw: passed to ``topics_fit`` (max_iter, learning_method, ...).

    Returns:
        A ``Selection``.
    """
    if len(seeds) < 2:
        raise ParameterError("stability needs n_seeds >= 2")
    X = X_all = sp.csr_matrix(X)
    sample = None
    if isinstance(fit_max_units, bool) or not isinstance(fit_max_units, int | np.integer):
        raise ParameterError(f"fit_max_units must be a whole number, got {fit_max_units!r}")
    if 0 < fit_max_units < X.shape[0] and fit_max_units < TOPICS_MIN_UNITS:
        raise ParameterError(
            f"fit_max_units = {fit_max_units}: a sample of fewer than {TOPICS_MIN_UNITS} units "
            "cannot be modelled; use 0 to fit every unit, or a larger sample"
        )
    if 0 < fit_max_units < X.shape[0]:
        sample = units_sample(X.shape[0], int(fit_max_units), seed)
        X = X[sample]
    train, test = units_split(X.shape[0], test_share, seed)
    # A k needs fewer topics than training units and terms; larger values are skipped.
    k_max = min(len(train), X.shape[1]) - 1
    ks = sorted(
        {int(k) for k in list(k_grid) + ([k_fixed] if k_fixed else []) if 2 <= int(k) <= k_max}
    )
    if k_fixed and int(k_fixed) not in ks:
        raise ParameterError(f"k = {k_fixed} does not fit this corpus (2 <= k <= {k_max})")
    if not ks:
        raise ParameterError(f"no k in k_grid {list(k_grid)} fits this corpus (2 <= k <= {k_max})")
    skipped = sorted({int(k) for k in k_grid} - set(ks))
    jobs = [(k, int(s), None, method == "nmf") for k in ks for s in seeds]
    jobs += [(k, int(seed), train, False) for k in ks]
    models = fits_run(X, jobs, method, n_jobs or os.cpu_count() or 1, **fit_kw)
    sel = Selection(grid=pd.DataFrame(columns=GRID_COLUMNS), fits=pd.DataFrame(),
                    skipped=skipped, k_max=k_max, sample=sample, n_units=X_all.shape[0],
                    _X=X_all, _engine=engine)  # fmt: skip
    fit_rows, rows = [], []
    for (k, s, rows_, _), m in zip(jobs, models, strict=True):
        role = "stability" if rows_ is None else "held-out"
        n = X.shape[0] if rows_ is None else len(rows_)
        fit_rows.append((k, role, s, n, m.n_iter, m.max_iter, m.converged, m.seconds, m.objective))
    for i, k in enumerate(ks):
        runs = models[i * len(seeds) : (i + 1) * len(seeds)]
        held = models[len(ks) * len(seeds) + i]
        ref = runs_reference(runs, n_top)
        if runs[ref].doc_topic is None:
            runs[ref].doc_topic = runs[ref].shares_of(X)
        # The rule reads a stability that does not depend on which run is reported: each
        # run in turn is the reference, and the shares of stable topics are averaged (the
        # medoid's own share is biased upwards: it was picked for agreeing most).
        every = [topics_stability(runs, n_top=n_top, threshold=threshold, ref=r)
                 for r in range(len(runs))]  # fmt: skip
        stab = every[ref]
        top = top_ids_from_weights(runs[ref].topic_word, n_top)
        npmi = coherence_npmi(X, top, epsilon=epsilon)
        perp, n_tok, _ = perplexity_completion(held, X[train], X[test], seed)
        mine = [m for (kk, *_), m in zip(jobs, models, strict=True) if kk == k]
        rows.append((
            k, float(np.mean([1 - st["unstable"].mean() for st in every])),
            int((~stab["unstable"]).sum()),
            float(np.mean([st["stability_jaccard"].mean() for st in every])),
            float(npmi.mean()), float(npmi.min()),
            float(np.nanmean(coherence_umass(X, top))), perp, n_tok, runs[ref].seed,
            max(m.n_iter for m in mine), sum(bool(m.converged) for m in mine), len(mine),
            float(np.mean([m.seconds for m in mine])), len(train), len(test), top.shape[1],
            len(seeds),
        ))  # fmt: skip
        sel.runs[k], sel.reference[k], sel.stability[k] = runs, ref, stab
    sel.grid = pd.DataFrame(rows, columns=GRID_COLUMNS)
    sel.fits = pd.DataFrame(fit_rows, columns=FIT_COLUMNS)
    return sel


def k_choose(
    grid: pd.DataFrame, k_fixed: int | None = None, min_stable: float = 0.75, skipped=(),
    k_max: int = 0,
) -> Choice:  # fmt: skip
    """Pick k on coherence and stability together.

    The rule: among the k whose share of stable topics is at least ``min_stable``, the one
    with the highest mean NPMI of its reported model (ties: the smaller k). When no k
    reaches ``min_stable``, the k with the largest share of stable topics (ties: higher
    NPMI, then smaller k), with a warning. A k at either edge of a grid of several values
    is a warning too: a k beyond the grid might score better. Held-out perplexity is shown
    beside, not used: it favours more topics than readers find coherent (Chang et al. 2009).

    Args:
        grid: ``Selection.grid``.
        k_fixed: a k set by the user, or None.
        min_stable: the share of stable topics a k needs.
        skipped: k values of the grid left out because the corpus cannot take them.
        k_max: the largest k the corpus allows (for the warning on skipped values).

    Returns:
        A ``Choice``.
    """
    if grid.empty:
        raise ParameterError("k_grid is empty; give at least one k")
    ks = [int(v) for v in grid["k"]]
    by_k = grid.set_index("k")
    warn = []
    if len(skipped):
        warn.append(
            f"k = {', '.join(map(str, skipped))} of `k_grid` left out: this corpus allows at "
            f"most k = {k_max} (fewer topics than training units and terms)."
        )
    if k_fixed is not None:
        k = int(k_fixed)
        why = f"k = {k} was fixed by the parameter `k`."
        if k in by_k.index and by_k.loc[k, "stable_share"] < min_stable:
            warn.append(
                f"k = {k} (fixed) has {by_k.loc[k, 'stable_share']:.0%} stable topics, below "
                f"the {min_stable:.0%} the selection rule asks for."
            )
        return Choice(k, why, warn)
    ok = grid[grid["stable_share"] >= min_stable]
    if len(ok):
        best = ok.sort_values(["npmi_mean", "k"], ascending=[False, True]).iloc[0]
        k = int(best["k"])
        why = (
            f"k = {k} has the highest mean NPMI coherence ({best['npmi_mean']:.3f}) among the "
            f"k whose share of stable topics is at least {min_stable:.0%} "
            f"({', '.join(str(int(v)) for v in ok['k'])} of the grid {', '.join(map(str, ks))})."
        )
    else:
        best = grid.sort_values(["stable_share", "npmi_mean", "k"], ascending=[False, False, True])
        best = best.iloc[0]
        k = int(best["k"])
        why = (
            f"No k of the grid {', '.join(map(str, ks))} has at least {min_stable:.0%} stable "
            f"topics; k = {k} has the largest share ({best['stable_share']:.0%})."
        )
        warn.append(
            f"No k in the grid has at least {min_stable:.0%} stable topics (best: k = {k}, "
            f"{best['stable_share']:.0%} on average over the seed runs): "
            f"{1 - best['stable_share']:.0%} of topics change with the seed; read only the "
            "topics flagged stable."
        )
    if len(ks) > 1 and k in (min(ks), max(ks)):
        side, other = ("lower", "smaller") if k == min(ks) else ("upper", "larger")
        if k == max(ks) and len(skipped) and min(skipped) > k:
            advice = "the larger k asked for do not fit this corpus."
        else:
            advice = "widen `k_grid` to check."
        warn.append(
            f"The chosen k = {k} is at the {side} edge of the grid: a {other} k might score "
            f"better; {advice}"
        )
    return Choice(k, why, warn)


def seeds_derive(seed: int, n: int) -> list[int]:
    """Return n fit seeds derived from the study seed: seed, seed + 1, ... (documented)."""
    return [int(seed) + i for i in range(int(n))]


def corpus_adequacy(
    features,
    min_units: int = TOPICS_MIN_UNITS,
    min_terms: int = TOPICS_MIN_TERMS,
    min_tokens: int = TOPICS_MIN_TOKENS,
) -> groups.Adequacy:
    """Judge whether the modelled corpus is large enough for interpretable topics.

    The rule is the one adequacy policy (``ordbruk.stats.groups.adequacy_check``) with
    the topic model's own sizes and thresholds: units, feature terms and modelled
    tokens. The defaults (200 units, 300 terms, 20,000 tokens) are a conservative rule
    of thumb, not a statistical test: below them co-occurrence counts are too sparse for
    coherent, reproducible topics.

    Args:
        features: the ``Features`` modelled.
        min_units: fewer units (documents or paragraphs) -> descriptive only.
        min_terms: fewer feature terms -> descriptive only.
        min_tokens: fewer modelled tokens -> descriptive only.

    Returns:
        The verdict, named "the modelled corpus", with sizes n_units, n_terms, n_tokens
        and one shortfall per size below its threshold (e.g. "4 paragraphs < 200").
    """
    sizes = {
        "n_units": features.X.shape[0],
        "n_terms": features.X.shape[1],
        "n_tokens": int(features.X.sum()),
    }
    minimum = {"n_units": min_units, "n_terms": min_terms, "n_tokens": min_tokens}
    words = {"n_units": f"{features.unit}s", "n_terms": "feature terms"}
    words["n_tokens"] = "modelled tokens"
    return groups.adequacy_check("the modelled corpus", sizes, minimum, words)
