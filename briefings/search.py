"""Site search: one ranked list of published briefings, figures, quotes, reward offers, organizations and places.

How it works on each database (the indexes are made by migration 0008_briefing_search):

- PostgreSQL: every kind's table has a `search_vector` column (its fields weighted A, B, C, e.g. headline,
  dek, body) with a GIN index, kept current by a trigger on every insert and update. Briefings also have a
  `search_rank_vector` (headline and dek) to rank by: it keeps a broad query from reading every match's
  whole vector back from TOAST storage; among briefings that match only in the body, the newest come first.
  No column is a model field, on purpose: they are derived data, and as fields they would go into forms,
  fixtures and every version django-reversion stores. Everything uses the text search configuration
  `briefings_search` (English stemming, accents folded with `unaccent`), so “Darien” finds “Darién”.
  Ranks come from `ts_rank`, snippets from `ts_headline`.
- SQLite: every kind has an FTS5 table (`<table>_fts`, porter stemming, diacritics removed) that triggers
  keep current. Ranks weigh each field's matches with the same weights, like `ts_rank` (see `_fts5_rank`),
  and snippets come from FTS5's `highlight()` and `snippet()`.

Queries are read the way PostgreSQL's `websearch_to_tsquery` reads them: words must all match, "quoted
words" match as a phrase, `or` between two items accepts either, and a leading `-` leaves an item out.
Only the first MAX_QUERY_LENGTH characters are searched. Each item goes to the database as a phrase for its
own parser, so punctuation, non-Latin scripts or operator characters can never make a query fail.

A page of results costs two queries whatever the amount of data: one finds and ranks the matches of every
kind once, counts them by kind and returns the page's (kind, id) pairs; the other fetches the titles and
snippets of just those rows.
"""

import functools
import math
import operator
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.paginator import Page, Paginator
from django.db import NotSupportedError, connections, models
from django.db.models import CharField, DateTimeField, DecimalField, F, FloatField, TextField, Value
from django.db.models.expressions import Col, Expression, Func, RawSQL
from django.db.models.functions import Cast, Coalesce
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10
MAX_PAGE = 100_000  # beyond any last page; it keeps the offset a number both databases take
POSTGRES_CONFIG = "briefings_search"
# Rank weight of each field class: PostgreSQL's ts_rank defaults, also used on SQLite.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# What ts_rank gives one occurrence of a word of weight 1.0 (it sums 1/n² over occurrences, divided by π²/6).
ONE_MATCH_RANK = 6 / math.pi**2
# The database marks matches with these private-use characters rather than with HTML, so that everything is
# escaped first and only then do the marks become <mark> tags: no content and no query can inject markup.
MARK_START, MARK_END = "\ue000", "\ue001"

_ITEM = re.compile(r'(?P<excluded>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_HAS_WORD = re.compile(r"[^\W_]")
# Control characters (PostgreSQL refuses NUL in text) and the match marks never reach the database.
_UNSEARCHABLE = re.compile(f"[\x00-\x1f\x7f-\x9f{MARK_START}{MARK_END}]")
_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")
_MARKDOWN = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)?"), r"\1"),  # links and images: keep their text
    (re.compile(r"^\s{0,3}(#{1,6}|>|[-+*]|\d+\.)\s+", re.MULTILINE), ""),  # headings, quotes, list markers
    (re.compile(r"\*+|_{2,}|`+"), ""),  # emphasis and code
)


@dataclass(frozen=True)
class SearchTerms:
    """A reader's query, parsed. `groups`: every group must match, any phrase of a group will do."""

    text: str
    truncated: bool = False
    groups: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[str, ...] = ()

    @classmethod
    def parse(cls, raw: str) -> "SearchTerms":
        raw = raw or ""
        text = _UNSEARCHABLE.sub(" ", raw[:MAX_QUERY_LENGTH]).strip()
        groups, excluded, pending_or = [], [], False
        for match in _ITEM.finditer(text):
            item = match["phrase"] if match["phrase"] is not None else match["word"]
            if match["word"] is not None and item.lower() == "or" and not match["excluded"]:
                pending_or = bool(groups)
                continue
            if not _HAS_WORD.search(item):
                continue
            if match["excluded"]:
                excluded.append(item)
            elif pending_or:
                groups[-1].append(item)
            else:
                groups.append([item])
            pending_or = False
        return cls(
            text=text,
            truncated=len(raw) > MAX_QUERY_LENGTH,
            groups=tuple(tuple(group) for group in groups),
            excluded=tuple(excluded),
        )

    def __bool__(self):
        return bool(self.groups)

    def fts5(self) -> str:
        """The query in SQLite FTS5 syntax. Each item is an FTS5 string, which FTS5 tokenizes like the text."""

        def either(items):
            phrases = [f'"{item}"' for item in items]  # items never contain a double quote
            return phrases[0] if len(phrases) == 1 else f"({' OR '.join(phrases)})"

        query = " AND ".join(either(group) for group in self.groups)
        return f"({query}) NOT {either(self.excluded)}" if self.excluded else query

    def postgres(self):
        """The query as a PostgreSQL tsquery expression (phrases with phraseto_tsquery)."""

        def phrase(item):
            return SearchQuery(item, search_type="phrase", config=POSTGRES_CONFIG)

        query = functools.reduce(
            operator.and_, (functools.reduce(operator.or_, map(phrase, group)) for group in self.groups)
        )
        for item in self.excluded:
            query &= ~phrase(item)
        return query


def _terms(query) -> SearchTerms:
    return query if isinstance(query, SearchTerms) else SearchTerms.parse(query)


class _DatabaseColumn(Expression):
    """A tsvector column of the queryset's table that the database keeps and the model does not declare."""

    output_field = SearchVectorField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        target = SearchVectorField()
        target.column = self.column
        return Col(query.get_initial_alias(), target, output_field=self.output_field)


class _FTS5(Func):
    """What FTS5 computes for this row (bm25, highlight, snippet): a subquery on the row's index entry."""

    arg_joiner = " AND rowid = "

    def __init__(self, table, function, match, output_field):
        template = f'(SELECT {function} FROM "{table}" WHERE "{table}" MATCH %(expressions)s)'
        super().__init__(Value(match), F("pk"), template=template, output_field=output_field)


class SearchableQuerySet(models.QuerySet):
    """Full-text search over the fields in `search_fields` (field: weight class "A" to "D").

    On SQLite the order of `search_fields` is the column order of the model's FTS5 table.
    """

    search_fields: dict[str, str] = {}
    # PostgreSQL: the tsvector column of every field's words, which a trigger keeps and a GIN index covers,
    # and optionally one of the fields weighted A and B only, to rank by. Ranking on the small one matters
    # for long texts: it stays in the row, while the large one would be read back from TOAST storage for
    # every match. Every match then also counts as one match of the lowest weight.
    search_vector_column = "search_vector"
    search_rank_vector_column: str | None = None

    def search(self, query):
        """The rows that match `query` (a string or SearchTerms), best first, annotated with `search_rank`."""
        terms = _terms(query)
        if not terms:
            return self.none()
        vendor = self._search_vendor()
        if vendor == "postgresql":
            tsquery = terms.postgres()
            vector = _DatabaseColumn(self.search_vector_column)
            matches = self.alias(search_document=vector).filter(search_document=tsquery)
            if self.search_rank_vector_column:
                lowest_weight = WEIGHTS[max(self.search_fields.values())]  # "C" sorts after "A"
                rank_vector = _DatabaseColumn(self.search_rank_vector_column)
                rank = SearchRank(rank_vector, tsquery) + Value(lowest_weight * ONE_MATCH_RANK, FloatField())
            else:
                rank = SearchRank(F("search_document"), tsquery)
        else:
            table, match = self._fts5_table(), terms.fts5()
            matches = self.filter(pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', (match,)))
            rank = _FTS5(table, self._fts5_rank(table), match, FloatField())
        return matches.annotate(search_rank=rank).order_by("-search_rank", "-pk")

    def with_highlights(self, query, *, title, text=None, excerpt=None):
        """Annotate `highlighted_title` and `highlighted_text` (the whole field, matches marked) and
        `highlighted_excerpt` (the passages of a long field around the matches). Pass the result to
        `highlighted_html()` to show it."""
        terms = _terms(query)
        fields = {"highlighted_title": (title, False), "highlighted_text": (text, False)}
        fields["highlighted_excerpt"] = (excerpt, True)
        vendor = self._search_vendor() if terms else None
        annotations = {}
        for name, (field, is_excerpt) in fields.items():
            if field is None:
                annotations[name] = Value("", output_field=TextField())
            elif vendor is None:  # nothing to mark
                annotations[name] = Cast(F(field), TextField())
            elif vendor == "postgresql":
                annotations[name] = self._postgres_headline(field, terms, is_excerpt)
            else:
                # The field as it is, should the row have changed since it matched.
                highlighted = self._fts5_highlight(field, terms, is_excerpt)
                annotations[name] = Coalesce(highlighted, F(field), output_field=TextField())
        return self.annotate(**annotations)

    def _search_vendor(self):
        vendor = connections[self.db].vendor
        if vendor not in ("postgresql", "sqlite"):
            raise NotSupportedError(f"Search is implemented for PostgreSQL and SQLite, not {vendor}.")
        return vendor

    def _postgres_headline(self, field, terms, is_excerpt):
        options = {"start_sel": MARK_START, "stop_sel": MARK_END, "config": POSTGRES_CONFIG}
        if is_excerpt:
            options |= {"max_words": 35, "min_words": 15, "max_fragments": 2, "fragment_delimiter": " … "}
        else:
            options["highlight_all"] = True
        return SearchHeadline(field, terms.postgres(), **options)

    def _fts5_table(self):
        return f"{self.model._meta.db_table}_fts"

    def _fts5_rank(self, table):
        """Like PostgreSQL's ts_rank: each field's weight, scaled by how often it matches (1 match 1/2, 2 matches
        2/3, …). Not FTS5's bm25(): its rarity factor makes ranks from different tables, or from a handful of
        rows, incomparable. A field's matches are counted as the marks highlight() puts in it."""
        parts = []
        for column, (field, weight) in enumerate(self.search_fields.items()):
            matches = f'(length(highlight("{table}", {column}, char({ord(MARK_START)}), \'\')) - length("{field}"))'
            parts.append(f"{WEIGHTS[weight]} * (1 - 1.0 / ({matches} + 1))")
        return " + ".join(parts)

    def _fts5_highlight(self, field, terms, is_excerpt):
        table, column = self._fts5_table(), list(self.search_fields).index(field)
        marks = f"char({ord(MARK_START)}), char({ord(MARK_END)})"
        if is_excerpt:
            function = f"snippet(\"{table}\", {column}, {marks}, '…', 32)"
        else:
            function = f'highlight("{table}", {column}, {marks})'
        return _FTS5(table, function, terms.fts5(), TextField())


def highlighted_html(text, *, markdown=False):
    """Text with its matches in <mark>, everything else escaped. With `markdown`, Markdown punctuation
    (emphasis, links, headings) is dropped first, since an excerpt is read as plain text."""
    if not text:
        return ""
    if markdown:
        for pattern, replacement in _MARKDOWN:
            text = pattern.sub(replacement, text)
    text = " ".join(text.split())
    html = _MARKED.sub(r"<mark>\1</mark>", escape(text))
    return mark_safe(html.replace(MARK_START, "").replace(MARK_END, ""))


# Combining the kinds -------------------------------------------------------------------------------------


def _nothing(output_field):
    # Typed, so that PostgreSQL can match the column across the branches of a UNION.
    return Cast(Value(None), output_field)


@dataclass(frozen=True)
class Kind:
    """One kind of result: where its public rows come from and how a result of it is shown."""

    slug: str
    model: type
    public: Any  # () -> the queryset readers may see
    title: str
    text: str | None = None
    excerpt: str | None = None
    excerpt_is_markdown: bool = False
    parent: Any = None  # expression: the slug its address also needs
    note: Any = None  # expression: a plain line shown with it
    describe_note: Any = None  # note value -> what to show
    date: Any = None
    amount: Any = None
    address: Any = None  # (slug, parent) -> URL

    @property
    def label(self):
        return self.model._meta.verbose_name

    @property
    def plural(self):
        return self.model._meta.verbose_name_plural

    def columns(self):
        return {
            "result_kind": Value(self.slug, output_field=CharField()),
            "result_id": F("pk"),
            "result_slug": F("slug"),
            "result_parent": self.parent if self.parent is not None else Value("", output_field=CharField()),
            "result_note": self.note if self.note is not None else Value("", output_field=CharField()),
            "result_date": self.date if self.date is not None else _nothing(DateTimeField()),
            "result_amount": (
                self.amount if self.amount is not None else _nothing(DecimalField(max_digits=14, decimal_places=2))
            ),
        }


@functools.cache
def kinds() -> dict[str, Kind]:
    """Every kind of result, by the slug `?kind=` takes, in the order the page lists them."""
    # The models' querysets import this module, so the models are imported when first needed.
    from .models import Briefing, Figure, Metric, Organization, Place, Quote, RewardOffer

    place_kinds = dict(Place.Kind.choices)
    return {
        kind.slug: kind
        for kind in (
            Kind(
                slug="briefing",
                model=Briefing,
                public=lambda: Briefing.objects.published(),
                title="headline",
                text="dek",
                excerpt="body",
                excerpt_is_markdown=True,
                note=Coalesce(F("dateline__name"), Value(""), output_field=CharField()),
                date=F("published_at"),
                address=lambda slug, parent: Briefing(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="figure",
                model=Figure,
                public=lambda: Figure.objects.published(),
                title="value_as_printed",
                text="source_sentence",
                parent=F("metric__slug"),
                note=F("metric__name"),
                address=lambda slug, parent: Figure(slug=slug, metric=Metric(slug=parent)).get_absolute_url(),
            ),
            Kind(
                slug="quote",
                model=Quote,
                public=lambda: Quote.objects.published(),
                title="text",
                excerpt="context",
                parent=F("briefing__slug"),
                note=Coalesce(F("speaker__name"), F("speaker_description"), output_field=CharField()),
                address=lambda slug, parent: Quote(slug=slug, briefing=Briefing(slug=parent)).get_absolute_url(),
            ),
            Kind(
                slug="reward-offer",
                model=RewardOffer,
                public=lambda: RewardOffer.objects.all(),
                title="criterion_text",
                text="source_sentence",
                note=F("target_organization__name"),
                amount=F("ceiling_amount"),
                address=lambda slug, parent: RewardOffer(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="organization",
                model=Organization,
                public=lambda: Organization.objects.all(),
                title="name",
                excerpt="description",
                note=F("acronym"),
                address=lambda slug, parent: Organization(slug=slug).get_absolute_url(),
            ),
            Kind(
                slug="place",
                model=Place,
                public=lambda: Place.objects.all(),
                title="name",
                excerpt="description",
                note=F("kind"),
                describe_note=lambda value: place_kinds.get(value, value),
                address=lambda slug, parent: Place(slug=slug).get_absolute_url(),
            ),
        )
    }


@dataclass(frozen=True)
class SearchResult:
    kind: Kind
    url: str
    title: str
    text: str
    excerpt: str
    note: str
    date: Any
    amount: Any


def _union(querysets):
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


def _ranked(terms, *, kind, offset, limit):
    """The matches of every kind counted, and one page of them (of one kind, or of all) in rank order, in one
    query: the matches are found and ranked once, then both counted and sliced."""
    branches = _union(
        [
            each.public()
            .search(terms)
            .order_by()
            .values("search_rank", result_kind=Value(each.slug, output_field=CharField()), result_id=F("pk"))
            for each in kinds().values()
        ]
    )
    connection = connections[branches.db]
    matches, params = branches.query.get_compiler(connection=connection).as_sql()
    only_kind = "WHERE result_kind = %s" if kind else ""
    sql = f"""
        WITH matches AS ({matches})
        SELECT result_kind, result_id, search_rank, NULL AS kind_count FROM (
            SELECT result_kind, result_id, search_rank FROM matches {only_kind}
            ORDER BY search_rank DESC, result_kind, result_id DESC LIMIT %s OFFSET %s
        ) page
        UNION ALL
        SELECT result_kind, NULL, NULL, COUNT(*) FROM matches GROUP BY result_kind
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, *([kind] if kind else []), limit, offset))
        rows = cursor.fetchall()
    counts = dict.fromkeys(kinds(), 0) | {row[0]: row[3] for row in rows if row[3] is not None}
    page = sorted((row for row in rows if row[3] is None), key=lambda row: (-row[2], row[0], -row[1]))
    return counts, [(kind_slug, pk) for kind_slug, pk, _rank, _count in page]


def _details(terms, page):
    """What the results on one page show, in one query, in the page's order."""
    if not page:
        return []
    ids_by_kind = {}
    for kind_slug, pk in page:
        ids_by_kind.setdefault(kind_slug, []).append(pk)
    rows = _union(
        [
            kind.public()
            .filter(pk__in=ids_by_kind[kind.slug])
            .with_highlights(terms, title=kind.title, text=kind.text, excerpt=kind.excerpt)
            .order_by()
            .values("highlighted_title", "highlighted_text", "highlighted_excerpt", **kind.columns())
            for kind in kinds().values()
            if kind.slug in ids_by_kind
        ]
    )
    found = {(row["result_kind"], row["result_id"]): row for row in rows}
    return [_result(kinds()[key[0]], found[key]) for key in page if key in found]


def _result(kind, row):
    note = row["result_note"] or ""
    return SearchResult(
        kind=kind,
        url=kind.address(row["result_slug"], row["result_parent"]),
        title=highlighted_html(row["highlighted_title"]),
        text=highlighted_html(row["highlighted_text"]),
        excerpt=highlighted_html(row["highlighted_excerpt"], markdown=kind.excerpt_is_markdown),
        note=kind.describe_note(note) if kind.describe_note else note,
        date=row["result_date"],
        amount=row["result_amount"],
    )


class _OnePage:
    """The results of one page, standing for all `total` of them, for a Paginator that asks for that page."""

    def __init__(self, results, *, total):
        self.results, self.total = results, total

    def count(self):
        return self.total

    def __getitem__(self, index):
        return self.results


@dataclass(frozen=True)
class SiteSearch:
    terms: SearchTerms
    kind: Kind | None
    counts: dict[str, int]
    page: Page

    @property
    def total(self):
        return self.page.paginator.count


def site_search(query: str, *, kind: str | None = None, page=1, per_page=RESULTS_PER_PAGE) -> SiteSearch:
    """One page of the results of `query` in every public kind, or only in `kind` (a key of `kinds()`), with
    the number of matches of each kind. A page number that is not one gives the first page, one past the end
    the last (results change as the desk publishes)."""
    terms = SearchTerms.parse(query)
    try:
        number = min(max(1, int(page)), MAX_PAGE)
    except (TypeError, ValueError):
        number = 1
    counts, ranked = dict.fromkeys(kinds(), 0), []
    if terms:
        counts, ranked = _ranked(terms, kind=kind, offset=(number - 1) * per_page, limit=per_page)
    total = counts[kind] if kind else sum(counts.values())
    if not total:
        number = 1
    elif not ranked:
        number = math.ceil(total / per_page)
        counts, ranked = _ranked(terms, kind=kind, offset=(number - 1) * per_page, limit=per_page)
    paginator = Paginator(_OnePage(_details(terms, ranked), total=total), per_page)
    return SiteSearch(terms=terms, kind=kinds()[kind] if kind else None, counts=counts, page=paginator.page(number))
