"""Benchmark `ordbruk run --only NN` on the bulk corpus: the local engine against a LocalCluster.

Each run starts from an empty cache (so the corpus is prepared cold, on the engine) and
runs one notebook (default 03, whose keyness, group counts and markers are counted shard
by shard on the engine) with ``params/policy-sv.yaml`` on the bulk corpus. Printed per
engine: the wall seconds of the whole command, the seconds of each preparation stage and
of the notebook (from the run's provenance). The cluster is a ``distributed.LocalCluster``
of 2 worker processes of one thread, started before the timing. Notebook 02 counts its
term families in the ordbruk process (``docs/architecture.md``, Limits): with ``--only 02``
the difference is that of the preparation.

    .venv/bin/python benchmarks/bench_run_engine.py [--corpus PATH] [--only 03]

The corpus defaults to ../shared/corpora/policy-sv-bulk.jsonl.gz; absent -> says so, exit 0.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ordbruk.paths import PARAMS_DIR, SHARED_CORPORA_DIR


def run(corpus: Path, engine: str, tmp: Path, label: str, only: str) -> None:
    """Run notebook ``only`` cold on ``engine`` and print the figures."""
    out, cache = tmp / f"run-{label}", tmp / f"cache-{label}"
    env = {**os.environ, "ORDBRUK_CACHE": str(cache), "ORDBRUK_PROGRESS": "0"}
    cmd = [str(Path(sys.executable).with_name("ordbruk")), "run", "--params",
           str(PARAMS_DIR / "policy-sv.yaml"), "--corpus", str(corpus), "--only", only,
           "--engine", engine, "--out", str(out)]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{label}: failed ({done.returncode}): {done.stderr[-2000:]}")
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    stages = prov["preparation"]["timings"]
    books = prov["notebooks"]
    notebook = (next(iter(books.values())) if isinstance(books, dict) else books[0])["seconds"]
    shown = ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
    print(f"{label:8s} wall {wall:6.1f} s  prepare ({shown})  notebook {only} {notebook:.1f} s")
    sys.stdout.flush()


def main() -> None:
    """Run both engines back to back and print their figures."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"))
    ap.add_argument("--only", default="03")
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not corpus.exists():
        print(f"skipped: {corpus} is absent")
        return
    from distributed import LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        tempfile.TemporaryDirectory(prefix="ordbruk-bench-run-") as tmp,
    ):
        print(f"corpus: {corpus} (cores: {len(os.sched_getaffinity(0))})")
        run(corpus, "local", Path(tmp), "local", args.only)
        run(corpus, cluster.scheduler_address, Path(tmp), "cluster", args.only)
        run(corpus, "serial", Path(tmp), "serial", args.only)


if __name__ == "__main__":
    main()
