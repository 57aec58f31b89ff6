from pathlib import Path

import pytest

from ordbruk import paths
from ordbruk.errors import ParameterError
from ordbruk.run.params import (
    notebook_parameters,
    params_load,
    params_validate,
    reference_load,
    yaml_read,
)

REFERENCE = """\
corpus: data/seeds
cache_dir: null
seed: 7
validation:
  allowed_levels: [national, local]
  encoding_fallback: null
cleaning:
  boilerplate: true
  repeated_min_docs: 3
  disabled_rules: []
notebooks:
  01_corpus_overview:
    excerpt_chars: 400
  02_term_frequency: {}
"""


@pytest.fixture
def ref(tmp_path):
    path = tmp_path / "reference.yaml"
    path.write_text(REFERENCE, encoding="utf-8")
    return path


def write(tmp_path, text, name="study.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_params_file_is_valid():
    params = params_load()
    assert isinstance(params["corpus"], str)
    assert isinstance(params["seed"], int)
    assert set(params) >= {"corpus", "cache_dir", "seed", "validation", "cleaning", "notebooks"}


def test_study_file_inherits_missing_keys(tmp_path, ref):
    path = write(tmp_path, "seed: 11\ncleaning:\n  boilerplate: false\n")
    params = params_load(path, reference_path=ref)
    assert params["seed"] == 11
    assert params["cleaning"] == {
        "boilerplate": False,
        "repeated_min_docs": 3,
        "disabled_rules": [],
    }
    assert params["validation"]["allowed_levels"] == ["national", "local"]
    assert params["notebooks"]["01_corpus_overview"] == {"excerpt_chars": 400}


def test_empty_study_file_gives_reference(tmp_path, ref):
    assert params_load(write(tmp_path, ""), reference_path=ref) == yaml_read(ref)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("korpus: data/x\n", "korpus: unknown key"),
        ("cleaning:\n  boilerplat: true\n", "cleaning.boilerplat: unknown key"),
        (
            "notebooks:\n  01_corpus_overview:\n    excerpt: 3\n",
            "notebooks.01_corpus_overview.excerpt",
        ),
    ],
)
def test_unknown_key_names_file_and_key(tmp_path, ref, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError) as info:
        params_load(path, reference_path=ref)
    message = str(info.value)
    assert str(path) in message and key in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("seed: abc\n", "seed"),
        ("seed: 1.5\n", "seed"),
        ("corpus: 3\n", "corpus"),
        # true is a bool, not the integer the reference has
        ("cleaning:\n  repeated_min_docs: true\n", "cleaning.repeated_min_docs"),
        ("cleaning:\n  boilerplate: 1\n", "cleaning.boilerplate"),
        ("validation:\n  allowed_levels: national\n", "validation.allowed_levels"),
        ("validation:\n  allowed_levels: [1, 2]\n", "validation.allowed_levels"),
        ("validation: [a]\n", "validation"),
        ("notebooks:\n  01_corpus_overview:\n    excerpt_chars: many\n", "excerpt_chars"),
        ("notebooks:\n  05_new: 3\n", "notebooks.05_new"),
    ],
)
def test_wrong_type_names_key(tmp_path, ref, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ParameterError, match=key) as info:
        params_load(path, reference_path=ref)
    assert str(path) in str(info.value)


def test_null_default_accepts_text(tmp_path, ref):
    path = write(tmp_path, "cache_dir: /tmp/c\nvalidation:\n  encoding_fallback: cp1252\n")
    params = params_load(path, reference_path=ref)
    assert params["cache_dir"] == "/tmp/c"
    assert params["validation"]["encoding_fallback"] == "cp1252"


def test_negative_seed_and_empty_corpus_rejected(tmp_path, ref):
    with pytest.raises(ParameterError, match="seed"):
        params_load(write(tmp_path, "seed: -1\n"), reference_path=ref)
    with pytest.raises(ParameterError, match="corpus"):
        params_load(write(tmp_path, "corpus: ''\n"), reference_path=ref)


def test_unknown_notebook_is_accepted_and_null_section_is_empty(tmp_path, ref, monkeypatch):
    # a new notebook (present in notebooks/ but not in default.yaml) may have a section
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "09_new.ipynb").write_text("{}")
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", tmp_path / "notebooks")
    path = write(tmp_path, "notebooks:\n  09_new:\n    alpha: 0.5\n  02_term_frequency:\n")
    params = params_load(path, reference_path=ref)
    assert params["notebooks"]["09_new"] == {"alpha": 0.5}
    assert params["notebooks"]["02_term_frequency"] == {}


def test_notebook_section_may_not_redefine_injected_names(tmp_path, ref):
    path = write(tmp_path, "notebooks:\n  09_new:\n    seed: 3\n")
    with pytest.raises(ParameterError, match=r"notebooks\.09_new\.seed: reserved"):
        params_load(path, reference_path=ref)


def test_invalid_yaml_names_line(tmp_path, ref):
    path = write(tmp_path, "seed: 1\ncleaning: [\n")
    with pytest.raises(ParameterError, match=r"study\.yaml:\d+: invalid YAML"):
        params_load(path, reference_path=ref)


def test_missing_file(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        params_load(tmp_path / "nope.yaml")


def test_top_level_must_be_mapping(tmp_path, ref):
    with pytest.raises(ParameterError, match="mapping"):
        params_validate(["a"], tmp_path / "x.yaml", reference_load(ref))


def test_notebook_parameters(tmp_path, ref):
    params = params_load(write(tmp_path, "corpus: data/seeds\n"), reference_path=ref)
    out = notebook_parameters(params, "01_corpus_overview", tmp_path / "run")
    assert out["corpus_path"] == str(paths.ROOT / "data" / "seeds")
    assert Path(out["corpus_path"]).is_absolute()
    assert out["cache_dir"] is None
    assert out["output_dir"] == str((tmp_path / "run").resolve())
    assert out["seed"] == 7
    assert out["notebook_name"] == "01_corpus_overview"
    assert out["cache_key"] == ""  # no prepared corpus: the notebook prepares it
    assert notebook_parameters(params, "01_corpus_overview", tmp_path, "k1")["cache_key"] == "k1"
    assert out["excerpt_chars"] == 400
    assert out["validation"] == {"allowed_levels": ["national", "local"], "encoding_fallback": None}
    # a copy: a notebook changing its dict cannot change the next notebook's parameters
    out["validation"]["allowed_levels"].append("x")
    assert params["validation"]["allowed_levels"] == ["national", "local"]


def test_notebook_parameters_absolute_paths_and_cache(tmp_path, ref):
    params = params_load(
        write(tmp_path, f"corpus: {tmp_path}/c.jsonl\ncache_dir: cache\n"), reference_path=ref
    )
    out = notebook_parameters(params, "09_unknown", "rel/out")
    assert out["corpus_path"] == f"{tmp_path}/c.jsonl"
    assert out["cache_dir"] == str(paths.ROOT / "cache")
    assert set(out) == {
        "corpus_path",
        "cache_dir",
        "output_dir",
        "seed",
        "validation",
        "cleaning",
        "notebook_name",
        "cache_key",
    }


def test_misspelt_notebook_section_is_an_error(tmp_path):
    # regression: "notebooks: {02_term_frequncy: ...}" silently ran 02 on its defaults
    f = tmp_path / "study.yaml"
    f.write_text("corpus: data/seeds\nnotebooks:\n  02_term_frequncy:\n    window: 3\n")
    with pytest.raises(ParameterError, match="notebooks.02_term_frequncy: no such notebook"):
        params_load(f)


def test_cleaning_rules_file_and_min_chars_reachable(tmp_path):
    # regression: `boilerplate: my_rules.yaml` and `repeated_min_chars` were rejected
    f = tmp_path / "study.yaml"
    f.write_text("cleaning:\n  boilerplate: my_rules.yaml\n  repeated_min_chars: 30\n")
    params = params_load(f)
    assert params["cleaning"]["boilerplate"] == "my_rules.yaml"
    assert params["cleaning"]["repeated_min_chars"] == 30


@pytest.mark.parametrize("name", ["default.yaml", "test.yaml", "policy-sv.yaml"])
def test_shipped_params_files_validate(name):
    params = params_load(paths.PARAMS_DIR / name)
    assert params["corpus"] and isinstance(params["notebooks"], dict)
