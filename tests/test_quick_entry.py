"""Entering a report quickly: slugs fill themselves, figures and quotes take their briefing's source
(briefings/admin/entry.py)."""

from django.urls import reverse

from briefings.models import Figure, Quote

from .factories import BriefingFactory, FigureFactory, MetricFactory, SourceFactory
from .html_forms import form_data


def add_figure(client, briefing, **fields):
    url = reverse("admin:briefings_figure_add")
    data = form_data(client.get(url).content.decode(), "figure_form")
    metric = MetricFactory._meta.model.objects.filter(slug="migrants-crossing").first()
    metric = metric or MetricFactory(slug="migrants-crossing")
    data |= {
        "briefing": briefing.pk,
        "metric": metric.pk,
        "value_as_printed": "About 1,500",
        "value": "1500",
        "qualifier": "about",
        "unit": "people",
        "period": "per_day",
        "source_sentence": "About 1,500 interviews are granted daily at U.S. ports of entry.",
        "slug": "",
        "source": "",
    } | fields
    return client.post(url, data)


def test_a_figure_takes_its_briefings_only_source_and_makes_its_slug(client, publisher):
    briefing = BriefingFactory(draft=True)
    source = FigureFactory().source
    briefing.sources.set([source])
    client.force_login(publisher)
    assert add_figure(client, briefing).status_code == 302
    figure = Figure.objects.get(briefing=briefing)
    assert (figure.source, figure.slug) == (source, "migrants-crossing-about-1500")

    assert add_figure(client, briefing, position="2").status_code == 302
    assert Figure.objects.filter(slug="migrants-crossing-about-1500-2").exists()


def test_without_a_single_briefing_source_the_source_must_be_chosen(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(), SourceFactory()])
    client.force_login(publisher)
    response = add_figure(client, briefing)
    assert response.status_code == 200
    assert "Choose the source: its briefing does not cite exactly one." in response.content.decode()


def test_a_quote_added_inline_gets_a_slug_from_its_first_words(client, publisher):
    figure = FigureFactory(briefing=BriefingFactory(draft=True))
    briefing = figure.briefing
    briefing.sources.set([figure.source])
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    data = form_data(client.get(url).content.decode(), "briefing_form")
    data |= {
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-text": "We are here,",
        "quotes-0-context": "“We are here,” the official said.",
        "quotes-0-speaker_description": "the official",
        "quotes-0-position": "0",
        "quotes-0-slug": "",
        "quotes-0-source": "",
    }
    assert client.post(url, data).status_code == 302
    quote = Quote.objects.get(briefing=briefing)
    assert (quote.slug, quote.source) == ("we-are-here", figure.source)
