"""The SQL of site search (search.py), compiled once per shape of query and database (fast_paths.prepare()): what the
planner is asked to estimate, a kind's matches ranked whole or its newest ranked ones, its other matches, and
what the rows of a page show.
"""

import functools

from django.db.models import F
from django.utils.translation import get_language

from ...fast_paths import placeholder, prepare
from ..terms import SearchTerms
from .kinds import kinds

# Each statement builds its queryset inside prepare(), which recognises the time `published()` takes as one
# taken while it built: see briefings/fast_paths/statements.py.


def shape(terms: SearchTerms):
    """What the SQL of a search depends on: how many items each group has, how many are left out, and the
    language of the page (the index it reads and the columns it shows: briefings/search/language.py)."""
    return tuple(len(group) for group in terms.groups), len(terms.excluded), get_language()


def items(terms: SearchTerms):
    """The words and phrases of a search in the order `placeholder_terms()` numbers them."""
    return [item for group in terms.groups for item in group] + list(terms.excluded)


def placeholder_terms(terms_shape) -> SearchTerms:
    group_sizes, excluded, _language = terms_shape
    numbers = iter(range(sum(group_sizes) + excluded))
    groups = tuple(tuple(placeholder(next(numbers)) for _ in range(size)) for size in group_sizes)
    return SearchTerms(text="", groups=groups, excluded=tuple(placeholder(next(numbers)) for _ in range(excluded)))


def placeholder_ids(count, *, start=0):
    """Ids that stand for the ids of a page's rows: no row has a negative id."""
    return [-1_000_000_000 - number for number in range(start, start + count)]


@functools.lru_cache(maxsize=1024)
def estimate_statement(database, slug, terms_shape):
    """A kind's matches, public or not: what the planner is asked to estimate."""
    terms = placeholder_terms(terms_shape)
    return prepare(
        lambda: kinds()[slug].model._default_manager.using(database).search_matches(terms).order_by().values("pk"),
        arguments=items(terms),
    )


@functools.lru_cache(maxsize=1024)
def whole_statement(database, slug, terms_shape, limit):
    """A kind's public matches, ranked, up to `limit` of them, in no order: columns search_rank and result_id.
    The planner has estimated them to be few (`few`), so it finds them through the index and stops after that
    many."""
    terms = placeholder_terms(terms_shape)
    return prepare(
        lambda: (
            _public(database, slug).search(terms, few=True).order_by().values("search_rank", result_id=F("pk"))[:limit]
        ),
        arguments=items(terms),
    )


@functools.lru_cache(maxsize=1024)
def newest_statement(database, slug, terms_shape, limit):
    """A kind's newest `limit` public records whose ranked fields match, ranked."""
    terms = placeholder_terms(terms_shape)
    return prepare(
        lambda: (
            _public(database, slug)
            .search_title_matches(terms)
            .order_by("-pk")
            .values("search_rank", result_id=F("pk"))[:limit]
        ),
        arguments=items(terms),
    )


@functools.lru_cache(maxsize=1024)
def matches_statement(database, slug, terms_shape):
    """A kind's public matches: column result_id."""
    terms = placeholder_terms(terms_shape)
    return prepare(
        lambda: _public(database, slug).search_matches(terms).order_by().values(result_id=F("pk")),
        arguments=items(terms),
    )


def _public(database, slug):
    return kinds()[slug].public().using(database)


@functools.lru_cache(maxsize=1024)
def details_statement(database, layout, terms_shape):
    """What the rows of a page show: `layout` says how many rows of each kind, in kinds() order."""
    terms = placeholder_terms(terms_shape)
    ids, start = {}, 0
    for slug, count in layout:
        ids[slug], start = placeholder_ids(count, start=start), start + count

    def build():
        return _union(
            [
                _public(database, slug)
                .filter(pk__in=ids[slug])
                .with_highlights(terms, title=kind.title, text=kind.text, excerpt=kind.excerpt)
                .order_by()
                .values("highlighted_title", "highlighted_text", "highlighted_excerpt", **kind.columns())
                for slug, kind in ((slug, kinds()[slug]) for slug, _count in layout)
            ]
        )

    return prepare(build, arguments=[*items(terms), *(pk for slug, _count in layout for pk in ids[slug])])


@functools.lru_cache(maxsize=64)
def rank_floor(database, slug):
    return _public(database, slug).search_rank_floor()


def _union(querysets):
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first
