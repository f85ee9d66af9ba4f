"""Search in Spanish (/es/search/): the Spanish index (migration 0024, briefings/search/language.py) finds the
desk's Spanish, accents folded (and stemmed on PostgreSQL), and English not yet translated; results show the
Spanish and link to the Spanish pages. The English search is untouched by the Spanish words."""

import importlib

import pytest
from django.db import connection

from briefings.models import Briefing
from briefings.search import language
from briefings.search import site as search

from .factories import BriefingFactory, PlaceFactory

SPANISH_SEARCH = "/es/search/"
ENGLISH_SEARCH = "/search/"


def results(client, address, query):
    response = client.get(address, {"q": query})
    assert response.status_code == 200, query
    return response


def urls(response):
    return [result.url for result in response.context["page_obj"].object_list]


def test_spanish_words_are_found_in_spanish_and_not_in_english(client, db):
    briefing = BriefingFactory(
        headline="Families cross the Darién Gap",
        headline_es="Familias cruzan el Tapón del Darién",
        body_es="Las familias caminaron durante días.",
    )
    spanish = f"/es/briefings/{briefing.slug}/"
    assert urls(results(client, SPANISH_SEARCH, "tapon")) == [spanish]  # accents folded
    assert urls(results(client, SPANISH_SEARCH, "caminaron")) == [spanish]
    assert urls(results(client, ENGLISH_SEARCH, "tapon")) == []
    assert urls(results(client, ENGLISH_SEARCH, "families")) == [f"/briefings/{briefing.slug}/"]
    page = results(client, SPANISH_SEARCH, "tapon").content.decode()
    assert "<mark>Tapón</mark>" in page and "Families cross" not in page


def test_what_has_no_spanish_yet_is_found_by_its_english(client, db):
    briefing = BriefingFactory(headline="Shelters fill in Matamoros")
    assert urls(results(client, SPANISH_SEARCH, "shelters")) == [f"/es/briefings/{briefing.slug}/"]


def test_a_new_translation_is_found_at_once_even_written_in_bulk(client, db):
    briefing = BriefingFactory(headline="Crossings fall")
    Briefing.objects.filter(pk=briefing.pk).update(headline_es="Bajan los cruces en Sasardí")
    assert urls(results(client, SPANISH_SEARCH, "Sasardí")) == [f"/es/briefings/{briefing.slug}/"]
    place = PlaceFactory(name="Bajo Chiquito camp")
    place.name_es = "Campamento de Bajo Chiquito"
    place.save()
    assert f"/es/places/{place.slug}/" in urls(results(client, SPANISH_SEARCH, "campamento"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Spanish stemming is PostgreSQL's")
def test_postgresql_stems_spanish(client, db):
    briefing = BriefingFactory(headline_es="Los migrantes cruzaron el río", body_es="Texto.")
    assert urls(results(client, SPANISH_SEARCH, "migrante cruzar")) == [f"/es/briefings/{briefing.slug}/"]
    migration = importlib.import_module("briefings.migrations.0024_spanish_search")
    assert language.SPANISH.postgres_config == migration.CONFIG
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = %s", [language.SPANISH.postgres_config])
        assert cursor.fetchone()[0] == 1


def test_the_database_keeps_a_spanish_index_for_every_kind(db):
    with connection.cursor() as cursor:
        for kind in search.kinds().values():
            table, fields = kind.model._meta.db_table, list(kind.model.objects.all().search_fields)
            if connection.vendor == "sqlite":
                cursor.execute(f'SELECT name FROM pragma_table_info("{table}_fts_es")')
                assert [row[0] for row in cursor.fetchall()] == fields, kind.slug
            else:
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_search_es_idx"])
                assert cursor.fetchone()[0].endswith("USING gin (search_vector_es)"), kind.slug


def test_results_of_every_kind_read_in_spanish(client, public_site):
    page = results(client, SPANISH_SEARCH, "Golfo")
    kinds = {result.kind.slug for result in page.context["page_obj"].object_list}
    assert {"briefing", "organization", "reward-offer"} <= kinds
    html = page.content.decode()
    assert "EE. UU. amplía al Tapón del Darién" in html  # the briefing's Spanish headline
    assert "Tapón del Darién" in html and "/es/rewards/offers/" in html
