"""Search (/search/): ranked, highlighted and escaped, only what readers may see, kept current, any query a page.

The same tests run on SQLite (FTS5 tables kept by triggers) and on PostgreSQL (trigger-kept tsvector columns
with GIN indexes); see briefings/search/. How fast a search is at 100,000 briefings is bench/bench_search.py.
"""

import importlib
import re
from decimal import Decimal

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone

from briefings import search as fts
from briefings.models import Briefing, Figure, Organization, Place, Quote, RewardOffer
from briefings.search import MAX_QUERY_LENGTH, SearchTerms
from briefings.search import site as search
from briefings.search.site import RESULTS_PER_PAGE
from briefings.search.site import search as site_module

from .factories import (
    BriefingFactory,
    FigureFactory,
    OrganizationFactory,
    PlaceFactory,
    QuoteFactory,
    RewardOfferFactory,
    build_site,
)
from .test_pages import parse

SEARCH_URL = reverse("briefings:search")


def search_page(client, query, **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200, query
    return response


def result_urls(response):
    return [result.url for result in response.context["page_obj"].object_list]


def one_of_each_kind(word):
    """A published record of every kind whose text contains `word`, by kind slug."""
    briefing = BriefingFactory(headline=f"Crossing news from {word}")
    return {
        "briefing": briefing,
        "figure": FigureFactory(
            briefing=briefing,
            value_as_printed="about 300",
            source_sentence=f"Officials counted about 300 people at {word} each day.",
        ),
        "quote": QuoteFactory(briefing=briefing, text=f"We will be in {word} for as long as it takes.", context=""),
        "reward-offer": RewardOfferFactory(criterion_text=f"the arrest of any leader smuggling through {word}"),
        "organization": OrganizationFactory(name=f"{word} Border Authority"),
        "place": PlaceFactory(name=f"{word} crossing", description="A river crossing."),
    }


# --- Ranking -----------------------------------------------------------------------------------------------------


def test_a_headline_match_ranks_above_a_dek_match_above_a_body_match(client, db):
    in_body = BriefingFactory(headline="Weekly roundup", body="Among much else, families crossed the Tuquesa today.")
    in_dek = BriefingFactory(headline="Weekly summary", dek="Families waded across the Tuquesa.")
    in_headline = BriefingFactory(headline="Families wade across the Tuquesa", body="More below.")
    response = search_page(client, "Tuquesa")
    assert result_urls(response) == [b.get_absolute_url() for b in (in_headline, in_dek, in_body)]


def test_results_of_every_kind_come_in_one_ranked_list(client, db):
    records = one_of_each_kind("Yaviza")
    response = search_page(client, "Yaviza")
    results = response.context["page_obj"].object_list
    assert {result.kind.slug for result in results} == set(records)
    assert [result.url for result in search.site_search("Yaviza").page] == result_urls(response)
    assert response.context["search"].total == 6


def test_the_queryset_method_ranks_and_annotates(db):
    BriefingFactory(headline="Unrelated", body="The Chucunaque river rose.")
    headline = BriefingFactory(headline="The Chucunaque river rises")
    BriefingFactory(draft=True, headline="Chucunaque draft")
    found = list(Briefing.objects.published().search("chucunaque"))
    assert len(found) == 2
    assert found[0] == headline
    assert found[0].search_rank > found[1].search_rank > 0
    assert not Briefing.objects.search("").exists()
    assert not Briefing.objects.search('"!&|').exists()


def test_a_search_said_to_match_few_rows_finds_the_same_rows(db):
    BriefingFactory(headline="Unrelated", body="The Chucunaque river rose.")
    BriefingFactory(headline="The Chucunaque river rises", dek="Chucunaque, again")
    BriefingFactory(draft=True, headline="Chucunaque draft")
    for query in ["chucunaque", "chucunaque river", "chucunaque -rises", '"Chucunaque river" OR Tuquesa']:
        found = [(b.pk, b.search_rank) for b in Briefing.objects.published().search(query)]
        assert found, query
        assert [(b.pk, b.search_rank) for b in Briefing.objects.published().search(query, few=True)] == found, query


# --- What a query means --------------------------------------------------------------------------------------


def test_all_words_must_match_and_stemming_and_accents_are_forgiven(client, db):
    darien = BriefingFactory(headline="Families deployed to the Darién Gap")
    BriefingFactory(headline="Families at the Rio Grande")
    assert result_urls(search_page(client, "family deploy darien")) == [darien.get_absolute_url()]
    assert result_urls(search_page(client, "DARIÉN")) == [darien.get_absolute_url()]
    assert result_urls(search_page(client, "families Tapachula")) == []


def test_phrases_alternatives_and_exclusions(client, db):
    gap = BriefingFactory(headline="Migrants cross the Darien Gap")
    river = BriefingFactory(headline="Migrants cross the Tuquesa river")
    reversed_words = BriefingFactory(headline="A gap in Darien records")
    assert result_urls(search_page(client, '"Darien Gap"')) == [gap.get_absolute_url()]
    assert set(result_urls(search_page(client, "Tuquesa OR Gap"))) == {
        gap.get_absolute_url(),
        river.get_absolute_url(),
        reversed_words.get_absolute_url(),
    }
    assert result_urls(search_page(client, "migrants -Tuquesa")) == [gap.get_absolute_url()]
    assert result_urls(search_page(client, "-Tuquesa")) == []  # nothing to find, only something to leave out


def test_parsing_a_query():
    terms = SearchTerms.parse('  Darién "Clan del Golfo" or Panamá -Colombia -"task force" !&| or ')
    assert terms.groups == (("Darién",), ("Clan del Golfo", "Panamá"))
    assert terms.excluded == ("Colombia", "task force")
    assert terms.fts5() == '("Darién" AND ("Clan del Golfo" OR "Panamá")) NOT ("Colombia" OR "task force")'
    assert not SearchTerms.parse("\"'!&|:*()<>")
    assert SearchTerms.parse("a\x00b").text == "a b"
    long = SearchTerms.parse("x" * 500)
    assert long.truncated and len(long.text) == MAX_QUERY_LENGTH


# --- Kinds and pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["briefing", "figure", "quote", "reward-offer", "organization", "place"])
def test_the_kind_filter_shows_only_that_kind(client, db, kind):
    records = one_of_each_kind("Metetí")
    response = search_page(client, "Meteti", kind=kind)
    assert result_urls(response) == [records[kind].get_absolute_url()]
    assert response.context["search"].counts == dict.fromkeys(records, 1)
    page = response.content.decode()
    assert f'<option value="{kind}" selected>' in page
    assert re.search(rf'href="\?q=Meteti&amp;kind={kind}" aria-current="true"', page)


def test_an_unknown_kind_is_a_404(client, db):
    assert client.get(SEARCH_URL, {"q": "Darién", "kind": "person"}).status_code == 404


def test_results_are_paginated_and_pages_keep_the_query(client, db):
    for number in range(RESULTS_PER_PAGE + 5):
        BriefingFactory(headline=f"Metetí checkpoint report {number}")
    first = search_page(client, "Metetí checkpoint", kind="briefing")
    second = search_page(client, "Metetí checkpoint", kind="briefing", page=2)
    assert len(result_urls(first)) == RESULTS_PER_PAGE
    assert len(result_urls(second)) == 5
    assert not set(result_urls(first)) & set(result_urls(second))
    assert 'rel="next" href="?q=Metet%C3%AD+checkpoint&amp;kind=briefing&amp;page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    # A page number that is not one shows a page of results, not an error.
    assert result_urls(search_page(client, "Metetí checkpoint", kind="briefing", page="abc")) == result_urls(first)
    assert result_urls(search_page(client, "Metetí checkpoint", kind="briefing", page=99)) == result_urls(second)
    for page in ["0", "-3", "2.5", "9" * 40, ""]:
        assert search_page(client, "Metetí checkpoint", page=page).context["page_obj"].number in (1, 2), page
        assert search_page(client, "nothing matches this", page=page).context["page_obj"].number == 1, page


# --- Only what readers may see -----------------------------------------------------------------------------------


def test_drafts_scheduled_briefings_and_their_figures_and_quotes_are_never_found(client, db):
    site = build_site(briefings=2)
    for query in ["never shown", "not yet shown", "Unpublished", "4,321", "Unpublished words"]:
        response = search_page(client, query)
        assert response.context["search"].total == 0, query
        assert response.context["search"].counts == dict.fromkeys(search.kinds(), 0), query
    page = search_page(client, "headline").content.decode()
    assert "Draft headline" not in page
    assert "Scheduled headline" not in page
    assert len(result_urls(search_page(client, "headline"))) == len(site.briefings)


def test_a_briefing_found_when_published_is_gone_when_unpublished(client, db):
    briefing = BriefingFactory(headline="Bajo Chiquito shelter opens")
    assert result_urls(search_page(client, "Chiquito")) == [briefing.get_absolute_url()]
    briefing.status = Briefing.Status.DRAFT
    briefing.save()
    assert result_urls(search_page(client, "Chiquito")) == []


# --- Highlighting and escaping -----------------------------------------------------------------------------------


def test_matches_are_marked_and_everything_else_is_escaped(client, db):
    BriefingFactory(
        headline="<script>alert('headline')</script> Lajas Blancas camp",
        dek="The <b>dek</b> about Lajas Blancas",
        body="Before <script>alert('body')</script> the camp at Lajas Blancas & **more** text.",
    )
    page = search_page(client, "Lajas").content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;headline&#x27;)&lt;/script&gt; <mark>Lajas</mark> Blancas camp" in page
    assert "The &lt;b&gt;dek&lt;/b&gt; about <mark>Lajas</mark> Blancas" in page
    assert "<mark>Lajas</mark> Blancas &amp; more text" in page  # Markdown emphasis dropped from the excerpt
    assert "<b>" not in page


def test_the_query_is_escaped_wherever_it_is_shown(client, db):
    BriefingFactory(headline="Lajas Blancas camp")
    for query in ["<b>Lajas</b>", '"><script>alert(1)</script>', "Lajas <b>"]:
        page = search_page(client, query).content.decode()
        assert "<b>" not in page, query
        assert "<script>" not in page, query
        assert "&lt;b&gt;" in page or "&lt;script&gt;" in page, query


def test_text_that_contains_the_match_marks_cannot_forge_markup(client, db):
    BriefingFactory(headline=f"Canaan {fts.MARK_START}<img src=x onerror=alert(1)>{fts.MARK_END} Membrillo")
    page = search_page(client, "Membrillo").content.decode()
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_an_excerpt_is_read_as_plain_text_and_only_matches_are_marked():
    marked = f"{fts.MARK_START}Tuquesa{fts.MARK_END}"
    body = (
        f"## Report\n\n> Families crossed the **{marked}** at _dawn_, see [the map](https://example.org/map_1) "
        f"and ![a photo](x.jpg).\n\n1. `code` __strong__ {fts.MARK_START}<b>{fts.MARK_END} 3*4"
    )
    assert fts.highlighted_html(body, markdown=True) == (
        "Report Families crossed the <mark>Tuquesa</mark> at _dawn_, see the map and a photo. "
        "code strong <mark>&lt;b&gt;</mark> 34"
    )
    # Outside an excerpt Markdown is text like any other; a mark without its pair is dropped.
    assert fts.highlighted_html(f"**{marked}** [x](y) {fts.MARK_END}a") == "**<mark>Tuquesa</mark>** [x](y) a"
    assert fts.highlighted_html("") == fts.highlighted_html(None) == ""


def test_the_excerpt_shows_the_matches_far_into_a_long_body(client, db):
    filler = "The crossing was quiet that week, and the river was low. " * 80
    BriefingFactory(headline="Weekly roundup", body=f"{filler}\n\nFamilies waded across the Tuquesa.\n\n{filler}")
    page = search_page(client, "family Tuquesa").content.decode()
    assert "<mark>Families</mark> waded across the <mark>Tuquesa</mark>" in page


def test_results_link_to_their_records_whatever_their_slugs_and_the_script_prefix(db):
    records = one_of_each_kind("Yaviza")
    odd = QuoteFactory(briefing=records["briefing"], slug="Quoté 2", text="Yaviza again.", context="")
    expected = {record.get_absolute_url() for record in [*records.values(), odd]}
    assert {result.url for result in search.site_search("Yaviza").page} == expected
    set_script_prefix("/desk/")
    try:
        urls = {result.url for result in search.site_search("Yaviza").page}
        assert urls == {record.get_absolute_url() for record in [*records.values(), odd]}
        assert all(url.startswith("/desk/") for url in urls)
    finally:
        set_script_prefix("/")


# --- Any query gets a page ---------------------------------------------------------------------------------------

EDGE_QUERIES = [
    "",
    "   ",
    "Darién",
    "Колумбия",
    "中文",
    "\"'!&|:*()<>",
    "-",
    "--",
    "or",
    "OR OR",
    '"',
    '"unclosed phrase',
    "NOT AND NEAR(",
    "title:x",
    "^x*",
    "a\x00b",
    "\ue000",
    "x" * 1000,
    "Darién " * 100,
    "%_\\",
    "'; DROP TABLE briefings_briefing; --",
]


@pytest.mark.parametrize("query", EDGE_QUERIES)
def test_any_query_gets_a_normal_page(client, db, query):
    BriefingFactory(headline="Darién news in Колумбия and 中文")
    response = search_page(client, query)
    page = parse(response)
    assert [level for level, _heading in page.headings][:1] == [1]
    assert response["X-Robots-Tag"] == "noindex"
    search_page(client, query, kind="quote")


def test_non_latin_words_are_found(client, db):
    briefing = BriefingFactory(headline="Migrants from Колумбия", body="A note in 中文 for readers.")
    assert result_urls(search_page(client, "колумбия")) == [briefing.get_absolute_url()]
    assert result_urls(search_page(client, "中文")) == [briefing.get_absolute_url()]


def test_a_long_query_is_cut_and_the_page_says_so(client, db):
    response = search_page(client, "Darién " + "x" * 300)
    assert response.context["search"].terms.text == ("Darién " + "x" * 300)[:MAX_QUERY_LENGTH]
    page = response.content.decode()
    assert f"only the first {MAX_QUERY_LENGTH} were searched" in page
    assert f'maxlength="{MAX_QUERY_LENGTH}"' in page


def test_punctuation_alone_asks_for_a_word(client, db):
    page = search_page(client, "\"'!&|:*()<>").content.decode()
    assert "Type a word or a number to search for" in page


# --- Kept current ------------------------------------------------------------------------------------------------


def test_an_edited_headline_is_found_by_its_new_words_not_its_old_ones(client, db):
    briefing = BriefingFactory(headline="Caravan reaches Tapachula")
    assert result_urls(search_page(client, "Tapachula")) == [briefing.get_absolute_url()]
    briefing.headline = "Caravan reaches Huixtla"
    briefing.save()
    assert result_urls(search_page(client, "Huixtla")) == [briefing.get_absolute_url()]
    assert result_urls(search_page(client, "Tapachula")) == []
    Briefing.objects.filter(pk=briefing.pk).update(dek="Then on to Escuintla.")  # a bulk update too
    assert result_urls(search_page(client, "Escuintla")) == [briefing.get_absolute_url()]
    briefing.delete()
    assert result_urls(search_page(client, "Huixtla")) == []


def test_a_briefing_published_after_a_search_like_it_is_found(client, db):
    """Search SQL is compiled once per shape of query: the time it compares publication times with is not."""
    assert result_urls(search_page(client, "Chucunaque")) == []
    briefing = BriefingFactory(headline="Chucunaque ferry resumes", published_at=timezone.now())
    assert result_urls(search_page(client, "Chucunaque")) == [briefing.get_absolute_url()]


@pytest.mark.parametrize(
    "model, field",
    [
        (Figure, "source_sentence"),
        (Quote, "text"),
        (RewardOffer, "criterion_text"),
        (Organization, "name"),
        (Place, "name"),
    ],
)
def test_every_kind_is_found_by_its_new_words_after_an_edit(client, db, model, field):
    records = one_of_each_kind("Yaviza")
    record = next(record for record in records.values() if isinstance(record, model))
    setattr(record, field, "Renamed in Jaqué")
    record.save()
    assert result_urls(search_page(client, "Jaqué")) == [record.get_absolute_url()]
    assert record.get_absolute_url() not in result_urls(search_page(client, "Yaviza"))


def test_the_database_keeps_an_index_for_every_kind(db):
    """Guards the migration against the querysets: every searched table is indexed, on its searched fields."""
    with connection.cursor() as cursor:
        for kind in search.kinds().values():
            table, fields = kind.model._meta.db_table, list(kind.model.objects.all().search_fields)
            if connection.vendor == "sqlite":
                cursor.execute(f'SELECT name FROM pragma_table_info("{table}_fts")')
                assert [row[0] for row in cursor.fetchall()] == fields, kind.slug
            else:
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_search_idx"])
                assert cursor.fetchone()[0].endswith(f"ON public.{table} USING gin (search_vector)"), kind.slug
                cursor.execute(
                    "SELECT event_object_table, event_manipulation FROM information_schema.triggers "
                    "WHERE event_object_table = %s",
                    [table],
                )
                assert {row[1] for row in cursor.fetchall()} == {"INSERT", "UPDATE"}, kind.slug


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own objects")
def test_postgresql_has_the_configuration_the_code_names_and_what_broad_searches_need(db):
    migration = importlib.import_module("briefings.migrations.0008_briefing_search")
    assert migration.CONFIG == fts.POSTGRES_CONFIG
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_ts_config WHERE cfgname = %s", [fts.POSTGRES_CONFIG])
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'briefings_briefing_search_rank_idx'")
        assert cursor.fetchone()[0].endswith("USING gin (search_rank_vector)")
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'briefings_briefing'::regclass AND attname LIKE 'search%%vector'"
        )
        assert dict(cursor.fetchall()) == {"search_vector": 1000, "search_rank_vector": 1000}


# --- Searches that match many records --------------------------------------------------------------------------


@pytest.fixture
def small_limits(monkeypatch):
    """The limits of a search that matches many records (briefings/search/site/search.py), small enough to reach."""
    monkeypatch.setattr(site_module, "MAX_RESULTS", 6)
    monkeypatch.setattr(site_module, "RANKED_CANDIDATES", 3)


def test_a_broad_search_ranks_its_newest_title_matches_then_lists_the_others_newest_first(db, small_limits):
    oldest_in_headline = BriefingFactory(headline="Metetí checkpoint opens")
    in_body = [
        BriefingFactory(headline=f"Report {n}", body="Families passed the Metetí checkpoint.") for n in range(5)
    ]
    newest_in_headline = [BriefingFactory(headline=f"Metetí checkpoint, day {n}") for n in range(3)]
    expected = [*reversed(newest_in_headline), *reversed(in_body), oldest_in_headline]

    pages = [search.site_search("Meteti", page=number, per_page=2) for number in (1, 2, 3)]
    assert [result.url for page in pages for result in page.page] == [b.get_absolute_url() for b in expected[:6]]
    first = pages[0]
    assert first.total_is_estimated  # not every match was counted
    assert first.more_than_reachable
    assert first.page.paginator.num_pages == 3  # the first MAX_RESULTS can be paged to
    assert search.site_search("Meteti", page=4, per_page=2).page.number == 3
    only_briefings = search.site_search("Meteti", kind="briefing", page=2, per_page=2)
    assert [result.url for result in only_briefings.page] == [b.get_absolute_url() for b in expected[2:4]]


def test_a_broad_search_whose_ranked_matches_do_not_fill_the_page_lists_the_others(db, monkeypatch):
    # Broad by the planner's estimate on PostgreSQL (after ANALYZE), by its count on SQLite; a page of five
    # needs more than the one record whose headline matches.
    monkeypatch.setattr(site_module, "MAX_RESULTS", 20)
    monkeypatch.setattr(site_module, "RANKED_CANDIDATES", 5)
    in_body = BriefingFactory.create_batch(
        40, headline=factory.Sequence(lambda n: f"Report {n}"), body="Families passed the Metetí checkpoint."
    )
    BriefingFactory.create_batch(80, headline=factory.Sequence(lambda n: f"Border report {n}"))
    in_headline = BriefingFactory(headline="Metetí checkpoint opens")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE briefings_briefing")
    expected = [in_headline, *reversed(in_body)]
    for number in (1, 2):
        found = search.site_search("Meteti", page=number, per_page=5)
        assert found.total_is_estimated
        assert [result.url for result in found.page] == [
            b.get_absolute_url() for b in expected[5 * (number - 1) :][:5]
        ]


def test_a_broad_search_says_its_count_is_an_estimate(client, db, monkeypatch):
    monkeypatch.setattr(site_module, "MAX_RESULTS", 20)
    for number in range(25):
        BriefingFactory(headline=f"Metetí checkpoint, day {number}")
    page = search_page(client, "Meteti").content.decode()
    assert re.search(r"About [0-9,]+ results for “Meteti”", page)
    assert re.search(r"Briefings \(about [0-9,]+\)", page)
    assert "Only the first 20 results can be shown" in page
    assert "Page 1</span>" in page  # of a number of pages that is not known
    assert 'rel="next" href="?q=Meteti&amp;page=2"' in page


def test_a_search_counts_exactly_up_to_the_limit(client, db, monkeypatch):
    monkeypatch.setattr(site_module, "MAX_RESULTS", 20)
    for number in range(20):
        BriefingFactory(headline=f"Metetí checkpoint, day {number}")
    response = search_page(client, "Meteti")
    assert not response.context["search"].total_is_estimated
    assert "20 results for “Meteti”" in response.content.decode()
    assert "Page 1 of 2" in response.content.decode()
    assert "Only the first" not in response.content.decode()
    BriefingFactory(headline="Metetí checkpoint, day 20")
    response = search_page(client, "Meteti")
    assert response.context["search"].total_is_estimated
    assert response.context["search"].counts["briefing"] >= 21
    last = search_page(client, "Meteti", page=3)  # past the results that can be paged to
    assert last.context["page_obj"].number == 2
    assert len(result_urls(last)) == 10
    assert "Only the first 20 results can be shown" in last.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL is asked for estimates")
def test_a_phrase_is_estimated_to_match_as_often_as_its_rarest_word(db, monkeypatch):
    # The planner alone would take “Bajo” and “Chiquito”, each in a third of the briefings, to come together
    # in a ninth of them by chance; they always come together.
    monkeypatch.setattr(site_module, "MAX_RESULTS", 20)
    BriefingFactory.create_batch(40, headline=factory.Sequence(lambda n: f"Bajo Chiquito shelter, day {n}"))
    BriefingFactory.create_batch(80, headline=factory.Sequence(lambda n: f"Border report {n}"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE briefings_briefing")
    result = search.site_search('"Bajo Chiquito"')
    assert result.total_is_estimated
    assert 30 <= result.counts["briefing"] <= 50


def test_a_phrase_alone_takes_no_more_queries_than_a_word(db, django_assert_num_queries):
    BriefingFactory(headline="Bajo Chiquito shelter opens")
    phrase_words = 1 if connection.vendor == "postgresql" else 0  # the estimates of each of its words
    for query, queries in [("shelter", 0), ('"Bajo Chiquito"', 0), ('"Bajo Chiquito" shelter', phrase_words)]:
        with django_assert_num_queries(search_queries() + queries, info=query):
            assert [result.title for result in search.site_search(query).page]


# --- Reachable and accessible --------------------------------------------------------------------------------


def test_every_page_has_a_labelled_search_form_in_its_header(client, db):
    page = client.get("/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert f'<form class="site-search" role="search" method="get" action="{SEARCH_URL}"' in header
    assert SEARCH_URL == "/search/"
    assert '<label for="site-search-query">' in header
    assert '<input id="site-search-query" name="q" type="search"' in header


def test_the_search_page_is_well_formed(client, db):
    one_of_each_kind("Yaviza")
    response = search_page(client, "Yaviza")
    page = parse(response)
    levels = [level for level, _heading in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(level == 2 for level in levels[1:]) and len(levels) == 7
    assert page.inline_scripts == 0
    assert page.style_attributes == 0
    assert len(page.ids) == len(set(page.ids))
    content = response.content.decode()
    assert '<label for="search-query">' in content
    assert '<label for="search-kind">' in content
    assert "6 results for “Yaviza”" in content
    assert "Up to $1,000,000" in content


# --- Queries per page ----------------------------------------------------------------------------------------


def search_queries():
    """What a search adds to a page's queries: on PostgreSQL the planner's estimates of the matches (EXPLAIN,
    nothing run), then the page ranked and the matches counted, then its titles and snippets."""
    return 3 if connection.vendor == "postgresql" else 2


@pytest.mark.parametrize("briefings", [3, 60])
def test_a_page_of_results_takes_a_fixed_number_of_queries(client, db, django_assert_num_queries, briefings):
    build_site(briefings=briefings)
    for number in range(briefings):
        OrganizationFactory(name=f"Headline Organization {number}", description="Named in a headline.")
        PlaceFactory(name=f"Headline Place {number}")
        RewardOfferFactory(
            criterion_text=f"the arrest of headline smugglers, offer {number}", ceiling_amount=Decimal(5)
        )
    # What the page costs with nothing to search (no words): the savepoint of ATOMIC_REQUESTS and whatever
    # else every page does. A search adds a fixed number of queries to that.
    client.get(SEARCH_URL, {"q": "!!"})
    with CaptureQueriesContext(connection) as without_search:
        assert client.get(SEARCH_URL, {"q": "!!"}).status_code == 200
    per_page = len(without_search) + search_queries()
    for query, kind in [("headline", None), ("interviews", None), ("official", None), ("headline", "place")]:
        params = {"q": query, **({"kind": kind} if kind else {})}
        with django_assert_num_queries(per_page, info=f"{params} with {briefings} briefings"):
            response = client.get(SEARCH_URL, params)
        assert response.status_code == 200
        assert response.context["page_obj"].object_list, params
    with django_assert_num_queries(per_page):
        assert client.get(SEARCH_URL, {"q": "headline", "page": 2}).status_code == 200
    with django_assert_num_queries(per_page + 1):  # past the end: the last page is fetched again
        assert client.get(SEARCH_URL, {"q": "headline", "page": 999}).status_code == 200
    with django_assert_num_queries(per_page - 1):  # nothing found: no page to fetch
        assert client.get(SEARCH_URL, {"q": "Zzyzx"}).status_code == 200
