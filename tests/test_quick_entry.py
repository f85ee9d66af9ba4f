"""Entering a report quickly: slugs fill themselves, figures and quotes take their briefing's source, sentences,
values and qualifiers are read from the source and the words, a body starts from its source
(briefings/admin/entry.py)."""

from django.urls import reverse

from briefings.models import Briefing, Figure, Quote, RewardOffer

from .factories import (
    BriefingFactory,
    FigureFactory,
    MetricFactory,
    OrganizationFactory,
    RewardProgramFactory,
    SourceFactory,
)
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


# --- what is read from the source and the words -----------------------------------------------------------------

REPORT = (
    "Crossings fell in May.\n\n"
    "About 3,000 migrants crossed the Darién Gap in May, officials said. "
    "“The trail is quieter now,” a Panamanian official said.\n\n"
    "The State Department offers up to $5 million for information leading to the arrest of the network's leaders."
)


def test_a_figures_sentence_value_and_qualifier_are_read_from_its_words(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text=REPORT)])
    client.force_login(publisher)
    response = add_figure(client, briefing, value_as_printed="About 3,000", value="", qualifier="", source_sentence="")
    assert response.status_code == 302
    figure = Figure.objects.get(briefing=briefing)
    assert (figure.value, figure.qualifier) == (3000, "about")
    assert figure.source_sentence == "About 3,000 migrants crossed the Darién Gap in May, officials said."

    # Money is counted in dollars without being told.
    response = add_figure(
        client, briefing, value_as_printed="up to $5 million", value="", qualifier="", unit="", source_sentence=""
    )
    assert response.status_code == 302
    money = Figure.objects.get(value_as_printed="up to $5 million")
    assert (money.value, money.qualifier, money.unit) == (5_000_000, "up_to", "usd")


def test_words_in_more_than_one_sentence_ask_for_the_sentence(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text="About 300 came in May. About 300 came in June.")])
    client.force_login(publisher)
    response = add_figure(client, briefing, value_as_printed="About 300", value="", qualifier="", source_sentence="")
    assert response.status_code == 200
    assert "“About 300” is in 2 sentences of the source: paste the one it comes from." in response.content.decode()
    assert not Figure.objects.filter(briefing=briefing).exists()


def test_a_number_not_in_the_source_says_so(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text=REPORT)])
    client.force_login(publisher)
    response = add_figure(client, briefing, value_as_printed="About 3,500", value="", qualifier="", source_sentence="")
    assert response.status_code == 200
    assert "“About 3,500” is not in the source: type the number as the source prints it" in response.content.decode()


def test_a_new_briefing_starts_its_body_from_its_source_and_its_rows_take_that_source(client, publisher):
    source = SourceFactory(full_text=REPORT)
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_add")
    metric = MetricFactory()
    data = form_data(client.get(url).content.decode(), "briefing_form") | {
        "headline_en": "Crossings fall",
        "slug": "",
        "body_en": "",
        "sources": [str(source.pk)],
        "figures-TOTAL_FORMS": "1",
        "figures-0-metric": str(metric.pk),
        "figures-0-value_as_printed": "About 3,000",
        "figures-0-unit": "migrants",
        "figures-0-period": "per_month",
        "figures-0-position": "0",
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-text": "The trail is quieter now,",
        "quotes-0-speaker_description": "a Panamanian official",
        "quotes-0-position": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    briefing = Briefing.objects.get(headline="Crossings fall")
    assert briefing.body.split("\n\n")[0] == "Crossings fell in May."
    figure, quote = briefing.figures.get(), briefing.quotes.get()
    assert (figure.source, figure.value, figure.slug) == (source, 3000, f"{metric.slug}-about-3000")
    assert quote.source == source
    assert quote.context == "“The trail is quieter now,” a Panamanian official said."


def test_only_a_new_briefings_body_starts_from_its_source(client, publisher):
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([SourceFactory(full_text=REPORT)])
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    response = client.post(url, form_data(client.get(url).content.decode(), "briefing_form") | {"body_en": ""})
    assert response.status_code == 200
    assert Briefing.objects.get(pk=briefing.pk).body == briefing.body


def test_a_body_left_empty_needs_one_source(client, publisher):
    client.force_login(publisher)
    url = reverse("admin:briefings_briefing_add")
    data = form_data(client.get(url).content.decode(), "briefing_form") | {"headline_en": "No body", "body_en": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Write the body, or choose one source to start it from." in response.content.decode()


def test_a_new_offer_takes_its_briefings_source_and_the_sentence_of_its_criterion(client, publisher):
    source = SourceFactory(full_text=REPORT)
    briefing = BriefingFactory(draft=True)
    briefing.sources.set([source])
    client.force_login(publisher)
    url = reverse("admin:briefings_rewardoffer_add")
    data = form_data(client.get(url).content.decode(), "rewardoffer_form") | {
        "program": str(RewardProgramFactory().pk),
        "target_organization": str(OrganizationFactory().pk),
        "ceiling_amount": "5000000",
        "criterion_kind": "arrest_or_conviction",
        "criterion_text": "information leading to the arrest of the network's leaders",
        "briefings": [str(briefing.pk)],
    }
    assert client.post(url, data).status_code == 302
    offer = RewardOffer.objects.get()
    assert offer.source == source
    assert offer.source_sentence == REPORT.split("\n\n")[2]
    assert offer.criterion == "Arrest and/or conviction"
