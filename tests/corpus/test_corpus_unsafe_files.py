"""Files a corpus must not trust (issue 12 items 7, 8): symlinks out of the folder, broken
links and loops, non-regular files named .txt, unreadable files. Each is one error naming
the file; nothing blocks, nothing raises a traceback, nothing outside the folder is read.
"""

import errno
import os
import subprocess
import sys

import pytest
from corpus_sample import HEADER, folder_write, only_error

from ordbruk.corpus import inputs
from ordbruk.corpus.inputs import inputs_hash
from ordbruk.errors import CorpusError

TEXT = "Samverkan i Borås.\n".encode()


def _corpus(tmp_path):
    return folder_write(tmp_path / "c", HEADER + "d1,Borås Stad,local,2019\n", {"d1.txt": TEXT})


def _hash_error(path):
    with pytest.raises(CorpusError) as e:
        inputs_hash(path)
    assert "\n" not in str(e.value)
    return str(e.value)


def test_text_file_linked_outside_the_folder_is_rejected_by_name(tmp_path):
    root = _corpus(tmp_path)
    secret = tmp_path / "hostname"
    secret.write_text("secret-host\n")
    (root / "d1.txt").unlink()
    (root / "d1.txt").symlink_to(secret)
    error = only_error(root)
    assert error.file == "d1.txt" and "outside the corpus folder" in error.message
    assert "d1.txt" in _hash_error(root) and "outside" in _hash_error(root)


def test_link_inside_the_folder_is_read(tmp_path):
    root = _corpus(tmp_path)
    (root / "store").mkdir()
    (root / "d1.txt").rename(root / "store" / "d1.body")
    (root / "d1.txt").symlink_to(root / "store" / "d1.body")
    assert inputs_hash(root)["d1.txt"] == inputs.sha256_hex(TEXT)


def test_symlinked_sub_folder_gets_the_right_reason(tmp_path):
    root = folder_write(
        tmp_path / "c", "doc_id,actor,actor_level,date,path\nd1,A,local,2019,sub/d1.txt\n", {}
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "d1.txt").write_bytes(TEXT)
    (root / "sub").symlink_to(elsewhere, target_is_directory=True)
    error = only_error(root)
    assert "not a .txt" not in error.message
    assert "symbolic link" in error.message and "sub" in error.message


def test_broken_symlink_is_one_error_naming_the_file(tmp_path):
    root = _corpus(tmp_path)
    (root / "d1.txt").unlink()
    (root / "d1.txt").symlink_to(tmp_path / "gone.txt")
    error = only_error(root)
    assert error.file == "d1.txt" and "broken symbolic link" in error.message
    assert "d1.txt" in _hash_error(root)


def test_symlink_loop_is_one_error_naming_the_file(tmp_path):
    root = _corpus(tmp_path)
    (root / "d1.txt").unlink()
    (root / "d1.txt").symlink_to(root / "d1.txt")
    error = only_error(root)
    assert error.file == "d1.txt" and "loop" in error.message
    assert "loop" in _hash_error(root)


def test_metadata_as_broken_link_is_named_not_missing(tmp_path):
    root = _corpus(tmp_path)
    (root / "metadata.csv").unlink()
    (root / "metadata.csv").symlink_to(tmp_path / "gone.csv")
    error = only_error(root)
    assert error.file == "metadata.csv" and "broken symbolic link" in error.message


def _deny(monkeypatch, name):
    real = os.open

    def fake(path, flags, *args, **kwargs):
        if os.fspath(path).endswith(name):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(inputs.os, "open", fake)


@pytest.mark.parametrize("name", ["d1.txt", "metadata.csv"])
def test_unreadable_file_is_one_error_naming_it(tmp_path, monkeypatch, name):
    root = _corpus(tmp_path)
    _deny(monkeypatch, name)
    error = only_error(root)
    assert error.file == name and "permission" in error.message and "chmod" in error.message
    assert name in _hash_error(root)


def test_unreadable_csv_corpus(tmp_path, monkeypatch):
    p = tmp_path / "c.csv"
    p.write_text("doc_id,actor,actor_level,date,text\nd1,A,local,2019,hej\n")
    _deny(monkeypatch, "c.csv")
    assert "permission" in only_error(p).message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_unreadable_file_for_real(tmp_path):
    root = _corpus(tmp_path)
    (root / "d1.txt").chmod(0)
    assert "permission" in only_error(root).message


def _check_cli(path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    code = "import sys; from ordbruk.run.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "check", str(path)],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip


def test_fifo_named_txt_is_rejected_without_opening_it(tmp_path):
    root = _corpus(tmp_path)
    (root / "d1.txt").unlink()
    os.mkfifo(root / "d1.txt")
    done = _check_cli(root)  # blocked forever before (timeout 60 s)
    assert done.returncode == 2, done.stderr
    assert "d1.txt" in done.stdout and "not a regular file" in done.stdout
    assert "Traceback" not in done.stderr
    assert "not a regular file" in _hash_error(root)


@pytest.mark.parametrize("name", ["c.csv", "c.jsonl"])
def test_fifo_as_file_corpus(tmp_path, name):
    os.mkfifo(tmp_path / name)
    done = _check_cli(tmp_path / name)
    assert done.returncode == 2 and "not a regular file" in done.stdout, done.stdout


def test_unlistable_sub_folder_is_an_error_not_skipped(tmp_path, monkeypatch):
    root = _corpus(tmp_path)
    (root / "sub").mkdir()
    real = os.scandir

    def fake(path="."):
        if os.fspath(path).endswith("sub"):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(inputs.os, "scandir", fake)
    error = only_error(root)
    assert error.file.endswith("sub") and "permission" in error.message
    assert "sub" in _hash_error(root)


def test_file_in_a_symlinked_sub_folder_matched_by_doc_id_names_the_link(tmp_path):
    root = folder_write(tmp_path / "c", HEADER + "d1,A,local,2019\n", {})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "d1.txt").write_bytes(TEXT)
    (root / "sub").symlink_to(elsewhere, target_is_directory=True)
    error = only_error(root)
    assert "symbolic link" in error.message and "sub" in error.message
