"""Prepared statements: a queryset compiled to SQL once and run again with new parameters; a queryset's SQL
with one parameter marked to be filled in."""

import datetime as datetime_module
import functools
import re
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

# Replaces evaluating a queryset (QuerySet._fetch_all → SQLCompiler.execute_sql): building and compiling the
# querysets of a search page took longer than running them. Their SQL depends only on the shape of the query, so
# it is compiled once from a queryset built with placeholder arguments, and run again with each search's own:
# the words, the ids, and the current time wherever the queryset asked for it (`published()` compares with
# `timezone.now()`; such a parameter is recognised as a time taken while the queryset was built). Rows come back
# through the same converters the queryset would apply (`Prepared.rows`).

STALE_NOW = timedelta(minutes=1)
_PLACEHOLDER = re.compile("\ue002search item ([0-9]+)\ue002")


# Named, not imported: importing SQLite's backend module before it is loaded would import it half-way.
_SQLITE_DATETIME_CONVERTER = (
    "django.db.backends.sqlite3.operations",
    "DatabaseOperations.convert_datetimefield_value",
)


def _aware_datetime(function, connection):
    """Replaces SQLite's `convert_datetimefield_value()` (django/db/backends/sqlite3/operations.py) when times
    are aware: SQLite's driver has already parsed the column's text into a naive datetime, which needs only the
    connection's time zone (what `timezone.make_aware()` does for it, after checks that cost as much again, for
    each of the ~370 times the briefing page reads). Anything else goes to Django's converter. Other converters
    are returned as they are."""
    method = getattr(function, "__func__", None)
    if method is None or (method.__module__, method.__qualname__) != _SQLITE_DATETIME_CONVERTER or not settings.USE_TZ:
        return function
    zone = connection.timezone

    def convert(value, expression, connection):
        if type(value) is datetime and value.tzinfo is None and settings.USE_TZ:
            return value.replace(tzinfo=zone)
        return function(value, expression, connection)

    return convert


# Each connection's converters of each statement (Prepared.converters()), gone with the connection.
_converters = weakref.WeakKeyDictionary()


@functools.cache
def placeholder(number):
    """A word that stands for the `number`th argument of a prepared statement (see `prepare()`)."""
    return f"\ue002search item {number}\ue002"


@dataclass(frozen=True)
class Prepared:
    sql: str
    # For each parameter: ("value", value), ("argument", index), ("text", text with placeholders), or ("now",
    # None) for the current time, ("now", connection alias) for it as that database's driver is given it
    slots: tuple
    columns: tuple  # (name, expression) of each selected column

    def run(self, arguments, *, using, now=None) -> list[dict]:
        """Run the statement on the database `using` with `arguments` (and `now`, see params()): its rows, as
        rows() gives them."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params(arguments, now=now))
            return list(self.rows(cursor, connection))

    def rows(self, cursor, connection):
        """The rows `cursor` fetched, as dicts of column values converted like the queryset's would be."""
        names = [name for name, _expression in self.columns]
        for row in self.values(cursor, connection):
            yield dict(zip(names, row, strict=True))

    def values(self, cursor, connection):
        """The rows `cursor` fetched, as lists of column values converted like the queryset's would be."""
        converters = self.converters(connection)
        for row in cursor.fetchall():
            row = list(row)
            for index, functions, expression in converters:
                for function in functions:
                    row[index] = function(row[index], expression, connection)
            yield row

    def converters(self, connection):
        """(index, converter functions, expression) of each column that has any, as the compiler finds them
        (SQLCompiler.get_converters()), found once per statement and connection."""
        connection = connections[connection.alias]  # the thread's own, not django.db.connection's proxy
        known = _converters.setdefault(connection, {})
        statement, converters = known.get(id(self), (None, None))
        if statement is not self:
            converters = []
            for index, (_name, expression) in enumerate(self.columns):
                functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                functions = [_aware_datetime(function, connection) for function in functions]
                if functions:
                    converters.append((index, functions, expression))
            known[id(self)] = (self, converters)
        return converters

    def params(self, arguments, *, now):
        def fill(kind, value):
            if kind == "argument":
                return arguments[value]
            if kind == "text":  # e.g. SQLite's FTS5 query, written from the words
                return _PLACEHOLDER.sub(lambda match: arguments[int(match[1])], value)
            if kind == "now":
                return connections[value].ops.adapt_datetimefield_value(now) if value else now
            return value

        return [fill(kind, value) for kind, value in self.slots]


def prepare(build, *, arguments):
    """Compile the queryset `build()` returns; `arguments` are the placeholders it was built with, in the
    order that `Prepared.params()` will be given their real values."""
    statement, _compiler, _queryset = _compiled(build, arguments)
    return statement


def _compiled(build, arguments):
    started = timezone.now()
    queryset = build()
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    finished = timezone.now()
    columns = tuple((alias, expression) for expression, _sql, alias in compiler.select)
    positions = {argument: index for index, argument in enumerate(arguments)}
    slots = []
    for param in params:
        if _taken_between(param, started, finished):
            # SQLite's driver is given times as text (DatabaseOperations.adapt_datetimefield_value).
            slots.append(("now", queryset.db if isinstance(param, str) else None))
        elif _taken_between(param, started - STALE_NOW, started):
            # A time taken just before build() ran: a queryset built outside it (published() called early). Kept
            # as a value, it would stop the clock of every run of the statement.
            raise ValueError("A time taken before the statement was built: build the queryset inside build().")
        elif isinstance(param, str | int | datetime_module.date) and type(param) is not bool and param in positions:
            slots.append(("argument", positions[param]))
        elif isinstance(param, str) and _PLACEHOLDER.search(param):
            slots.append(("text", param))
        else:
            slots.append(("value", param))
    return Prepared(sql=sql, slots=tuple(slots), columns=columns), compiler, queryset


def _taken_between(param, started, finished):
    """Whether `param` is a time, or a time written out, taken between `started` and `finished`."""
    if isinstance(param, str):
        try:
            param = datetime.fromisoformat(param)
        except ValueError:
            return False
    if not isinstance(param, datetime):
        return False
    if timezone.is_naive(param):  # written out in UTC, as Django writes times for SQLite
        param = param.replace(tzinfo=UTC)
    return started <= param <= finished


# --- compiled SQL with a marked parameter -----------------------------------------------------------------------


def compiled_sql(queryset, *, using, marker=None, marker_value=None):
    """The SQL and parameters of `queryset` as its compiler writes them (SQLCompiler.as_sql()), with the parameter
    that equals `marker_value` as the database adapts it replaced by `marker`. Compiling a queryset can cost more
    than running it; a statement compiled once is run again with the marked parameter filled in."""
    sql, params = queryset.query.get_compiler(using).as_sql()
    if marker is None:
        return sql, tuple(params)
    adapted = connections[using].ops.adapt_datetimefield_value(marker_value)
    return sql, tuple(marker if param == adapted else param for param in params)
