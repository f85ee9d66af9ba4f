"""Briefing bodies (briefings/markdown.py): rendered from Markdown when saved, with anything that could run in a
reader's browser removed."""

import pytest

from briefings.markdown import render_markdown


def render(text):
    return render_markdown(text)


def test_renders_markdown():
    html = render("Some **bold** and *em*.\n\n- one\n- two\n\n[A link](https://example.org/)")
    assert "<strong>bold</strong>" in html
    assert "<em>em</em>" in html
    assert "<li>one</li>" in html
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">A link</a>' in html


@pytest.mark.django_db
def test_a_briefing_page_prints_its_body_as_html_not_escaped_twice(client):
    from .factories import BriefingFactory

    briefing = BriefingFactory(body_en="A **paragraph**.")
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert "<p>A <strong>paragraph</strong>.</p>" in page and "&lt;p&gt;" not in page


@pytest.mark.parametrize(
    "dangerous",
    [
        "<script>alert('x')</script>",
        "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
        "<p>hi<script>alert(1)</script></p>",
    ],
)
def test_strips_script_elements_and_their_content(dangerous):
    html = render(dangerous).lower()
    assert "<script" not in html
    assert "alert" not in html
    assert "evil.example" not in html


@pytest.mark.parametrize(
    "dangerous",
    [
        '<img src="x" onerror="alert(1)">',
        '<a href="/" onclick="alert(1)">click</a>',
        '<p onmouseover="alert(1)">hover</p>',
        '<svg onload="alert(1)"></svg>',
        '<body onload="alert(1)">',
    ],
)
def test_strips_event_handlers(dangerous):
    html = render(dangerous).lower()
    assert "onerror" not in html
    assert "onclick" not in html
    assert "onmouseover" not in html
    assert "onload" not in html
    assert "alert" not in html


@pytest.mark.parametrize(
    "dangerous",
    [
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">click</a>',
        '<a href="vbscript:msgbox(1)">click</a>',
        '<blockquote cite="javascript:alert(1)">click</blockquote>',
        '<q cite=" JaVa&#x09;ScRiPt:alert(1)">click</q>',
    ],
)
def test_strips_dangerous_link_schemes(dangerous):
    html = render(dangerous).lower()
    assert "javascript:" not in html
    assert "data:" not in html
    assert "vbscript:" not in html
    assert "click" in html  # the words stay, the link target goes


@pytest.mark.parametrize(
    "dangerous",
    [
        '<iframe src="https://evil.example/"></iframe>',
        "<style>body { display: none }</style>",
        '<p style="position:fixed">styled</p>',
        '<form action="https://evil.example/"><input name="q"></form>',
        '<object data="x.swf"></object>',
    ],
)
def test_strips_embedded_content_styles_and_forms(dangerous):
    html = render(dangerous).lower()
    for fragment in ("<iframe", "<style", "style=", "<form", "<input", "<object", "evil.example", "display: none"):
        assert fragment not in html


def test_keeps_safe_links():
    html = render("[mail](mailto:desk@example.org) and [call](tel:+18663472423)")
    assert 'href="mailto:desk@example.org"' in html
    assert 'href="tel:+18663472423"' in html


def test_headings_are_demoted_below_the_headline():
    html = render("# Section\n\n## Subsection")
    assert "<h1" not in html
    assert "<h2>Section</h2>" in html
    assert "<h3>Subsection</h3>" in html


def test_empty_body_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_one_body_leaves_nothing_behind_for_the_next():
    """The converter is reused (briefings/markdown.py): a link reference defined in one body does not resolve a
    link in the next one, and a body converts the same the first time and the tenth."""
    first = render("See [the report][r].\n\n[r]: https://example.org/report")
    assert 'href="https://example.org/report"' in first
    second = render("See [the report][r].")
    assert "example.org" not in second
    assert [render("A *body*.") for _ in range(10)] == ["<p>A <em>body</em>.</p>"] * 10


@pytest.mark.django_db
def test_a_briefings_body_is_rendered_in_each_language_when_it_is_saved(django_assert_num_queries):
    """Briefing.rendered_body: the HTML a page shows, rendered on save (not on each read), in the page's language,
    the English while there is no translation; a save of other fields (publishing) leaves it."""
    from django.utils import translation

    from briefings.models import Briefing

    from .factories import BriefingFactory

    briefing = BriefingFactory(body_en="Some **bold**.", body_es="")
    stored = Briefing.objects.get(pk=briefing.pk)
    assert (stored.body_html_en, stored.body_html_es) == ("<p>Some <strong>bold</strong>.</p>", "")
    stored.body_es = "Algo en *cursiva*."
    stored.save()
    with django_assert_num_queries(1):
        stored = Briefing.objects.get(pk=briefing.pk)
        with translation.override("es"):
            assert stored.rendered_body == "<p>Algo en <em>cursiva</em>.</p>"
        with translation.override("en"):
            assert stored.rendered_body == "<p>Some <strong>bold</strong>.</p>"
    stored.body_en = "Changed."
    stored.save(update_fields=["body_en"])  # the HTML is saved with its body
    assert Briefing.objects.get(pk=briefing.pk).body_html_en == "<p>Changed.</p>"
    Briefing.objects.filter(pk=briefing.pk).update(body_html_en="<p>Left as it was.</p>")
    stored = Briefing.objects.get(pk=briefing.pk)
    stored.save(update_fields=["status", "published_at", "updated_at"])  # as publish() saves
    assert Briefing.objects.get(pk=briefing.pk).body_html_en == "<p>Left as it was.</p>"
    partial = Briefing.objects.defer("body_html_en", "body_html_es").get(pk=briefing.pk)
    partial.body_en = "Read in part."
    partial.save()  # Django writes only the columns it read, and the HTML rendered before it chose them
    assert Briefing.objects.get(pk=briefing.pk).body_html_en == "<p>Read in part.</p>"


@pytest.mark.django_db
def test_a_body_saved_raw_or_never_saved_is_still_shown_rendered(seed):
    """A fixture's briefing (a raw save, as loaddata's and a restore's) has its HTML; a row written without a save
    (bulk_create) has none stored and is rendered when read."""
    from briefings.models import Briefing

    seeded = Briefing.objects.get(slug="us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo")
    assert seeded.body_html_en == render(seeded.body_en) and seeded.body_html_es == render(seeded.body_es)
    assert seeded.body_html_en.startswith("<p>")
    (bulk,) = Briefing.objects.bulk_create([Briefing(headline="Bulk", slug="bulk", body_en="A *bulk* body.")])
    bulk = Briefing.objects.get(pk=bulk.pk)
    assert bulk.body_html_en is None and bulk.rendered_body == "<p>A <em>bulk</em> body.</p>"
