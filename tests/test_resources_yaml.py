"""YAML the user gives is parsed with limits: size, nesting depth, aliases, duplicate keys (issue 12).

Each hostile file must fail fast (well under 2 s) with a one-line ParameterError naming it.
"""

import time

import pytest

from ordbruk.errors import ParameterError
from ordbruk.resources import yaml_read
from ordbruk.run.params import params_load

BOMB = """\
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _fails_fast(path, pattern, loader=yaml_read):
    t0 = time.perf_counter()
    with pytest.raises(ParameterError, match=pattern) as e:
        loader(path)
    assert time.perf_counter() - t0 < 2
    message = str(e.value)
    assert "\n" not in message and str(path) in message
    return message


def test_alias_bomb_is_rejected_quickly(tmp_path):
    p = tmp_path / "bomb.yaml"
    p.write_text(BOMB, encoding="utf-8")
    _fails_fast(p, "alias")


def test_alias_bomb_in_families_custom_of_a_params_file(tmp_path):
    body = "".join("      " + line + "\n" for line in BOMB.splitlines())
    p = tmp_path / "study.yaml"
    p.write_text(
        "corpus: data/seeds\nnotebooks:\n  02_term_frequency:\n    families_custom:\n" + body,
        encoding="utf-8",
    )
    _fails_fast(p, "alias", params_load)


@pytest.mark.parametrize("opener,closer", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_a_one_line_error_not_recursion(tmp_path, opener, closer):
    p = tmp_path / "deep.yaml"
    p.write_text("x: " + opener * 5000 + "1" + closer * 5000 + "\n", encoding="utf-8")
    _fails_fast(p, "nest")


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    p = tmp_path / "huge.yaml"
    p.write_text("x: '" + "a" * (11 * 2**20) + "'\n", encoding="utf-8")
    _fails_fast(p, "MB")


def test_duplicate_keys_are_an_error_naming_the_line(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("seed: 1\ncorpus: data/seeds\nseed: 2\n", encoding="utf-8")
    message = _fails_fast(p, "seed")
    assert ":3:" in message and "twice" in message


def test_duplicate_keys_nested(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("cleaning:\n  boilerplate: true\n  boilerplate: false\n", encoding="utf-8")
    _fails_fast(p, "boilerplate")


def test_merge_keys_and_moderate_aliases_still_work(tmp_path):
    p = tmp_path / "ok.yaml"
    p.write_text(
        "base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n", encoding="utf-8"
    )
    data = yaml_read(p)
    assert data["other"] == {"x": 1, "y": 3} and data["list"] == [{"x": 1, "y": 2}] * 2
