"""Nonsense parameter values fail at once, one line naming file, key and range (issue 12 item 11).

Table-driven: every row is a value the issue found accepted or failing deep in a notebook.
"""

import pytest

from ordbruk.errors import ParameterError
from ordbruk.run.limits import LIMITS
from ordbruk.run.params import defaults_load, params_validate

NB2, NB3, NB4 = "02_term_frequency", "03_rhetoric_comparison", "04_topic_model"

BAD = [
    # (section or None for the top level, key, value, words the message must hold)
    (None, "seed", 2**32, "4294967295"),
    (None, "seed", -1, "between 0 and 4294967295"),
    (NB2, "kwic_sample_size", -1, ">= 0"),
    (NB2, "n_boot", 0, ">= 1"),
    (NB3, "n_boot", 0, ">= 1"),
    (NB4, "n_boot", -5, ">= 1"),
    (NB2, "ci_level", 1.5, "between 0 and 1"),
    (NB3, "ci_level", 0, "between 0 and 1"),
    ("01_corpus_overview", "excerpt_chars", -5, ">= 0"),
    (NB4, "max_iter", 0, ">= 1"),
    (NB4, "k_grid", [2, 0], ">= 2"),
    (NB4, "n_seeds", 1, ">= 2"),
    (NB4, "test_share", 1.0, "between 0 and 1"),
    (NB4, "method", "lsa", "not one of lda, nmf, auto"),
    (NB3, "token_level", "stem", "not one of form, lemma"),
    (NB3, "p_max", 0, "between 0 and 1"),
    (NB2, "window", 0, ">= 1"),
    (NB2, "kwic_sort_by", "middle", "left, right"),
]


@pytest.fixture(scope="module")
def defaults():
    return defaults_load()


def _data(section, key, value):
    if section is None:
        return {"corpus": "data/seeds", key: value}
    return {"corpus": "data/seeds", "notebooks": {section: {key: value}}}


@pytest.mark.parametrize("section,key,value,words", BAD)
def test_out_of_range_values_are_one_line_errors(defaults, section, key, value, words):
    with pytest.raises(ParameterError) as e:
        params_validate(_data(section, key, value), "study.yaml", defaults)
    message = str(e.value)
    where = key if section is None else f"notebooks.{section}.{key}"
    assert message.startswith(f"study.yaml: {where}: ") and words in message, message
    assert "\n" not in message


@pytest.mark.parametrize(
    "section,key,value",
    [(None, "seed", 2**32 - 1), (NB2, "kwic_sample_size", 0), (NB2, "ci_level", 0.5),
     (NB4, "max_iter", 1), (NB4, "k_grid", [2, 30])],
)  # fmt: skip
def test_edge_values_inside_the_range_are_accepted(defaults, section, key, value):
    params_validate(_data(section, key, value), "study.yaml", defaults)


def test_every_default_and_every_shipped_study_is_inside_the_table(defaults):
    params_validate({"corpus": "data/seeds"}, "study.yaml", defaults)
    keys = {k for section in defaults["notebooks"].values() for k in section} | {"seed"}
    assert set(LIMITS) <= keys, set(LIMITS) - keys  # no stale entries
