"""Benchmark the sharded preparation and store (issue 14) on the bulk corpus.

For each scale (the bulk corpus 1x, 2x, 4x: its documents repeated with new doc_ids) and
each engine, a cold preparation runs in a fresh process (wall seconds, stage timings,
peak memory of the preparing process and of the largest worker), then a warm open in a
fresh process (seconds of ``corpus_open`` by key, resident memory it added: anonymous and
file-backed, per token). The tokenise-and-count floor is ``re.findall`` over every text
with a Counter, in one process, on the 1x texts. Engines: ``serial`` (one process),
``local`` (a pool on every core), ``cluster`` (a ``distributed.LocalCluster`` of 2 worker
processes started here, outside the timing).

    .venv/bin/python benchmarks/bench_prepare.py [--scales 1 2 4] [--engines local serial cluster]
        [--corpus PATH] [--repeat N]

The corpus defaults to ../shared/corpora/policy-sv-bulk.jsonl.gz; absent -> says so, exit 0.
Targets (issue 14): cold 1x on the local engine at most 15 s on 2 cores, warm open under
1 s, wall time linear in the scale, worker peak flat (within 20 %), resident at most 16
bytes per token.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ordbruk.paths import SHARED_CORPORA_DIR

PREPARE = """
import json, resource, sys, time
from ordbruk.text.cache import cache_ensure
t = time.perf_counter()
m = cache_ensure(sys.argv[1], sys.argv[2], engine=sys.argv[3])
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "timings": m.get("timings"), "engine": m.get("engine"),
    "key": m["key"], "n_tokens": m["n_tokens"],
    "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "peak_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""

OPEN = """
import json, sys, time
def status():
    out = {}
    for line in open("/proc/self/status"):
        k, _, v = line.partition(":")
        if k in ("RssAnon", "RssFile"):
            out[k] = int(v.split()[0]) * 1024
    return out
import ordbruk.text.cache as cache
before = status()
t = time.perf_counter()
c = cache.corpus_open(sys.argv[1], sys.argv[2], sys.argv[3])
wall = time.perf_counter() - t
after = status()
n = len(c.tokens)
from ordbruk.text.store import ARRAYS, TABLES
arrays = sum(getattr(c, k).nbytes for k in ARRAYS + TABLES)
tables = sum(int(df.memory_usage(deep=True).sum()) for df in (c.meta, c.cleaning_log))
print(json.dumps({"wall": wall, "n_tokens": n, "arrays_per_token": arrays / n,
    "tables_mb": tables / 2**20,
    "anon_per_token": (after["RssAnon"] - before["RssAnon"]) / n,
    "file_per_token": (after["RssFile"] - before["RssFile"]) / n,
    "anon_mb": (after["RssAnon"] - before["RssAnon"]) / 2**20}))
"""


def scaled(corpus: Path, k: int, folder: Path) -> Path:
    """Return the corpus with its documents repeated k times (new doc_ids), as .jsonl.gz."""
    if k == 1:
        return corpus
    out = folder / f"bulk-{k}x.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")  # not splitlines: U+2028 may sit inside a JSON string
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=1) as f:
        for r in range(k):
            for line in lines:
                if not line.strip():
                    continue
                obj = json.loads(line)
                if r:
                    obj["doc_id"] = f"{obj['doc_id']}-r{r}"
                f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return out


def child(code: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def floor(corpus: Path) -> float:
    """Seconds of re.findall tokenise-and-count over every text (one process)."""
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    word = re.compile(r"\w+")
    started = time.perf_counter()
    counts = Counter()
    for text in texts:
        counts.update(word.findall(text))
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"))
    ap.add_argument("--scales", type=int, nargs="+", default=[1])
    ap.add_argument("--engines", nargs="+", default=["local", "serial"])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"skipped: {corpus} is absent")
        return
    cluster = None
    if "cluster" in args.engines:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None)
    print(f"corpus: {corpus} (cores: {len(os.sched_getaffinity(0))})")
    print(f"floor: re.findall tokenise-and-count, 1x, one process: {floor(corpus):.1f} s")
    with tempfile.TemporaryDirectory(prefix="ordbruk-bench-") as tmp:
        tmp = Path(tmp)
        for k in args.scales:
            path = scaled(corpus, k, tmp)
            for _ in range(args.repeat):
                for engine in args.engines:
                    setting = cluster.scheduler_address if engine == "cluster" else engine
                    cache = tmp / f"cache-{k}-{engine}"
                    cold = child(PREPARE, str(path), str(cache), setting)
                    warm = child(OPEN, str(path), str(cache), cold["key"])
                    worker = cold["peak_children_mb"]
                    if engine == "cluster":
                        worker = max(cluster_peaks(cluster))
                    t = cold["timings"]
                    print(
                        f"{k}x {engine:7s} tokens {cold['n_tokens']:>11,}  cold {cold['wall']:6.1f} s "
                        f"(load {t['load']:.1f}, clean {t['clean']:.1f}, tokens {t['tokens']:.1f}, "
                        f"write {t['write']:.1f}; {cold['engine']['shards']} shards)  "
                        f"peak main {cold['peak_self_mb']:,.0f} MB, worker {worker:,.0f} MB  "
                        f"warm open {warm['wall']:.2f} s, resident {warm['anon_mb']:,.0f} MB = "
                        f"{warm['anon_per_token']:.1f} B/token anonymous (token arrays "
                        f"{warm['arrays_per_token']:.1f} B/token; metadata and log tables "
                        f"{warm['tables_mb']:,.0f} MB) + {warm['file_per_token']:.1f} B/token mapped"
                    )
                    sys.stdout.flush()
                    subprocess.run(["rm", "-rf", str(cache)])
    if cluster is not None:
        cluster.close()


def cluster_peaks(cluster) -> list[float]:
    """Peak resident memory (MB) of each worker of a LocalCluster so far."""
    from distributed import Client

    def peak() -> float:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with Client(cluster) as client:
        return list(client.run(peak).values())


if __name__ == "__main__":
    main()
