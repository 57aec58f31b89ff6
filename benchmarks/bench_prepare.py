"""Benchmark `ordbruk prepare` on the bulk corpus: a cold run, then a cached rerun.

Prints documents, tokens, wall seconds, tokens per second and peak memory (the maximum
resident set size of the `ordbruk prepare` process) for each run. Targets (issue 2): cold
run at most 30 s on 2 cores, peak memory under 2 GB, cached rerun under 3 s.

    .venv/bin/python benchmarks/bench_prepare.py [CORPUS]

CORPUS defaults to ../shared/corpora/policy-sv-bulk.jsonl.gz; absent -> says so, exit 0.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ordbruk.paths import SHARED_CORPORA_DIR


def run_measured(args: list[str]) -> tuple[float, float, str]:
    """Run a command; return wall seconds, peak RSS in MB, and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{out}\n{err}")
    return wall, usage.ru_maxrss / 1024, out


def main() -> None:
    corpus = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    )
    if not corpus.exists():
        print(f"skipped: {corpus} is absent")
        return
    from ordbruk.text.cache import corpus_prepare

    ordbruk = str(Path(sys.executable).with_name("ordbruk"))
    with tempfile.TemporaryDirectory(prefix="ordbruk-bench-") as cache:
        print(f"corpus: {corpus}\ncache: {cache}  (cores: {os.cpu_count()})")
        rows = []
        for label in ("cold", "cached"):
            wall, peak, out = run_measured([ordbruk, "prepare", str(corpus), "--cache", cache])
            rows.append((label, wall, peak))
            print(f"--- {label} run output:\n{out.strip()}")
        c = corpus_prepare(corpus, cache_dir=cache)
        n_docs, n_tokens = c.n_docs, len(c.tokens)
    print(f"\ndocuments: {n_docs:,}  tokens: {n_tokens:,}")
    print(f"{'run':<8}{'wall s':>9}{'tokens/s':>14}{'peak MB':>10}")
    for label, wall, peak in rows:
        print(f"{label:<8}{wall:>9.2f}{n_tokens / wall:>14,.0f}{peak:>10.0f}")


if __name__ == "__main__":
    main()
