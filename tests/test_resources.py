import pytest

from ordbruk.errors import ParameterError
from ordbruk.resources import (
    RESOURCES_DIR,
    resource_lines,
    resource_path,
    resource_text,
    resource_yaml,
    yaml_read,
)
from ordbruk.rhetoric import markers
from ordbruk.terms import families
from ordbruk.text import cleaning, tokenize

SHIPPED = [
    "abbreviations_sv.txt",
    "stopwords_sv.txt",
    "stopwords_lemmas_sv.txt",
    "lemma_corrections_sv.txt",
    "boilerplate.yaml",
    "framing.yaml",
    "markers.yaml",
    "organisations.yaml",
    "term_families.yaml",
    "report.css",
    "templates/ordbruk/index.html.j2",
    "templates/ordbruk/conf.json",
]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_file_is_in_the_package(name):
    path = resource_path(name)
    assert path.is_file() and path.parent.resolve().is_relative_to(RESOURCES_DIR)
    assert resource_text(name)


@pytest.mark.parametrize("name", [n for n in SHIPPED if n.endswith(".yaml")])
def test_shipped_yaml_files_are_mappings(name):
    assert isinstance(resource_yaml(name), dict)


def test_text_is_read_once():
    resource_text.cache_clear()
    resource_text("markers.yaml")
    resource_text("markers.yaml")
    info = resource_text.cache_info()
    assert (info.hits, info.misses) == (1, 1)


def test_yaml_is_a_fresh_copy_each_call():
    first = resource_yaml("markers.yaml")
    first["speech_verbs"].append("mutated")
    first["new"] = 1
    again = resource_yaml("markers.yaml")
    assert "mutated" not in again["speech_verbs"] and "new" not in again


def test_lines_leave_out_blanks_and_comments():
    lines = resource_lines("stopwords_sv.txt")
    assert "och" in lines and "" not in lines
    assert not any(s.startswith("#") or s != s.strip() for s in lines)
    raw = resource_text("stopwords_sv.txt").splitlines()
    assert len(lines) == sum(1 for s in raw if s.strip() and not s.startswith("#"))


def test_missing_shipped_file_is_not_a_user_error():
    with pytest.raises(FileNotFoundError):
        resource_text("no_such_file.yaml")


def test_yaml_read_user_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("a: [1, 2]\nb: å\n", encoding="utf-8")
    assert yaml_read(path) == {"a": [1, 2], "b": "å"}
    path.write_text("", encoding="utf-8")
    assert yaml_read(str(path)) is None


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("a: 1\nb: [\n", r"x\.yaml:\d+: invalid YAML"),
        ("a: 1\n  b: 2\n", r"x\.yaml:2: invalid YAML"),
        # an unsafe tag is refused, never constructed
        ("a: !!python/object/apply:os.system ['true']\n", r"x\.yaml:1: invalid YAML.*plain YAML"),
        ("a: !custom 3\n", r"invalid YAML.*tag"),
    ],
)
def test_yaml_read_errors_are_one_line_parameter_errors(tmp_path, text, pattern):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=pattern) as info:
        yaml_read(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_yaml_read_missing_and_undecodable(tmp_path):
    with pytest.raises(ParameterError, match="nope.yaml: file not found"):
        yaml_read(tmp_path / "nope.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("a: å\n".encode("latin-1"))
    with pytest.raises(ParameterError, match="latin1.yaml: cannot read"):
        yaml_read(bad)


def test_loaders_read_through_the_cache(monkeypatch):
    # The library's loaders read shipped files only through this module.
    seen = []
    for module in (families, markers, cleaning):
        monkeypatch.setattr(
            module, "resource_yaml", lambda name: seen.append(name) or resource_yaml(name)
        )
    families.families_load()
    markers.framing_load()
    markers.markers_load()
    cleaning.rules_load()
    assert seen == ["term_families.yaml", "framing.yaml", "markers.yaml", "boilerplate.yaml"]


def test_word_lists_come_from_the_shipped_files():
    stop = tokenize.stopwords_load()
    assert stop.forms == frozenset(resource_lines("stopwords_sv.txt"))
    assert stop.lemmas == frozenset(resource_lines("stopwords_lemmas_sv.txt"))
    assert set(tokenize.lemma_corrections()) == {
        line.split()[0] for line in resource_lines("lemma_corrections_sv.txt")
    }
    assert set(tokenize.abbreviations_load()) == set(resource_lines("abbreviations_sv.txt"))
