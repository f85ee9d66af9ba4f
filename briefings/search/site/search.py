"""Site search: one ranked list of the public records of every kind (kinds.py), a page at a time.

The order. Within a kind, the records whose ranked fields match (a briefing's headline and dek, the whole
record for the other kinds) come first, best `ts_rank` first and newest first among equals; then the other
matches, newest first. The kinds are merged by rank.

What a page costs does not grow with the number of matches (`make bench` times it on a large desk):

- A kind with at most MAX_RESULTS matches, as the planner expects from its index statistics (PostgreSQL:
  `EXPLAIN`, nothing run; SQLite has no estimates and takes every kind to be one of these), is searched
  whole: its matches are ranked, and counted, in one pass that stops after MAX_RESULTS + 1 of them (planned
  without estimating them again: see postgresql.matches).
- A broader kind is not counted: its count is the planner's estimate (of its matches, drafts included: a
  small difference, and a cheaper estimate), shown as “about”, as web search engines show theirs. Only its
  newest RANKED_CANDIDATES records whose ranked fields match are ranked, read newest first (through the
  primary key, or through the index when they are few), then the page gets the other matches newest first,
  if it needs them. So a common word lists the best of its recent matches first. The query asks for the
  other matches only on a page past the first RANKED_CANDIDATES results: on an earlier one the ranked ones
  nearly always fill it, and planning a search that is not run cost as much as a result page's Python.
- Should a kind have more matches than expected after all (the planner takes words to be independent, and
  two that always come together are more common together than it thinks), the page is fetched again with
  that kind treated as broad. (A phrase, often a name, is estimated as its rarest word: see _estimates.)
  So it is, with the other matches, should a broad kind's ranked candidates not fill an early page.
- The first MAX_RESULTS results can be paged to; past the last page, the last one is shown.

Queries per results page: on PostgreSQL three (the estimates, plus one for the words of a phrase unless the
query is that phrase alone; one query that ranks, pages and counts, twice when the page is fetched again; one
that fetches the titles and snippets of just the page's rows), on SQLite two. Their SQL (statements.py) is
compiled once per shape of query (briefings/fast_paths/statements.py).
"""

import math
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.utils import timezone

from .. import postgresql
from ..highlight import highlighted_html
from ..terms import SearchTerms
from . import statements
from .kinds import Kind, kinds
from .statements import items, shape

RESULTS_PER_PAGE = 10
# How many results can be paged to, and how many matches a kind may have to be counted and ranked whole.
MAX_RESULTS = 1_000
# How many of a broad kind's newest records whose ranked fields match are ranked.
RANKED_CANDIDATES = 200


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


@dataclass(frozen=True)
class SiteSearch:
    terms: SearchTerms
    kind: Kind | None
    counts: dict[str, int]  # matches of each kind, by kind slug
    estimated: frozenset[str]  # the kinds whose count is an estimate
    page: Page

    @property
    def total(self):
        return self.counts[self.kind.slug] if self.kind else sum(self.counts.values())

    @property
    def total_is_estimated(self):
        return bool(self.estimated & ({self.kind.slug} if self.kind else set(self.counts)))

    @property
    def max_results(self):
        return MAX_RESULTS

    @property
    def more_than_reachable(self):
        """Whether there are more results than can be paged to."""
        return self.total > MAX_RESULTS


def site_search(query: str, *, kind: str | None = None, page=1, per_page=RESULTS_PER_PAGE) -> SiteSearch:
    """One page of the results of `query` in every public kind, or only in `kind` (a key of `kinds()`), with
    the number of matches of each kind. A page number that is not one gives the first page, one past the end
    (or past the MAX_RESULTS that can be paged to) the last: results change as the desk publishes."""
    terms = SearchTerms.parse(query)
    last_reachable = max(1, MAX_RESULTS // per_page)
    try:
        number = min(max(1, int(page)), last_reachable)
    except (TypeError, ValueError):
        number = 1
    counts, estimated, ranked = dict.fromkeys(kinds(), 0), frozenset(), []
    if not terms:  # nothing asked, nothing found: the one page there is
        number = 1
    else:
        search = _Search(terms, kind=kind, per_page=per_page)
        counts, estimated, ranked = search.page(number)
        total = counts[kind] if kind else sum(counts.values())
        if not total:
            number = 1
        elif not ranked:  # past the last page, where every match has been counted (see _Search.page)
            number = min(math.ceil(total / per_page), last_reachable)
            counts, estimated, ranked = search.page(number)
    total = counts[kind] if kind else sum(counts.values())
    paginator = Paginator(_OnePage(_details(terms, ranked), total=min(total, MAX_RESULTS)), per_page)
    return SiteSearch(
        terms=terms,
        kind=kinds()[kind] if kind else None,
        counts=counts,
        estimated=estimated,
        page=paginator.page(number),
    )


class _Search:
    def __init__(self, terms, *, kind, per_page):
        self.terms, self.kind, self.per_page = terms, kind, per_page
        self.database = _database()
        self.connection = connections[self.database]
        self.shape, self.items, self.now = shape(terms), items(terms), timezone.now()
        self.estimates = self._estimates()
        self.broad = {slug for slug, estimate in self.estimates.items() if estimate > MAX_RESULTS}
        self.at_least = {}  # matches found of a kind that had more than expected
        self.listing_others = set()  # broad kinds whose other matches the page asks for whatever its number

    def page(self, number):
        """(counts by kind, the kinds whose count is an estimate, the page's (kind, id) pairs in order)."""
        counts, estimated, page, overflowing, short = self._page(number)
        if overflowing or short:
            # More matches than expected: search those kinds as broad ones. Fewer ranked candidates than the
            # page needs: list those kinds' other matches too.
            self.broad |= overflowing
            self.at_least |= dict.fromkeys(overflowing, MAX_RESULTS + 1)
            self.listing_others |= overflowing | short
            counts, estimated, page, _overflowing, _short = self._page(number)
        return counts, estimated, page

    def _sql(self, statement, slug, **arguments):
        prepared = statement(self.database, slug, self.shape, **arguments)
        return prepared.sql, prepared.params(self.items, now=self.now)

    def _estimates(self):
        """The planner's estimate of each kind's matches, published or not, by kind slug (PostgreSQL only).

        The planner takes the words of a phrase to be independent: “Clan del Golfo” would be as rare as three
        words found in 1% of briefings each appearing together by chance. So a phrase that must match counts
        here as its rarest word, which it cannot match more often than and, being a name or a set expression
        more often than not, matches about as often (one more EXPLAIN, of each of its words, which for a query
        that is one phrase alone is all it takes)."""
        if self.connection.vendor != "postgresql":
            return {}
        slugs = list(kinds())
        estimated_items = {slug: list(self.items) for slug in slugs}
        required = sum(len(group) for group in self.terms.groups)  # the items after them are left out
        phrases = [number for number, item in enumerate(self.items[:required]) if len(item.split()) > 1]
        one_word = ((1,), 0, self.shape[-1])  # a query of one word, in this search's language (statements.shape)
        if phrases:
            words = sorted({word for number in phrases for word in self.items[number].split()})
            branches = [(slug, [word]) for slug in slugs for word in words]
            rows = dict(
                zip(
                    ((slug, word) for slug, (word,) in branches),
                    self._explain(branches, terms_shape=one_word),
                    strict=True,
                )
            )
            for slug in slugs:
                for number in phrases:
                    # A stop word matches nothing and is estimated so: it does not count.
                    estimated_items[slug][number] = min(
                        self.items[number].split(), key=lambda word, slug=slug: rows[slug, word] or math.inf
                    )
            if self.shape == one_word:  # the phrase alone: estimated as its rarest word, just asked about
                found = {slug: rows[slug, estimated_items[slug][0]] for slug in slugs}
                return {slug: estimate for slug, estimate in found.items() if estimate is not None}
        rows = self._explain([(slug, estimated_items[slug]) for slug in slugs], terms_shape=self.shape)
        return {slug: found for slug, found in zip(slugs, rows, strict=True) if found is not None}

    def _explain(self, branches, *, terms_shape):
        """The rows the planner expects from each (kind slug, items) of `branches`: the kind's matches, published
        or not, of a query of `terms_shape` with those items."""
        estimated = [statements.estimate_statement(self.database, slug, terms_shape) for slug, _items in branches]
        sql = " UNION ALL ".join(f"({statement.sql})" for statement in estimated)
        params = [
            param
            for statement, (_slug, items) in zip(estimated, branches, strict=True)
            for param in statement.params(items, now=self.now)
        ]
        return postgresql.estimated_rows(self.connection, sql, params, branches=len(branches))

    def _page(self, number):
        offset = (number - 1) * self.per_page
        wanted = offset + self.per_page  # rows of a kind that the page may need
        ctes, branches, counts, unlisted = [], [], [], set()
        cte_params, branch_params = [], []
        for position, slug in enumerate(kinds()):
            name, shown = f"kind_{position}", self.kind in (None, slug)
            if slug not in self.broad:
                sql, params = self._sql(statements.whole_statement, slug, limit=MAX_RESULTS + 1)
                ctes.append(f"{name} AS MATERIALIZED ({sql})")
                cte_params += params
                counts.append(f"SELECT 'count', '{position}', NULL, NULL, COUNT(*) FROM {name}")
                if shown:
                    branches.append(f"SELECT search_rank, '{position}' AS result_kind, result_id FROM {name}")
            elif shown:
                sql, params = self._sql(statements.newest_statement, slug, limit=RANKED_CANDIDATES)
                ctes.append(f"{name} AS MATERIALIZED ({sql})")
                cte_params += params
                ranked = f"SELECT search_rank, '{position}' AS result_kind, result_id FROM {name}"
                if wanted <= RANKED_CANDIDATES and slug not in self.listing_others:
                    # Its ranked candidates are likely to fill the page: its other matches are left out, which
                    # spares planning them (see _Search.page for when they are not enough after all).
                    branches.append(ranked)
                    unlisted.add(slug)
                    continue
                others_sql, others_params = self._sql(statements.matches_statement, slug)
                branches.append(
                    f"{ranked} UNION ALL SELECT * FROM ("
                    f"SELECT CAST(%s AS DOUBLE PRECISION) AS search_rank, '{position}' AS result_kind, result_id "
                    f"FROM ({others_sql}) matching "
                    f"WHERE (SELECT COUNT(*) FROM {name}) < %s AND result_id NOT IN (SELECT result_id FROM {name}) "
                    f"ORDER BY result_id DESC LIMIT %s) {name}_others"
                )
                branch_params += [statements.rank_floor(self.database, slug), *others_params, wanted, wanted]
        sql = f"""
            WITH {", ".join(ctes)}, candidates AS MATERIALIZED ({" UNION ALL ".join(branches)})
            SELECT 'page' AS row_type, result_kind, result_id, search_rank, NULL AS found FROM (
                SELECT result_kind, result_id, search_rank FROM candidates
                ORDER BY search_rank DESC, result_kind, result_id DESC LIMIT %s OFFSET %s
            ) page
            UNION ALL
            SELECT 'candidates', result_kind, NULL, NULL, COUNT(*) FROM candidates GROUP BY result_kind
            {"".join(f" UNION ALL {count}" for count in counts)}
        """
        with self.connection.cursor() as cursor:
            cursor.execute(sql, (*cte_params, *branch_params, self.per_page, offset))
            rows = cursor.fetchall()
        slugs = list(kinds())
        rows = [(row_type, slugs[int(kind)], pk, rank, found) for row_type, kind, pk, rank, found in rows]
        page = sorted(
            ((kind, pk, rank) for row_type, kind, pk, rank, _found in rows if row_type == "page"),
            key=lambda row: (-row[2], slugs.index(row[0]), -row[1]),
        )
        candidates = {kind: found for row_type, kind, _pk, _rank, found in rows if row_type == "candidates"}
        counted = {kind: found for row_type, kind, _pk, _rank, found in rows if row_type == "count"}
        counts, estimated = {}, set()
        for slug in slugs:
            if slug in counted and counted[slug] <= MAX_RESULTS:
                counts[slug] = counted[slug]
            elif slug in self.broad and candidates.get(slug, wanted) < wanted:  # every match is a candidate
                counts[slug] = candidates[slug]
            else:
                found = max(self.estimates.get(slug, 0), self.at_least.get(slug, 0), counted.get(slug, 0))
                counts[slug] = _about(found)
                estimated.add(slug)
        overflowing = {slug for slug, found in counted.items() if found > MAX_RESULTS and self.kind in (None, slug)}
        short = {slug for slug in unlisted if candidates.get(slug, 0) < wanted}
        return counts, frozenset(estimated), [(kind, pk) for kind, pk, _rank in page], overflowing, short


def _about(count):
    """A count rounded to two significant figures, as an estimate is shown."""
    return int(float(f"{count:.2g}")) if count else 0


def _details(terms, page):
    """What the results on one page show, in one query, in the page's order."""
    if not page:
        return []
    ids_by_kind = {}
    for kind_slug, pk in page:
        ids_by_kind.setdefault(kind_slug, []).append(pk)
    layout = tuple((slug, len(ids_by_kind[slug])) for slug in kinds() if slug in ids_by_kind)
    database = _database()
    prepared = statements.details_statement(database, layout, shape(terms))
    ids = [pk for slug, _count in layout for pk in ids_by_kind[slug]]
    connection = connections[database]
    with connection.cursor() as cursor:
        cursor.execute(prepared.sql, prepared.params([*items(terms), *ids], now=timezone.now()))
        rows = list(prepared.rows(cursor, connection))
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


def _database():
    """The database the kinds are read from (one for all: a page's query joins them)."""
    return next(iter(kinds().values())).model._default_manager.db
