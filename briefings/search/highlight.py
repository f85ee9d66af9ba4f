"""Matches marked in text, and that text made safe to show.

The database marks matches with two private-use characters rather than with HTML, so that everything is
escaped first and only then do the marks become <mark> tags: no content and no query can inject markup.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

MARK_START, MARK_END = "\ue000", "\ue001"

_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
_MARKDOWN = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)?"), r"\1"),  # links and images: keep their text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+", re.MULTILINE), ""),  # headings, quotes, list markers
    (re.compile(r"\*+|_{2,}|`+"), ""),  # emphasis and code
)


def highlighted_html(text, *, markdown=False):
    """Text with its matches in <mark>, everything else escaped. With `markdown`, Markdown punctuation
    (emphasis, links, headings) is dropped first, since an excerpt is read as plain text."""
    if not text:
        return ""
    if markdown:
        for pattern, replacement in _MARKDOWN:
            text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))
