"""A briefing read as a story (briefings/story.py, briefing_detail.html): the passages its figures and quotes come
from are marked in its body and linked; “The numbers” lists each figure on a line with its provenance behind a
disclosure; no sentence is printed more than twice; minor figures stay out of the box."""

import re
from html import unescape
from types import SimpleNamespace

from django.utils.html import escape

from briefings import story
from briefings.markdown import render_markdown
from briefings.models import Briefing, Figure

from .factories import BriefingFactory, FigureFactory, QuoteFactory, SourceFactory

SEED_BRIEFING = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"


def printed(html: str) -> str:
    """What a reader reads: the page's text without the words only screen readers get and the reference marks."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>|<sup class="ref">.*?</sup>', "", html, flags=re.S)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(?:mark|a|em|strong|q|span|time)\b[^>]*>", "", html)  # inside a sentence: no space
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_seed_story_marks_and_links_every_figure_and_quote(client, seed):
    briefing = Briefing.objects.get(slug=SEED_BRIEFING)
    content = client.get(briefing.get_absolute_url()).content.decode()
    for figure in briefing.figures.all():
        assert f'<a class="fact" href="{figure.get_absolute_url()}">{escape(figure.value_as_printed)}' in content
    assert content.count('<mark class="sourced"') == len({figure.source_sentence for figure in briefing.figures.all()})
    for number, quote in enumerate(briefing.quotes.all(), start=1):
        assert f'<mark class="quoted" id="passage-quote-{quote.slug}">' in content
        assert f'<a href="#quote-{quote.slug}">' in content  # the reference after it, to who said it
        assert (
            f'<a class="quote-ref" id="quote-{quote.slug}" href="#passage-quote-{quote.slug}">quote {number}</a>'
            in (content)
        )


def test_no_sentence_of_the_seed_briefing_is_printed_more_than_twice(client, seed):
    briefing = Briefing.objects.get(slug=SEED_BRIEFING)
    page = printed(client.get(briefing.get_absolute_url()).content.decode())
    sentences = {figure.source_sentence for figure in briefing.figures.all()}
    sentences |= {quote.context for quote in briefing.quotes.all()}
    for sentence in sentences:
        assert 1 <= page.count(" ".join(sentence.split())) <= 2, sentence


def test_each_figure_in_the_box_has_a_line_and_its_provenance_behind_a_disclosure(client, seed):
    briefing = Briefing.objects.get(slug=SEED_BRIEFING)
    content = client.get(briefing.get_absolute_url()).content.decode()
    box = content[
        content.index('aria-labelledby="figures-heading"') : content.index('aria-labelledby="quotes-heading"')
    ]
    first_of = {}
    for figure in briefing.figures.filter(is_minor=False):
        line = box[box.index(f'id="figure-{figure.slug}"') :]
        line = line[: line.index("</li>")]
        assert escape(figure.value_as_printed) in line and escape(figure.metric.name) in line
        assert '<details class="provenance">' in line and "Qualifier" in line
        # Its sentence: printed for the first figure from it, else a link to where the story marks it.
        first = first_of.setdefault(figure.source_sentence, figure)
        if first is figure:
            assert escape(figure.source_sentence) in line
        else:
            assert f'<a href="#passage-{first.slug}">' in line and escape(figure.source_sentence) not in line
    assert box.count("<details") == briefing.figures.filter(is_minor=False).count()


def test_a_minor_figure_stays_out_of_the_box_but_is_linked_in_the_story(client, seed):
    briefing = Briefing.objects.get(slug=SEED_BRIEFING)
    minor = Figure.objects.filter(briefing=briefing, is_minor=True)
    assert minor.count() == 2
    content = client.get(briefing.get_absolute_url()).content.decode()
    for figure in minor:
        assert f'id="figure-{figure.slug}"' not in content
        assert f'<a class="fact" href="{figure.get_absolute_url()}">' in content
    assert "2 more numbers are linked in the story." in content


def test_what_the_story_does_not_hold_is_shown_in_full_beside_it(client, db):
    source = SourceFactory(full_text="Agents counted about 900 people, officials said. “We are here,” he said.")
    briefing = BriefingFactory(headline="A shortened story", body="The body says something else.")
    figure = FigureFactory(
        briefing=briefing,
        source=source,
        value_as_printed="about 900",
        source_sentence="Agents counted about 900 people, officials said.",
        is_minor=True,
    )
    quote = QuoteFactory(briefing=briefing, source=source, text="We are here", context="“We are here,” he said.")
    content = client.get(briefing.get_absolute_url()).content.decode()
    assert '<mark class="sourced"' not in content and '<mark class="quoted"' not in content
    assert f'id="figure-{figure.slug}"' in content  # minor, but nowhere else on the page: in the box
    assert f'<q class="quote-unmarked" id="quote-{quote.slug}">We are here</q>' in content
    assert escape("“We are here,” he said.") in content


def test_marks_go_in_text_only_and_what_they_insert_is_escaped():
    figure = SimpleNamespace(
        pk=1,
        slug="f",
        value_as_printed="5 & more",
        source_sentence="It rose to 5 & more today.",
        get_absolute_url=lambda: "/figures/x/f/?a=1&b=2",
    )
    linked = SimpleNamespace(
        pk=2, slug="g", value_as_printed="300", source_sentence="See 300 here.", get_absolute_url=lambda: "/g/"
    )
    quote = SimpleNamespace(pk=3, slug="q", text="in the link")
    body = "It rose to 5 & more today.\n\nSee [300 here](https://example.org/300). Words in the link."
    marked = story.marked_body(render_markdown(body), [figure, linked], [quote])
    html = str(marked.body)
    assert '<a class="fact" href="/figures/x/f/?a=1&amp;b=2">5 &amp; more<span class="visually-hidden">' in html
    assert marked.marked_figures == {1}  # “See 300 here.” spans a link in the body: not marked, never broken
    assert 'href="https://example.org/300"' in html and "<mark" not in html.split("example.org")[1][:20]
    assert marked.marked_quotes == {3}
    assert html.count("<mark") == html.count("</mark>") == 2


def test_a_number_is_linked_whole_wherever_it_stands_and_never_inside_a_link():
    def figure(pk, value, sentence):
        return SimpleNamespace(
            pk=pk, slug=f"f{pk}", value_as_printed=value, source_sentence=sentence, get_absolute_url=lambda: f"/{pk}/"
        )

    sentence = "In 2024, 1,200 crossed and 2 drowned out of 11,200 in all."
    body = f"{sentence}\n\nSee [300 were held](https://example.org/held).\n\n“Words we said” [“in a link”](/x/)."
    figures = [figure(1, "2", sentence), figure(2, "1,200", sentence), figure(3, "300", "300 were held")]
    quotes = [SimpleNamespace(pk=9, slug="q", text="in a link")]
    marked = story.marked_body(render_markdown(body), figures, quotes)
    html = str(marked.body)
    assert '<a class="fact" href="/1/">2<span' in html and "20<a" not in html  # not the “2” of “2024”
    assert '<a class="fact" href="/2/">1,200<span' in html and "11,<a" not in html  # not inside “11,200”
    assert html.count('<a class="fact" href="/2/">') == 1  # “1,200”, before “2” though listed after it
    assert marked.marked_figures == {1, 2}  # “300” is a link's words: no link inside a link
    assert marked.marked_quotes == set() and '<mark class="quoted"' not in html
    held = html[html.index('href="https://example.org/held"') :]
    assert '<a class="fact"' not in held[: held.index("</a>")]  # its sentence marked, its number not linked
    assert marked.passages == {sentence: "passage-f1", "300 were held": "passage-f3"}


def test_a_figure_whose_sentence_comes_first_from_a_minor_one_links_to_the_right_passage(client, db):
    source = SourceFactory(full_text="A 60-mile trail took 300 lives, officials said.")
    sentence = "A 60-mile trail took 300 lives, officials said."
    briefing = BriefingFactory(body=sentence)
    minor = FigureFactory(briefing=briefing, source=source, value_as_printed="60-mile", source_sentence=sentence,
                          is_minor=True, position=1)  # fmt: skip
    lives = FigureFactory(briefing=briefing, source=source, value_as_printed="300", source_sentence=sentence,
                          position=2)  # fmt: skip
    content = client.get(briefing.get_absolute_url()).content.decode()
    assert f'<mark class="sourced" id="passage-{minor.slug}">' in content
    line = content[content.index(f'id="figure-{lives.slug}"') :]
    assert escape(sentence) in line[: line.index("</li>")]  # the first in the box prints it
    assert content.count(escape(sentence)) <= 2
