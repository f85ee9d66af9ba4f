"""Finds what in an HTML page could run script, restyle the page or send the reader elsewhere.

The same list serves two purposes: untrusted text (tests/test_xss.py) must never bring any of it in, and the
site's own pages (tests/test_security_headers.py) must contain none of what a Content-Security-Policy without
'unsafe-inline' would block. The only scripts allowed are files of this site and inert JSON data blocks.
"""

import json
import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {
    "action",
    "background",
    "cite",
    "codebase",
    "data",
    "dynsrc",
    "formaction",
    "href",
    "icon",
    "longdesc",
    "lowsrc",
    "manifest",
    "ping",
    "poster",
    "src",
    "srcset",
    "usemap",
    "values",
    "to",
    "from",
    "xlink:href",
}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}
# Elements that embed other documents or plugins, change every URL, or restyle the page.
FORBIDDEN_ELEMENTS = {
    "applet",
    "base",
    "bgsound",
    "embed",
    "frame",
    "frameset",
    "iframe",
    "object",
    "portal",
    "style",
    # SVG animation can rewrite an attribute (an href) after sanitizing has looked at it.
    "animate",
    "set",
}
STYLESHEET_RELS = {"stylesheet", "import", "preload", "modulepreload", "prefetch"}
# Browsers ignore ASCII whitespace and control characters around and, for tab and newline, inside a scheme.
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20]+")


def _is_dangerous_url(value):
    candidates = value.split(",") if value else []
    for candidate in [value, *candidates]:
        if _IGNORED_IN_URLS.sub("", candidate).lower().startswith(DANGEROUS_SCHEMES):
            return True
    return False


def _is_external(url):
    url = url.strip().lower()
    return url.startswith(("//", "http:", "https:")) or ":" in url.split("/")[0]


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script = None  # (description, is_data_block, text so far) while inside a <script>

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)
        if tag == "script":
            self._end_script()

    def _check(self, tag, attrs):
        attributes = dict(attrs)
        where = f"<{tag} {' '.join(f'{name}={value!r}' for name, value in attrs)}>"
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler attribute {name}: {where}")
            if name == "style":
                self.problems.append(f"style attribute: {where}")
            if name in URL_ATTRIBUTES and value and _is_dangerous_url(value):
                self.problems.append(f"{name} with a javascript:/vbscript:/data: URL: {where}")
            if name == "srcdoc":
                self.problems.append(f"srcdoc attribute: {where}")
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element: {where}")
        if tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"meta refresh: {where}")
        if tag == "link":
            rels = set((attributes.get("rel") or "").lower().split())
            if rels & STYLESHEET_RELS and _is_external(attributes.get("href") or ""):
                self.problems.append(f"stylesheet or preload from elsewhere: {where}")
        if tag == "form" and _is_external(attributes.get("action") or ""):
            self.problems.append(f"form sending elsewhere: {where}")
        if tag == "script":
            src = attributes.get("src")
            script_type = (attributes.get("type") or "").strip().lower()
            if src is not None:
                if _is_external(src):
                    self.problems.append(f"script from elsewhere: {where}")
                self._script = (where, False, [])
            elif script_type in DATA_BLOCK_TYPES:
                self._script = (where, True, [])
            else:
                self.problems.append(f"inline script: {where}")
                self._script = (where, False, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[2].append(data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._end_script()

    def _end_script(self):
        if self._script is None:
            return
        where, is_data_block, parts = self._script
        text = "".join(parts)
        if is_data_block:
            try:
                json.loads(text)
            except ValueError:
                self.problems.append(f"data block that is not JSON (did text break out of it?): {where} {text!r}")
        elif text.strip():
            self.problems.append(f"script with inline code: {where} {text[:80]!r}")
        self._script = None


def unsafe_markup(html):
    """A description of each thing in `html` that could run script or restyle the page; empty when safe."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    if finder._script is not None:
        finder._end_script()
    return finder.problems
