"""The visible text of an HTML page, for corpus folders that hold ``.html`` files.

Uses only the standard library's ``html.parser``: what a browser would show, with block
elements as paragraph breaks and table cells on lines of their own, so that words of
neighbouring cells are never glued together (which would also hide phone numbers from
redaction).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HTML_SKIP = {"script", "style", "head", "template", "noscript", "svg"}
_HTML_BLOCKS = set(
    "p div section article header footer main aside nav h1 h2 h3 h4 h5 h6 li ul ol dl dt dd "
    "table tr blockquote pre figure figcaption form hr address details summary".split()
)


class _VisibleText(HTMLParser):
    """Collects the text a browser would show, with block elements as paragraph breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # a missing </head> must not hide the body
            self.skip = 0
        elif tag in _HTML_SKIP:
            self.skip += 1
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n\n")
        elif tag in ("br", "td", "th"):  # a table cell is a line of its own, not glued on
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _HTML_SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))  # HTML white-space rules


def html_text(html: str) -> str:
    """Return the visible text of an HTML page: paragraphs separated by a blank line.

    Script, style and ``<head>`` content (including ``<title>``: put it in the metadata)
    are dropped; block elements (p, div, h1-h6, li, ...) end a paragraph, ``<br>`` and
    table cells a line.

    Args:
        html: the page source.

    Returns:
        The text, lines stripped, paragraphs separated by one blank line.
    """
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    paragraphs = []
    for block in re.split(r"\n{2,}", "".join(parser.parts)):
        lines = [line.strip() for line in block.split("\n")]
        if any(lines):
            paragraphs.append("\n".join(line for line in lines if line))
    return "\n\n".join(paragraphs)
