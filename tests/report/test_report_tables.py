"""Report tables (report/tables.py): previews of every group, hidden rows, budgets, classes."""

import pandas as pd

from ordbruk.report import tables
from ordbruk.report.tables import groups_guess, preview_caption, preview_rows, table_html


def grouped(n_per=(30, 5, 5)):
    groups = ["local"] * n_per[0] + ["national"] * n_per[1] + ["regional"] * n_per[2]
    return pd.DataFrame({"actor_level": groups, "n": range(len(groups))})


def test_preview_shows_every_group():
    df = grouped()  # 40 rows: the first 20 would all be local
    rows = preview_rows(df, 20, "actor_level")
    # ceil(20 / 3) = 7 per group: 7 local, all 5 national, all 5 regional, in table order
    assert rows == [*range(7), *range(30, 35), *range(35, 40)]
    assert set(df.iloc[rows]["actor_level"]) == {"local", "national", "regional"}


def test_preview_many_groups_one_row_each_and_pairs():
    df = pd.DataFrame({"g": [f"g{i // 3}" for i in range(75)], "x": range(75)})
    assert len(preview_rows(df, 20, "g")) == 25  # 25 groups, one row each, more than 20
    pairs = pd.DataFrame({"group_a": list("aaaabbbb"), "group_b": list("bbccccdd")})
    assert preview_rows(pairs, 4, ["group_a", "group_b"]) == [0, 2, 4, 6]


def test_preview_without_groups_or_cut():
    df = grouped()
    assert preview_rows(df, 20, None) == list(range(20))
    assert preview_rows(df, 20, "absent") == list(range(20))
    assert preview_rows(df, None, "actor_level") == list(range(40))
    assert preview_rows(df, 50, "actor_level") == list(range(40))
    one = pd.DataFrame({"g": ["a"] * 30})
    assert preview_rows(one, 10, "g") == list(range(10))


def test_groups_guess():
    df = pd.DataFrame(columns=["group_a", "group_b", "term", "group"])
    assert groups_guess(df, "actor_level") == ["group"]
    assert groups_guess(df.drop(columns="group"), None) == ["group_a", "group_b"]
    assert groups_guess(pd.DataFrame(columns=["actor_level", "x"]), "actor_level") == [
        "actor_level"
    ]
    assert groups_guess(pd.DataFrame(columns=["x"]), "actor_level") == []


def test_caption_says_shown_of_total_how_and_where():
    df = grouped()
    text = preview_caption(40, 17, ["actor_level"], df, "tables/x.csv")
    assert text == (
        "Shown: 17 of 40 rows (the first rows of each of the 3 groups of actor_level); "
        "all rows in <code>tables/x.csv</code>."
    )
    assert preview_caption(40, 20, [], df, "tables/x.csv").startswith(
        "Shown: 20 of 40 rows (the first 20);"
    )
    assert preview_caption(1, 1, [], df, "tables/x.csv") == (
        "1 row; all rows in <code>tables/x.csv</code>."
    )


def test_rows_beyond_preview_embedded_hidden_within_budget():
    df = grouped()
    out, n_preview, n_embedded = table_html(df, 20, "actor_level", "tables/x.csv")
    assert (n_preview, n_embedded) == (17, 40)
    assert out.count("<tr hidden>") == 23 and out.count("<tr>") == 18  # + the header row
    assert 'data-total="40"' in out and 'data-csv="tables/x.csv"' in out
    # the budget is spent on hidden rows only: with none left only the preview is embedded
    out, n_preview, n_embedded = table_html(df, 20, "actor_level", "tables/x.csv", 0)
    assert (n_preview, n_embedded) == (17, 17) and "<tr hidden>" not in out
    row = len(b'<tr hidden><td>local</td><td class="num">7</td></tr>')
    _, _, n_embedded = table_html(df, 20, "actor_level", "t.csv", 2 * row)
    assert n_embedded == 17 + 2


def test_cells_escaped_classes_and_header_breaks():
    quote = "Vi <b>måste</b> " + "samverka mer " * 10
    df = pd.DataFrame(
        {
            "doc_id": ["d1"],
            "role": ["ordförande för " * 4],
            "quote": [quote],
            "n_docs_with_term": [3],
        }
    )
    out, _, _ = table_html(df, 20)
    assert "&lt;b&gt;måste&lt;/b&gt;" in out and "<b>" not in out
    assert '<th class="num">n_<wbr>docs_<wbr>with_<wbr>term</th>' in out
    assert '<td class="text">ordförande' in out  # longer than 40 characters: wraps
    assert '<td class="text long">Vi' in out  # more than 60 on average: a wide column
    assert "<td>d1</td>" in out
    assert 'class="ordbruk-table-wrap wide"' in out  # a text column: may use the full width
    narrow, _, _ = table_html(pd.DataFrame({"a": ["x"], "b": [1]}), 20)
    assert 'class="ordbruk-table-wrap"' in narrow
    many, _, _ = table_html(pd.DataFrame({f"c{i}": [i] for i in range(13)}), 20)
    assert 'class="ordbruk-table-wrap wide many landscape"' in many  # printed landscape


def test_concordance_left_context_right_aligned():
    df = pd.DataFrame({"left": ["och det är viktigt att vi " * 2], "match": ["samverkan"],
                       "right": ["mellan regionen och kommunerna " * 2]})  # fmt: skip
    out, _, _ = table_html(df, 20)
    assert '<td class="text kwic-left">' in out
    assert 'class="ordbruk-table-wrap wide landscape"' in out  # printed on a landscape page


def test_report_budget_constants_consistent():
    assert tables.REPORT_BUDGET <= 5_000_000
    assert tables.TABLE_EMBED_BYTES <= tables.REPORT_EMBED_BYTES < tables.REPORT_BUDGET


def test_budget_fit_drops_hidden_rows_of_the_largest_tables_first():
    small, _, _ = table_html(grouped((30, 5, 5)), 5, "actor_level", "tables/s.csv")
    big, _, _ = table_html(grouped((300, 5, 5)), 5, "actor_level", "tables/b.csv")
    big = big.replace("<tr hidden>", '<tr hidden="">')  # as nbconvert writes it
    page = f"<p>a</p>{small}<p>b</p>{big}<p>c</p>"
    assert tables.budget_fit(page, len(page.encode())) == (page, 0)
    fitted, n = tables.budget_fit(page, len(page.encode()) - 100)
    assert n == 1 and "<tr hidden" not in fitted.split("<p>b</p>")[1]  # the big one cut
    assert fitted.split("<p>b</p>")[0] == f"<p>a</p>{small}"  # the small one kept whole
    assert fitted.endswith("</table>\n</div><p>c</p>") and 'data-total="310"' in fitted
    fitted, n = tables.budget_fit(page, 10)
    assert n == 2 and "<tr hidden" not in fitted and fitted.count("<tr>") == 2 * 6 + 2


def test_many_columns_show_the_verdict_columns_first():
    cols = {"group_a": ["a"], "group_b": ["b"], "term": ["t"]}
    cols |= {f"n{i}": [i] for i in range(10)}
    cols |= {"direction": ["a"], "passes": [True]}
    df = pd.DataFrame(cols)  # 15 columns
    order = tables.columns_order(df)
    assert order[:5] == ["group_a", "group_b", "term", "direction", "passes"]
    assert sorted(order) == sorted(df.columns)
    out, _, _ = table_html(df, 20)
    assert out.index(">direction</th>") < out.index(">n0</th>")
    caption = preview_caption(1, 1, [], df, "tables/k.csv")
    assert caption == (
        "1 row; all rows in <code>tables/k.csv</code> "
        "(there the columns direction, passes come later)."
    )
    narrow = df[["group_a", "n0", "direction"]]
    assert tables.columns_order(narrow) == ["group_a", "n0", "direction"]


def test_long_identifiers_get_a_narrow_breaking_column_not_the_prose_width():
    # seen on policy-sv: 60-character doc_ids took the quote column's 30rem, so the quotes
    # of "Direct quotes and their speakers" were pushed off the page's right edge
    doc_id = "gov-artiklar-2014-10-projektet-smocs-gor-fororenade-muddermas-c4580f"
    df = pd.DataFrame({"doc_id": [doc_id], "quote": ["Vi ska samverka mer " * 5]})
    out, _, _ = table_html(df, 20)
    assert f'<td class="text ident">{doc_id}</td>' in out
    assert '<td class="text long">Vi ska' in out


def test_object_columns_of_numbers_are_numeric():
    # collocates_top in report 02 had object-dtype scores (concatenated with an untyped empty
    # frame): they were left-aligned, printed as text and sorted lexicographically
    df = pd.DataFrame(
        {
            "collocate": ["stärks", "bra"],
            "mi": pd.Series([0.12738853503184713, 12.5], dtype=object),
            "observed": pd.Series([3, None], dtype=object),
            "mixed": pd.Series([1, "x"], dtype=object),
            "flag": pd.Series([True, False], dtype=object),
        }
    )
    assert [tables.column_numeric(df[c]) for c in df] == [False, True, True, False, False]
    out, _, _ = table_html(df, 20)
    assert '<th class="num">mi</th>' in out and '<th class="num">observed</th>' in out
    assert '<td class="num">0.1274</td>' in out and '<td class="num">3</td>' in out
    assert "<th>mixed</th>" in out and "<th>flag</th>" in out
    assert not tables.column_numeric(pd.Series([None, None], dtype=object))


def test_short_identifiers_are_identifiers_words_are_not():
    # printed, a concordance was wider than the page: doc_ids (20 characters) and line ids
    # could not break once words break only between letters of an over-long word
    df = pd.DataFrame(
        {
            "line_id": ["arbetsmarknad|000_f590c298ebc61e93|14"],
            "doc_id": ["003_77a0207712edbdc5"],
            "match": ["arbetsmarknadsarbete"],
            "date": ["2014-01-31"],
        }
    )
    out, _, _ = table_html(df, 20)
    assert '<td class="text ident">arbetsmarknad|000' in out
    assert '<td class="text ident">003_77a0207712edbdc5</td>' in out
    assert "<td>arbetsmarknadsarbete</td>" in out and "<td>2014-01-31</td>" in out
