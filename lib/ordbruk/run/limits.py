"""The valid values of the study parameters: one declarative table, ``LIMITS``, and its check.

A type check (``ordbruk.run.params``) lets ``n_boot: 0`` or ``ci_level: 1.5`` through; no
analysis can use them, and they failed deep inside a notebook or, worse, gave empty
intervals. Every numeric or enumerated parameter has its range or choices here, by key,
and ``params_validate`` checks them at once, so the message names the file, the key and
the range before anything runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ordbruk.errors import ParameterError


@dataclass(frozen=True)
class Limit:
    """The valid values of one parameter: a closed or open range, or a set of choices.

    ``low``/``high`` None: no bound on that side; ``open_low``/``open_high``: the bound
    itself is excluded. For a list parameter the limit applies to every item.
    """

    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    choices: tuple = ()

    def problem(self, value: Any) -> str | None:
        """Return what is wrong with one value ("is out of range; ..."), or None when valid."""
        if self.choices:
            return None if value in self.choices else f"is not one of {', '.join(self.choices)}"
        if not isinstance(value, int | float) or isinstance(value, bool):
            return None  # the type check reports it
        low_ok = self.low is None or (value > self.low if self.open_low else value >= self.low)
        high_ok = self.high is None or (value < self.high if self.open_high else value <= self.high)
        if low_ok and high_ok:
            return None
        low, high = _num(self.low), _num(self.high)
        if self.low is not None and self.high is not None:
            shut = [b for b, o in ((low, self.open_low), (high, self.open_high)) if o]
            excluded = f" ({' and '.join(shut)} excluded)" if shut else ""
            return f"is out of range; give a value between {low} and {high}{excluded}"
        if self.low is not None:
            return f"is out of range; give a value {'>' if self.open_low else '>='} {low}"
        return f"is out of range; give a value {'<' if self.open_high else '<='} {high}"


def _num(x: float | None) -> str:
    return "" if x is None else str(int(x)) if float(x).is_integer() else f"{x:g}"


_COUNT, _POSITIVE, _SHARE = Limit(0), Limit(1), Limit(0, 1, open_low=True, open_high=True)

#: The one table of valid values, by key: a key means the same wherever it appears (the top
#: level or any notebook's section). Checked by ``params_validate`` after the types, so a
#: value no analysis can use fails at once, naming the file, the key and the range.
LIMITS: dict[str, Limit] = {
    "seed": Limit(0, 2**32 - 1),  # numpy seeds are 32-bit
    "n_boot": _POSITIVE,  # 0 replicates: no interval at all
    "ci_level": _SHARE,
    "excerpt_chars": _COUNT,
    "lemma_min_count": _POSITIVE,
    "window": _POSITIVE,
    "min_collocate_count": _POSITIVE,
    "collocates_top_n": _COUNT,
    "kwic_sample_size": _COUNT,
    "kwic_width": _COUNT,
    "kwic_sort_by": Limit(choices=("left", "right")),
    "kwic_coding_size": _COUNT,
    "min_docs_per_point": _COUNT,
    "dispersion_max_docs": _POSITIVE,
    "min_docs": _COUNT,
    "min_actors": _COUNT,
    "min_tokens": _COUNT,
    "token_level": Limit(choices=("form", "lemma")),
    "unit": Limit(choices=("document", "paragraph")),  # 02's counts, 04's modelled units
    "min_freq": _POSITIVE,
    "top_n": _COUNT,
    "plot_n": _COUNT,
    "p_max": Limit(0, 1, open_low=True),
    "log_ratio_min": _COUNT,
    "fw_prior": Limit(choices=("corpus", "wordfreq")),
    "fw_prior_size": Limit(0, open_low=True),
    "fw_label_n": _COUNT,
    "method": Limit(choices=("lda", "nmf", "auto")),
    "k_grid": Limit(2),  # every k of the grid
    "k": _COUNT,  # 0: chosen by the rule
    "n_seeds": Limit(2),
    "min_stable_share": Limit(0, 1),
    "min_df": Limit(0, open_low=True),
    "max_df": Limit(0, open_low=True),
    "n_top": _POSITIVE,
    "stability_threshold": Limit(0, 1),
    "test_share": _SHARE,
    "max_iter": _POSITIVE,
    "evaluate_every": _COUNT,
    "perp_tol": Limit(0, open_low=True),
    "nmf_tol": Limit(0, open_low=True),
    "learning_method": Limit(choices=("batch", "online")),
    "batch_size": _POSITIVE,
    "mean_change_tol": Limit(0, open_low=True),
    "max_doc_update_iter": _POSITIVE,
    "n_jobs": _COUNT,
    "fit_max_units": _COUNT,  # 0: every unit is fitted
    "trend_min_docs": _COUNT,
    "n_examples": _COUNT,
    "example_chars": _COUNT,
    "min_units": _COUNT,
    "min_terms": _COUNT,
}


def limits_check(values: dict, where: str, path: str | Path) -> None:
    """Check values against ``LIMITS``; a list is checked item by item.

    Args:
        values: ``{key: value}`` of one section (types already checked).
        where: the section prefix for messages, e.g. ``"notebooks.02_term_frequency."``.
        path: the params file, for messages.

    Raises:
        ParameterError: the first value out of its range, naming file, key and range.
    """
    for key, value in values.items():
        limit = LIMITS.get(key)
        if limit is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            problem = limit.problem(item)
            if problem:
                shown = f"{item!r} in {value!r}" if isinstance(value, list) else repr(value)
                raise ParameterError(f"{path}: {where}{key}: {shown} {problem}")


#: Columns that the tables grouped by ``group_by`` hold beside the grouping column (term
#: counts by group, keyness, markers by group): a metadata column of the same name cannot
#: be the grouping column (it failed with ``KeyError: 'family'`` deep in notebook 02).
GROUP_RESERVED = (
    "family", "count", "masked_count", "n_tokens", "freq_per_10k", "n_docs", "n_docs_with_term",
    "n_actors", "n_actors_with_term", "dp_docs", "dp_actors", "term", "group", "stratum",
    "marker",
)  # fmt: skip


def columns_named(params: dict, notebooks=None) -> list[tuple[str, str]]:
    """Return (key, column) for every metadata column the parameters name (see columns_check)."""
    named = [("strata", params.get("strata") or "")]
    for name, section in (params.get("notebooks") or {}).items():
        if notebooks is None or name in notebooks:
            named.append((f"notebooks.{name}.group_by", (section or {}).get("group_by", "")))
    return [(w, c) for w, c in named if isinstance(c, str) and c]


def columns_check(params: dict, columns, path: str | Path, notebooks=None) -> None:
    """Check the parameters that name a metadata column against the corpus's columns.

    Call it once the corpus is prepared and before any notebook runs (its columns:
    ``corpus.meta.columns``): ``group_by`` of every notebook section that has one, and
    ``strata`` when set.

    Args:
        params: validated parameters (``params_validate``).
        columns: the metadata columns of the corpus.
        path: the params file, for messages.
        notebooks: names of the notebooks that run (None: every section is checked).

    Raises:
        ParameterError: a column is missing or is one of ``GROUP_RESERVED``; one line
            naming the file, the key and the columns there are.
    """
    columns = [str(c) for c in columns]
    for where, column in columns_named(params, notebooks):
        if not isinstance(column, str) or not column:
            continue
        if column not in columns:
            shown = ", ".join(columns[:30]) + (", ..." if len(columns) > 30 else "")
            raise ParameterError(f"{path}: {where}: no column '{column}' in the corpus "
                                 f"metadata; name one of: {shown}")  # fmt: skip
        if column in GROUP_RESERVED and where != "strata":
            raise ParameterError(f"{path}: {where}: '{column}' is also a column of the "
                                 "grouped tables; copy the metadata column under another name "
                                 "and group by that")  # fmt: skip
