"""Site search: one ranked list of published briefings, figures, quotes, reward offers, organizations and places.

- terms.py: a reader's query, parsed, and written for each database.
- queryset.py: `SearchableQuerySet.search(query)` and its parts, for every model with a full-text index;
  postgresql.py and sqlite.py: how each database finds, ranks and highlights (indexes: migrations 0008, 0011).
- kinds.py: the kinds of record searched, and how each is shown.
- site.py: `site_search()`, the results page's search, ranked and paged across kinds at a cost that does not
  grow with the number of matches; statements.py: the SQL it runs, compiled once per shape of query
  (prepared.py).
- highlight.py: matches marked by the database made into safe HTML.
"""

from .highlight import MARK_END, MARK_START, highlighted_html
from .kinds import Kind, kinds
from .postgresql import POSTGRES_CONFIG
from .queryset import ONE_MATCH_RANK, WEIGHTS, SearchableQuerySet
from .site import MAX_RESULTS, RANKED_CANDIDATES, RESULTS_PER_PAGE, SearchResult, SiteSearch, site_search
from .terms import MAX_QUERY_LENGTH, SearchTerms

__all__ = [
    "MARK_END",
    "MARK_START",
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "ONE_MATCH_RANK",
    "POSTGRES_CONFIG",
    "RANKED_CANDIDATES",
    "RESULTS_PER_PAGE",
    "WEIGHTS",
    "Kind",
    "SearchResult",
    "SearchTerms",
    "SearchableQuerySet",
    "SiteSearch",
    "highlighted_html",
    "kinds",
    "site_search",
]
