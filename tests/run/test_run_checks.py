"""Parameter values checked against the corpus before any notebook runs (ordbruk.run.checks)."""

import copy

import pytest

from ordbruk.errors import ParameterError
from ordbruk.run import checks, cli
from ordbruk.run.checks import header_check, header_columns, values_check
from ordbruk.run.limits import limits_check
from ordbruk.text.corpus import corpus_from_texts

R, T = "notebooks.03_rhetoric_comparison", "notebooks.04_topic_model"
ALL = ["03_rhetoric_comparison", "04_topic_model"]


def _params(**sections):
    base = {"corpus": "c", "strata": "", "subset": {}, "notebooks": {
        "03_rhetoric_comparison": {"group_by": "actor_level", "groups": []},
        "04_topic_model": {"unit": "paragraph", "k_grid": [2, 3], "k": 0, "test_share": 0.1},
    }}  # fmt: skip
    out = copy.deepcopy(base)
    for name, values in sections.items():
        out["notebooks"][name].update(values)
    return out


@pytest.fixture
def corpus():
    # 3 documents, 2 levels; 6 paragraphs in all
    texts = ["Ett stycke.\n\nTvå stycken.", "Tre.\n\nFyra.\n\nFem.", "Sex."]
    meta = [{"actor_level": "local"}, {"actor_level": "national"}, {"actor_level": "local"}]
    return corpus_from_texts(texts, meta)


def test_values_that_fit_pass(corpus):
    values_check(_params(), corpus, "p.yaml", ALL)


def test_unknown_group_names_the_values(corpus):
    params = _params(**{"03_rhetoric_comparison": {"groups": ["local", "kommun"]}})
    with pytest.raises(ParameterError) as e:
        values_check(params, corpus, "p.yaml", ALL)
    assert str(e.value) == (
        f"p.yaml: {R}.groups: 'kommun' is not a value of actor_level in the analysed "
        "documents; values: local, national"
    )


def test_one_group_cannot_be_compared(corpus):
    params = _params(**{"03_rhetoric_comparison": {"groups": ["local"]}})
    with pytest.raises(ParameterError, match=rf"^p\.yaml: {R}\.groups: actor_level has 1 group"):
        values_check(params, corpus, "p.yaml", ALL)
    # without groups: every value of group_by, and here there is one (actor = "unknown")
    params = _params(**{"03_rhetoric_comparison": {"group_by": "actor"}})
    with pytest.raises(ParameterError, match=r"group_by: actor has 1 group\(s\) \(unknown\)"):
        values_check(params, corpus, "p.yaml", ALL)
    values_check(params, corpus, "p.yaml", ["04_topic_model"])  # 03 does not run: no check


def test_k_grid_that_does_not_fit(corpus):
    # 6 paragraphs, 1 held out (round(0.1 * 6) = 1, at least 1): 5 for training, k <= 4
    params = _params(**{"04_topic_model": {"k_grid": [5, 10]}})
    with pytest.raises(ParameterError) as e:
        values_check(params, corpus, "p.yaml", ALL)
    assert str(e.value) == (
        f"p.yaml: {T}.k_grid: [5, 10]: no k fits the corpus (6 paragraphs, 5 of them for "
        "training); a k needs fewer topics than training units: at most 4"
    )
    # a grid with some values that fit: the larger ones are skipped by the notebook
    values_check(_params(**{"04_topic_model": {"k_grid": [2, 4, 10]}}), corpus, "p.yaml", ALL)


def test_fixed_k_and_documents_as_units(corpus):
    # 3 documents: 1 held out, 2 for training: k <= 1, so no k at all
    params = _params(**{"04_topic_model": {"unit": "document", "k": 2}})
    with pytest.raises(ParameterError, match=r"k: 2 does not fit the corpus \(3 documents, 2 of "
                       r"them for training\); .*: none \(too few units"):  # fmt: skip
        values_check(params, corpus, "p.yaml", ALL)
    with pytest.raises(ParameterError, match=r"k: 1; give 0 \(chosen by the rule\)"):
        values_check(_params(**{"04_topic_model": {"k": 1}}), corpus, "p.yaml", ALL)


def test_unknown_unit_is_a_limit():
    with pytest.raises(ParameterError, match=r"p: x\.unit: 'sentence' is not one of document"):
        limits_check({"unit": "sentence"}, "x.", "p")


def _folder(tmp_path, header="doc_id,actor,actor_level,date,genre"):
    root = tmp_path / "corpus"
    root.mkdir(parents=True)
    (root / "metadata.csv").write_text(f"\ufeff{header}\nd1,A,local,2019,x\n", encoding="utf-8")
    (root / "d1.txt").write_text("Text.", encoding="utf-8")
    return root


def test_header_columns(tmp_path):
    root = _folder(tmp_path, "doc_id;actor;actor_level;date; genre ")
    columns = header_columns(root)
    assert columns[:5] == ["doc_id", "actor", "actor_level", "date", "genre"]
    assert {"year", "n_tokens", "date_precision"} <= set(columns)
    assert header_columns(tmp_path / "nothing") is None
    assert header_columns(_folder(tmp_path / "b", "id,who")) is None  # the reader says why


def test_header_check_names_parameter_value_and_columns(tmp_path):
    params = _params(**{"03_rhetoric_comparison": {"group_by": "doctype"}})
    params["corpus"] = str(_folder(tmp_path))
    with pytest.raises(ParameterError) as e:
        header_check(params, "p.yaml", ALL)
    assert str(e.value).startswith(
        f"p.yaml: {R}.group_by: no column 'doctype' in the corpus metadata; name one of: "
        "doc_id, actor, actor_level, date, genre, "
    )
    header_check(params, "p.yaml", ["04_topic_model"])  # 03 does not run
    params["notebooks"]["03_rhetoric_comparison"]["group_by"] = "genre"
    header_check(params, "p.yaml", ALL)


def test_run_stops_before_preparing_the_corpus(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ORDBRUK_CACHE", str(tmp_path / "cache"))
    study = tmp_path / "x.yaml"
    study.write_text(f"corpus: {_folder(tmp_path)}\nnotebooks:\n  03_rhetoric_comparison:\n"
                     "    group_by: doctype\n", encoding="utf-8")  # fmt: skip
    assert cli.main(["run", "--params", str(study), "--out", str(tmp_path / "run")]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not (tmp_path / "cache").exists()
    assert captured.err.count("\n") == 1 and "group_by: no column 'doctype'" in captured.err


def test_needs_corpus():
    assert checks.needs_corpus(_params(), ["04_topic_model"])
    assert not checks.needs_corpus(_params(), ["01_corpus_overview", "02_term_frequency"])
