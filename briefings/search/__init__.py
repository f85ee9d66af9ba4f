"""Full-text search, the mechanism: it imports no models, so models may use it.

- terms.py: a reader's query, parsed, and written for each database.
- queryset.py: `SearchableQuerySet.search(query)` and its parts, for every model with a full-text index;
  postgresql.py and sqlite.py: how each database finds, ranks and highlights (indexes: migrations 0008, 0011).
- highlight.py: matches marked by the database made into safe HTML.

Site search across the kinds of record, which does import the models, is search/site/.
"""

from .highlight import MARK_END, MARK_START, highlighted_html
from .postgresql import POSTGRES_CONFIG
from .queryset import ONE_MATCH_RANK, WEIGHTS, SearchableQuerySet
from .terms import MAX_QUERY_LENGTH, SearchTerms

__all__ = [
    "MARK_END",
    "MARK_START",
    "MAX_QUERY_LENGTH",
    "ONE_MATCH_RANK",
    "POSTGRES_CONFIG",
    "WEIGHTS",
    "SearchTerms",
    "SearchableQuerySet",
    "highlighted_html",
]
