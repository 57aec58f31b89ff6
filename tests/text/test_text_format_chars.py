"""Soft hyphens and zero-width characters inside words do not split them (issue 12 item 9).

They are removed once, in cleaning, so every token, count, KWIC line and topic example is
made from the same cleaned text and the character offsets still cut tokens exactly.
"""

import pandas as pd
import pytest

from ordbruk.text import cleaning, cleaning_shards
from ordbruk.text.cache import corpus_prepare
from ordbruk.text.tables import tokens_build

INVISIBLE = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_character_inside_a_word_keeps_it_one_word(char):
    texts, _ = cleaning_shards.corpus_clean(
        [f"Vi vill öka sam{char}verkan i Borås.\n"],
        pd.DataFrame({"doc_id": ["d1"], "actor": ["A"]}),
    )
    assert texts == ["Vi vill öka samverkan i Borås."]
    assert tokens_build(texts).forms.count("samverkan") == 1


def test_offsets_and_unit_text_after_removal(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "metadata.csv").write_text("doc_id,actor,actor_level,date\nd1,A,local,2019\n")
    (root / "d1.txt").write_text(
        "Sam\u00adverkan\u200b \u2060är bra.\n\nMer sam\u00adverkan, tack och segre\u00adgation.\n"
    )
    corpus = corpus_prepare(root, cache_dir=tmp_path / "cache")
    text = corpus.texts[0]
    assert not any(c in text for c in INVISIBLE)
    ends = corpus.char_ends(range(len(corpus.tokens)))
    for i, (start, end) in enumerate(zip(corpus.char_starts, ends, strict=True)):
        assert text[start:end] == corpus.vocab[corpus.tokens[i]]
    assert corpus.forms.count("samverkan") == 1
    assert [corpus.forms[f] for f in corpus.lower[corpus.tokens]].count("samverkan") == 2
    assert corpus.unit_text("paragraph", 1) == "Mer samverkan, tack och segregation."


def test_cleaning_version_was_bumped():
    assert cleaning.CLEANING_VERSION != "3"
