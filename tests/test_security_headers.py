"""The headers that make a browser refuse injected code, on public pages, the admin and the API docs, and
pages that need nothing the Content-Security-Policy forbids (no inline script, style or event handler).

HSTS, the HTTPS redirect and Secure cookies depend on DEBUG being off when the settings are read, so they are
tested in a production process in tests/test_deployment.py.
"""

import contextlib

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from briefings.models import (
    Briefing,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    RewardOffer,
    RewardProgram,
    Source,
    Topic,
)

from .html_safety import unsafe_markup


def policy(response):
    """The Content-Security-Policy as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def briefing_url(seed):
    return Briefing.objects.published().first().get_absolute_url()


@pytest.fixture
def pages(client, briefing_url):
    return {
        "public page": client.get(briefing_url),
        "admin login": client.get(reverse("admin:login")),
        "API docs": client.get(reverse("api:openapi-view")),
    }


def test_every_kind_of_page_gets_a_strict_content_security_policy(pages):
    for name, response in pages.items():
        assert response.status_code == 200, name
        directives = policy(response)
        assert directives["default-src"] == ["'none'"], name
        assert directives["script-src"] == ["'self'"], name
        assert directives["style-src"] == ["'self'"], name
        assert directives["frame-ancestors"] == ["'none'"], name
        assert directives["base-uri"] == ["'none'"], name
        assert directives["form-action"] == ["'self'"], name
        assert directives["connect-src"] == ["'self'"], name
        for directive, sources in directives.items():
            assert "'unsafe-inline'" not in sources, (name, directive)
            assert "'unsafe-eval'" not in sources, (name, directive)
            assert not any(source in ("*", "http:", "https:") for source in sources), (name, directive)


def test_only_the_api_docs_may_show_data_images(pages):
    # Swagger UI's stylesheet embeds its icons as data: URLs; nothing else on the site needs them.
    assert policy(pages["API docs"])["img-src"] == ["'self'", "data:"]
    assert policy(pages["public page"])["img-src"] == ["'self'"]
    assert policy(pages["admin login"])["img-src"] == ["'self'"]


def test_every_kind_of_page_gets_the_other_protective_headers(pages):
    for name, response in pages.items():
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        features = dict(feature.split("=") for feature in response["Permissions-Policy"].split(", "))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert features[feature] == "()", (name, feature)


def test_json_answers_and_errors_get_the_headers_too(client, db):
    for response in (client.get(reverse("healthz")), client.get("/no-such-page/"), client.get("/api/briefings")):
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "Permissions-Policy" in response


PUBLIC_PAGES = [
    ("briefings:home", {}),
    ("briefings:briefing-list", {}),
    ("briefings:figure-list", {}),
    ("briefings:encounters", {}),
    ("briefings:reward-list", {}),
    ("briefings:topic-list", {}),
    ("briefings:place-list", {}),
    ("briefings:organization-list", {}),
    ("briefings:person-list", {}),
    ("briefings:measure-list", {}),
    ("briefings:source-list", {}),
    ("briefings:correction-list", {}),
]


DETAIL_PAGES = [Topic, Place, Organization, Person, Measure, Source, Metric, Figure, RewardProgram, RewardOffer]


def test_public_pages_need_no_inline_script_or_style(client, briefing_url):
    paths = [reverse(name, kwargs=kwargs) for name, kwargs in PUBLIC_PAGES]
    paths += [model.objects.order_by("pk").first().get_absolute_url() for model in DETAIL_PAGES]
    paths += [briefing_url, reverse("briefings:search") + "?q=darien", "/no-such-page/"]
    paths.append(reverse("api:openapi-view"))
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert unsafe_markup(response.content.decode()) == [], path


def admin_pages():
    """The admin's index, and for every registered model its list, one object's change and history pages (or the
    add page when there is none), plus the pages the desk adds."""
    paths = [reverse("admin:index"), reverse("admin:login"), reverse("admin:password_change")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
            paths.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
        for extra in ("add", "recoverlist", "import"):
            with contextlib.suppress(NoReverseMatch):  # not every list has these pages
                paths.append(reverse("admin:{}_{}_{}".format(*info, extra)))
    return paths


def test_admin_pages_need_no_inline_script_or_style(client, seed, superuser):
    client.force_login(superuser)
    checked = 0
    for path in admin_pages():
        response = client.get(path)
        if response.status_code == 403:  # e.g. adding to a read-only list
            continue
        assert response.status_code in (200, 302), path
        if response.status_code == 200:
            assert "Content-Security-Policy" in response, path
            assert unsafe_markup(response.content.decode()) == [], path
            checked += 1
    assert checked >= 30
