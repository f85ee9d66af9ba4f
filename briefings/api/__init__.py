"""The read-only JSON API at /api/, built with Django Ninja: published content only.

    schemas.py     what the API answers with (and so the OpenAPI document)
    content.py     briefings and figures
    rewards.py     reward programs, offers, tip channels
    directory.py   places and organizations
    encounters.py  CBP's official encounter counts
    pagination.py  limit with offset or page, count, next/previous
    errors.py      errors as JSON
    http.py        ETag, Last-Modified, conditional GET, HEAD, JSON 405

config/urls.py mounts `urls` at api/; the OpenAPI document is /api/openapi.json and the docs /api/docs
(Swagger UI from Ninja's own static files: "ninja" is in INSTALLED_APPS, so no CDN is needed). The docs page
runs under the site's Content-Security-Policy, plus `img-src data:` for the icons Swagger UI's stylesheet embeds.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.urls import re_path, reverse
from ninja import NinjaAPI, Swagger

from ..encounters import api as encounters
from . import content, directory, rewards, schemas
from .errors import install_handlers, not_found
from .http import Renderer, wrap_patterns

api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description=(
        "Read-only, published content only. Lists take `limit` (at most 100; 1000 for encounter counts) "
        "with `offset` or `page`, and answer with `count`, `next` and `previous`. "
        "Amounts are exact decimal strings; dates and times are ISO 8601. Every answer carries an `ETag` "
        "(and a `Last-Modified` when it lists dated records) and answers `If-None-Match` / `If-Modified-Since` "
        'with 304. Errors are JSON: `{"detail": ...}`; a bad parameter is a 422 naming it in `loc`.'
    ),
    urls_namespace="api",
    renderer=Renderer(),
    # No online validator: the docs page fetches nothing from outside this site.
    docs=Swagger(settings={"validatorUrl": None}),
    docs_decorator=csp_update({"img-src": ["data:"]}),
)
install_handlers(api)


@api.get("/", response=schemas.Index, url_name="index", summary="What this API offers", tags=["index"])
def index(request):
    def absolute(name):
        return request.build_absolute_uri(reverse(f"api:{name}"))

    collections = {
        "briefings": "briefing-list",
        "figures": "figure-list",
        "reward_programs": "reward-program-list",
        "reward_offers": "reward-offer-list",
        "tip_channels": "tip-channel-list",
        "places": "place-list",
        "organizations": "organization-list",
        "encounter_counts": "encounter-count-list",
    }
    return {
        "title": api.title,
        "openapi": absolute("openapi-json"),
        "docs": absolute("openapi-view"),
        "collections": {key: absolute(name) for key, name in collections.items()},
    }


api.add_router("", content.router)
api.add_router("", rewards.router)
api.add_router("", directory.router)
api.add_router("", encounters.router)

patterns, app_name, namespace = api.urls
# Every other address under /api/ is a JSON 404, not the site's HTML page.
urls = (wrap_patterns([*patterns, re_path(r"", not_found)]), app_name, namespace)
