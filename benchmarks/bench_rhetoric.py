"""Time the rhetoric comparison (notebook 03) on ../shared/corpora/policy-sv.

Usage: .venv/bin/python benchmarks/bench_rhetoric.py [--cache-dir DIR] [--no-notebook]

Prepares (or loads) the cached corpus, times each library step, then runs the whole
notebook with papermill from the cached corpus and prints the wall time. The cache and
the run folder live in the system temp folder, never in the repository.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from ordbruk.paths import NOTEBOOKS_DIR, SHARED_CORPORA_DIR
from ordbruk.rhetoric import keyness as ky
from ordbruk.rhetoric import markers as rh
from ordbruk.rhetoric import quotes as qu
from ordbruk.rhetoric.fightin_words import fightin_words_compare
from ordbruk.stats import groups as sg
from ordbruk.text.cache import corpus_prepare
from ordbruk.text.tokenize import stopwords_load


def step(name: str, t0: float) -> float:
    t1 = time.perf_counter()
    print(f"{name:<34} {t1 - t0:7.2f} s", flush=True)
    return t1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache-dir", default=str(Path(tempfile.gettempdir()) / "ordbruk-bench-cache"))
    ap.add_argument("--no-notebook", action="store_true")
    args = ap.parse_args()
    corpus_path = SHARED_CORPORA_DIR / "policy-sv"
    if not corpus_path.exists():
        print(f"skipped: {corpus_path} not found")
        return 0
    t = time.perf_counter()
    corpus = corpus_prepare(corpus_path, cache_dir=args.cache_dir)
    hit = corpus.manifest.get("cache_hit")
    t = step(f"corpus_prepare (cache_hit={hit})", t)
    print(f"documents {corpus.n_docs}, tokens {int(corpus.meta['n_tokens'].sum())}")
    labels = corpus.meta["actor_level"].astype(str).to_numpy()
    actors = corpus.meta["actor"].astype(str).to_numpy()
    ids = corpus.meta["doc_id"].astype(str).to_numpy()
    X, terms, _ = corpus.dtm(token_level="lemma", stopwords=stopwords_load())
    comps = sg.comparisons_build(labels)
    t = step(f"dtm (lemma, {len(terms)} terms)", t)
    key = ky.keyness_compare(X, terms, comps, min_freq=5)
    t = step(f"keyness ({len(comps)} comparisons, {len(key)} rows)", t)
    fw = fightin_words_compare(X, terms, comps, min_freq=5)
    t = step(f"fightin words ({len(fw)} rows)", t)
    fw = fightin_words_compare(X, terms, comps, prior="wordfreq", min_freq=5)
    t = step("fightin words, wordfreq prior", t)
    top = ky.keywords_top(key)
    ky.actors_bootstrap(X, terms, actors, comps, top, n_boot=1000, seed=1)
    t = step(f"actors bootstrap ({len(top)} terms)", t)
    quotes = qu.quotes_extract_corpus(corpus.texts, ids)
    t = step(f"quotes ({len(quotes)} rows)", t)
    dm = rh.markers_per_document(corpus, qu.quotes_share(quotes, corpus.texts, ids))
    t = step("markers per document", t)
    rh.markers_by_group(dm, labels, actors, n_boot=1000, seed=1)
    rh.markers_by_speaker(quotes, corpus.meta, n_boot=1000, seed=1)
    t = step("markers by group and speaker", t)
    if args.no_notebook:
        return 0
    import papermill

    out = Path(tempfile.mkdtemp(prefix="ordbruk-bench-03-"))
    t0 = time.perf_counter()
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "03_rhetoric_comparison.ipynb"),
        str(out / "03.ipynb"),
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
        parameters={
            "corpus_path": str(corpus_path),
            "cache_dir": args.cache_dir,
            "output_dir": str(out),
        },
    )
    print(f"notebook 03 end to end (cached corpus): {time.perf_counter() - t0:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
