"""Run folders (issue 12 items 1, 2, 9 and 10): ownership marker, unique temporary folders,
stale and failed folders, interrupted runs, inputs changed during a run, paths shown."""

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_run_runner import MANIFEST, fake_execute, make_notebook

from ordbruk import paths
from ordbruk.errors import OrdbrukError
from ordbruk.run import cli, folders, provenance, runner
from ordbruk.run.params import params_load
from ordbruk.run.runner import suite_run

REPO = Path(__file__).resolve().parents[2]


def run(fake_suite, out=None, root=None, only=("01",), params_path=None):
    return suite_run(
        params_load(),
        params_path,
        fake_suite,
        root or fake_suite.parent / "unused",
        run_dir=out,
        only=list(only),
        corpus_manifest=MANIFEST,
    )


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_out_with_a_provenance_json_is_not_a_run_folder(tmp_path, monkeypatch, capsys):
    # Bug (issue 12 item 1): `mkdir p; echo '{}' > p/provenance.json; echo x > p/thesis.txt;
    # ordbruk run --params params/test.yaml --only 01 --out p` deleted thesis.txt.
    p = tmp_path / "p"
    p.mkdir()
    (p / "provenance.json").write_text("{}\n")
    (p / "thesis.txt").write_text("x\n")
    monkeypatch.chdir(REPO)
    monkeypatch.setattr(cli, "cache_ensure", lambda *a, **k: pytest.fail("corpus prepared"))
    code = cli.main(["run", "--params", "params/test.yaml", "--only", "01", "--out", str(p)])
    assert code == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: --out {p}: exists and is not an ordbruk run folder (no .ordbruk-run "
        "marker); give a new or empty folder\n"
    )
    assert (p / "thesis.txt").read_text() == "x\n" and (p / "provenance.json").read_text() == "{}\n"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["p"]


def test_user_files_in_an_old_run_folder_are_never_deleted(fake_suite, tmp_path):
    out = tmp_path / "run"
    run(fake_suite, out)
    (out / "my-notes.md").write_text("mine")
    with pytest.raises(OrdbrukError) as info:
        run(fake_suite, out)
    assert str(info.value) == (
        f"--out {out}: holds files ordbruk did not write or that changed since (my-notes.md); "
        "move them out of the folder, or give another folder"
    )
    assert (out / "my-notes.md").read_text() == "mine"
    (out / "my-notes.md").unlink()
    (out / "tables").mkdir(exist_ok=True)
    (out / "index.html").write_text("edited by hand")  # an edit is the user's work too
    with pytest.raises(OrdbrukError, match=r"changed since \(index.html\)"):
        run(fake_suite, out)
    assert (out / "index.html").read_text() == "edited by hand"
    assert not [x for x in tmp_path.iterdir() if x.name.startswith((".tmp-", ".old-"))]


def test_a_file_added_during_the_run_stops_the_swap(fake_suite, tmp_path, monkeypatch):
    out = tmp_path / "run"
    run(fake_suite, out)
    before = folders.marker_read(out)["run_id"]

    def execute_and_write_a_note(source, executed, parameters, cwd):
        fake_execute(source, executed, parameters, cwd)
        (out / "note.txt").write_text("written while the run went")

    monkeypatch.setattr(runner, "notebook_execute", execute_and_write_a_note)
    with pytest.raises(OrdbrukError, match=r"note.txt\); move them out.*the run is kept at"):
        run(fake_suite, out)
    assert folders.marker_read(out)["run_id"] == before
    assert (out / "note.txt").exists()


def test_stale_temporary_folders_of_dead_runs_are_removed(fake_suite, tmp_path):
    root = tmp_path / "outputs"
    root.mkdir()
    dead, alive, foreign = root / ".tmp-dead", root / ".tmp-alive", root / ".tmp-not-ours"
    for folder in (dead, alive, foreign):
        folder.mkdir()
        (folder / "a.csv").write_text("x")
    folders.marker_write(dead, "dead", "running")
    record = json.loads((dead / folders.MARKER).read_text())
    record["pid"] = dead_pid()  # a run killed with SIGKILL
    (dead / folders.MARKER).write_text(json.dumps(record))
    folders.marker_write(alive, "alive", "running")  # this process: still running
    run(fake_suite, root=root)
    names = sorted(x.name for x in root.iterdir())
    assert ".tmp-dead" not in names and ".tmp-alive" in names and ".tmp-not-ours" in names
    assert (foreign / "a.csv").exists()


def test_only_the_last_failed_run_is_kept(fake_suite, tmp_path):
    root = tmp_path / "outputs"
    good = run(fake_suite, root=root)
    for _ in range(3):
        with pytest.raises(runner.NotebookFailedError):
            run(fake_suite, root=root, only=("01", "02"))
    failed = [x for x in root.iterdir() if x.name.startswith("failed-")]
    assert len(failed) == 1
    (failed[0] / "debug-notes.txt").write_text("mine")  # a user's file: that folder stays
    with pytest.raises(runner.NotebookFailedError):
        run(fake_suite, root=root, only=("01", "02"))
    assert len([x for x in root.iterdir() if x.name.startswith("failed-")]) == 2
    assert (failed[0] / "debug-notes.txt").exists()
    assert os.readlink(root / "latest") == good.name


def test_full_disk_failure_deletes_the_partial_run(fake_suite, tmp_path, monkeypatch):
    root = tmp_path / "outputs"
    good = run(fake_suite, root=root)

    def disk_full(source, executed, parameters, cwd):
        raise OSError(28, "No space left on device", str(executed))

    monkeypatch.setattr(runner, "notebook_execute", disk_full)
    with pytest.raises(runner.NotebookFailedError, match="the disk is full, so the partial"):
        run(fake_suite, root=root)
    assert sorted(x.name for x in root.iterdir()) == sorted([good.name, "latest"])


def test_interrupted_run_leaves_nothing(fake_suite, tmp_path, monkeypatch):
    root = tmp_path / "outputs"
    good = run(fake_suite, root=root)

    def interrupted(source, executed, parameters, cwd):
        executed.write_text("{}")
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "notebook_execute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(fake_suite, root=root)
    assert sorted(x.name for x in root.iterdir()) == sorted([good.name, "latest"])


def test_concurrent_runs_publish_separate_complete_folders(fake_suite, tmp_path):
    # Bug (issue 12 item 2): two runs in the same second shared one temporary folder.
    root = tmp_path / "outputs"
    results, errors = [], []

    def one():
        try:
            results.append(run(fake_suite, root=root))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(set(results)) == 3
    for folder in results:
        prov = json.loads((folder / "provenance.json").read_text())
        assert prov["run_id"] == folder.name == folders.marker_read(folder)["run_id"]
        assert folders.foreign_files(folder) == []
    latest = root / os.readlink(root / "latest")
    assert latest in results
    assert json.loads((latest / "provenance.json").read_text())["run_id"] == latest.name
    assert not [x for x in root.iterdir() if x.name.startswith((".tmp-", ".old-", ".latest-"))]


def test_input_changed_during_the_run_is_not_published(fake_suite, tmp_path, monkeypatch):
    # Bug (issue 12 item 9): inputs were hashed after the run, so an edit during the run
    # gave a run whose provenance did not describe what the notebooks read.
    root = tmp_path / "outputs"
    params_file = tmp_path / "p.yaml"
    params_file.write_text("seed: 1\n")
    good = run(fake_suite, root=root, params_path=params_file)

    def execute_and_edit(source, executed, parameters, cwd):
        fake_execute(source, executed, parameters, cwd)
        params_file.write_text("seed: 2\n")

    monkeypatch.setattr(runner, "notebook_execute", execute_and_edit)
    with pytest.raises(OrdbrukError) as info:
        run(fake_suite, root=root, params_path=params_file)
    message = str(info.value)
    assert message.startswith(f"{params_file}: changed during the run (its sha256 differs")
    assert "\n" not in message and "the run is not published" in message
    assert os.readlink(root / "latest") == good.name


def test_corpus_file_changed_during_the_run_is_named(fake_suite, tmp_path, monkeypatch):
    manifest = {**MANIFEST, "input_sha256": {"metadata.csv": "0" * 64, "a.txt": "1" * 64}}
    monkeypatch.setattr(provenance, "inputs_hash", lambda path: {"metadata.csv": "0" * 64})
    with pytest.raises(OrdbrukError, match=r"^/corpus/a.txt: removed during the run"):
        suite_run(
            params_load(), None, fake_suite, tmp_path / "o", only=["01"], corpus_manifest=manifest
        )


def test_path_show(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert paths.path_show(paths.ROOT / "data" / "seeds") == "data/seeds"
    assert paths.path_show(tmp_path / "corpora" / "x") == "~/corpora/x"
    assert paths.path_show("/srv/x") == "/srv/x"
    assert paths.path_show("data/seeds") == "data/seeds"
    assert paths.path_resolve(paths.path_show(tmp_path / "c")) == tmp_path / "c"


def test_provenance_and_index_hold_no_home_folder(fake_suite, tmp_path, monkeypatch):
    # Bug (issue 12 item 10): provenance.json and index.html spelled out the home folder.
    home = tmp_path / "home"
    corpus = home / "corpora" / "mine"
    monkeypatch.setenv("HOME", str(home))
    params = params_load()
    params["corpus"] = str(corpus)
    params_file = home / "p.yaml"
    home.mkdir()
    params_file.write_text("seed: 1\n")
    manifest = {**MANIFEST, "source": str(corpus), "cache_path": str(home / ".cache/k")}
    out = suite_run(
        params, params_file, fake_suite, tmp_path / "o", only=["01"], corpus_manifest=manifest
    )
    for name in ("provenance.json", "index.html"):
        assert str(home) not in (out / name).read_text(encoding="utf-8"), name
    prov = json.loads((out / "provenance.json").read_text())
    assert prov["inputs"]["corpus"] == prov["params"]["corpus"] == "~/corpora/mine"
    assert prov["params_file"]["path"] == "~/p.yaml"
    assert prov["preparation"]["cache_path"] == "~/.cache/k"


def test_cli_os_error_is_one_line(monkeypatch, tmp_path, capsys):
    # A file that cannot be written or read, anywhere below the command: one line, exit 2.
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/srv/out/x.csv")

    nb = tmp_path / "nb"
    nb.mkdir()
    make_notebook(nb, "01_alpha")
    monkeypatch.setattr(cli, "cache_ensure", lambda *a, **k: dict(MANIFEST))
    monkeypatch.setattr(runner, "suite_run", denied)
    before = signal.getsignal(signal.SIGTERM)
    assert cli.main(["run", "--notebooks", str(nb), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "error: /srv/out/x.csv: permission denied; give permission or choose another folder\n"
    )
    assert signal.getsignal(signal.SIGTERM) == before  # the SIGTERM handler is restored


def test_a_run_killed_between_the_two_moves_of_the_swap_is_put_back(fake_suite, tmp_path):
    out = tmp_path / "run"
    run(fake_suite, out)
    before = folders.marker_read(out)["run_id"]
    record = json.loads((out / folders.MARKER).read_text())
    record["pid"] = dead_pid()
    (out / folders.MARKER).write_text(json.dumps(record))
    # what `publish` leaves when SIGKILL arrives after moving the old run aside
    old = tmp_path / f".old-20261202-120000-abcdef0-123456-{out.name}"
    os.replace(out, old)
    folders.stale_clean(tmp_path)
    assert not old.exists() and folders.marker_read(out)["run_id"] == before
