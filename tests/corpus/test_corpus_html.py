"""html_text: the visible text of a page, paragraphs and table cells kept apart."""

from ordbruk.corpus.html import html_text
from ordbruk.text.redaction import text_redact


def test_html_text_keeps_paragraphs_drops_head_style_and_scripts():
    html = (
        "<html><head><title>Sidtitel</title><style>p {}</style></head><body>"
        "<h1>Rubrik</h1><p>Första &amp; andra<br>raden.</p><script>var x;</script>"
        "<div>  Sista   stycket. </div></body></html>"
    )
    assert html_text(html) == "Rubrik\n\nFörsta & andra\nraden.\n\nSista stycket."


def test_html_text_body_after_unclosed_head_and_empty_page():
    assert html_text("<head><title>T</title><body><p>Text</p>") == "Text"
    assert html_text("") == html_text("<script>x</script>") == ""


def test_html_table_cells_are_not_glued_together():
    # Bug: html_text joined table cells with nothing between them ("Anna031-123 45 67"),
    # which merged words and hid phone numbers from redaction (a 0 after a letter is no
    # phone number), so contact tables of HTML pages reached the reports unredacted.
    html = "<table><tr><th>Namn</th><th>Telefon</th></tr><tr><td>Anna</td><td>031-123 45 67</td></tr></table>"
    text = html_text(html)
    assert text == "Namn\nTelefon\n\nAnna\n031-123 45 67"
    assert text_redact(text) == "Namn\nTelefon\n\nAnna\n[telefon]"
