import math

import numpy as np
import pytest

from ordbruk.stats.readability import (
    lix,
    lix_text,
    mattr,
    mtld,
    readability_documents,
    sentence_length_mean,
    ttr,
    word_is_long,
)
from ordbruk.text.corpus import corpus_from_texts

# ---------------------------------------------------------------- LIX


def test_lix_one_sentence_worked_example():
    # "Kommunen har beslutat att satsa på bostadsområden."
    # letters: Kommunen 8, har 3, beslutat 8, att 3, satsa 5, på 2, bostadsområden 14
    # 7 words, 1 sentence, 3 long (> 6 letters)
    # LIX = 7 / 1 + 100 * 3 / 7 = 7 + 42.857142... = 49.857142...
    words = "Kommunen har beslutat att satsa på bostadsområden".split()
    assert lix_text(words, 1) == pytest.approx(7 + 300 / 7)
    assert lix(7, 1, 3) == pytest.approx(49.857142857)


def test_lix_two_sentences_worked_example():
    # "Vi bor i Borås. Segregationen minskar långsamt."
    # 7 words, 2 sentences; long: Segregationen 13, minskar 7, långsamt 8 (Borås has 5)
    # LIX = 7 / 2 + 100 * 3 / 7 = 3.5 + 42.857142... = 46.357142...
    words = "Vi bor i Borås Segregationen minskar långsamt".split()
    assert lix_text(words, 2) == pytest.approx(3.5 + 300 / 7)


@pytest.mark.parametrize(
    ("word", "long"),
    [
        ("område", False),  # o-m-r-å-d-e: exactly six letters is not long
        ("områden", True),  # seven letters
        ("EU-medel", True),  # E-U-m-e-d-e-l: seven letters, the hyphen does not count
        ("Covid-19", False),  # five letters, digits do not count
        ("o\u0308vergripande", True),  # NFD ö: 12 letters
        ("omra\u030ade", False),  # NFD å: the combining ring is not a letter, still 6
        ("", False),
    ],
)
def test_word_is_long_counts_letters_only(word, long):
    assert word_is_long(word) is long


def test_lix_undefined_and_invalid():
    assert math.isnan(lix(0, 0, 0))
    assert math.isnan(lix(5, 0, 1))
    assert math.isnan(lix_text([], 0))
    with pytest.raises(ValueError):
        lix(3, 1, 4)
    with pytest.raises(ValueError):
        lix(-1, 1, 0)


def test_sentence_length_mean():
    # (3 + 5 + 10) / 3 = 6
    assert sentence_length_mean([3, 5, 10]) == 6.0
    assert sentence_length_mean(np.array([4, 0])) == 2.0
    assert math.isnan(sentence_length_mean([]))


# ---------------------------------------------------------------- MTLD


def mtld_reference(tokens, threshold=0.72):
    """Slow, independent MTLD: TTR recomputed from scratch for every prefix of a run."""

    def one_way(seq):
        factors = 0.0
        run = []
        for token in seq:
            run.append(token)
            if len(set(run)) / len(run) <= threshold:
                factors += 1
                run = []
        if run:
            factors += (1 - len(set(run)) / len(run)) / (1 - threshold)
        return len(seq) / factors if factors else math.nan

    return (one_way(list(tokens)) + one_way(list(reversed(tokens)))) / 2


def test_mtld_repeated_phrase_worked_example():
    # vi bor i staden vi bor i staden (8 tokens)
    # forwards TTR: 1, 1, 1, 1, 4/5 = .80, 4/6 = .667 <= .72 -> factor 1, reset;
    #   i, staden: TTR 1 at the end -> partial (1 - 1) / .28 = 0; 8 / 1 = 8
    # backwards: staden i bor vi staden i -> 4/6 closes a factor; bor vi -> 0; 8 / 1 = 8
    # MTLD = (8 + 8) / 2 = 8
    tokens = "vi bor i staden vi bor i staden".split()
    assert mtld(tokens) == pytest.approx(8.0)


def test_mtld_partial_factor_worked_example():
    # en stad för en alla (5 tokens), no factor closes either way
    # forwards TTR: 1, 1, 1, 3/4 = .75, 4/5 = .80 -> partial (1 - .8) / (1 - .72) = 5/7
    # backwards (alla en för stad en): 1, 1, 1, 1, 4/5 -> also 5/7
    # MTLD = 5 / (5/7) = 7 both ways
    tokens = "en stad för en alla".split()
    assert mtld(tokens) == pytest.approx(7.0)


def test_mtld_asymmetric_worked_example():
    # och och stad region land kommun (6 tokens)
    # forwards: och 1, och 1/2 = .5 -> factor, reset; 4 new types, TTR 1 -> +0; 6 / 1 = 6
    # backwards: kommun land region stad och och: 1, 1, 1, 1, 1, 5/6 -> partial
    #   (1 - 5/6) / .28 = 0.595238...; 6 / 0.595238 = 10.08
    # MTLD = (6 + 10.08) / 2 = 8.04
    tokens = "och och stad region land kommun".split()
    assert mtld(tokens) == pytest.approx(8.04)


def test_mtld_is_case_sensitive_and_undefined_edges():
    # "Stad" and "stad" are two types: all tokens distinct -> no factor either way -> NaN
    assert math.isnan(mtld(["Stad", "stad"]))
    assert math.isnan(mtld([]))
    assert math.isnan(mtld("alla olika ord här".split()))
    # one repeated token: forwards a (1), a (1/2) closes, a (1) -> 1 factor + 0; 3 / 1 = 3
    assert mtld(["bo", "bo", "bo"]) == pytest.approx(3.0)
    with pytest.raises(ValueError):
        mtld(["a", "b"], threshold=1.0)


@pytest.mark.parametrize("threshold", [0.72, 0.5, 0.8])
def test_mtld_matches_slow_reference_on_random_texts(threshold):
    rng = np.random.default_rng(20261122)
    for _ in range(40):
        n_types = int(rng.integers(2, 60))
        length = int(rng.integers(1, 400))
        # Zipf-like draws give realistic repetition.
        probs = 1 / np.arange(1, n_types + 1)
        tokens = [f"ord{i}" for i in rng.choice(n_types, size=length, p=probs / probs.sum())]
        expected = mtld_reference(tokens, threshold)
        got = mtld(tokens, threshold)
        if math.isnan(expected):
            assert math.isnan(got)
        else:
            assert got == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- MATTR


def test_mattr_worked_examples():
    tokens = "vi bor vi här".split()
    # window 2: [vi bor] 1, [bor vi] 1, [vi här] 1 -> 1.0
    assert mattr(tokens, window=2) == pytest.approx(1.0)
    # window 3: [vi bor vi] 2/3, [bor vi här] 3/3 -> (2/3 + 1) / 2 = 5/6
    assert mattr(tokens, window=3) == pytest.approx(5 / 6)
    # window 4 = the whole text: one window, 3 types / 4 tokens
    assert mattr(tokens, window=4) == pytest.approx(0.75)


def test_mattr_shorter_than_window_is_plain_ttr():
    tokens = "vi bor vi här".split()
    # no full window of 50: plain TTR 3/4, as documented
    assert mattr(tokens) == pytest.approx(0.75)
    assert ttr(tokens) == pytest.approx(0.75)
    assert math.isnan(mattr([]))
    assert math.isnan(ttr([]))
    with pytest.raises(ValueError):
        mattr(tokens, window=0)


def test_mattr_matches_brute_force():
    rng = np.random.default_rng(7)
    for window in (1, 5, 50):
        for _ in range(20):
            length = int(rng.integers(window, 300))
            tokens = [f"t{i}" for i in rng.integers(0, 30, size=length)]
            windows = [tokens[i : i + window] for i in range(length - window + 1)]
            expected = sum(len(set(w)) / window for w in windows) / len(windows)
            assert mattr(tokens, window) == pytest.approx(expected, rel=1e-12)


def test_readability_documents_hand_counted():
    texts = [
        # 8 words, 2 sentences; long (> 6 letters): samverka, kommunen -> LIX 4 + 25 = 29
        "Vi ska bygga. Vi kan samverka med kommunen.",
        # "2024" is a number, not a word: 3 words, 1 sentence, 1 long (EU-medel)
        "EU-medel 2024 till Borås.",
        "",
    ]
    rd = readability_documents(corpus_from_texts(texts))
    assert rd["n_words"].tolist() == [8, 3, 0]
    assert rd["n_sentences"].tolist() == [2, 1, 0]
    assert rd["n_long_words"].tolist() == [2, 1, 0]
    assert rd["lix"][0] == pytest.approx(29.0)
    assert rd["lix"][1] == pytest.approx(3 + 100 / 3)
    assert rd["sentence_length_mean"].tolist()[:2] == [4.0, 3.0]
    assert rd[["lix", "sentence_length_mean", "mtld", "mattr"]].iloc[2].isna().all()
    # the same values as the per-text functions on the document's words
    words = ["vi", "ska", "bygga", "vi", "kan", "samverka", "med", "kommunen"]
    assert rd["lix"][0] == lix_text(words, 2)
    assert rd["mattr"][0] == mattr(words) and math.isnan(rd["mtld"][0]) is math.isnan(mtld(words))
    assert list(readability_documents(corpus_from_texts(texts), diversity=False).columns) == [
        "n_words",
        "n_sentences",
        "n_long_words",
        "lix",
        "sentence_length_mean",
    ]
