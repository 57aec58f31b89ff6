"""Nonsense parameter values fail at once, one line naming file, key and range (issue 12 item 11).

Table-driven: every row is a value the issue found accepted or failing deep in a notebook.
"""

import pytest

from ordbruk.errors import ParameterError
from ordbruk.run.limits import LIMITS, columns_check
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


COLUMNS = ["doc_id", "actor", "actor_level", "date", "year", "doc_type", "family", "count"]


@pytest.mark.parametrize(
    "data,words",
    [
        ({"notebooks": {NB2: {"group_by": "kommun"}}}, f"notebooks.{NB2}.group_by: no column 'kommun'"),
        ({"notebooks": {NB3: {"group_by": "Actor_level"}}}, "no column 'Actor_level'"),
        ({"strata": "genre"}, "strata: no column 'genre'"),
        ({"notebooks": {NB2: {"group_by": "family"}}}, "'family' is also a column of"),
        ({"notebooks": {NB3: {"group_by": "count"}}}, "'count' is also a column of"),
    ],
)  # fmt: skip
def test_grouping_columns_are_checked_against_the_metadata(defaults, data, words):
    params = params_validate({"corpus": "data/seeds", **data}, "study.yaml", defaults)
    with pytest.raises(ParameterError, match=words) as e:
        columns_check(params, COLUMNS, "study.yaml")
    assert str(e.value).startswith("study.yaml: ") and "\n" not in str(e.value)


def test_grouping_columns_that_exist_pass_and_unrun_notebooks_are_skipped(defaults):
    data = {"corpus": "x", "strata": "doc_type", "notebooks": {NB2: {"group_by": "kommun"}}}
    params = params_validate(data, "study.yaml", defaults)
    columns_check(params, COLUMNS, "study.yaml", notebooks=[NB3, NB4])
    with pytest.raises(ParameterError):
        columns_check(params, COLUMNS, "study.yaml")
