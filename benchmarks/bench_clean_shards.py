"""Check and time cleaning in shards on the bulk corpus: corpus_clean vs scan + merge + apply.

Loads the corpus once, runs ``corpus_clean`` on the whole, then plan, a scan of each of
SHARDS shards (stored and read back as bytes), one merge and an apply per shard, and checks
that the concatenated texts and logs are identical. Prints the seconds of each phase.

    .venv/bin/python benchmarks/bench_clean_shards.py [CORPUS] [SHARDS]

CORPUS defaults to ../shared/corpora/policy-sv-bulk.jsonl.gz; absent -> says so, exit 0.
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ordbruk.corpus.validate import corpus_load
from ordbruk.paths import SHARED_CORPORA_DIR
from ordbruk.text import cleaning_shards as cs
from ordbruk.text.cleaning_shards import corpus_clean


def main() -> None:
    """Run the check and print the timings."""
    path = sys.argv[1] if len(sys.argv) > 1 else SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    if not Path(path).exists():
        print(f"{path}: not found; nothing to measure")
        return
    raw = corpus_load(path)
    texts, meta = raw.texts, raw.meta
    started = time.perf_counter()
    whole, log = corpus_clean(texts, meta)
    print(f"corpus_clean: {time.perf_counter() - started:.2f} s, {len(texts)} documents")
    clock = time.perf_counter()
    keys = [cs.clean_key(t) for t in texts]
    counted, big = cs.clean_plan(keys, meta["actor"].fillna("").astype(str).tolist(), None)
    seconds = {"plan": time.perf_counter() - clock}
    bounds = np.linspace(0, len(texts), n + 1).astype(int)
    stored, stats = [], []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        clock = time.perf_counter()
        scan, st = cs.clean_scan(texts[a:b], meta.iloc[a:b], None, counted[a:b], big)
        stored.append(cs.clean_scan_dump(scan))
        stats.append(st)
        seconds[f"scan {len(stats)}"] = time.perf_counter() - clock
    clock = time.perf_counter()
    merged = cs.clean_stats_merge(stats, None)
    seconds["merge"] = time.perf_counter() - clock
    outs = []
    for k, data in enumerate(stored, 1):
        clock = time.perf_counter()
        outs.append(cs.clean_apply(cs.clean_scan_load(data), merged))
        seconds[f"apply {k}"] = time.perf_counter() - clock
    print(", ".join(f"{k} {v:.2f} s" for k, v in seconds.items()))
    print(f"stored scans: {sum(map(len, stored)) / 1e6:.1f} MB")
    assert [t for o in outs for t in o[0]] == whole
    pd.testing.assert_frame_equal(pd.concat([o[1] for o in outs], ignore_index=True), log)
    print(f"{n} shards: texts and log ({len(log)} rows) identical to corpus_clean")


if __name__ == "__main__":
    main()
