"""Matches marked in text, and that text made safe to show.

The database marks matches with two private-use characters rather than with HTML, so that everything is
escaped first and only then do the marks become <mark> tags: no content and no query can inject markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"

_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
# Markdown punctuation dropped from an excerpt. An excerpt is made for every result on a page, so links and
# underscores are only looked for in text with a "[" or a "__", and asterisks and backquotes are simply removed.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)?")  # links and images: keep their text
_BLOCK_MARKER = re.compile(r"^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+", re.MULTILINE)  # headings, quotes, list markers
_UNDERSCORES = re.compile(r"_{2,}")  # emphasis (a single underscore is often part of a name)


def highlighted_html(text, *, markdown=False):
    """Text with its matches in <mark>, everything else escaped. With `markdown`, Markdown punctuation
    (emphasis, links, headings) is dropped first, since an excerpt is read as plain text."""
    if not text:
        return ""
    if markdown:
        if "[" in text:
            text = _LINK.sub(r"\1", text)
        text = _BLOCK_MARKER.sub("", text)
        if "__" in text:
            text = _UNDERSCORES.sub("", text)
        text = text.replace("*", "").replace("`", "")
    html = escape(" ".join(text.split()))
    if MARK_START in html:
        html = _MARKED.sub(r"<mark>\1</mark>", html).replace(MARK_START, "")
    return mark_safe(html.replace(MARK_END, ""))
