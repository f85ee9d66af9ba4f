"""Text that staff type or import never runs in a reader's browser, whatever it contains.

Each payload of tests/data/xss_payloads.txt goes into every field of a briefing that readers see, its figure,
quote and correction: the Markdown body (rendered, then cleaned by nh3), and the plain-text fields (headline,
dek, byline, photo caption and credit, quote, figure sentence, correction), which templates escape. Then the
real pages are parsed: the briefing page (and its JSON-LD), the search results (excerpts built with
mark_safe), the feed (readers show descriptions as HTML) and the API's `body_html`.
"""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from django.urls import reverse

from briefings.models import Briefing, Correction, Figure, Quote

from .factories import BriefingFactory, FigureFactory, QuoteFactory
from .html_safety import unsafe_markup

PAYLOADS_FILE = Path(__file__).parent / "data" / "xss_payloads.txt"
PAYLOADS = [
    line
    for line in PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("# ")
]
SEARCH_WORD = "quagga"  # in every body, so that the search excerpt shows the payload beside it


def fit(model, field, text):
    return text[: model._meta.get_field(field).max_length]


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 40
    text = "\n".join(PAYLOADS).lower()
    for vector in ("<script", "onerror", "onload", "javascript:", "vbscript:", "data:", "&#", "style=", "<style"):
        assert vector in text, vector
    for vector in ("<iframe", "<object", "<embed", "<form", "http-equiv", "<svg", "](javascript:"):
        assert vector in text, vector


@pytest.fixture
def briefing_with(db):
    def make(payload):
        briefing = BriefingFactory(
            headline=fit(Briefing, "headline", f"Headline {payload}"),
            dek=f"Dek {payload}",
            # The search word first: PostgreSQL's text parser skips what follows a "<style>".
            body=f"{SEARCH_WORD} {payload}\n\n{payload}\n\n- {payload}\n\n> {payload}",
            byline=fit(Briefing, "byline", payload),
            photo_caption=f"Captionmarker {payload}",
            photo_credit=fit(Briefing, "photo_credit", payload),
        )
        FigureFactory(
            briefing=briefing,
            value_as_printed=fit(Figure, "value_as_printed", payload),
            attribution=fit(Figure, "attribution", payload),
            source_sentence=f"Sentencemarker {payload}",
        )
        QuoteFactory(
            briefing=briefing,
            text=f"Quotemarker {payload}",
            context=payload,
            speaker=None,
            speaker_description=fit(Quote, "speaker_description", payload),
        )
        Correction.objects.create(briefing=briefing, text=f"Correctionmarker {payload}")
        return briefing

    return make


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_runs_on_any_page(client, briefing_with, payload):
    briefing = briefing_with(payload)

    page = client.get(briefing.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for marker in ("Captionmarker", "Quotemarker", "Sentencemarker", "Correctionmarker"):
        assert marker in html, f"{marker} missing: the field is not on the page, so the test proves nothing"
    assert unsafe_markup(html) == []

    results = client.get(reverse("briefings:search"), {"q": SEARCH_WORD})
    assert results.status_code == 200
    assert briefing.get_absolute_url() in results.content.decode()
    assert f"<mark>{SEARCH_WORD}</mark>" in results.content.decode()  # the excerpt, built with mark_safe, is shown
    assert unsafe_markup(results.content.decode()) == []

    feed = ElementTree.fromstring(client.get(reverse("briefings:feed-rss")).content)
    descriptions = [item.findtext("description") for item in feed.iter("item")]
    assert any("Correctionmarker" in description for description in descriptions)
    for description in descriptions:
        assert unsafe_markup(description) == []

    api = client.get(reverse("api:briefing-detail", kwargs={"slug": briefing.slug}))
    assert api.status_code == 200
    assert unsafe_markup(api.json()["body_html"]) == []


# The checker itself: each thing it must find, it finds.


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "inline script"),
        ('<script src="https://evil.example/x.js"></script>', "script from elsewhere"),
        ('<script type="application/ld+json">{"a": 1}</script><script>x()</script>', "inline script"),
        ('<script type="application/ld+json">{"a": "</script><script>alert(1)</script>', "not JSON"),
        ('<img src="x" onerror="alert(1)">', "event handler"),
        ('<svg onload="alert(1)"></svg>', "event handler"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href=" java&#x09;script&colon;alert(1)">x</a>', "javascript:"),
        ('<a href="JAVASCRIPT:alert(1)">x</a>', "javascript:"),
        ('<a href="vbscript:msgbox(1)">x</a>', "javascript:"),
        ('<img src="data:image/svg+xml;base64,AAAA">', "javascript:"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "javascript:"),
        ('<p style="color:red">x</p>', "style attribute"),
        ("<style>body{display:none}</style>", "<style>"),
        ('<iframe src="https://evil.example/"></iframe>', "<iframe>"),
        ('<object data="x.swf"></object>', "<object>"),
        ('<embed src="x.swf">', "<embed>"),
        ('<form action="https://evil.example/"></form>', "form sending elsewhere"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "meta refresh"),
        ('<base href="https://evil.example/">', "<base>"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "stylesheet"),
    ],
)
def test_the_checker_finds_what_it_looks_for(html, problem):
    problems = unsafe_markup(html)
    assert problems, html
    assert any(problem in found for found in problems), problems


def test_the_checker_accepts_what_the_site_itself_uses():
    html = (
        '<link rel="stylesheet" href="/static/css/site.css"><link rel="canonical" href="https://example.org/">'
        '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
        '<script src="/static/ninja/swagger-ui-bundle.js"></script>'
        '<form action="/search/" method="get"><input name="q"></form>'
        '<a href="https://example.org/report" rel="noopener">source</a><a href="mailto:desk@example.org">mail</a>'
        '<svg viewBox="0 0 10 10"><rect x="0" y="0" width="5" height="5" class="bar"></rect></svg>'
    )
    assert unsafe_markup(html) == []
