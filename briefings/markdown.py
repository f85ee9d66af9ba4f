"""Briefing bodies: Markdown to HTML that is safe to show, rendered when a briefing is saved (Briefing.body_html_*)
for the pages and the API."""

import re
import threading
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# What a briefing body may contain once rendered. Anything else (script, style, iframe, img, forms,
# event-handler attributes, javascript: and data: links) is removed, because the page's one <h1> is
# the headline and a strict Content-Security-Policy forbids inline code anyway.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "del",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "th": {"scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Browsers ignore these in and around a URL's scheme ("java\tscript:" is "javascript:").
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")


def keep_attribute(element, attribute, value):
    """nh3 checks the scheme of href and src itself, but not of `cite`: the same allow-list applies to it."""
    if attribute == "cite":
        scheme = urlsplit(_IGNORED_IN_URLS.sub("", value)).scheme.lower()
        if scheme and scheme not in ALLOWED_URL_SCHEMES:
            return None
    return value


class _DemoteHeadings(Treeprocessor):
    """A `# Heading` in a body becomes <h2>: the headline is the page's only <h1>."""

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5"}:
                element.tag = f"h{int(element.tag[1]) + 1}"


class _DemoteHeadingsExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteHeadings(md), "demote_headings", 5)


_converters = threading.local()


def _converter() -> markdown_lib.Markdown:
    """This thread's Markdown converter: building one (its extensions, patterns and processors) cost more than
    converting a body with it. An instance is not safe to share between threads; reset() clears its state."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown_lib.Markdown(
            extensions=["tables", "sane_lists", _DemoteHeadingsExtension()]
        )
    return converter.reset()


def render_markdown(text):
    """Markdown to HTML that is safe to show: rendered first, then cleaned by an allow-list."""
    html = _converter().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=keep_attribute,
        link_rel="noopener noreferrer nofollow",
    )
