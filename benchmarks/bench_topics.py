"""Time the topic model on the shared corpora and print the figures.

Two benchmarks:

- ``fit`` (default): LDA with k = 20 on the 67,697-document bulk corpus
  (``policy-sv-bulk.jsonl.gz``), documents as units. Prints the time to load the processed
  corpus (from the cache when present), to build the features, and to fit, plus the fitted
  model's mean NPMI. Target: the fit under 3 minutes on 2 cores.
- ``notebook``: runs ``notebooks/04_topic_model.ipynb`` with papermill on ``policy-sv/``
  (5,674 documents) with the parameters of ``params/policy-sv.yaml``. Target (issue 11):
  under 60 s from a cached corpus on two cores (run it twice: the first run fills the cache).

Usage:
    .venv/bin/python benchmarks/bench_topics.py [fit|notebook] [--k 20] [--max-iter 5]
        [--learning-method online] [--batch-size 4096] [--cache-dir DIR] [--out DIR]

- ``methods``: LDA (batch or online) and NMF on ``policy-sv/`` (documents, the features of
  ``params/policy-sv.yaml``) over k in {10, 15, 20, 25}, ``--seeds`` fits per k. Prints one
  row per k: seconds per fit, iterations, whether the stopping rule was met and the last
  change the estimator printed, the share of stable topics (mean matched Jaccard of the
  top 10 words >= 0.5 against the medoid run) and the medoid run's mean NPMI. Fits run one
  after another on one core. ``--csv FILE`` appends the rows.

All skip with a message when ../shared/corpora is absent.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ordbruk.paths import NOTEBOOKS_DIR, SHARED_CORPORA_DIR


def _fit(args) -> None:
    from ordbruk.text.cache import corpus_prepare
    from ordbruk.topics.coherence import coherence_npmi, top_ids_from_weights
    from ordbruk.topics.features import topics_features
    from ordbruk.topics.models import topics_fit

    path = SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    t0 = time.perf_counter()
    corpus = corpus_prepare(path, cache_dir=args.cache_dir)
    t1 = time.perf_counter()
    hit = "cache hit" if corpus.manifest.get("cache_hit") else "cache miss: processed"
    print(
        f"corpus: {corpus.n_docs:,} documents, {len(corpus.tokens):,} tokens, {t1 - t0:.1f} s ({hit})"
    )
    f = topics_features(corpus, "document", min_df=args.min_df, max_df=args.max_df)
    t2, c2 = time.perf_counter(), time.process_time()
    print(
        f"features: {f.X.shape[0]:,} documents x {f.X.shape[1]:,} lemmas, "
        f"{int(f.X.sum()):,} tokens, {t2 - t1:.1f} s"
    )
    m = topics_fit(
        f.X, args.k, "lda", seed=args.seed, max_iter=args.max_iter,
        learning_method=args.learning_method, batch_size=args.batch_size,
        mean_change_tol=args.mean_change_tol, max_doc_update_iter=args.max_doc_update_iter,
    )  # fmt: skip
    t3, c3 = time.perf_counter(), time.process_time()
    npmi = coherence_npmi(f.X, top_ids_from_weights(m.topic_word, 10))
    t4 = time.perf_counter()
    print(
        f"LDA k={args.k} ({args.learning_method}, max_iter={args.max_iter}, "
        f"batch_size={args.batch_size}, mean_change_tol={args.mean_change_tol}, "
        f"max_doc_update_iter={args.max_doc_update_iter}, n_jobs=1): fit {t3 - t2:.1f} s wall, "
        f"{c3 - c2:.1f} s CPU"
    )
    print(f"NPMI (top 10, document co-occurrence): mean {npmi.mean():.3f}, {t4 - t3:.2f} s")


def _last_change(lines: list[str], method: str) -> float:
    """Return the last change the estimator printed (LDA: perplexity; NMF: violation)."""
    import re

    if method == "lda":
        vals = [float(m.group(1)) for ln in lines if (m := re.search(r"perplexity: ([0-9.]+)", ln))]
        return abs(vals[-1] - vals[-2]) if len(vals) >= 2 else float("nan")
    vals = [float(m.group(1)) for ln in lines if (m := re.search(r"violation: ([0-9.eE+-]+)", ln))]
    return vals[-1] if vals else float("nan")


def _methods(args) -> None:
    import contextlib
    import io

    from ordbruk.text.cache import corpus_prepare
    from ordbruk.topics.coherence import coherence_npmi, top_ids_from_weights
    from ordbruk.topics.features import topics_features
    from ordbruk.topics.models import topics_fit
    from ordbruk.topics.select import runs_reference, topics_stability

    path = SHARED_CORPORA_DIR / "policy-sv"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    from ordbruk.run.params import params_load

    p = params_load(Path(__file__).resolve().parents[1] / "params" / "policy-sv.yaml")
    corpus = corpus_prepare(path, args.cache_dir, p["validation"], p["cleaning"])
    f = topics_features(corpus, "document", min_df=5.0, max_df=0.5, drop_names=True)
    print(
        f"features: {f.X.shape[0]:,} documents x {f.X.shape[1]:,} lemmas, {int(f.X.sum()):,} tokens"
    )
    method = "nmf" if args.config == "nmf" else "lda"
    kw = {"max_iter": args.max_iter, "nmf_tol": args.nmf_tol} if method == "nmf" else {
        "max_iter": args.max_iter, "learning_method": args.config.split("-")[1],
        "batch_size": args.batch_size, "mean_change_tol": args.mean_change_tol,
        "max_doc_update_iter": args.max_doc_update_iter, "evaluate_every": args.evaluate_every,
        "perp_tol": args.perp_tol}  # fmt: skip
    print(f"{args.config}: {kw}")
    header = "config,k,seconds_per_fit,n_iter,max_iter,converged,last_change,stable_share,npmi"
    print(header)
    rows = []
    for k in args.ks:
        models, changes = [], []
        for i in range(args.seeds):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                models.append(topics_fit(f.X, k, method, args.seed + i, verbose=1, **kw))
            changes.append(_last_change(buf.getvalue().splitlines(), method))
        ref = runs_reference(models)
        stab = topics_stability(models, ref=ref)
        npmi = coherence_npmi(f.X, top_ids_from_weights(models[ref].topic_word, 10)).mean()
        row = (
            f"{args.config},{k},{np.mean([m.seconds for m in models]):.1f},"
            f"{'/'.join(str(m.n_iter) for m in models)},{args.max_iter},"
            f"{'/'.join(str(m.converged) for m in models)},"
            f"{'/'.join(f'{c:.3g}' for c in changes)},{1 - stab['unstable'].mean():.2f},{npmi:.3f}"
        )
        print(row, flush=True)
        rows.append(row)
    if args.csv:
        new = not Path(args.csv).exists()
        with open(args.csv, "a", encoding="utf-8") as fh:
            fh.write((header + "\n" if new else "") + "\n".join(rows) + "\n")


def _notebook(args) -> None:
    import papermill

    from ordbruk.run.params import notebook_parameters, params_load

    path = SHARED_CORPORA_DIR / "policy-sv"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    out = Path(args.out or tempfile.mkdtemp(prefix="bench_topics_"))
    out.mkdir(parents=True, exist_ok=True)
    # The shipped study's parameters, as `ordbruk run --params params/policy-sv.yaml` passes
    # them (the notebook opens the prepared corpus from the cache: run `ordbruk prepare` or
    # this benchmark once first).
    study = params_load(Path(__file__).resolve().parents[1] / "params" / "policy-sv.yaml")
    params = notebook_parameters(study, "04_topic_model", out)
    if args.cache_dir:
        params["cache_dir"] = args.cache_dir
    t0 = time.perf_counter()
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "04_topic_model.ipynb"), str(out / "04_topic_model.ipynb"),
        kernel_name="python3", cwd=str(NOTEBOOKS_DIR), parameters=params, progress_bar=False,
    )  # fmt: skip
    nb = study["notebooks"]["04_topic_model"]
    print(
        f"notebook 04_topic_model on policy-sv with params/policy-sv.yaml ({nb}): "
        f"{time.perf_counter() - t0:.1f} s wall; outputs in {out}"
    )


def main(argv=None) -> None:
    """Parse arguments and run one benchmark."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("which", nargs="?", default="fit", choices=["fit", "notebook", "methods"])
    p.add_argument("--config", default="nmf", choices=["nmf", "lda-batch", "lda-online"])
    p.add_argument("--ks", type=int, nargs="+", default=[10, 15, 20, 25])
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--evaluate-every", type=int, default=5)
    p.add_argument("--perp-tol", type=float, default=0.1)
    p.add_argument("--nmf-tol", type=float, default=1e-4)
    p.add_argument("--csv", default=None)
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--max-iter", type=int, default=3, help="fit: online passes")
    p.add_argument("--mean-change-tol", type=float, default=0.01)
    p.add_argument("--max-doc-update-iter", type=int, default=30)
    p.add_argument("--learning-method", default="online", choices=["online", "batch"])
    p.add_argument("--batch-size", type=int, default=4096)
    p.add_argument("--min-df", type=float, default=5.0)
    p.add_argument("--max-df", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=20261122)
    p.add_argument("--cache-dir", default=None)
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)
    {"fit": _fit, "notebook": _notebook, "methods": _methods}[args.which](args)


if __name__ == "__main__":
    sys.exit(main())
