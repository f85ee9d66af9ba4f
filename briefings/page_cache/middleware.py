"""Serving and storing pages: the middleware, the mark views get, and the key a page is stored under."""

import hashlib
import math
from datetime import datetime
from functools import lru_cache, partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, path, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from ..languages import language_of_path
from ..views.errors import DATABASE_UNAVAILABLE, log_database_unavailable, service_unavailable
from .state import ContentState, content_state

KEY_PREFIX = "page:2"  # 2: pages by the language of their address (/es/), not the reader's headers
# Set on a page served from the cache while the database cannot be read.
STALE_HEADER = "X-Page-Cache"


# Serving pages


def _address(request) -> str:
    """The page's language and address, hashed: the part of its key that no write changes."""
    # The address as the request gave it (scheme, host, path and query string), without build_absolute_uri()'s
    # checks, which cost more than the rest of a hit: a host that ALLOWED_HOSTS refuses gets a 400 from the view
    # (CommonMiddleware), so nothing is ever stored under one.
    meta = request.META
    address = f"{request.scheme}://{meta.get('HTTP_HOST') or meta.get('SERVER_NAME', '')}{request.path}"
    address = hashlib.sha256(f"{address}?{meta.get('QUERY_STRING', '')}".encode()).hexdigest()
    # A public page's language is its address's (/es/…): the key says it for whoever reads the cache.
    return f"{language_of_path(request.path_info)}:{address}"


def _cache_key(address: str, state: ContentState) -> str:
    scheduled = int(state.next_change_at.timestamp()) if state.next_change_at else "-"
    return f"{KEY_PREFIX}:{state.generation}:{scheduled}:{address}"


def _latest_key(address: str) -> str:
    """Where the key of the page last stored for an address is kept, to serve it while the database is away."""
    return f"{KEY_PREFIX}:latest:{address}"


def _timeout(state: ContentState, now: datetime):
    timeout = cache.default_timeout
    if state.next_change_at is not None:
        # Its key is not asked for after that moment: no need to keep it longer.
        until = max(1, math.ceil((state.next_change_at - now).total_seconds()))
        timeout = until if timeout is None else min(timeout, until)
    return timeout


def _may_be_shared(request, response) -> bool:
    """Whether this answer is the same for every anonymous reader, so that it may be stored."""
    cache_control = {
        directive.split("=")[0].strip().lower() for directive in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not (user is not None and user.is_authenticated)
        and not response.streaming
        and not response.cookies
        and not cache_control & {"private", "no-store"}
        # A page that used a CSRF token or wrote to the session gets a cookie of its own on the way out.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
    )


def _stored_page(response, *, state) -> HttpResponse:
    """A plain copy of `response` with its validators, as it is stored and served again: unpickling it costs
    less than building a response from its parts. Its `Last-Modified` holds for as long as its key does: the key
    changes with every bump and with every scheduled publication that comes."""
    page = HttpResponse(response.content, status=response.status_code, headers=dict(response.items()))
    page["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    if state.last_modified:
        page["Last-Modified"] = http_date(int(state.last_modified.timestamp()))
    patch_cache_control(page, no_cache=True)
    # The page depends on whether the reader is logged in (the session cookie); its language is its address's.
    patch_vary_headers(page, ["Cookie"])
    return page


def _answer(request, page: HttpResponse, *, state):
    """The stored page, or a 304 Not Modified when the request's validators still match it."""
    last_modified = int(state.last_modified.timestamp()) if state.last_modified else None
    return get_conditional_response(request, etag=page["ETag"], last_modified=last_modified, response=page)


class PageCacheMiddleware:
    """Serves stored pages, and stores the pages that views marked with `cache_public_page` may share.

    It sits right after WhiteNoise (config/settings.py), so that a stored page costs about what a static file
    does: one query (the content state) and a cache read, without sessions, authentication, CSRF, the other
    middleware or a transaction. What those add to a page's headers on the way out (the Content-Security-Policy,
    Permissions-Policy, Vary, X-Frame-Options) is stored with it; the security middleware, outside this one,
    adds its own to every answer. A request with a session cookie may come from a logged-in user, who may be
    shown drafts: it always goes to the view. With caching turned off (Django's dummy cache) every page goes to
    its view without a query here (a database that is down is then the 500 handler's to answer with a 503).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = None
        if request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            params = _public_page_params(request)
        if params is None:
            return self.get_response(request)
        _ignore_other_parameters(request, params)
        if isinstance(caches[DEFAULT_CACHE_ALIAS], DummyCache):  # caching turned off (CACHE_URL=dummycache://)
            return self.get_response(request)  # nothing to serve or store: not even the content state is read
        now = timezone.now()
        address = _address(request)
        try:
            state = content_state(now)
        except DATABASE_UNAVAILABLE as error:
            return _without_database(request, address, error)
        key = _cache_key(address, state)
        page = cache.get(key)
        if page is None:
            response = self.get_response(request)
            if not _may_be_shared(request, response):
                # Not stored (gone, unpublished, an error): what was stored before is no longer to be served here,
                # not even while the database is away.
                cache.delete(_latest_key(address))
                return response
            page = _stored_page(response, state=state)
            cache.set_many({key: page, _latest_key(address): key}, _timeout(state, now))
        return _answer(request, page, state=state)


def _without_database(request, address: str, error: Exception):
    """The page last stored for this address, marked as possibly out of date (`X-Page-Cache: stale`), when the
    content state cannot be read; a 503 asking to retry when none is stored. Nothing is stored meanwhile."""
    key = cache.get(_latest_key(address))
    page = cache.get(key) if key else None
    log_database_unavailable(request, error, served="503" if page is None else "stale")
    if page is None:
        return service_unavailable(request)
    stale = HttpResponse(page.content, status=page.status_code, headers=dict(page.items()))
    stale[STALE_HEADER] = "stale"
    return stale


def _ignore_other_parameters(request, params: frozenset) -> None:
    """Leave in the request only the query parameters its page reads (`public_path(params=...)`): a page is the
    same whatever else is appended (`?utm_source=…`, random noise), so it is stored and served once, and its
    links and canonical address carry none of it."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    read = QueryDict(query)
    if all(name in params for name in read):
        return
    kept = [(name, value) for name, values in read.lists() if name in params for value in values]
    request.META["QUERY_STRING"] = urlencode(kept)
    request.GET = QueryDict(request.META["QUERY_STRING"])


def _public_page_params(request) -> frozenset | None:
    """The query parameters of the public page the address leads to, or None when it leads to no view marked
    with `cache_public_page` (the admin, the API, search and the health check cost no query here)."""
    return _page_params(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _page_params(path_info, urlconf) -> frozenset | None:
    """Remembered per path: resolving an address against every URL pattern is a large part of serving a hit."""
    try:
        # The language prefix (/es/) matches only while its language is active; the cache runs before it is.
        with translation.override(language_of_path(path_info)):
            match = resolve(path_info, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "page_cache_params", None)


def cache_public_page(view=None, *, params=()):
    """`view`, marked as a public page that PageCacheMiddleware may store (see the package docstring); `params`
    are the query parameters it reads: any other is dropped from the request before the cache or the view sees it.
    Usable as `@cache_public_page` or `@cache_public_page(params=[...])`."""
    if view is None:
        return partial(cache_public_page, params=params)

    # A public page only reads: no transaction (ATOMIC_REQUESTS), so on SQLite it never queues for the write lock.
    @transaction.non_atomic_requests
    @wraps(view)
    def public_view(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    public_view.page_cache_params = frozenset(params)
    return public_view


def public_path(route, view, *, name, params=()):
    """`path(route, view, name=name)`, the view served through the page cache; `params` as cache_public_page's."""
    return path(route, cache_public_page(view, params=params), name=name)
