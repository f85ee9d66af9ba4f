"""/es/ is a complete Spanish site: every page the Spanish front page leads to is in Spanish, apart from what is
marked as being in another language (`lang="en"`: a quote's own words, English standing in for a translation the
desk has not written yet). The interface is held to the English catalogue: no text a reader sees is an English
string the catalogue translates."""

import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from .browser.crawl import ENGLISH_PAGE_TYPES, page_type

SPANISH = {f"es:{kind}" for kind in ENGLISH_PAGE_TYPES}

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Attributes a reader meets (a screen reader reads them, a browser shows them).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PAGES_PER_KIND = 3


class Texts(HTMLParser):
    """The text a reader meets on a page, each piece with the language it is marked as being in."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # (tag, language)
        self.texts = []  # (language, text)
        self.languages = set()

    def language(self):
        return self.stack[-1][1] if self.stack else None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang") or self.language()
        if "lang" in attrs:
            self.languages.add(attrs["lang"])
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append((language, attrs[name]))
        if tag not in VOID:
            self.stack.append((tag, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        text = " ".join(data.split())
        if text:
            self.texts.append((self.language(), text))


def english_interface():
    """The catalogue's English strings that read differently in Spanish: as patterns that match a text that is
    one of them (placeholders standing for anything), and the longer ones also inside a text."""
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    whole, inside = [], []
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if not english or english in strings:
                continue
            literal = [" ".join(part.split()) for part in re.split(r"%\(\w+\)[sdf]|%[sd]|\{\w*\}", english)]
            pattern = ".+".join(re.escape(part) for part in literal)
            if len(re.findall(r"[^\W\d_]", "".join(literal))) < 6:
                continue  # “%(metric)s to %(place)s”: too little of its own to tell from any text
            whole.append(re.compile(rf"{pattern}"))
            longest = max(literal, key=len)
            if len(longest.split()) >= 3:
                inside.append(longest)
    return whole, inside


def spanish_pages(client):
    """Every page linked from /es/, a few of each kind, as (path, html)."""
    queue, seen, per_kind = deque(["/es/", "/es/search/?q=recompensa", "/es/no-such-page/"]), set(), {}
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        kind = page_type(urlsplit(path).path)  # "es:briefings:home", …; None for what is not a reader's page
        if kind is None or not kind.startswith("es:") or per_kind.get(kind, 0) >= PAGES_PER_KIND:
            continue
        per_kind[kind] = per_kind.get(kind, 0) + 1
        response = client.get(path)
        assert response.status_code == (404 if kind.endswith("not-found") else 200), path
        html = response.content.decode()
        yield path, kind, html
        for href in re.findall(r'href="(/es/[^"#]*)', html):
            queue.append(href.replace("&amp;", "&"))


@pytest.fixture
def catalogue(db):
    call_command("compile_catalogues")  # as `make run`, `make serve` and `make test` do
    translation.trans_real._translations = {}
    return english_interface()


def test_every_spanish_page_is_in_spanish_except_what_is_marked(client, public_site, catalogue):
    whole, inside = catalogue
    problems, kinds, pages = [], set(), 0
    for path, kind, html in spanish_pages(client):
        kinds.add(kind)
        pages += 1
        assert '<html lang="es">' in html, path
        texts = Texts()
        texts.feed(html)
        assert texts.languages <= {code for code, _name in settings.LANGUAGES}, (path, texts.languages)
        for language, text in texts.texts:
            if language != "es":
                continue
            if any(pattern.fullmatch(text) for pattern in whole) or any(english in text for english in inside):
                problems.append(f"{path}: {text!r}")
    assert kinds >= SPANISH, f"never reached: {sorted(SPANISH - kinds)}"
    assert pages > 40  # every kind of page, a few of each
    assert not problems, "English interface text on Spanish pages:\n" + "\n".join(sorted(set(problems)))


def test_the_check_finds_english_left_on_a_spanish_page(catalogue):
    """What the test above looks for, found: an English string of the catalogue, whole or inside a text."""
    whole, inside = catalogue
    texts = Texts()
    texts.feed('<html lang="es"><p>Send a tip</p><p lang="en">Send a tip</p><p>Ver: Where this figure comes from.</p>')
    found = [text for language, text in texts.texts if language == "es"]
    assert found == ["Send a tip", "Ver: Where this figure comes from."]  # not the one marked as English
    assert [text for text in found if any(pattern.fullmatch(text) for pattern in whole)] == ["Send a tip"]
    assert "Ver: Where this figure comes from." in [
        text for text in found if any(english in text for english in inside)
    ]
