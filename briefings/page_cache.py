"""The public page cache: whole pages, for anonymous readers, made fresh by any change to what they show.

- What is cached: the answer to a GET or HEAD from a reader who is not logged in, when it is a 200 that sets
  no cookie and asks for no privacy (a preview sends `Cache-Control: private, no-store`). The views wrapped are
  the ones `briefings/urls.py` passes through `cached()`, and the sitemaps. Never cached: the admin, the API
  (it has its own validators, briefings/api/http.py), search (below), POSTs, and anything for a logged-in user,
  since staff may be shown drafts. A page is stored as the middleware inside PageCacheMiddleware left it (its
  Content-Security-Policy, Permissions-Policy, Vary and frame headers included) and served again from there.
- The key: the content generation (briefings/models/generation.py), the next scheduled publication time, the
  language and the full address (scheme, host, path and query). Any committed write to what the pages show bumps
  the generation, so every page is fresh after it; a briefing or correction scheduled for later has no write
  when its time comes, so the key changes by itself then, and no page cached before that time is served after.
- Bumps: a signal on every save, delete and many-to-many change of the models below, run when the transaction
  commits, so a reader never stores a page rendered before the change under the new generation. Raw saves
  (`loaddata`, `load_initial_data`) and django-reversion's restore send these signals too. Writes that send
  none (the CBP import's bulk SQL) call `content_changed()` themselves.
- Conditional GET: each page gets an `ETag` (a hash of the body) and a `Last-Modified` (the last change or
  scheduled publication), and a `304 Not Modified` when the request's validators still match; `Cache-Control:
  no-cache` tells browsers and proxies to revalidate every time instead of guessing a lifetime.
- Search is not cached: its key space is whatever readers type, so caching it would mostly fill the cache with
  pages read once and push out the pages worth keeping, and it costs only two indexed queries.

A cache hit costs one query and runs no view and almost no middleware (PageCacheMiddleware says why). The query
reads just the generation row: the scheduled times around now, which take four more lookups, are read once per
process after each bump and each scheduled publication (content_state()).
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as cache_function
from functools import lru_cache, partial, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.urls import Resolver404, URLPattern, resolve
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .models import (
    Briefing,
    ContentGeneration,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
    Topic,
)

# Every model a public page shows. The CBP counts are not here: the import writes them in bulk SQL, which sends
# no signals, and calls content_changed() itself (a post_delete receiver would also slow any ORM delete of
# hundreds of thousands of counts to one row at a time).
WATCHED_MODELS = [
    Briefing,
    Correction,
    Figure,
    Measure,
    Metric,
    Organization,
    Person,
    Place,
    Quote,
    RewardOffer,
    RewardProgram,
    Source,
    TipChannel,
    Topic,
]

KEY_PREFIX = "page:1"


# Bumping the generation


class _PendingBump:
    """The bump a transaction owes. Each write registers its own on-commit callback (one registered inside a
    savepoint that is rolled back is dropped with it), and the first callback to run bumps for all of them."""

    done = False


def content_changed(*, using=DEFAULT_DB_ALIAS) -> None:
    """Make every cached page fresh once the current transaction commits (at once outside a transaction)."""
    connection = transaction.get_connection(using)
    pending = getattr(connection, "page_cache_pending_bump", None)
    if pending is None:
        pending = connection.page_cache_pending_bump = _PendingBump()
    # Robust: the write has been committed by then, so a failed bump is logged rather than shown to the writer.
    transaction.on_commit(partial(_bump_once, pending, using), using=using, robust=True)


def _bump_once(pending, using):
    if pending.done:
        return
    pending.done = True
    transaction.get_connection(using).page_cache_pending_bump = None
    row = ContentGeneration.objects.using(using).filter(pk=ContentGeneration.ROW)
    if not row.update(number=F("number") + 1, changed_at=timezone.now()):
        # The migration creates the row; a database flushed since (as tests do) has none.
        ContentGeneration.objects.using(using).get_or_create(pk=ContentGeneration.ROW)
        row.update(number=F("number") + 1, changed_at=timezone.now())


def _saved_or_deleted(sender, *, using, **kwargs):
    content_changed(using=using)


def _relations_changed(sender, *, action, using, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        content_changed(using=using)


def watch_content_models() -> None:
    """Connect the signals that bump the generation (called once, from the app's ready())."""
    for model in WATCHED_MODELS:
        post_save.connect(_saved_or_deleted, sender=model)
        post_delete.connect(_saved_or_deleted, sender=model)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(_relations_changed, sender=field.remote_field.through)


# Reading the generation


@dataclass(frozen=True)
class ContentState:
    generation: int
    # The last moment what readers see changed: the last bump, or a scheduled publication that has come since.
    last_modified: datetime | None
    # When the next scheduled briefing or correction appears (None when none is scheduled).
    next_change_at: datetime | None


def _published_at(queryset, *, first):
    return Subquery(queryset.order_by("published_at" if first else "-published_at").values("published_at")[:1])


STATE_COLUMNS = ["number", "changed_at", "next_briefing", "next_correction", "last_briefing", "last_correction"]
# Stands for "now" in the statement compiled once per process and database (_state_statement).
_NOW = datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
_NOW_PARAMETER = object()


def _state_queryset(now: datetime):
    published = Briefing.objects.filter(status=Briefing.Status.PUBLISHED)
    return (
        ContentGeneration.objects.filter(pk=ContentGeneration.ROW)
        .values("number", "changed_at")
        .annotate(
            next_briefing=_published_at(published.filter(published_at__gt=now), first=True),
            next_correction=_published_at(Correction.objects.filter(published_at__gt=now), first=True),
            last_briefing=_published_at(published.filter(published_at__lte=now), first=False),
            last_correction=_published_at(Correction.objects.filter(published_at__lte=now), first=False),
        )
        .values_list(*STATE_COLUMNS)
    )


@cache_function
def _state_statement(using: str):
    """The SQL of _state_queryset and its parameters, "now" marked: compiling that queryset takes milliseconds,
    several times what serving a stored page takes otherwise, and it is the same on every request."""
    connection = connections[using]
    sql, params = _state_queryset(_NOW).query.get_compiler(using).as_sql()
    marker = connection.ops.adapt_datetimefield_value(_NOW)
    return sql, tuple(_NOW_PARAMETER if param == marker else param for param in params)


def _aware(value):
    """Datetimes as the ORM would give them: SQLite hands raw queries naive UTC ones."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _KnownState:
    row: tuple  # the generation row it was read with: (number, changed_at)
    read_at: datetime
    state: ContentState


# The content state this process last read, by database alias (see content_state()).
_known_states: dict[str, _KnownState] = {}


@cache_function
def _row_statement(using: str):
    """The SQL of the generation row alone, and its parameters (compiled once, like _state_statement)."""
    row = ContentGeneration.objects.filter(pk=ContentGeneration.ROW).values_list(*STATE_COLUMNS[:2])
    return row.query.get_compiler(using).as_sql()


def forget_content_state() -> None:
    """Read the whole state again on the next request (tests call this, as a rolled-back transaction can put
    the generation row back as it was while what the pages show differs)."""
    _known_states.clear()


def content_state(now: datetime, *, using=DEFAULT_DB_ALIAS) -> ContentState:
    """The generation and the scheduled times around `now`.

    The scheduled times change only with a write, and every write moves the generation: so while the generation
    row is the one read last and `now` has not reached the next scheduled time, the scheduled times read last
    still hold, and the one query is the row's. Otherwise (the first request of a process, or the first after a
    bump or a scheduled time) the row and the scheduled times are read in one query (a second one after a bump).
    """
    known = _known_states.get(using)
    if known is not None:
        sql, params = _row_statement(using)
        with connections[using].cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        row = row and (row[0], _aware(row[1]))
        next_change_at = known.state.next_change_at
        if row == known.row and known.read_at <= now and (next_change_at is None or now < next_change_at):
            return known.state
    row, state = _read_content_state(now, using=using)
    _known_states[using] = _KnownState(row=row, read_at=now, state=state)
    return state


def _read_content_state(now: datetime, *, using) -> tuple[tuple, ContentState]:
    """The generation row and the whole content state, in one query."""
    sql, params = _state_statement(using)
    value = connections[using].ops.adapt_datetimefield_value(now)
    params = [value if param is _NOW_PARAMETER else param for param in params]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:  # a database flushed since its migration
        ContentGeneration.objects.using(using).get_or_create(pk=ContentGeneration.ROW)
        return _read_content_state(now, using=using)
    state = dict(zip(STATE_COLUMNS, [row[0], *map(_aware, row[1:])], strict=True))

    def moments(*names):
        return [state[name] for name in names if state[name] is not None]

    return (state["number"], state["changed_at"]), ContentState(
        generation=state["number"],
        last_modified=max(moments("changed_at", "last_briefing", "last_correction"), default=None),
        next_change_at=min(moments("next_briefing", "next_correction"), default=None),
    )


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
    """Remembered per path: resolving an address against every URL pattern costs a tenth of a stored page."""
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


def cached(patterns):
    """The same URL patterns, each view served through the page cache."""
    return [
        URLPattern(pattern.pattern, cache_public_page(pattern.callback), pattern.default_args, pattern.name)
        for pattern in patterns
    ]
