import numpy as np
import pytest
from scipy.stats import chi2_contingency

from ordbruk.errors import ParameterError
from ordbruk.terms import collocations as K
from ordbruk.terms import families as T
from ordbruk.terms.locate import terms_locate
from ordbruk.text.corpus import corpus_from_texts

SAM = T.family_from_spec("samverkan", {"stems": ["samverkan"]})


def _setup(texts, fams=(SAM,), meta=None):
    c = corpus_from_texts(list(texts), meta)
    hits, _ = terms_locate(c, list(fams))
    return c, hits


def test_scores_worked_example():
    # O = 4, f(node) = 2, f(coll) = 10, N = 1000, span = 4:
    # E = 2 * 10 * 4 / 1000 = 0.08; MI = log2(4 / 0.08) = log2(50) = 5.6439
    # t = (4 - 0.08) / 2 = 1.96; logDice = 14 + log2(8 / 12) = 13.415
    s = K.collocation_scores([4], 2, [10], 1000, 4).iloc[0]
    assert s["expected"] == pytest.approx(0.08)
    assert s["mi"] == pytest.approx(np.log2(50))
    assert s["t_score"] == pytest.approx(1.96)
    assert s["log_dice"] == pytest.approx(14 + np.log2(8 / 12))


@pytest.mark.parametrize(
    "o,fn,fc,n,span", [(4, 2, 10, 1000, 4), (30, 50, 200, 100000, 10), (1, 5, 3, 500, 2)]
)
def test_log_likelihood_matches_scipy(o, fn, fc, n, span):
    r1 = fn * span
    table = np.array([[o, r1 - o], [fc - o, n - r1 - fc + o]])
    g2, *_ = chi2_contingency(table, correction=False, lambda_="log-likelihood")
    got = K.collocation_scores([o], fn, [fc], n, span)["log_likelihood"].iat[0]
    assert got == pytest.approx(g2, rel=1e-9)


def test_windows_hand_counted_and_never_cross_documents():
    c, hits = _setup(["röd samverkan blå grön röd samverkan", "grön"])
    out = K.collocates_compute(c, hits, window=1, min_count=1).set_index("collocate")
    # hit 1 (pos 1): röd, blå; hit 2 (pos 5): röd, and "grön" of the next document is
    # outside: röd 2, blå 1, grön 0
    assert out["observed"].to_dict() == {"röd": 2, "blå": 1}
    assert (out["f_node"] == 2).all() and (out["n_tokens"] == 7).all()
    # E(röd) = 2 * 2 * 2 / 7
    assert out.loc["röd", "expected"] == pytest.approx(8 / 7)


def test_paragraph_unit_and_phrase_node_and_masks():
    c, hits = _setup(["röd samverkan\n\nblå"])
    doc = K.collocates_compute(c, hits, window=1, min_count=1, unit="document")
    para = K.collocates_compute(c, hits, window=1, min_count=1, unit="paragraph")
    assert set(doc["collocate"]) == {"röd", "blå"} and set(para["collocate"]) == {"röd"}
    fam = T.family_from_spec("sh", {"phrases": ["social hållbarhet"]})
    c, hits = _setup(["en social hållbarhet nu"], [fam])
    out = K.collocates_compute(c, hits, window=1, min_count=1)
    # the right window starts after the phrase: "nu", not "hållbarhet"
    assert sorted(out["collocate"]) == ["en", "nu"]
    masked = T.family_from_spec("s", {"stems": ["samverkan"], "masks": ["Vi i samverkan"]})
    c, hits = _setup(["Vi i samverkan möts"], [masked])
    assert K.collocates_compute(c, hits, window=2, min_count=1).empty


def test_stopwords_min_count_and_groups():
    texts = ["och samverkan stärks", "och samverkan stärks", "bra samverkan"]
    meta = [{"actor_level": lv} for lv in ("local", "local", "national")]
    c, hits = _setup(texts, meta=meta)
    out = K.collocates_compute(c, hits, window=1, min_count=2, stopwords=frozenset({"och"}))
    assert out["collocate"].tolist() == ["stärks"]  # "bra" once < 2, "och" a stop word
    grouped = K.collocates_by_group(c, hits, "actor_level", window=1, min_count=1)
    assert grouped["group"].unique().tolist() == ["all", "local", "national"]
    nat = grouped[grouped["group"] == "national"]
    assert nat["collocate"].tolist() == ["bra"] and nat["n_tokens"].iat[0] == 2
    top = K.collocates_top(grouped, 1)
    assert top.groupby(["group", "family"]).size().max() == 1 and (top["rank"] == 1).all()
    with pytest.raises(ParameterError):
        K.collocates_by_group(c, hits, "party")
    with pytest.raises(ParameterError):
        K.collocates_compute(c, hits, window=0)


def test_groups_without_collocates_keep_numeric_dtypes():
    # a group with no collocate (here "national" at min_count 2) gave an untyped empty frame
    # whose concat made every score column object dtype (report 02 then printed them as text)
    texts = ["och samverkan stärks", "och samverkan stärks", "bra samverkan"]
    meta = [{"actor_level": lv} for lv in ("local", "local", "national")]
    c, hits = _setup(texts, meta=meta)
    grouped = K.collocates_by_group(c, hits, "actor_level", window=1, min_count=2)
    assert "national" not in set(grouped["group"])
    for col in K.COLLOCATE_COLUMNS[2:]:
        assert grouped[col].dtype.kind in "if", (col, grouped[col].dtype)
    empty = K.collocates_compute(c, hits, window=1, min_count=99)
    assert empty.empty and empty["log_likelihood"].dtype.kind == "f"
    assert empty["observed"].dtype.kind == "i"
