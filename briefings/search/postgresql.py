"""PostgreSQL full-text search: trigger-kept tsvector columns with GIN indexes (migrations 0008 and 0011).

Every searched table has a `search_vector` column: its fields weighted A, B, C, e.g. headline, dek, body.
Briefings also have a `search_rank_vector` of the fields weighted A and B (headline and dek) with a GIN index
of its own: it is the one ranked, and it stays in the row, while the vector of a long body is stored out of
line (TOAST) and costs a read and a decompression for every row that looks at it. No column is a model field,
on purpose: they are derived data, and as fields they would go into forms, fixtures and every version
django-reversion stores.

Everything uses the text search configuration POSTGRES_CONFIG (English stemming, accents folded with
`unaccent`), so “Darien” finds “Darién”; on a page in Spanish, `search_vector_es` and `briefings_search_es`
instead (Spanish stemming; migration 0024, language.py). Ranks come from `ts_rank`, snippets from `ts_headline`.
"""

import json
import re

from django.contrib.postgres.search import SearchConfig, SearchHeadline, SearchRank, SearchVectorField
from django.db.models import BooleanField, FloatField, TextField, Value
from django.db.models.expressions import Col, Expression, RawSQL

from .highlight import MARK_END, MARK_START
from .language import current, field_text

# The name of the text search configuration migration 0008 creates. It names a database object: the
# migration keeps its own copy of the name, as migrations keep history, and a test checks that they agree.
POSTGRES_CONFIG = "briefings_search"


def config():
    """The configuration of the page's language (language.py), as every query and snippet names it: written into
    the SQL rather than passed as a parameter of each, which the driver would quote one by one for every search
    (a dozen times in a results page's query)."""
    return SearchConfig(RawSQL(f"'{current().postgres_config}'", ()))


def vector(name):
    """A tsvector column of the page's language: `search_vector`, or `search_vector_es` in Spanish."""
    return DatabaseColumn(f"{name}{current().suffix}")


# An excerpt is taken from a window of a long text this many characters long, starting this many before the
# first match; or, when the query's words are further apart, from two windows half as long (see Excerpt).
EXCERPT_WINDOW, EXCERPT_LEAD = 1000, 250


class DatabaseColumn(Expression):
    """A tsvector column of the queryset's table that the database keeps and the model does not declare."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        target = SearchVectorField()
        target.column = self.column
        return Col(query.get_initial_alias(), target, output_field=self.output_field)


def matches(queryset, terms, *, few=False):
    """The rows that match. With `few` (the caller knows from the planner that they are few), the query is out
    of the planner's sight, in a subquery: it is not estimated again, from statistics that for a large table
    took a good part of planning a results page, and the planner reads the index, as it would for few rows."""
    document = vector(queryset.search_vector_column)
    if few:
        return queryset.filter(
            _Condition("%(document)s @@ (SELECT %(query)s)", document=document, query=terms.postgres())
        )
    return queryset.alias(search_document=document).filter(search_document=terms.postgres())


def title_matches(queryset, terms):
    column = queryset.search_rank_vector_column or queryset.search_vector_column
    return queryset.alias(search_title_document=vector(column)).filter(search_title_document=terms.postgres())


def rank(queryset, terms, *, floor):
    """ts_rank of the ranked vector; with a separate rank vector, every match also counts as one match of the
    lowest weight (`floor`), so that a match elsewhere ranks like one in a field of that weight."""
    if queryset.search_rank_vector_column:
        ranked = vector(queryset.search_rank_vector_column)
        return SearchRank(ranked, terms.postgres()) + Value(floor, FloatField())
    return SearchRank(vector(queryset.search_vector_column), terms.postgres())


def headline(queryset, field, terms, *, is_excerpt):
    options = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": config()}
    text = field_text(queryset.model, field)
    if not is_excerpt:
        return SearchHeadline(text, terms.postgres(), **options, highlight_all=True)
    options |= {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}
    half, reach = EXCERPT_WINDOW // 2, EXCERPT_WINDOW - EXCERPT_LEAD - 200  # leave room after the last word
    one = _window("%(text)s", "first_match", EXCERPT_LEAD, EXCERPT_WINDOW)
    first, last = (_window("%(text)s", place, EXCERPT_LEAD // 2, half) for place in ("first_match", "last_match"))
    window = _SQL(
        # A text without a match is excerpted from its start: its first words (MinWords), well within this.
        f"CASE WHEN NOT field_matches OR first_match IS NULL THEN substring(%(text)s FROM 1 FOR 400) "
        f"WHEN last_match - first_match <= {reach} THEN {one} ELSE {first} || ' … ' || {last} END",
        text=text,
    )
    # Whether the field matches, read from the stored vector: the field's words are those of its weight.
    weight = queryset.search_fields[field].lower()
    field_matches = _SQL(
        f"ts_filter(%(vector)s, '{{{weight}}}') @@ %(query)s",
        vector=vector(queryset.search_vector_column),
        query=terms.postgres(),
    )
    return Excerpt(
        text,
        Value(" ".join(item for group in terms.groups for item in group)),
        field_matches=field_matches,
        windowed=SearchHeadline(window, terms.postgres(), **options),
        whole=SearchHeadline(text, terms.postgres(), **options),
        config=current().postgres_config,
    )


def _window(text, position, lead, length):
    """SQL: `length` characters of `text` from `lead` before `position`, without the first word should it be cut."""
    start = f"greatest(1, {position} - {lead})"
    return (
        f"CASE WHEN {start} > 1 THEN regexp_replace(substring({text} FROM {start} FOR {length}), '^\\S*', '') "
        f"ELSE substring({text} FROM 1 FOR {length}) END"
    )


class _SQL(Expression):
    """SQL around other expressions, `%(name)s` standing for each."""

    output_field = TextField()

    def __init__(self, template, **expressions):
        super().__init__()
        self.template, self.names, self.expressions = template, list(expressions), list(expressions.values())

    def get_source_expressions(self):
        return self.expressions

    def set_source_expressions(self, expressions):
        self.expressions = expressions

    def as_sql(self, compiler, connection):
        compiled = {
            name: compiler.compile(expression) for name, expression in zip(self.names, self.expressions, strict=True)
        }
        parts = re.split(r"%\((\w+)\)s", self.template)
        sql, params = "", []
        for number, part in enumerate(parts):
            if number % 2:
                sql += compiled[part][0]
                params += compiled[part][1]
            else:
                sql += part
        return sql, params


class _Condition(_SQL):
    output_field = BooleanField()


class Excerpt(Expression):
    """The passages of a long text around its matches (ts_headline), taken from a window of it.

    ts_headline parses the whole text it is given, and that was most of what a page of results cost. So it is
    given a window of the text around the places where the query's words seem to be: where its lexemes are
    found in the text, lower-cased and unaccented (a lexeme is a word's stem, which starts the word but for a
    final “i” standing for a “y”: “famili” finds “families” and “family”). The window is EXCERPT_WINDOW
    characters from EXCERPT_LEAD before the first of these places, or, should the last be too far after it,
    two half windows joined by “…”, one at each: ts_headline only marks words that all come together within
    its passages, which across a whole text they may not. A text where no lexeme is found, or whose window
    shows no match after all, is excerpted whole; one that does not match (the record matched in another
    field) shows its start. (OFFSET 0 keeps PostgreSQL from copying a subquery's expression into each place
    that uses it, which would compute it again.)"""

    output_field = TextField()

    def __init__(self, text, words, *, field_matches, windowed, whole, config):
        super().__init__()
        self.expressions = [text, words, field_matches, windowed, whole]
        self.config = config

    def get_source_expressions(self):
        return self.expressions

    def set_source_expressions(self, expressions):
        self.expressions = expressions

    def as_sql(self, compiler, connection):
        compiled = [compiler.compile(expression) for expression in self.expressions]
        (text, text_params), (words, words_params), (matches, matches_params) = compiled[:3]
        (windowed, windowed_params), (whole, whole_params) = compiled[3:]
        lexemes = f"unnest(tsvector_to_array(to_tsvector('{self.config}'::regconfig, {words})))"
        span = (  # the first and the last place where a lexeme is found, in a text that matches
            f"(SELECT ARRAY[min(position), max(position)] FROM (SELECT nullif(strpos(folded, "
            f"nullif(rtrim(lexeme, 'i'), '')), 0) AS position FROM (SELECT lower(unaccent({text})) AS folded "
            f"OFFSET 0) AS folded_text, {lexemes} AS lexeme) AS positions)"
        )
        sql = (
            f"(SELECT CASE WHEN excerpt IS NULL OR (field_matches AND strpos(excerpt, %s) = 0) THEN {whole} "
            f"ELSE excerpt END FROM ("
            f"SELECT field_matches, CASE WHEN field_matches AND first_match IS NULL THEN NULL "
            f"ELSE {windowed} END AS excerpt FROM ("
            f"SELECT field_matches, span[1] AS first_match, span[2] AS last_match FROM ("
            f"SELECT field_matches, CASE WHEN field_matches THEN {span} END AS span FROM ("
            f"SELECT {matches} AS field_matches OFFSET 0) AS matching OFFSET 0) AS spans"
            f") AS found OFFSET 0) AS windowed)"
        )
        params = (MARK_START, *whole_params, *windowed_params, *text_params, *words_params, *matches_params)
        return sql, params


def estimated_rows(connection, sql, params, *, branches):
    """The planner's estimate of how many rows each branch of `sql` (a UNION ALL of `branches` queries)
    returns, without running it; None where the plan does not tell."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    children = plan.get("Plans", []) if plan["Node Type"] == "Append" else [plan]
    if len(children) != branches:
        return [None] * branches
    return [round(child["Plan Rows"]) for child in children]
