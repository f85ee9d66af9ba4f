"""SQLite full-text search: an FTS5 table per searched table (`<table>_fts`, porter stemming, diacritics
removed), kept current by triggers (migration 0008).

Ranks weigh each field's matches with the same weights as PostgreSQL's `ts_rank` (see `rank`), and snippets
come from FTS5's `highlight()` and `snippet()`.
"""

from django.db.models import F, FloatField, TextField, Value
from django.db.models.expressions import Func, RawSQL

from .highlight import MARK_END, MARK_START
from .language import current


class FTS5(Func):
    """What FTS5 computes for this row (bm25, highlight, snippet): a subquery on the row's index entry."""

    arg_joiner = " AND rowid = "

    def __init__(self, table, function, match, output_field):
        template = f'(SELECT {function} FROM "{table}" WHERE "{table}" MATCH %(expressions)s)'
        super().__init__(Value(match), F("pk"), template=template, output_field=output_field)


def table(queryset):
    """The FTS5 table of the page's language (language.py)."""
    return f"{queryset.model._meta.db_table}_fts{current().suffix}"


def matches(queryset, terms):
    name = table(queryset)
    return queryset.filter(pk__in=RawSQL(f'SELECT rowid FROM "{name}" WHERE "{name}" MATCH %s', (terms.fts5(),)))


def rank(queryset, terms, *, weights):
    """Like PostgreSQL's ts_rank: each field's weight, scaled by how often it matches (1 match 1/2, 2 matches
    2/3, …). Not FTS5's bm25(): its rarity factor makes ranks from different tables, or from a handful of
    rows, incomparable. A field's matches are counted as the marks highlight() puts in it."""
    name, parts = table(queryset), []
    for column, (field, weight) in enumerate(queryset.search_fields.items()):
        count = f'(length(highlight("{name}", {column}, char({ord(MARK_START)}), \'\')) - length("{field}"))'
        parts.append(f"{weights[weight]} * (1 - 1.0 / ({count} + 1))")
    return FTS5(name, " + ".join(parts), terms.fts5(), FloatField())


def highlight(queryset, field, terms, *, is_excerpt):
    name, column = table(queryset), list(queryset.search_fields).index(field)
    marks = f"char({ord(MARK_START)}), char({ord(MARK_END)})"
    if is_excerpt:
        function = f"snippet(\"{name}\", {column}, {marks}, '…', 32)"
    else:
        function = f'highlight("{name}", {column}, {marks})'
    return FTS5(name, function, terms.fts5(), TextField())
