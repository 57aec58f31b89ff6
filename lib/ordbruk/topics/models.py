"""Topic models: features, fitting (LDA or NMF from scikit-learn), topic tables.

A topic model here is fitted on a unit-term matrix: the units are documents or
paragraphs of the processed corpus (``ordbruk.text.corpus.Corpus``), the features
(``topics.features``) lemmas with stop words removed and terms filtered by document
frequency, optionally with each term family collapsed into one feature. Every fit takes
an explicit seed and runs single-threaded, so the same seed gives the same topics.
Choosing k lives in ``topics.select``, stability in ``topics.stability``, the held-out
fit in ``topics.heldout``, the tables of a fitted model in ``topics.tables``, prevalence
by group in ``topics.prevalence``, figures in ``topics.plots``.

Conventions: topics are numbered from 1 in tables; ``topic_word`` rows and ``doc_topic``
rows are probability vectors (NMF weights are rescaled to sum to one, which makes them
shares of a unit's modelled weight rather than probabilities).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

from ordbruk.engine import engine_open
from ordbruk.errors import ParameterError
from ordbruk.topics.features import Features

METHODS = ("lda", "nmf")
#: The notebook parameters passed to ``topics_fit`` (the notebook collects them by name).
FIT_SETTINGS = ("max_iter", "learning_method", "batch_size", "mean_change_tol",
                "max_doc_update_iter", "evaluate_every", "perp_tol", "nmf_tol")  # fmt: skip
#: Units per task when the shares of every unit are inferred from a model fitted on a sample
#: (``shares_infer``): fixed, so the shares never depend on the engine or the shards.
SHARES_CHUNK = 4096
#: ``method: auto`` fits LDA up to this many modelled tokens and NMF above (see method_resolve).
AUTO_LDA_MAX_TOKENS = 100_000


def method_resolve(method: str, features: Features) -> tuple[str, str]:
    """Resolve ``method`` ("lda", "nmf" or "auto") for the modelled corpus, with a reason.

    ``auto`` takes LDA for a modelled corpus of at most ``AUTO_LDA_MAX_TOKENS`` tokens and
    NMF above. Measured on policy-sv (benchmarks/topics_methods.md): LDA fitted to
    convergence takes minutes per fit on 0.8 M tokens and leaves most topics unstable across
    seeds, while NMF converges in seconds with most topics stable; the whole selection
    (grid x seeds) stays under a minute on two cores with NMF only.

    Returns:
        (method, sentence for the notes).
    """
    if method != "auto":
        if method not in METHODS:
            raise ParameterError(f"method must be one of {METHODS + ('auto',)}, got {method!r}")
        return method, f"Method {method.upper()} (parameter `method`)."
    n = int(features.X.sum())
    if n <= AUTO_LDA_MAX_TOKENS:
        return "lda", (
            f"Method LDA (`method: auto`: {n:,} modelled tokens, at most {AUTO_LDA_MAX_TOKENS:,})."
        )
    return "nmf", (
        f"Method NMF (`method: auto`: {n:,} modelled tokens, above {AUTO_LDA_MAX_TOKENS:,}, "
        "where LDA is slow to converge and unstable across seeds; benchmarks/topics_methods.md)."
    )


@dataclass
class TopicModel:
    """One fitted model.

    Attributes:
        method: "lda" or "nmf".
        k: number of topics.
        seed: the random_state used.
        topic_word: k x terms, rows sum to 1.
        doc_topic: units x k, rows sum to 1 (None for a fit made with ``shares=False``).
        estimator: the fitted scikit-learn estimator (for transform).
        n_iter: iterations run (LDA: EM passes; NMF: coordinate-descent iterations).
        max_iter: the cap.
        converged: True when the method's stopping rule ended the fit before the cap
            (NMF: scikit-learn's ``tol``; LDA: perplexity change below ``perp_tol``
            between evaluations), False when the cap was reached (a fit meeting the
            tolerance on its very last allowed iteration counts as not converged), None
            when LDA ran without a check (``evaluate_every`` 0, or fewer than two
            evaluations within ``max_iter``).
        seconds: wall time of the fit.
        objective: the final training objective (LDA: perplexity bound; NMF: Frobenius
            reconstruction error of the tf-idf matrix).
        tfidf: NMF only, the fitted tf-idf transform (for held-out units).
    """

    method: str
    k: int
    seed: int
    topic_word: np.ndarray
    doc_topic: np.ndarray
    estimator: object
    n_iter: int = 0
    max_iter: int = 0
    converged: bool | None = None
    seconds: float = float("nan")
    objective: float = float("nan")
    tfidf: object = None

    def shares_of(self, X) -> np.ndarray:
        """Return topic shares (rows sum to 1) of new units ``X`` (counts) under this model."""
        X = sp.csr_matrix(X)
        if self.method == "nmf":
            return _rows_normalise(self.estimator.transform(self.tfidf.transform(X)))
        return _rows_normalise(self.estimator.transform(X))


def shares_infer(model: TopicModel, X, engine: str | None = "serial") -> np.ndarray:
    """Return the topic shares of every unit of ``X`` under ``model``, chunk by chunk.

    A model fitted on a sample of the units (``topics.select.topics_grid`` with
    ``fit_max_units``) gives the shares of all units here: ``X`` is cut into runs of
    ``SHARES_CHUNK`` units in order, each run goes with the fitted model (not its shares)
    to a worker of ``engine`` (``ordbruk.engine``), which infers them with one BLAS
    thread, and the runs are stacked in order. The runs do not depend on the engine, so
    the shares are the same on every engine.

    Args:
        model: a fitted model.
        X: units x terms counts (the features the model was fitted on).
        engine: where the runs are inferred ("serial": in this process).

    Returns:
        units x k shares, rows summing to 1.
    """
    X = sp.csr_matrix(X)
    if X.shape[1] != model.topic_word.shape[1]:
        raise ParameterError(
            f"shares_infer: X has {X.shape[1]} terms, the model {model.topic_word.shape[1]}"
        )
    bare = replace(model, doc_topic=None)
    tasks = [(bare, X[a : a + SHARES_CHUNK]) for a in range(0, X.shape[0], SHARES_CHUNK)]
    if not tasks:
        return np.zeros((0, model.k))
    with engine_open(engine, len(tasks)) as eng:
        return np.vstack(eng.map(_shares_chunk, tasks))


def _shares_chunk(task) -> np.ndarray:
    model, X = task
    with threadpool_limits(limits=1):
        return model.shares_of(X)


def _rows_normalise(A: np.ndarray) -> np.ndarray:
    s = A.sum(axis=1, keepdims=True)
    # A unit with no modelled weight (NMF can give all-zero rows) gets a uniform share.
    return np.where(s > 0, A / np.where(s > 0, s, 1), 1.0 / A.shape[1])


def topics_fit(
    X,
    k: int,
    method: str = "lda",
    seed: int = 0,
    max_iter: int = 20,
    learning_method: str = "batch",
    batch_size: int = 512,
    mean_change_tol: float = 1e-3,
    max_doc_update_iter: int = 100,
    evaluate_every: int = 0,
    perp_tol: float = 0.1,
    nmf_tol: float = 1e-4,
    verbose: int = 0,
    shares: bool = True,
) -> TopicModel:
    """Fit one topic model with a fixed seed, single-threaded (deterministic).

    LDA: scikit-learn's variational Bayes with the default symmetric priors 1/k, fitted
    on raw counts. NMF: on tf-idf weights (l2-normalised rows), Frobenius loss, random
    initialisation from the seed so that different seeds give genuinely different
    starts (the SVD-based inits would make every seed identical and stability vacuous).

    Args:
        X: units x terms counts.
        k: number of topics (>= 2, < number of units and terms).
        method: "lda" or "nmf".
        seed: random_state.
        max_iter: the iteration cap: EM passes (LDA) or coordinate-descent iterations
            (NMF).
        learning_method: LDA only, "batch" or "online".
        batch_size: LDA online mini-batch size.
        mean_change_tol: LDA E-step stops for a unit when its topic shares change less
            than this (scikit-learn default 1e-3; 1e-2 roughly halves the time of a pass
            on large corpora).
        max_doc_update_iter: LDA E-step iteration cap per unit (default 100).
        evaluate_every: LDA: compute the training perplexity every this many passes and
            stop when it changes by less than ``perp_tol`` (0: run ``max_iter`` passes,
            no check; each evaluation costs about one more E-step).
        perp_tol: LDA stopping tolerance on the perplexity (scikit-learn's ``perp_tol``).
        nmf_tol: NMF stopping tolerance (scikit-learn's ``tol``).
        verbose: passed to the estimator (its progress lines go to stdout; the benchmark
            reads the last change from them).
        shares: compute the units' topic shares (``doc_topic``); False for fits that only
            serve selection (LDA then skips one E-step; ``doc_topic`` is None until
            ``shares_of`` is called).

    Returns:
        TopicModel.
    """
    # Imported here: scikit-learn takes about a second to import, and the tables and
    # examples of this module do not need it.
    from sklearn.decomposition import NMF, LatentDirichletAllocation
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfTransformer

    if method not in METHODS:
        raise ParameterError(f"method must be one of {METHODS}, got {method!r}")
    X = sp.csr_matrix(X)
    if not 2 <= k <= min(X.shape) - 1:
        raise ParameterError(f"k={k} needs 2 <= k < min(units, terms) = {min(X.shape)}")
    if int(max_iter) < 1:
        raise ParameterError(f"max_iter must be at least 1, got {max_iter!r}")
    t0 = time.perf_counter()
    tfidf = None
    if method == "lda":
        est = LatentDirichletAllocation(
            n_components=k,
            learning_method=learning_method,
            max_iter=int(max_iter),
            batch_size=batch_size,
            mean_change_tol=mean_change_tol,
            max_doc_update_iter=max_doc_update_iter,
            evaluate_every=int(evaluate_every) if evaluate_every else -1,
            perp_tol=perp_tol,
            random_state=int(seed),
            n_jobs=1,
            verbose=verbose,
        )
        est.fit(X)
        theta = est.transform(X) if shares else None
        objective = float(est.bound_)
        # Convergence is checked only from the second evaluation on (the first has
        # nothing to compare with): fewer passes than that check nothing.
        checked = bool(evaluate_every) and max_iter >= 2 * evaluate_every
        converged = bool(est.n_iter_ < max_iter) if checked else None
        # scikit-learn does not count the pass after which it stopped: count it.
        n_iter = int(est.n_iter_) + (1 if converged else 0)
    else:
        tfidf = TfidfTransformer().fit(X)
        est = NMF(
            n_components=k, init="random", max_iter=int(max_iter), tol=nmf_tol,
            random_state=int(seed), verbose=verbose,
        )  # fmt: skip
        with warnings.catch_warnings():
            # Reaching the cap is recorded (``converged``) and reported, not a warning.
            warnings.simplefilter("ignore", ConvergenceWarning)
            theta = est.fit_transform(tfidf.transform(X))
        objective = float(est.reconstruction_err_)
        converged = bool(est.n_iter_ < max_iter)
        n_iter = int(est.n_iter_)
    return TopicModel(
        method=method,
        k=int(k),
        seed=int(seed),
        topic_word=_rows_normalise(est.components_),
        doc_topic=None if theta is None else _rows_normalise(theta),
        estimator=est,
        n_iter=n_iter,
        max_iter=int(max_iter),
        converged=converged,
        seconds=time.perf_counter() - t0,
        objective=objective,
        tfidf=tfidf,
    )
