"""Querysets compiled to SQL once per shape of search, then reused with each search's own words.

Building and compiling the querysets of a results page took longer than running them: a dozen querysets
with their public rules (`published()`), full-text expressions and annotations. Their SQL depends only on
the shape of the query (how many words or phrases, grouped how) and on which kind and how many rows: so it
is compiled once, from a query of that shape whose words are placeholders, and later searches fill in their
parameters: the words, the ids, and the current time wherever the querysets asked for it (`published()`
compares with `timezone.now()`; such a parameter is recognised as a time taken while the queryset was built).
"""

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connections
from django.utils import timezone

from .terms import SearchTerms

_PLACEHOLDER = re.compile("\ue002search item ([0-9]+)\ue002")


@dataclass(frozen=True)
class Prepared:
    sql: str
    # For each parameter: ("value", value), ("argument", index), ("text", text with placeholders), or ("now",
    # None) for the current time, ("now", connection alias) for it as that database's driver is given it
    slots: tuple
    columns: tuple  # (name, expression) of each selected column

    def rows(self, cursor, connection):
        """The rows `cursor` fetched, as dicts of column values converted like the queryset's would be."""
        converters = []
        for index, (_name, expression) in enumerate(self.columns):
            functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if functions:
                converters.append((index, functions, expression))
        names = [name for name, _expression in self.columns]
        for row in cursor.fetchall():
            row = list(row)
            for index, functions, expression in converters:
                for function in functions:
                    row[index] = function(row[index], expression, connection)
            yield dict(zip(names, row, strict=True))

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


def shape(terms: SearchTerms):
    """What the SQL of a search depends on: how many items each group has, and how many are left out."""
    return tuple(len(group) for group in terms.groups), len(terms.excluded)


def items(terms: SearchTerms):
    """The words and phrases of a search in the order `placeholder_terms()` numbers them."""
    return [item for group in terms.groups for item in group] + list(terms.excluded)


def placeholder_terms(terms_shape) -> SearchTerms:
    group_sizes, excluded = terms_shape
    numbers = iter(range(sum(group_sizes) + excluded))
    groups = tuple(tuple(_placeholder(next(numbers)) for _ in range(size)) for size in group_sizes)
    return SearchTerms(text="", groups=groups, excluded=tuple(_placeholder(next(numbers)) for _ in range(excluded)))


def placeholder_ids(count, *, start=0):
    """Ids that stand for the ids of a page's rows: no row has a negative id."""
    return [-1_000_000_000 - number for number in range(start, start + count)]


@functools.cache
def _placeholder(number):
    return f"\ue002search item {number}\ue002"


def prepare(build, *, arguments):
    """Compile the queryset `build()` returns; `arguments` are the placeholders it was built with, in the
    order that `Prepared.params()` will be given their real values."""
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
        elif isinstance(param, str | int) and not isinstance(param, bool) and param in positions:
            slots.append(("argument", positions[param]))
        elif isinstance(param, str) and _PLACEHOLDER.search(param):
            slots.append(("text", param))
        else:
            slots.append(("value", param))
    return Prepared(sql=sql, slots=tuple(slots), columns=columns)


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
