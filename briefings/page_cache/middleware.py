"""Serving and storing pages: the middleware, the mark views get, and the key a page is stored under."""

import hashlib
import math
from datetime import datetime
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, path, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .state import ContentState, content_state

KEY_PREFIX = "page:1"


# Serving pages


def _cache_key(request, state: ContentState) -> str:
    scheduled = int(state.next_change_at.timestamp()) if state.next_change_at else "-"
    # The address as the request gave it (scheme, host, path and query string), without build_absolute_uri()'s
    # checks, which cost more than the rest of a hit: a host that ALLOWED_HOSTS refuses gets a 400 from the view
    # (CommonMiddleware), so nothing is ever stored under one.
    meta = request.META
    address = f"{request.scheme}://{meta.get('HTTP_HOST') or meta.get('SERVER_NAME', '')}{request.path}"
    address = hashlib.sha256(f"{address}?{meta.get('QUERY_STRING', '')}".encode()).hexdigest()
    # The language LocaleMiddleware (inside this one) will choose for the request: cookie, then Accept-Language.
    language = translation.get_language_from_request(request)
    return f"{KEY_PREFIX}:{state.generation}:{scheduled}:{language}:{address}"


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
    # The page depends on the language (from Accept-Language or the language cookie) and on whether the reader
    # is logged in (from the session cookie).
    patch_vary_headers(page, ["Accept-Language", "Cookie"])
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
    shown drafts: it always goes to the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or not _is_public_page(request)
        ):
            return self.get_response(request)
        now = timezone.now()
        state = content_state(now)
        key = _cache_key(request, state)
        page = cache.get(key)
        if page is None:
            response = self.get_response(request)
            if not _may_be_shared(request, response):
                return response
            page = _stored_page(response, state=state)
            cache.set(key, page, _timeout(state, now))
        return _answer(request, page, state=state)


def _is_public_page(request) -> bool:
    """Whether the address leads to a view marked with `cache_public_page` (the admin, the API, search and the
    health check are not, and cost no query here)."""
    return _leads_to_public_page(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _leads_to_public_page(path_info, urlconf) -> bool:
    """Remembered per path: resolving an address against every URL pattern is a large part of serving a hit."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "page_cache_public", False)


def cache_public_page(view):
    """`view`, marked as a public page that PageCacheMiddleware may store (see the module docstring)."""

    @wraps(view)
    def public_view(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    public_view.page_cache_public = True
    return public_view


def public_path(route, view, *, name):
    """`path(route, view, name=name)`, the view served through the page cache."""
    return path(route, cache_public_page(view), name=name)
