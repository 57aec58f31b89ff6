"""Benchmark term-family counting on the bulk corpus (issue 3: under 10 s for 13.1 M tokens).

Loads (or, the first time, prepares) the corpus through ``corpus_prepare`` with the default
cache, then times the counting of every shipped family: classifying the vocabulary,
scanning the token stream, finding phrases and masked names (``terms_locate``) and the
per-document table (``terms_count``). Loading the cache is timed separately: it is not
part of counting. Also prints the KWIC and collocate times, for the notebook's budget.

    .venv/bin/python benchmarks/bench_terms.py [CORPUS]

CORPUS defaults to ../shared/corpora/policy-sv-bulk.jsonl.gz; absent -> says so, exit 0.
"""

import sys
import time
from pathlib import Path

from ordbruk.paths import SHARED_CORPORA_DIR
from ordbruk.terms import collocations, concordance, frequency, locate
from ordbruk.terms import families as terms
from ordbruk.text.cache import corpus_prepare


def timed(label: str, fn, *args, **kwargs):
    """Run fn, print its wall time, return its result and the seconds."""
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    seconds = time.perf_counter() - started
    print(f"{label:<42} {seconds:8.2f} s")
    return out, seconds


def main() -> None:
    corpus_path = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    )
    if not corpus_path.exists():
        print(f"skipped: {corpus_path} is absent")
        return
    corpus, _ = timed("load corpus (cache hit or prepare)", corpus_prepare, corpus_path)
    print(f"cache hit: {corpus.manifest.get('cache_hit')}")
    n_tokens = len(corpus.tokens)
    print(f"documents {corpus.n_docs:,}  tokens {n_tokens:,}  forms {len(corpus.forms):,}")
    fams = terms.families_resolve()
    names = [f.name for f in fams]
    started = time.perf_counter()
    (hits, _), t_locate = timed(
        "terms_locate (all shipped families)", locate.terms_locate, corpus, fams
    )
    counts, t_count = timed(
        "terms_count (per document)", frequency.terms_count, corpus, hits, names
    )
    total = time.perf_counter() - started
    print(f"{'counting total (target < 10 s)':<42} {total:8.2f} s")
    print(
        f"tokens per second: {n_tokens / total:,.0f}; hits {len(hits):,} "
        f"({int((~hits['masked']).sum()):,} uses, {int(hits['masked'].sum()):,} masked)"
    )
    timed(
        "terms_aggregate by actor_level",
        frequency.terms_aggregate,
        counts,
        corpus.meta,
        "actor_level",
    )
    timed("kwic_build (every hit)", concordance.kwic_build, corpus, hits)
    timed("collocates_compute (window 5)", collocations.collocates_compute, corpus, hits)
    per_family = counts.groupby("family")["count"].sum()
    print("uses per family:", ", ".join(f"{k} {v:,}" for k, v in per_family.items()))


if __name__ == "__main__":
    main()
