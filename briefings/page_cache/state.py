"""The content state pages are cached under: the generation a committed write bumps, and the scheduled times."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as cache_function
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, Subquery
from django.utils import timezone

from ..fast_paths import compiled_sql
from ..log import log_event
from ..models import Briefing, ContentGeneration, Correction

logger = logging.getLogger(__name__)

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
    log_event(logger, "page cache refreshed", database=using)


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
    """The SQL of _state_queryset and its parameters, "now" marked: it is the same on every request, and
    compiling it would cost more than the rest of serving a stored page."""
    return compiled_sql(_state_queryset(_NOW), using=using, marker=_NOW_PARAMETER, marker_value=_NOW)


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
    return compiled_sql(row, using=using)


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
