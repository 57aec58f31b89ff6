"""Measure where a topic model should be fitted on a sample of units (issue 14).

On the 67,697-document bulk corpus (``policy-sv-bulk.jsonl.gz``, documents as units, the
features of ``params/policy-sv.yaml``: lemmas, min_df 5, max_df 0.5, place names dropped)
it fits NMF with k topics (the method of the study) on all units with two seeds, and on
seeded samples of n units, and prints one row per n:

- seconds of one fit (one core, one BLAS thread);
- the topics' agreement with the fit on all units of the same seed: mean matched Jaccard
  of the top 10 words, and the share of topics matched at >= 0.5 (the stability rule);
- for comparison, the same figures between the two seeds fitted on all units (how much a
  fit differs from another fit anyway).

It then times the inference of every unit's shares from the sampled model of the
largest n below the full size, chunk by chunk (``topics.models.shares_infer``), serially
and on the local engine.

Usage:
    .venv/bin/python benchmarks/bench_topics_sample.py [--k 20] [--sizes 5000 10000 20000]
        [--cache-dir DIR]

Skips with a message when ../shared/corpora is absent.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ordbruk.paths import SHARED_CORPORA_DIR


def _agreement(a, b, n_top=10) -> tuple[float, float]:
    from ordbruk.topics.coherence import top_ids_from_weights
    from ordbruk.topics.stability import top_sets_jaccard, topics_match

    sim = top_sets_jaccard(
        top_ids_from_weights(a.topic_word, n_top), top_ids_from_weights(b.topic_word, n_top)
    )
    _, matched = topics_match(sim)
    return float(matched.mean()), float((matched >= 0.5).mean())


def main(argv=None) -> None:
    """Parse arguments and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--k", type=int, default=20)
    p.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    p.add_argument("--seeds", type=int, nargs=2, default=[1, 2])
    p.add_argument("--cache-dir", default=None)
    args = p.parse_args(argv)
    path = SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    if not path.exists():
        print(f"skipped: {path} not found")
        return
    from threadpoolctl import threadpool_limits

    from ordbruk.text.cache import corpus_prepare
    from ordbruk.topics.features import topics_features
    from ordbruk.topics.models import shares_infer, topics_fit
    from ordbruk.topics.select import units_sample

    corpus = corpus_prepare(path, cache_dir=args.cache_dir)
    f = topics_features(corpus, "document", min_df=5.0, max_df=0.5, drop_names=True)
    X = f.X
    print(f"features: {X.shape[0]:,} units x {X.shape[1]:,} lemmas, {X.nnz:,} non-zeros")
    kw = dict(method="nmf", max_iter=500, nmf_tol=1e-4, shares=False)
    with threadpool_limits(limits=1):
        full = {}
        for s in args.seeds:
            full[s] = topics_fit(X, args.k, seed=s, **kw)
            print(f"all {X.shape[0]:,} units, seed {s}: {full[s].seconds:.1f} s, "
                  f"{full[s].n_iter} iterations")  # fmt: skip
        mean, share = _agreement(full[args.seeds[0]], full[args.seeds[1]])
        print(f"seed {args.seeds[0]} vs seed {args.seeds[1]} on all units: "
              f"mean Jaccard {mean:.2f}, matched >= 0.5: {share:.0%}")  # fmt: skip
        print("n_units  seconds  iterations  Jaccard_vs_all  matched_vs_all")
        last = None
        for n in sorted(args.sizes):
            if n >= X.shape[0]:
                continue
            rows = units_sample(X.shape[0], n, 20261122)
            m = topics_fit(X[rows], args.k, seed=args.seeds[0], **kw)
            mean, share = _agreement(m, full[args.seeds[0]])
            print(f"{n:7,}  {m.seconds:7.1f}  {m.n_iter:10d}  {mean:14.2f}  {share:14.0%}")
            last = m
    if last is None:
        return
    for engine in ("serial", "local"):
        t0 = time.perf_counter()
        shares = shares_infer(last, X, engine)
        print(f"shares of all {X.shape[0]:,} units, engine {engine}: "
              f"{time.perf_counter() - t0:.1f} s")  # fmt: skip
        if engine == "serial":
            first = shares
        else:
            print(f"  identical to serial: {bool(np.array_equal(first, shares))}")


if __name__ == "__main__":
    sys.exit(main())
