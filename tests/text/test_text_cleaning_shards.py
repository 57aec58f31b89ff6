"""Tests for ordbruk.text.cleaning_shards: plan, scan per shard, merge, apply == corpus_clean."""

import numpy as np
import pandas as pd
import pytest

from ordbruk.errors import CorpusError
from ordbruk.paths import SEEDS_DIR
from ordbruk.text import cleaning_shards as cs
from ordbruk.text.cleaning import _text_normalise
from ordbruk.text.cleaning_shards import corpus_clean

FOOTER = "Kommunen arbetar för en hållbar och trygg framtid för alla invånare."
NEAR = "Denna rad står i två dokument och en kopia av det ena dokumentet."
QUESTION = "Hur arbetar kommunen med frågor om segregation i bostadsområdena?"


def _corpus() -> tuple[list[str], pd.DataFrame]:
    meta = pd.read_csv(SEEDS_DIR / "metadata.csv", dtype=str, keep_default_na=False)
    texts = [(SEEDS_DIR / f"{d}.txt").read_text(encoding="utf-8") for d in meta["doc_id"]]
    own = [
        ("A", f"Första texten om skolan.\n\n{FOOTER}\n\n{NEAR}\n\n{QUESTION}"),
        ("B", "Ett nytt samver- kansavtal.\nRing 070-123 45 67 eller mejla a.b@kommun.se."),
        ("A", f"Andra texten, om vården.\n\n{FOOTER}\n\n{QUESTION}"),
        ("C", "Om EU- kommissionen och ett blorp- fiskavtal.\nNyheter"),
        ("A", f"Första texten om skolan.\n\n{FOOTER}\n\n{NEAR}\n\n{QUESTION}"),  # a copy
        ("B", "Samverkansavtal tecknas i dag.\nPersonnummer 19811218-9876 står här."),
        ("A", f"Tredje texten, om\u00a0kulturen.\n\n{FOOTER}\n\n{NEAR}\n\nNyheter"),
        ("C", "Ett blorpfiskavtal² skrevs.\n\n\n\nSlut."),
        ("A", f"Fjärde texten.\r\n{FOOTER}\r\n{QUESTION}"),
    ]
    texts += [t for _, t in own]
    extra = pd.DataFrame(
        {"doc_id": [f"x{k}" for k in range(len(own))], "actor": [a for a, _ in own]}
    )
    return texts, pd.concat([meta, extra], ignore_index=True)


def _sharded(texts, meta, settings, n, keys=None):
    keys = keys or [cs.clean_key(t) for t in texts]
    actors = meta["actor"].fillna("").astype(str).tolist()
    counted, big = cs.clean_plan(keys, actors, settings)
    bounds = np.linspace(0, len(texts), n + 1).astype(int)
    scans, stats = [], []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        scan, st = cs.clean_scan(texts[a:b], meta.iloc[a:b], settings, counted[a:b], big)
        scans.append(cs.clean_scan_dump(scan))  # stored between the phases, as bytes
        stats.append(st)
    merged = cs.clean_stats_merge(stats[::-1], settings)  # the merge takes any order
    outs = [cs.clean_apply(cs.clean_scan_load(s), merged) for s in scans]
    return [t for o in outs for t in o[0]], pd.concat([o[1] for o in outs], ignore_index=True)


@pytest.mark.parametrize(
    "settings",
    [None, {"repeated_min_docs": 4}, {"disabled_rules": ["hyphen_join", "markup_remnant"]}],
)
@pytest.mark.parametrize("n", [1, 2, 5])
def test_shards_merged_equal_one_run(settings, n):
    texts, meta = _corpus()
    whole, log = corpus_clean(texts, meta, settings)
    got, got_log = _sharded(texts, meta, settings, n)
    assert got == whole
    pd.testing.assert_frame_equal(got_log, log)


def test_the_corpus_exercises_every_corpus_wide_rule():
    texts, meta = _corpus()
    out, log = corpus_clean(texts, meta)
    own = dict(zip(meta["doc_id"], out, strict=True))
    assert "samverkansavtal" in own["x1"]  # its unbroken form is in another document
    assert "blorpfiskavtal" in own["x3"]  # written whole before "²" in another document
    assert "EU- kommissionen" in own["x3"]
    assert FOOTER not in own["x0"] and QUESTION in own["x0"]  # removed, kept as content
    assert NEAR in own["x0"]  # 3 documents, but one is a copy: counted twice, not 3 times
    assert "[telefon]" in own["x1"] and "[personnummer]" in own["x5"]
    rules = set(log["rule"])
    assert {"repeated_line", "repeated_line_content", "hyphen_join", "redact_phone"} <= rules


def test_plan_keys_may_be_the_normalised_texts():
    texts, meta = _corpus()
    got, log = _sharded(texts, meta, None, 3, keys=[_text_normalise(t) for t in texts])
    assert got == corpus_clean(texts, meta)[0]
    assert cs.clean_key("a\u00a0b") == cs.clean_key("a b") != cs.clean_key("a  c")


def test_scan_dump_is_json_and_load_checks_it():
    texts, meta = _corpus()
    scan, _ = cs.clean_scan(texts[:3], meta.iloc[:3], None, [False] * 3, set())
    data = cs.clean_scan_dump(scan)
    assert data.startswith(b"{") and cs.clean_scan_load(data) == scan
    for bad in (b"not json", b'{"format": "other", "docs": []}', b"[1]"):
        with pytest.raises(CorpusError, match="not a stored scan"):
            cs.clean_scan_load(bad)
