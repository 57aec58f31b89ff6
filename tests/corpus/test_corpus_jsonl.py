"""The JSON Lines reader: flattening, problems per line, gzip in blocks."""

import gzip
import json

import pytest
from corpus_sample import only_error

from ordbruk.corpus.inputs import inputs_hash, sha256_hex
from ordbruk.corpus.jsonl import gzip_blocks, line_blocks
from ordbruk.corpus.validate import corpus_load, corpus_summary
from ordbruk.paths import SHARED_CORPORA_DIR


def jsonl_line(**fields):
    base = {"doc_id": "j1", "actor": "Borås Stad", "actor_level": "local", "date": "2019-08-23"}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def test_jsonl_loads_and_flattens_nested_objects(tmp_path):
    lines = [
        jsonl_line(text="Första.", extra={"topics": ["Integration", "Bostad"], "n": 2}),
        jsonl_line(doc_id="j2", date="2020", text="Andra.", extra={"url": "https://x.se"}),
        "",  # a blank line is skipped but counted
    ]
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    raw = corpus_load(path)
    assert raw.kind == "jsonl" and raw.texts == ["Första.", "Andra."]
    assert list(raw.meta["extra.topics"]) == ["Integration;Bostad", ""]
    assert list(raw.meta["extra.n"]) == ["2", ""]
    assert list(raw.meta["extra.url"]) == ["", "https://x.se"]
    assert list(raw.meta["date_precision"]) == ["day", "year"]
    assert raw.files == {"c.jsonl.gz": sha256_hex(path.read_bytes())} == inputs_hash(path)


def test_jsonl_malformed_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl_line(text="A.") + "\n" + '{"doc_id": "j2", "text": "B.",\n')
    err = only_error(path)
    assert (err.file, err.row) == (str(path), 2)
    assert err.message.startswith("malformed JSON")


def test_jsonl_missing_text_field(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl_line(text="A.") + "\n" + jsonl_line(doc_id="j2") + "\n")
    err = only_error(path)
    assert (err.row, err.field) == (2, "text")
    assert "missing text field" in err.message


def test_jsonl_line_not_utf8(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_bytes((jsonl_line(text="Malmö") + "\n").encode("cp1252"))
    err = only_error(path)
    assert err.row == 1 and "not UTF-8" in err.message
    assert corpus_load(path, encoding_fallback="cp1252").texts == ["Malmö"]


def test_jsonl_nul_and_escaped_control_characters(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(jsonl_line(text="A\u0000B") + "\n")  # json writes the NUL as \u0000
    err = only_error(path)
    assert (err.row, err.field) == (1, "text") and "binary data" in err.message


def test_gzip_errors_and_members(tmp_path):
    one, two = jsonl_line(text="A.") + "\n", jsonl_line(doc_id="j2", text="B.") + "\n"
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress(one.encode()) + gzip.compress(two.encode()))  # 2 members
    assert corpus_load(path).texts == ["A.", "B."]
    path.write_bytes(gzip.compress((one + two).encode())[:-12])  # truncated
    assert "not a valid gzip file" in only_error(path).message
    path.write_bytes(b"not gzip at all")
    assert "not a valid gzip file" in only_error(path).message


def test_gzip_blocks_rejoin_lines_across_block_edges():
    data = b"".join(f'{{"n": {i}, "text": "rad {i}"}}\n'.encode() for i in range(200)) + b"{}"
    blocks = list(line_blocks(gzip_blocks(gzip.compress(data), chunk=7)))
    assert b"".join(blocks) == data
    assert all(block.endswith(b"\n") for block in blocks[:-1])


@pytest.mark.realdata
@pytest.mark.slow
@pytest.mark.skipif(
    not SHARED_CORPORA_DIR.is_dir(), reason=f"real corpora not found at {SHARED_CORPORA_DIR}"
)
def test_real_bulk_jsonl_loads():
    path = SHARED_CORPORA_DIR / "policy-sv-bulk.jsonl.gz"
    raw = corpus_load(path)
    assert len(raw.meta) == len(raw.texts) == 67697
    assert "extra.url" in raw.meta.columns
    # README of the corpora: 91.7 M characters of text
    assert corpus_summary(raw)["characters"] == pytest.approx(91.7e6, rel=0.001)
