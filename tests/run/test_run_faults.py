"""Fault injection on `ordbruk run` (issue 12): kills, interrupts, a read-only and a full
output folder, two concurrent runs.

Each test runs `ordbruk run --params params/test.yaml --only 01 --out <tmp>/run` (the
faults in a cold preparation: on a larger corpus, in shards on 2 workers) in a subprocess, next to a copy of a complete earlier run, and checks afterwards that the
earlier run is still there unchanged, that no `.tmp-*` folder is left once the next run
has started, and that no kernel connection file is left in the temporary folder
(``TMPDIR``). Output goes to tmp_path folders only, never to the repository's outputs/.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from ordbruk.paths import SEEDS_DIR
from ordbruk.run import folders
from ordbruk.text import store
from ordbruk.text.prepare import FAULT_PAUSE_ENV

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


def start(
    out: Path,
    tmpdir: Path,
    cache_dir: Path,
    params: str | Path = "params/test.yaml",
    pause: str | None = None,
    **popen,
) -> subprocess.Popen:
    """Start the run; ``pause``: the preparation stage it waits in (the failpoint)."""
    tmpdir.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(REPO / "lib"), os.environ.get("PYTHONPATH")])
        ),
        "PYTHONUNBUFFERED": "1",
        "TMPDIR": str(tmpdir),
        "ORDBRUK_CACHE": str(cache_dir),
    }
    env.pop(FAULT_PAUSE_ENV, None)
    if pause:
        env[FAULT_PAUSE_ENV] = pause
    command = ["run", "--params", str(params), "--only", "01", "--out", str(out)]
    return subprocess.Popen(
        [sys.executable, "-m", "ordbruk.run.cli", *command],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **popen,
    )


def wait_for(proc: subprocess.Popen, needle: str, timeout: float = 60) -> str:
    """Read the run's stdout until ``needle`` appears (the point to strike at)."""
    seen, deadline = b"", time.monotonic() + timeout
    while needle.encode() not in seen:
        assert time.monotonic() < deadline, f"no {needle!r} in {seen!r}"
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            assert chunk or proc.poll() is None, f"run ended before {needle!r}: {seen!r}"
            seen += chunk
    return seen.decode()


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(), err.decode()


def error_lines(err: str) -> list[str]:
    """stderr without the progress lines (``  01_x: cell 3/16, 2 s: ...``, ordbruk.run.status)."""
    return [line for line in err.splitlines() if line.strip() and not line.startswith("  ")]


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".tmp-", ".old-")))


def kernel_files(tmpdir: Path) -> list[str]:
    return sorted(p.name for p in tmpdir.rglob("*.json"))


def complete(run: Path) -> str:
    """Assert ``run`` is one complete run, consistent with its provenance; return its id."""
    marker = folders.marker_read(run)
    prov = json.loads((run / "provenance.json").read_text(encoding="utf-8"))
    assert marker["state"] == "complete" and marker["run_id"] == prov["run_id"]
    assert folders.foreign_files(run) == []  # every file is one this run wrote
    nb = nbformat.read(run / "01_corpus_overview.ipynb", as_version=4)
    assert nb.metadata["ordbruk"]["run_id"] == prov["run_id"]  # written by this run, no other
    injected = nb.metadata["papermill"]["parameters"]["output_dir"]
    assert Path(injected).name == run.name  # names the folder it is published in
    return prov["run_id"]


@pytest.fixture(scope="module")
def earlier(tmp_path_factory, cache_dir):
    """A complete run made once; each test starts from a copy of it."""
    base = tmp_path_factory.mktemp("earlier")
    code, out, err = finish(start(base / "run", base / "tmp", cache_dir))
    assert code == 0, err
    return base / "run"


@pytest.fixture
def previous(earlier, tmp_path):
    run = tmp_path / "out" / "run"
    run.parent.mkdir()
    shutil.copytree(earlier, run, symlinks=True)
    return run, complete(run)


@pytest.mark.parametrize("point", ["corpus: hash", "[1/1] 01_corpus_overview"])
def test_kill_9_leaves_the_previous_run_and_the_next_run_cleans_up(
    previous, tmp_path, cache_dir, point
):
    run, run_id = previous
    proc = start(run, tmp_path / "tmp", cache_dir)
    wait_for(proc, point)
    time.sleep(2)  # in the corpus preparation, or inside the notebook
    proc.kill()
    proc.wait()
    assert complete(run) == run_id
    if point.startswith("[1/1]"):
        assert temps(run.parent), "the killed run had a temporary folder"
    time.sleep(1.5)  # the orphaned kernel notices its parent is gone (ipykernel polls 1 s)
    code, _, err = finish(start(run, tmp_path / "tmp", cache_dir))
    assert code == 0, err
    assert complete(run) != run_id
    assert temps(run.parent) == []
    assert kernel_files(tmp_path / "tmp") == []


@pytest.mark.parametrize(
    "how",
    [
        (signal.SIGTERM, "runner", 143, "terminated (SIGTERM)"),
        (signal.SIGINT, "runner", 130, "interrupted"),
        (signal.SIGINT, "group", 130, "interrupted"),  # Ctrl-C in a terminal: kernel too
    ],
    ids=["sigterm", "sigint", "ctrl-c"],
)
def test_interrupt_during_a_notebook_cleans_up_at_once(previous, tmp_path, cache_dir, how):
    sig, target, expected_code, first_words = how
    run, run_id = previous
    proc = start(run, tmp_path / "tmp", cache_dir, start_new_session=True)
    wait_for(proc, "[1/1] 01_corpus_overview")
    time.sleep(3)
    if target == "group":
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    code, _, err = finish(proc)
    assert code == expected_code, err
    lines = err.strip().splitlines()
    assert lines[-1].startswith(first_words) and "Traceback" not in err, err
    assert complete(run) == run_id
    assert temps(run.parent) == []  # cleaned by the run itself, not only by the next one
    assert kernel_files(tmp_path / "tmp") == []
    assert sorted(p.name for p in run.parent.iterdir()) == ["run"]  # no failed-* either


def test_sigterm_before_any_notebook(previous, tmp_path, cache_dir):
    run, run_id = previous
    proc = start(run, tmp_path / "tmp", cache_dir)
    wait_for(proc, "corpus: ")
    proc.send_signal(signal.SIGTERM)
    code, _, err = finish(proc)
    assert code == 143 and "Traceback" not in err, err
    assert complete(run) == run_id and temps(run.parent) == []


def _mount_tmpfs(folder: Path, size: str) -> bool:
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    return done.returncode == 0


def _unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True)


def test_read_only_output_folder(earlier, tmp_path, cache_dir):
    ro = tmp_path / "ro"
    mounted = _mount_tmpfs(ro, "4m")
    if not mounted and os.geteuid() == 0:
        pytest.skip("running as root, where permissions do not apply, and cannot mount a tmpfs")
    ro.mkdir(exist_ok=True)
    try:
        shutil.copytree(earlier, ro / "run", symlinks=True)
        run_id = complete(ro / "run")
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(ro)], check=True)
        else:
            ro.chmod(0o555)
        code, _, err = finish(start(ro / "run", tmp_path / "tmp", cache_dir))
        assert code == 2, err
        assert err.startswith(f"error: {ro}/.tmp-") and "cannot create the run folder" in err
        assert len(error_lines(err)) == 1, err
        assert complete(ro / "run") == run_id and temps(ro) == []
    finally:
        if mounted:
            _unmount(ro)
        else:
            ro.chmod(0o755)


def test_full_disk_keeps_the_previous_run_and_no_partial_run(earlier, tmp_path, cache_dir):
    small = tmp_path / "small"
    size_kb = sum(p.stat().st_size for p in earlier.rglob("*") if p.is_file()) // 1024
    if not _mount_tmpfs(small, f"{size_kb + 300}k"):
        pytest.skip("cannot mount a tiny tmpfs here (needs root and mount)")
    try:
        shutil.copytree(earlier, small / "run", symlinks=True)
        run_id = complete(small / "run")
        code, _, err = finish(start(small / "run", tmp_path / "tmp", cache_dir))
        assert code == 2, err
        assert "disk is full" in err and "Traceback" not in err, err
        assert len(error_lines(err)) == 1, err
        assert complete(small / "run") == run_id
        assert sorted(p.name for p in small.iterdir()) == ["run"]  # no .tmp-*, no failed-*
    finally:
        _unmount(small)


def test_two_concurrent_runs_both_complete_unmixed(tmp_path, cache_dir):
    # Bug (issue 12 item 2): two runs started in the same second shared one temporary
    # folder; one crashed at os.replace, the other published tables from both runs.
    outs = [tmp_path / "out" / "a", tmp_path / "out" / "b"]
    procs = [start(out, tmp_path / "tmp", cache_dir) for out in outs]
    results = [finish(p, timeout=240) for p in procs]
    assert [r[0] for r in results] == [0, 0], [r[2] for r in results]
    ids = [complete(out) for out in outs]
    assert ids[0] != ids[1]
    assert temps(tmp_path / "out") == []
    assert kernel_files(tmp_path / "tmp") == []


@pytest.fixture(scope="module")
def sharded(tmp_path_factory):
    """Params of a corpus whose cold preparation takes seconds, in shards on 2 workers.

    3,000 documents (the seed texts, each with its own last line) in 16 shards, so the
    local engine starts its pool.
    """
    base = tmp_path_factory.mktemp("sharded")
    corpus = base / "corpus"
    corpus.mkdir()
    lines = (SEEDS_DIR / "metadata.csv").read_text(encoding="utf-8").splitlines()
    rows, out = lines[1:], [lines[0]]
    for i in range(3000):
        doc_id, rest = rows[i % len(rows)].split(",", 1)
        new = f"{i:05d}_{doc_id[4:]}"
        text = (SEEDS_DIR / f"{doc_id}.txt").read_text(encoding="utf-8")
        (corpus / f"{new}.txt").write_text(
            f"{text}\n\nDokument {i} nummer {i * 7}.\n", encoding="utf-8"
        )
        out.append(f"{new},{rest}")
    (corpus / "metadata.csv").write_text("\n".join(out) + "\n", encoding="utf-8")
    params = base / "params.yaml"
    params.write_text(f"corpus: {corpus}\nengine: local:2\nshard_tokens: 80000\n")
    return params


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # the process or thread ended meanwhile
        return ""


def pool_workers(pid: int, n: int, timeout: float = 30) -> list[int]:
    """Wait until ``pid`` has ``n`` pool processes (spawned); return their pids."""
    deadline = time.monotonic() + timeout
    while True:
        kids = [int(c) for t in Path(f"/proc/{pid}/task").glob("*")
                for c in _read(t / "children").split()]  # fmt: skip
        # not the resource tracker, which multiprocessing starts beside them
        found = [k for k in kids if "multiprocessing.spawn" in _read(Path(f"/proc/{k}/cmdline"))]
        if len(found) >= n or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def gone(pids: list[int], timeout: float = 15) -> list[int]:
    """Wait for the processes ``pids`` to end; return those still running then."""
    deadline = time.monotonic() + timeout
    while True:
        alive = [p for p in pids if "zombie" not in
                 (_read(Path(f"/proc/{p}/status")) or "zombie").lower()]  # fmt: skip
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs Linux's /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN)",
)
@pytest.mark.parametrize(
    "sig, target, stage, expected",
    [
        (signal.SIGKILL, "runner", "tokens", (-9, None)),
        (signal.SIGINT, "group", "clean", (130, "interrupted")),  # Ctrl-C: workers get it too
        (signal.SIGTERM, "runner", "write", (143, "terminated (SIGTERM)")),
    ],
    ids=["kill-9-tokenise", "ctrl-c-clean", "sigterm-write"],
)
def test_a_fault_in_a_cold_sharded_preparation(
    previous, sharded, tmp_path, sig, target, stage, expected
):
    # Issue 12 (fault injection at several points of prepare): the previous run stays, no
    # worker process outlives the run, nothing half-written is taken for an entry, and
    # the next run builds a valid entry and leaves no temporary folder. The failpoint holds
    # the run inside the stage (stages of 3,000 documents last 0.02-2 s), so the signal
    # lands there on a loaded machine too.
    run, run_id = previous
    cache = tmp_path / "cache"
    proc = start(run, tmp_path / "tmp", cache, sharded, stage, start_new_session=True)
    label = {
        "clean": "clean and redact",
        "tokens": "tokenise",
        "write": "lemmatise and write the cache",
    }
    wait_for(proc, f"corpus: {label[stage]} on 2 local workers ... ")
    workers = pool_workers(proc.pid, 2)
    assert len(workers) == 2, "the local engine did not start its 2 pool processes"
    if target == "group":
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    code, _, err = finish(proc)
    assert code == expected[0] and "Traceback" not in err, err
    if expected[1]:
        assert err.strip().splitlines()[-1].startswith(expected[1]), err
    assert gone(workers) == [], "pool processes outlived the run"
    assert complete(run) == run_id
    assert [p.name for p in cache.iterdir() if not p.name.startswith(".")] == []
    code, _, err = finish(start(run, tmp_path / "tmp", cache, params=sharded), timeout=240)
    assert code == 0, err
    assert complete(run) != run_id and temps(run.parent) == []
    (entry,) = list(cache.iterdir())  # the one entry; a killed writer's folder removed
    c = store.entry_read(entry)  # every file checked against the manifest's checksums
    layout = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))["store"]["shards"]
    assert c.manifest["n_docs"] == 3000 and len(layout) >= 4
