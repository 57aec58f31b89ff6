"""The input files of a corpus and their sha256, as the cache key and provenance see them."""

import hashlib

import pytest

from ordbruk.corpus.inputs import (
    inputs_fingerprint,
    inputs_hash,
    inputs_list,
    sha256_hex,
    text_files_list,
)
from ordbruk.corpus.validate import corpus_load
from ordbruk.errors import CorpusError
from ordbruk.paths import SEEDS_DIR

# sha256("abc"), FIPS 180-2 appendix B.1
SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_sha256_hex_known_value():
    assert sha256_hex(b"abc") == SHA256_ABC
    assert sha256_hex(b"") == hashlib.sha256().hexdigest()


def test_seed_inputs_are_metadata_and_texts_not_the_readme():
    names = list(inputs_list(SEEDS_DIR))
    assert names[0] == "metadata.csv" and len(names) == 6
    assert all(n.endswith(".txt") for n in names[1:]) and "README.md" not in names
    assert (SEEDS_DIR / "README.md").exists()


def test_inputs_hash_is_what_the_readers_hash():
    assert inputs_hash(SEEDS_DIR) == corpus_load(SEEDS_DIR).files


def test_folder_listing_skips_hidden_and_other_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / "metadata.csv").write_bytes(b"abc")
    (tmp_path / "sub" / "ö.txt").write_text("Välfärd", encoding="utf-8")
    (tmp_path / "sub" / "README.md").write_text("a document below the top", encoding="utf-8")
    (tmp_path / "LICENSE.txt").write_text("not a document", encoding="utf-8")
    (tmp_path / "b.docx").write_bytes(b"x")
    (tmp_path / ".DS_Store").write_bytes(b"x")
    (tmp_path / ".ipynb_checkpoints" / "x.txt").write_bytes(b"x")
    assert list(text_files_list(tmp_path)) == ["sub/README.md", "sub/ö.txt"]
    got = inputs_hash(tmp_path)
    assert list(got) == ["metadata.csv", "sub/README.md", "sub/ö.txt"]
    assert got["metadata.csv"] == SHA256_ABC
    assert got["sub/ö.txt"] == hashlib.sha256("Välfärd".encode()).hexdigest()


def test_single_file_corpus_and_missing_path(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_bytes(b"abc")
    assert inputs_hash(f) == {"c.jsonl": SHA256_ABC}
    with pytest.raises(CorpusError, match="no such file or folder"):
        inputs_hash(tmp_path / "saknas")


def test_fingerprint_by_hand_and_order_independent():
    listing = f"{'1' * 64}  a.txt\n{'2' * 64}  metadata.csv\n"
    expected = hashlib.sha256(listing.encode()).hexdigest()
    assert inputs_fingerprint({"metadata.csv": "2" * 64, "a.txt": "1" * 64}) == expected
    assert inputs_fingerprint({"a.txt": "1" * 64, "metadata.csv": "2" * 64}) == expected


def test_fingerprint_changes_with_one_byte_or_a_name(tmp_path):
    (tmp_path / "metadata.csv").write_text("doc_id,actor,actor_level,date\n", encoding="utf-8")
    (tmp_path / "d2.txt").write_bytes("Delegationen besöker Borlänge.\n".encode())
    before = inputs_fingerprint(inputs_hash(tmp_path))
    assert inputs_fingerprint(inputs_hash(tmp_path)) == before
    (tmp_path / "d2.txt").write_bytes("Delegationen besöker Borlänge!\n".encode())
    changed = inputs_fingerprint(inputs_hash(tmp_path))
    assert changed != before
    (tmp_path / "d2.txt").rename(tmp_path / "d3.txt")
    assert inputs_fingerprint(inputs_hash(tmp_path)) not in (before, changed)
