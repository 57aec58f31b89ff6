"""Issue 12 item 5 (and the cache side of items 8 and 10): the cache is not trusted blindly.

A planted entry never runs code (no pickles: tables are CSV, arrays are loaded with
``allow_pickle=False``), every file of an entry is checked against the SHA-256 in its
manifest, and a corrupt, truncated or partial entry is rebuilt with a one-line warning,
never reused. Entries are written to a temporary folder and renamed into place, so a kill
or a full disk leaves nothing that looks valid; a cache folder that cannot be written is a
one-line error naming it.
"""

import json
import os
import pickle
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from ordbruk.corpus.inputs import inputs_hash, sha256_hex
from ordbruk.corpus.validate import validation_args
from ordbruk.errors import CorpusError, OrdbrukError
from ordbruk.run import cli
from ordbruk.text import cache, store
from ordbruk.text.cache import cache_ensure, cache_key_make, corpus_open, corpus_prepare
from ordbruk.text.cleaning import CLEANING_DEFAULTS

RUNTIME = ("cache_hit", "cache_path", "seconds", "timings", "engine")


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "metadata.csv").write_text(
        "doc_id,actor,actor_level,date,date_precision,title,note\n"
        'd1,Borås Stad,local,2019,year,"Samverkan, ""nu""",\n'
        "d2,Delmos,national,2018-11,month,Ünïcødé ✓ 😀,x\n"
        "d3,Region Skåne,regional,,unknown,Utan datum,\n",
        encoding="utf-8",
    )
    (root / "d1.txt").write_text(
        "Vi samverkar med regionen.\n\nKontakt: 070-123 45 67\n", encoding="utf-8"
    )
    (root / "d2.txt").write_text("Segregation och samverkan i staden.\n", encoding="utf-8")
    (root / "d3.txt").write_text("", encoding="utf-8")
    return root


@pytest.fixture
def entry(corpus, tmp_path):
    """A valid cache entry of the corpus: (the cache folder, the entry folder)."""
    root = tmp_path / "cache"
    key = cache_ensure(corpus, root)["key"]
    return root, root / key


def assert_same_corpus(a, b):
    """The loaded corpus equals a fresh one: arrays, lists, texts, tables, manifest."""
    for name in store.ARRAYS + store.TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype, name
        np.testing.assert_array_equal(x, y, err_msg=name)
    for name in ("vocab", "forms", "lemmas", "texts"):
        assert getattr(a, name) == getattr(b, name), name
    for name in ("meta", "cleaning_log"):
        x, y = getattr(a, name), getattr(b, name)
        assert list(x.dtypes.astype(str)) == list(y.dtypes.astype(str)), name
        pd.testing.assert_frame_equal(x, y, check_exact=True)
        assert x.isna().equals(y.isna()), name
    drop = set(RUNTIME)
    assert {k: v for k, v in a.manifest.items() if k not in drop} == {
        k: v for k, v in b.manifest.items() if k not in drop
    }


def cache_warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if "cache" in line]


def reseal(folder):
    """Rewrite the manifest's checksums to match the files (what a hostile writer can do)."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["store"]["files"] = {
        p.name: {"bytes": p.stat().st_size, "sha256": sha256_hex(p.read_bytes())}
        for p in sorted(folder.iterdir())
        if p.name != "manifest.json"
    }
    path.write_text(json.dumps(manifest), encoding="utf-8")


class Payload:
    """Unpickling this creates a file: proof that code from the cache ran."""

    def __init__(self, target):
        self.target = str(target)

    def __reduce__(self):
        return (open, (self.target, "w"))


# -- a planted entry never runs code ------------------------------------------------------


@pytest.mark.parametrize("name", ["meta.pkl", "cleaning_log.pkl"])
def test_planted_pickle_is_never_loaded_and_the_entry_is_rebuilt(
    entry, corpus, tmp_path, capfd, name
):
    root, folder = entry
    proof = tmp_path / "code-ran"
    (folder / name).write_bytes(pickle.dumps(Payload(proof)))
    if (folder / "manifest.json").is_file() and "store" in json.loads(
        (folder / "manifest.json").read_text(encoding="utf-8")
    ):
        reseal(folder)  # checksums that match: only the format can refuse it
    capfd.readouterr()
    c = corpus_prepare(corpus, root)
    assert not proof.exists(), "a pickle in the cache was loaded"
    assert c.manifest["cache_hit"] is False
    assert not (folder / name).exists()
    assert len(cache_warnings(capfd.readouterr().err)) == 1


def test_planted_object_array_is_never_unpickled(entry, corpus, tmp_path, capfd):
    root, folder = entry
    proof = tmp_path / "code-ran"
    # a pickle in place of an Arrow file, resealed: the Arrow reader never unpickles
    (folder / "00000.tokens.arrow").write_bytes(pickle.dumps(Payload(proof)))
    reseal(folder)
    capfd.readouterr()
    c = corpus_prepare(corpus, root)
    assert not proof.exists(), "an object array in the cache was unpickled"
    assert c.manifest["cache_hit"] is False
    assert len(cache_warnings(capfd.readouterr().err)) == 1


# -- every corruption is rebuilt with one warning, never reused -----------------------------


def _truncate(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def _flip(path):
    """Change one byte, keeping the size (only the checksum can tell)."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2
    data[i] = ord("x") if data[i] != ord("x") else ord("y")
    path.write_bytes(bytes(data))


def _table(folder, name):
    return folder / f"00000.{name}.parquet"


def _manifest_edit(folder, **changes):
    """A manifest whose checksums hold but whose counts lie (or are missing)."""
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for k, v in changes.items():
        manifest.pop(k) if v is None else manifest.__setitem__(k, v)
    path.write_text(json.dumps(manifest), encoding="utf-8")


CORRUPTIONS = {
    "tokens.arrow truncated": lambda f: _truncate(f / "00000.tokens.arrow"),
    "tokens.arrow not Arrow": lambda f: (f / "00000.tokens.arrow").write_bytes(b"not arrow"),
    "manifest.json not JSON": lambda f: (f / "manifest.json").write_text("{", encoding="utf-8"),
    "manifest.json empty": lambda f: (f / "manifest.json").write_bytes(b""),
    "manifest.json a list": lambda f: (f / "manifest.json").write_text("[]", encoding="utf-8"),
    "meta table garbage": lambda f: _table(f, "meta").write_bytes(b"\x80\x04garbage"),
    "cleaning log truncated": lambda f: _truncate(_table(f, "cleaning_log")),
    "documents.arrow missing": lambda f: (f / "00000.documents.arrow").unlink(),
    "documents.arrow truncated": lambda f: _truncate(f / "00000.documents.arrow", 0.9),
    "documents.arrow one byte changed": lambda f: _flip(f / "00000.documents.arrow"),
    "vocab.arrow truncated": lambda f: _truncate(f / "vocab.arrow", 0.9),
    "lemmas.arrow empty": lambda f: (f / "lemmas.arrow").write_bytes(b""),
    "documents.arrow garbage": lambda f: (f / "00000.documents.arrow").write_bytes(b"\xff\xfe\x00"),
    "no manifest (partial entry)": lambda f: (f / "manifest.json").unlink(),
    "manifest counts lie": lambda f: _manifest_edit(f, n_tokens=3),
    "manifest count missing": lambda f: _manifest_edit(f, n_forms=None),
    "manifest of another key": lambda f: _manifest_edit(f, key="0" * 24),
}
#: What only decoding finds (cache_ensure checks the checksums, corpus_open everything).
LIES = ("manifest counts lie", "manifest count missing")


@pytest.mark.parametrize("how", list(CORRUPTIONS))
@pytest.mark.parametrize("opener", ["corpus_prepare", "cache_ensure", "corpus_open"])
def test_corrupt_entry_is_rebuilt_with_one_warning(entry, corpus, tmp_path, capfd, how, opener):
    root, folder = entry
    fresh = corpus_prepare(corpus, tmp_path / "fresh-cache")
    CORRUPTIONS[how](folder)
    capfd.readouterr()
    if opener == "cache_ensure" and how in LIES:
        # the checksums hold: a run's check passes it, and the notebook's open rebuilds it
        assert cache_ensure(corpus, root)["cache_hit"] is True
        loaded = corpus_open(corpus, root, folder.name)
        assert loaded.manifest["cache_hit"] is False
    elif opener == "cache_ensure":
        manifest = cache_ensure(corpus, root)
        assert manifest["cache_hit"] is False and manifest["key"] == folder.name
        loaded = corpus_prepare(corpus, root)
        assert loaded.manifest["cache_hit"] is True
    elif opener == "corpus_open":
        loaded = corpus_open(corpus, root, folder.name)
    else:
        loaded = corpus_prepare(corpus, root)
        assert loaded.manifest["cache_hit"] is False
    err = capfd.readouterr().err
    assert "Traceback" not in err
    (warning,) = cache_warnings(err)
    assert warning.startswith("warning: cache: ") and str(folder) in warning
    assert "rebuil" in warning
    assert_same_corpus(loaded, fresh)
    # the rebuilt entry is whole: reused from now on, and nothing else is left in the cache
    again = corpus_prepare(corpus, root)
    assert again.manifest["cache_hit"] is True
    assert_same_corpus(again, fresh)
    assert sorted(p.name for p in root.iterdir()) == [folder.name]
    assert cache_warnings(capfd.readouterr().err) == []


def test_reused_entry_equals_a_fresh_prepare(entry, corpus, tmp_path):
    root, _ = entry
    fresh = corpus_prepare(corpus, tmp_path / "fresh-cache")
    loaded = corpus_prepare(corpus, root)
    assert loaded.manifest["cache_hit"] is True
    assert_same_corpus(loaded, fresh)
    assert str(loaded.meta["year"].dtype) == "Int64" and loaded.meta["year"].isna().sum() == 1
    assert loaded.meta.loc[2, "date"] == "" and loaded.meta.loc[1, "title"] == "Ünïcødé ✓ 😀"


def test_entry_holds_no_pickles_and_every_file_is_checksummed(entry):
    _, folder = entry
    names = {p.name for p in folder.iterdir()}
    assert not [n for n in names if n.endswith((".pkl", ".pickle"))]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["store"]["files"]
    assert set(files) == names - {"manifest.json"}
    for name, record in files.items():
        data = (folder / name).read_bytes()
        assert record == {"bytes": len(data), "sha256": sha256_hex(data)}
    assert all(n.endswith((".arrow", ".parquet")) for n in files)  # columnar files only


# -- the key ------------------------------------------------------------------------------


def test_key_is_deterministic_and_changes_with_the_store_format(corpus, monkeypatch):
    files = inputs_hash(corpus)
    args = validation_args(None)
    key = cache_key_make(files, args, CLEANING_DEFAULTS)
    assert cache_key_make(dict(reversed(list(files.items()))), args, CLEANING_DEFAULTS) == key
    monkeypatch.setattr(store, "STORE_FORMAT", "old")
    assert cache_key_make(files, args, CLEANING_DEFAULTS) != key


# -- kills, full disks, read-only folders ---------------------------------------------------


KILLED_WRITER = """
import sys, time
from ordbruk.text import cache, store
real = store.file_write
def slow(path, data):
    record = real(path, data)
    if path.name == "00000.documents.arrow":
        print("writing", flush=True)
        time.sleep(60)
    return record
store.file_write = slow
cache.cache_ensure(sys.argv[1], sys.argv[2])
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_killed_write_leaves_no_entry_that_looks_valid(corpus, tmp_path, sig):
    root = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(corpus), str(root)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(sig)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    key = cache_key_make(inputs_hash(corpus), validation_args(None), CLEANING_DEFAULTS)
    assert not (root / key).exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".tmp-")]  # what the kill left
    c = corpus_prepare(corpus, root)  # the next write clears a dead process's leftovers
    assert c.manifest["cache_hit"] is False
    assert sorted(p.name for p in root.iterdir()) == [key]


def test_a_live_writers_temporary_folder_is_left_alone(corpus, tmp_path):
    root = tmp_path / "cache"
    key = cache_key_make(inputs_hash(corpus), validation_args(None), CLEANING_DEFAULTS)
    live = root / f".tmp-{key}-{os.getppid()}-abc"
    live.mkdir(parents=True)
    corpus_prepare(corpus, root)
    assert live.is_dir()


def test_another_machines_temporary_folder_is_left_alone(corpus, tmp_path):
    # On a cache shared by the nodes of a cluster, a pid is only meaningful on its machine.
    from ordbruk.text import entry

    root = tmp_path / "cache"
    key = cache_key_make(inputs_hash(corpus), validation_args(None), CLEANING_DEFAULTS)
    dead = 2**22 + 12345  # above pid_max on Linux: no such process here
    other = "0" * 8 if entry._host() != "0" * 8 else "1" * 8
    theirs = root / f".tmp-{key}-{dead}-h{other}-abc"
    ours = root / f".tmp-{key}-{dead}-h{entry._host()}-abc"
    theirs.mkdir(parents=True)
    ours.mkdir()
    corpus_prepare(corpus, root)
    assert theirs.is_dir() and not ours.exists()


def _fail_on(monkeypatch, name, error):
    real = store.file_write

    def failing(path, data):
        if path.name == name:
            raise error
        return real(path, data)

    monkeypatch.setattr(store, "file_write", failing)


def test_full_disk_is_one_line_error_and_leaves_nothing(corpus, tmp_path, monkeypatch):
    root = tmp_path / "cache"
    _fail_on(monkeypatch, "00000.documents.arrow", OSError(28, "No space left on device"))
    with pytest.raises(OrdbrukError) as info:
        cache_ensure(corpus, root)
    message = str(info.value)
    assert "\n" not in message and str(root) in message and "No space left" in message
    assert "--cache" in message
    assert list(root.iterdir()) == []


def test_read_only_cache_exits_2_with_one_line(corpus, tmp_path, monkeypatch, capsys):
    root = tmp_path / "cache"
    _fail_on(monkeypatch, "00000.tokens.arrow", PermissionError(13, "Permission denied"))
    assert cli.main(["prepare", str(corpus), "--cache", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"error: cannot write the cache folder {root}: Permission denied")
    assert "Traceback" not in "\n".join(err)


@pytest.fixture
def tiny_mount(tmp_path):
    """A tmpfs mounted for the test (needs root); yields a function (options) -> folder."""
    mounted = []

    def mount(options):
        where = tmp_path / f"mnt{len(mounted)}"
        where.mkdir()
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(where)
        return where

    try:
        yield mount
    finally:
        for where in mounted:
            subprocess.run(["umount", str(where)], check=False)


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="mounting needs root")
def test_really_full_disk(corpus, tiny_mount):
    root = tiny_mount("size=8k")
    with pytest.raises(OrdbrukError, match=r"cannot write the cache folder .*: No space left"):
        cache_ensure(corpus, root)
    assert list(root.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="mounting needs root")
def test_really_read_only_cache(corpus, tiny_mount, tmp_path):
    ro = tiny_mount("ro,size=1m")
    with pytest.raises(OrdbrukError, match=r"cannot write the cache folder .*: Read-only"):
        cache_ensure(corpus, ro / "cache")
    # a read-only cache that already holds the entry is read without writing anything
    rw = tiny_mount("size=4m")
    key = cache_ensure(corpus, rw)["key"]
    subprocess.run(["mount", "-o", "remount,ro", str(rw)], check=True)
    assert corpus_open(corpus, rw, key).manifest["cache_hit"] is True
    assert cache_ensure(corpus, rw)["cache_hit"] is True


def test_warm_open_reads_each_file_once(entry, corpus, monkeypatch):
    root, folder = entry
    reads = []
    real = store.file_digest

    def counting(path):
        reads.append(path.name)
        return real(path)

    monkeypatch.setattr(store, "file_digest", counting)
    started = time.perf_counter()
    corpus_open(corpus, root, folder.name)
    assert time.perf_counter() - started < 5
    # every file but the manifest hashed exactly once (then memory-mapped, not read again)
    assert sorted(reads) == sorted(p.name for p in folder.iterdir() if p.name != "manifest.json")
    assert cache  # the module under test


def test_entry_keeps_the_umask_permissions(corpus, tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "cache" / cache_ensure(corpus, tmp_path / "cache")["key"]
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o755  # readable by others sharing the cache


def test_corrupt_entry_whose_input_changed_is_an_error_by_key(entry, corpus):
    root, folder = entry
    _truncate(folder / "00000.documents.arrow")
    (corpus / "d2.txt").write_text("Något annat nu.\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=f"cache_key {folder.name}: the entry in .* was invalid"):
        corpus_open(corpus, root, folder.name)


def test_prepare_command_rebuilds_a_truncated_entry(entry, corpus, capsys):
    root, folder = entry
    _truncate(folder / "vocab.arrow", 0.9)
    assert cli.main(["prepare", str(corpus), "--cache", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "cache: built" in out.splitlines()
    assert err.splitlines() == [
        f"warning: cache: {folder}: vocab.arrow is truncated or changed (size differs from the "
        "manifest); not used, rebuilding it"
    ]
    assert cli.main(["prepare", str(corpus), "--cache", str(root)]) == 0
    assert "cache: reused" in capsys.readouterr().out.splitlines()


CONCURRENT = """
import sys
from ordbruk.text import cache, store
real = store.file_write
def slow(path, data):
    record = real(path, data)
    if path.name == "manifest.json":  # both entries complete before either is published
        import time
        time.sleep(1.5)
    return record
store.file_write = slow
print(cache.cache_ensure(sys.argv[1], sys.argv[2])["key"])
"""


def test_two_concurrent_writers_both_succeed_with_one_entry(corpus, tmp_path):
    root = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, str(corpus), str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e for _, e in outs]
    keys = {o.strip() for o, _ in outs}
    assert len(keys) == 1 and sorted(p.name for p in root.iterdir()) == sorted(keys)
    assert corpus_prepare(corpus, root).manifest["cache_hit"] is True
