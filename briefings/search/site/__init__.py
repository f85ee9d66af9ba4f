"""Site search: one ranked list of published briefings, figures, quotes, reward offers, organizations and places.

- kinds.py: the kinds of record searched, and how each is shown.
- search.py: `site_search()`, the results page's search, ranked and paged across kinds at a cost that does not
  grow with the number of matches; statements.py: the SQL it runs, compiled once per shape of query
  (briefings/fast_paths/statements.py).

It sits above the models and the search mechanism (briefings/search/); neither imports it.
"""

from .kinds import Kind, kinds
from .search import MAX_RESULTS, RANKED_CANDIDATES, RESULTS_PER_PAGE, SearchResult, SiteSearch, site_search

__all__ = [
    "MAX_RESULTS",
    "RANKED_CANDIDATES",
    "RESULTS_PER_PAGE",
    "Kind",
    "SearchResult",
    "SiteSearch",
    "kinds",
    "site_search",
]
