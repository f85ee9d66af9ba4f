"""Every public address, with generated path slugs and query parameters (the ones pages read and any others,
well-formed or not, NUL and all): never a server error, and HTML error pages where a page is HTML.
The API's own property-based run is tests/test_api_schema.py."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .factories import EncounterCountFactory, build_site

# The query parameters any public page reads (public_path(params=...) and search).
READ = ["topic", "place", "organization", "person", "page", "region", "area", "from", "to", "p", "q", "kind"]
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=16)


def public_routes():
    """(route with <converter:name> parts, its name) of every address outside the admin and the API."""
    routes = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("admin/", "api/")):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                routes.append(route)

    walk(get_resolver().url_patterns, "")
    return sorted(routes)


ROUTES = public_routes()


@pytest.fixture
def fuzz_site(db):
    site = build_site(briefings=3)
    EncounterCountFactory()
    return site


def slugs(site):
    records = [*site.briefings, site.topic, site.city, site.country, site.agency, site.person, site.metric]
    return [record.slug for record in records] + ["monthly", "citizenships", "areas", "no-such-thing"]


def test_the_run_covers_the_public_site():
    assert len(ROUTES) >= 30
    assert "briefings/<slug:slug>/" in ROUTES and "encounters/<slug:table>.csv" in ROUTES


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_address_and_no_query_makes_a_server_error(client, fuzz_site, data):
    known = slugs(fuzz_site)
    route = data.draw(st.sampled_from(ROUTES), label="route")
    address = "/" + route
    while "<" in address:
        start, end = address.index("<"), address.index(">")
        value = data.draw(st.sampled_from(known) | st.from_regex(r"[-a-zA-Z0-9_]{1,30}", fullmatch=True))
        address = address[:start] + value + address[end + 1 :]
    names = data.draw(st.lists(st.sampled_from(READ) | TEXT, max_size=4), label="names")
    values = st.sampled_from(known) | st.sampled_from(["2024-06", "2023-13", "RGV", "all", "0", "-1", "9" * 30]) | TEXT
    query = {name: data.draw(values, label=name) for name in names}
    response = client.get(address, query)
    assert response.status_code < 500, (address, query)
    if response.status_code >= 400 and not address.endswith((".csv", ".json", ".rss", ".atom", ".xml", ".txt")):
        assert response["Content-Type"].startswith("text/html"), (address, query, response["Content-Type"])
