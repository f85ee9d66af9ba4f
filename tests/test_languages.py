"""The site in two languages (briefings/languages.py, briefings/translation.py): Spanish under /es/, the same page
one link away in the other language, content the desk translated side by side, verbatim words kept in their own
language with the desk's translation beside them, and every way out of the site (sitemaps, feeds, JSON-LD, API)
saying which language it speaks."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from briefings.models import Briefing, Quote, TipChannel

from .factories import BriefingFactory, TopicFactory
from .html_forms import form_data

SEED = "us-expands-task-force-to-darien-gap-offers-rewards-clan-del-golfo"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(autouse=True, scope="module")
def _catalogue_compiled():
    call_command("compile_catalogues")  # as `make run`, `make serve` and `make test` do
    translation.trans_real._translations = {}


def page(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return response.content.decode()


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client, db):
    topic = TopicFactory()
    BriefingFactory(topics=[topic])
    english = page(client, f"/briefings/?topic={topic.slug}")
    assert f'<a href="/es/briefings/?topic={topic.slug}" hreflang="es" lang="es">Español</a>' in english
    spanish = page(client, f"/es/briefings/?topic={topic.slug}")
    assert f'<a href="/briefings/?topic={topic.slug}" hreflang="en" lang="en">English</a>' in spanish
    # An address that leads nowhere: the other language's front page.
    assert '<a href="/" hreflang="en" lang="en">English</a>' in page(client, "/es/no-such-page/", status=404)


def test_pages_name_their_alternates_and_the_english_is_the_default(client, db):
    html = page(client, "/places/")
    assert '<link rel="alternate" hreflang="en" href="http://testserver/places/">' in html
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/places/">' in html
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/places/">' in html


def test_a_request_leaves_the_thread_in_its_language(client, db):
    page(client, "/es/")
    assert translation.get_language() == "en"
    assert reverse("briefings:home") == "/"


def test_the_seed_briefing_reads_in_spanish_with_its_evidence_in_english(client, seed):
    html = page(client, f"/es/briefings/{SEED}/")
    assert '<html lang="es">' in html
    assert "<h1>EE. UU. amplía al Tapón del Darién" in html
    assert "Publicado en:" in html and '<span lang="es">Español</span>' in html
    assert "Traducido por la redacción del original en inglés." in html
    assert f'<a href="/briefings/{SEED}/" hreflang="en">Leer el original</a>' in html
    # A quote: its own words, marked English, and the desk's translation beside them, marked as the desk's.
    quote = Quote.objects.get(slug="doj-official-top-echelons")
    assert f'<q class="quote-unmarked" id="quote-{quote.slug}" lang="en">{quote.text}</q>' in html
    assert '<span class="desk-translation-label">Traducción de la redacción:</span> ' + quote.translation_es in html
    # A figure in Spanish words and formats; its printed words stay, marked, where it comes from.
    assert '<span class="figure-value">solo alrededor de 200</span>' in html
    assert '<dd lang="en">only about 200</dd>' in page(
        client, "/es/figures/migrant-encounters/rgv-encounters-per-day-june-2024/"
    )
    # Both languages are alternates of each other.
    assert f'hreflang="es" href="http://testserver/es/briefings/{SEED}/"' in html


def test_a_briefing_with_no_spanish_says_so_in_spanish_and_marks_its_english(client, db):
    briefing = BriefingFactory(headline="Crossings fall in Arizona")
    assert briefing.languages == ["en"]
    html = page(client, f"/es/briefings/{briefing.slug}/")
    assert "Este informe aún no se ha traducido: lo que sigue es el original en inglés." in html
    assert f'<a href="/briefings/{briefing.slug}/" hreflang="en">Léalo en el sitio en inglés</a>' in html
    assert '<h1><span lang="en">Crossings fall in Arizona</span></h1>' in html
    assert '<div class="body" lang="en">' in html
    # Only its English page is named as an alternate; its structured data says English.
    assert 'hreflang="es"' not in html.split("</head>")[0].split('rel="canonical"')[1].split("<meta")[0]
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["inLanguage"] == "en"


def test_the_admin_edits_each_language_side_by_side(client, superuser, db):
    briefing = BriefingFactory(headline="Crossings fall")
    client.force_login(superuser)
    url = reverse("admin:briefings_briefing_change", args=[briefing.pk])
    html = page(client, url)
    # One row holds both languages' boxes (a tuple of fields in Django's admin), shown as two equal columns.
    row = html.split('<div class="form-row field-headline_en field-headline_es">')[1].split('<div class="form-row')[0]
    assert 'name="headline_en"' in row and 'name="headline_es"' in row
    assert "admin/briefings/languages.css" in html
    data = form_data(html, "briefing_form") | {"headline_es": "Bajan los cruces", "body_es": "El **cuerpo**."}
    assert client.post(url, data).status_code == 302
    columns = Briefing.objects.rewrite(False).filter(pk=briefing.pk)
    assert list(columns.values_list("headline", "headline_en", "headline_es")) == [
        ("Crossings fall", "Crossings fall", "Bajan los cruces")
    ]
    briefing.refresh_from_db()
    assert briefing.languages == ["en", "es"]
    client.logout()
    assert "<h1>Bajan los cruces</h1>" in page(client, f"/es/briefings/{briefing.slug}/")


def test_sitemaps_list_each_language_with_alternates(client, db):
    english_only = BriefingFactory()
    translated = BriefingFactory(headline_es="Informe", body_es="Texto.")
    root = ET.fromstring(client.get(reverse("sitemap")).content)
    locations = {entry.find(f"{SITEMAP}loc").text: entry for entry in root}
    assert f"http://testserver/es/briefings/{translated.slug}/" in locations
    assert f"http://testserver/es/briefings/{english_only.slug}/" not in locations
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in locations[f"http://testserver/briefings/{translated.slug}/"].findall(f"{XHTML}link")
    }
    assert alternates == {
        "en": f"http://testserver/briefings/{translated.slug}/",
        "es": f"http://testserver/es/briefings/{translated.slug}/",
        "x-default": f"http://testserver/briefings/{translated.slug}/",
    }
    assert "http://testserver/es/places/" in locations


def test_the_spanish_feed_lists_what_is_published_in_spanish(client, db):
    BriefingFactory(headline="Only in English")
    BriefingFactory(headline="In both", headline_es="En los dos", body_es="Texto.")
    feed = client.get("/es/feeds/briefings.rss").content.decode()
    assert "<language>es</language>" in feed
    assert "<title>En los dos</title>" in feed and "Only in English" not in feed
    english = client.get("/feeds/briefings.rss").content.decode()
    assert "<language>en</language>" in english
    assert "<title>Only in English</title>" in english and "<title>In both</title>" in english


def test_the_api_answers_in_the_language_asked_for(client, seed):
    url = reverse("api:briefing-detail", args=[SEED])
    response = client.get(url, headers={"accept-language": "es"})
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    data = response.json()
    assert data["headline"].startswith("EE. UU. amplía")
    assert data["languages"] == ["en", "es"]
    assert data["sources"][0]["language"] == "en"
    quote = data["quotes"][0]
    assert quote["text"] == Quote.objects.get(slug=quote["slug"]).text  # the words themselves, never replaced
    assert quote["translation"] == Quote.objects.get(slug=quote["slug"]).translation_es
    english = client.get(url).json()
    assert english["headline"].startswith("U.S. expands") and english["quotes"][0]["translation"] == ""


def test_encounter_tables_name_cbp_components_in_spanish_and_mark_cbp_words(client, public_site):
    html = page(client, "/es/encounters/")
    assert ">Patrulla Fronteriza de EE. UU.</th>" in html and "U.S. Border Patrol" not in html
    assert re.search(r'<a href="[^"]*" lang="en">[A-Z][^<]* Sector</a>', html)
    assert 'class="chart-label" x=' in html and re.search(r'text-anchor="end" lang="en">', html)


def test_tip_channels_say_when_the_desk_last_checked_them(client, seed, committed):
    channel = TipChannel.objects.get(kind="phone")
    assert "Aún no comprobado por la redacción: tal como lo da la fuente." in page(client, "/es/rewards/")
    html = page(client, "/rewards/")
    assert "Not yet checked by the desk: as the source gives it." in html
    channel.checked_on = channel.created_at.date()
    channel.instructions_es = "Llame las 24 horas; hay operadores que hablan español."
    with committed():
        channel.save()
    spanish = page(client, "/es/rewards/")
    assert "Llame las 24 horas; hay operadores que hablan español." in spanish
    assert "Última comprobación de la redacción:" in spanish


def test_a_translated_field_read_in_spanish_has_one_type_of_output(db):
    """Each translation column is a field class of its own: the expression that reads the Spanish or else the
    English says what it gives, or Django refuses to select it (“Expression contains mixed types”)."""
    from django.db.models import TextField

    from briefings.languages import in_language
    from briefings.models import Place

    with translation.override("es"):
        expression = in_language("name").resolve_expression(Place.objects.all().query)
        assert isinstance(expression.output_field, TextField)


def test_the_admin_is_in_english_whatever_the_browser_asks(client, superuser, db):
    """django-modeltranslation writes a translated field in the active language: the admin, where the desk writes,
    stays in English, and a briefing made there keeps its English in the English columns."""
    client.force_login(superuser)
    page = client.get(reverse("admin:briefings_briefing_add"), headers={"accept-language": "es"})
    assert '<html lang="en"' in page.content.decode()
    assert page["Content-Language"] == "en" and "Accept-Language" not in page.get("Vary", "")


def test_changing_a_live_offers_criterion_in_either_language_is_a_change_of_fact(client, publisher, db):
    from .factories import RewardOfferFactory

    offer = RewardOfferFactory()
    assert offer.status == offer.Status.ACTIVE  # readers see it
    client.force_login(publisher)
    url = reverse("admin:briefings_rewardoffer_change", args=[offer.pk])
    for column in ("criterion_en", "criterion_es"):
        data = form_data(client.get(url).content.decode(), "rewardoffer_form") | {column: "Location of its leaders"}
        refused = client.post(url, data)
        assert refused.status_code == 200, column
        assert "This changes a published fact" in refused.content.decode(), column


def test_spanish_lists_are_in_the_order_of_the_names_readers_see(client, db):
    from .factories import PlaceFactory

    PlaceFactory(name="Zacapa")  # no Spanish name: read, and sorted, as “Zacapa”
    PlaceFactory(name="Darién Gap", name_es="Tapón del Darién")
    PlaceFactory(name="Alpha", name_es="Mesa")
    html = page(client, "/es/places/")
    positions = [html.index(name) for name in ("Mesa", "Tapón del Darién", "Zacapa")]
    assert positions == sorted(positions)


def test_a_translated_story_marks_the_desks_translations_of_its_passages(client, seed):
    """The Spanish body holds the desk's translations of the quotes and sentences, not the source's words: those
    are marked and linked, as the English ones are on the English page."""
    html = page(client, f"/es/briefings/{SEED}/")
    quote = Quote.objects.get(slug="doj-official-enterprise-level")
    assert quote.translation_es in html
    assert f'<mark class="quoted" id="passage-quote-{quote.slug}">' in html
    assert re.search(r'<a class="fact" href="/es/figures/[^"]+">300<span class="visually-hidden">', html)
    english = page(client, f"/briefings/{SEED}/")
    assert f'<mark class="quoted" id="passage-quote-{quote.slug}">' in english
