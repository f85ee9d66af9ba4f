"""A figure's provenance page, the links that lead to it, and the queries the figure pages take."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from briefings.models import Figure, Place

from .factories import (
    BriefingFactory,
    FigureFactory,
    MetricFactory,
    PlaceFactory,
    UserFactory,
)
from .test_official_record import RGV, SOUTHWEST, encounters
from .test_pages import parse, text


def figure_page(client, figure):
    return client.get(figure.get_absolute_url())


def test_the_address_names_the_metric_and_the_figure(site):
    figure = site.figures[0]
    assert figure.get_absolute_url() == f"/figures/{site.metric.slug}/{figure.slug}/"
    assert figure.get_absolute_url() == reverse(
        "briefings:figure-detail", kwargs={"metric_slug": site.metric.slug, "slug": figure.slug}
    )


def test_a_published_figure_shows_its_whole_provenance(client, site):
    figure = site.figures[0]
    figure.attribution = "the official said"
    figure.save()
    site.source.url = "https://example.org/the-report"
    site.source.save()
    response = figure_page(client, figure)
    assert response.status_code == 200
    content = response.content.decode()
    page_text = text(response)
    page = parse(response)
    assert " ".join(page.headings[0][1].split()) == "About 1,500 interviews per day"
    for label, value in [
        ("As printed", "About 1,500"),
        ("Qualifier", "about"),
        ("Number", "1,500"),
        ("Unit", "interviews"),
        ("Period", "per day"),
        ("Place", site.country.name),
        ("Date it describes", "June 11, 2024 (inferred)"),
        ("Who said it", f"{site.person.name} (the official said)"),
        ("Source document", f"{site.source.title} · https://example.org/the-report"),
        ("Reported in", figure.briefing.headline),
        ("Measure", site.measure.name),
        ("Series", site.metric.name),
    ]:
        assert f"{label} {value}" in page_text, label
    assert '<time datetime="2024-06-11">' in content
    assert "Date inferred: The report says “daily”; dated to its inferred publication day." in page_text
    assert '<blockquote class="source-sentence" cite="https://example.org/the-report">' in content
    assert f"<p>{figure.source_sentence}</p>" in content
    for record in (site.country, site.person, site.source, figure.briefing, site.measure, site.metric):
        assert record.get_absolute_url() in page.links, record
    assert "https://example.org/the-report" in page.links
    # The official record section says why this one is not compared.
    assert "Not compared with official data: CBP counts encounters, and this figure counts interviews." in page_text


def test_the_provenance_page_is_well_formed(client, site):
    response = figure_page(client, site.figures[0])
    page = parse(response)
    levels = [level for level, _heading in page.headings]
    assert levels.count(1) == 1
    assert levels[0] == 1
    for previous, current in zip(levels, levels[1:], strict=False):
        assert current <= previous + 1
    assert page.inline_scripts == 0
    assert page.style_attributes == 0
    assert len(page.ids) == len(set(page.ids))
    assert page.html_lang == "en"
    assert 'aria-current="page"' in response.content.decode()  # the Figures section


def test_a_figure_page_with_the_official_record_beside_the_claim(client, db):
    place = PlaceFactory(
        name="Rio Grande Valley", cbp_region=SOUTHWEST, cbp_area=RGV, cbp_match_note="The desk's match."
    )
    encounters(datetime.date(2024, 6, 1), 5922)
    figure = FigureFactory(
        place=place,
        unit=Figure.Unit.ENCOUNTERS,
        value_as_printed="only about 200",
        value=Decimal("200"),
        date_start=datetime.date(2024, 6, 3),
        date_end=datetime.date(2024, 6, 11),
    )
    response = figure_page(client, figure)
    page_text = text(response)
    assert "CBP counted 5,922 encounters in the Rio Grande Valley Sector in June 2024." in page_text
    assert "5,922 ÷ 30 days = 197.4 per day." in page_text
    assert "The official count covers the whole of June 2024; the claim covers June 3, 2024 to June 11, 2024." in (
        page_text
    )
    assert "The desk's match." in page_text
    url = f"{reverse('briefings:encounters')}?area=Rio+Grande+Valley+Sector&from=2024-06&to=2024-06"
    assert url in parse(response).links


def test_an_indefinite_figure_page_says_there_is_no_number(client, db):
    figure = FigureFactory(value=None, value_as_printed="a few hundred", qualifier=Figure.Qualifier.INDEFINITE)
    page_text = text(figure_page(client, figure))
    assert "Number none: the source gives no number" in page_text


@pytest.mark.parametrize("traits", [{"draft": True}, {"scheduled": True}])
def test_a_figure_of_an_unpublished_briefing_is_404_for_readers(client, db, editor, traits):
    figure = FigureFactory(briefing=BriefingFactory(**traits))
    response = figure_page(client, figure)
    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert figure_page(client, figure).status_code == 404
    client.force_login(editor)
    preview = figure_page(client, figure)
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Preview — not published" in content
    assert '<meta name="robots" content="noindex">' in content
    assert "private" in preview["Cache-Control"]
    assert "no-store" in preview["Cache-Control"]


def test_a_published_figure_is_no_preview_for_staff(client, site, editor):
    client.force_login(editor)
    response = figure_page(client, site.figures[0])
    assert response.status_code == 200
    assert "Preview — not published" not in response.content.decode()


def test_a_mismatched_metric_or_unknown_figure_is_404(client, site):
    figure = site.figures[0]
    other_metric = MetricFactory()
    for kwargs in [
        {"metric_slug": other_metric.slug, "slug": figure.slug},
        {"metric_slug": "no-such-metric", "slug": figure.slug},
        {"metric_slug": site.metric.slug, "slug": "no-such-figure"},
    ]:
        response = client.get(reverse("briefings:figure-detail", kwargs=kwargs))
        assert response.status_code == 404, kwargs
        assert "Page not found" in response.content.decode()


# --- Every figure shown links to its provenance page ----------------------------------------------------------------


def figure_links(response):
    return {link for link in parse(response).links if link.startswith("/figures/") and link.count("/") == 4}


def test_every_figure_shown_links_to_its_provenance_page(client, site):
    figures = site.figures
    pages = {
        "home": ("/", figures),
        "briefing": (site.briefings[0].get_absolute_url(), figures[:1]),
        "figures": (reverse("briefings:figure-list"), figures),
        "metric": (site.metric.get_absolute_url(), figures),
        "place": (site.country.get_absolute_url(), figures),
        "person": (site.person.get_absolute_url(), figures),
        "measure": (site.measure.get_absolute_url(), figures),
        "source": (site.source.get_absolute_url(), figures),
    }
    for name, (url, shown) in pages.items():
        response = client.get(url)
        content = response.content.decode()
        assert figure_links(response) == {figure.get_absolute_url() for figure in shown}, name
        assert 'href="#figure-' not in content, name
        for hidden in site.hidden_figures:
            assert hidden.get_absolute_url() not in content, name
        for figure in shown:
            assert client.get(figure.get_absolute_url()).status_code == 200, (name, figure.slug)


def test_the_seed_figure_pages_answer(client, seed):
    for figure in Figure.objects.published().select_related("metric"):
        response = client.get(figure.get_absolute_url())
        assert response.status_code == 200, figure.slug
        assert figure.source_sentence in response.content.decode(), figure.slug


# --- A fixed number of queries --------------------------------------------------------------------------------------


def comparable_site(*, figures):
    """`figures` published encounter figures in one briefing and one metric, over several months and places
    (an area, a region, a place without a CBP match), with CBP rows for most of their months."""
    rgv = PlaceFactory(cbp_region=SOUTHWEST, cbp_area=RGV, cbp_match_note="The desk's match.")
    southwest = PlaceFactory(kind=Place.Kind.BORDER_REGION, cbp_region=SOUTHWEST, cbp_match_note="The desk's match.")
    unmatched = PlaceFactory()
    briefing = BriefingFactory()
    metric = MetricFactory()
    made = []
    for number in range(figures):
        month = datetime.date(2023 + number // 12, number % 12 + 1, 1)
        encounters(month, 1000 + number)
        encounters(month, 2000 + number, area="Tucson Sector", abbv="TCA")
        made.append(
            FigureFactory(
                briefing=briefing,
                metric=metric,
                place=[rgv, southwest, unmatched][number % 3],
                unit=Figure.Unit.ENCOUNTERS,
                value=Decimal(100 + number),
                date_start=month,
                date_end=month + datetime.timedelta(days=40),  # two months, the second one sometimes missing
            )
        )
    return briefing, metric, made


# page: number of queries, each including the content generation the page cache reads (briefings/page_cache/);
# public pages only read, so no transaction wraps them.
FIXED_QUERIES = {"briefing": 13, "metric": 5, "figure": 4}


@pytest.mark.parametrize("figures", [3, 30])
def test_figure_pages_take_a_fixed_number_of_queries(client, db, django_assert_num_queries, figures):
    briefing, metric, made = comparable_site(figures=figures)
    pages = {
        # briefing, topics, places, organizations, people, sources, figures + their corrections, quotes,
        # offers (none here, so no channels or agencies), the briefing's corrections, the CBP counts
        "briefing": briefing.get_absolute_url(),
        # metric, its published figures + their corrections, the CBP counts
        "metric": metric.get_absolute_url(),
        # the figure with its provenance, its corrections, the CBP counts
        "figure": made[0].get_absolute_url(),
    }
    for name, url in pages.items():
        with django_assert_num_queries(FIXED_QUERIES[name], info=f"{name} ({url}) with {figures} figures"):
            response = client.get(url)
        assert response.status_code == 200, name
    content = client.get(briefing.get_absolute_url()).content.decode()
    assert content.count("÷") >= figures // 3  # the larger page really compares more figures


def test_a_page_with_nothing_comparable_takes_no_cbp_query(client, site, django_assert_num_queries):
    with django_assert_num_queries(FIXED_QUERIES["figure"] - 1):
        assert figure_page(client, site.figures[0]).status_code == 200
