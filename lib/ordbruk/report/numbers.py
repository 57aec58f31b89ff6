"""The report's number format: ``ordbruk.numbers``, where every stage can use it.

Kept so that ``ordbruk.report.numbers`` still names the functions; the prose of the analysis
packages formats its numbers with the same rules, so they live in a stage below them.
"""

from ordbruk.numbers import (  # noqa: F401
    cell_format,
    column_kind,
    count_format,
    count_noun,
    number_format,
    p_format,
    share_format,
)
