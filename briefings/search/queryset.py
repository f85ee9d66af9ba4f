"""`.search(query)` and its parts for any model with a full-text index (see postgresql.py and sqlite.py)."""

import math

from django.db import NotSupportedError, connections, models
from django.db.models import TextField, Value
from django.db.models.functions import Cast, Coalesce

from . import postgresql, sqlite
from .language import field_text
from .terms import search_terms

# Rank weight of each field class: PostgreSQL's ts_rank defaults, also used on SQLite.
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}
# What ts_rank gives one occurrence of a word of weight 1.0 (it sums 1/n² over occurrences, divided by π²/6).
ONE_MATCH_RANK = 6 / math.pi**2


class SearchableQuerySet(models.QuerySet):
    """Full-text search over the fields in `search_fields` (field: weight class "A" to "D").

    On SQLite the order of `search_fields` is the column order of the model's FTS5 table.
    """

    search_fields: dict[str, str] = {}
    # PostgreSQL: the tsvector column of every field's words, which a trigger keeps and a GIN index covers,
    # and optionally one of the fields weighted A and B only, also indexed, to rank by. Ranking on the small
    # one matters for long texts: it stays in the row, while the large one would be read back from TOAST
    # storage for every match. Every match then also counts as one match of the lowest weight.
    search_vector_column = "search_vector"
    search_rank_vector_column: str | None = None

    def search(self, query, *, few=False):
        """The rows that match `query` (a string or SearchTerms), best first, annotated with `search_rank`.
        Ranks every match: see briefings/search/site/search.py for a search whose cost does not grow with them.
        `few`: see search_matches()."""
        terms = search_terms(query)
        if not terms:
            return self.none()
        return (
            self.search_matches(terms, few=few)
            .annotate(search_rank=self._search_rank(terms))
            .order_by("-search_rank", "-pk")
        )

    def search_matches(self, query, *, few=False):
        """The rows that match `query`, neither ranked nor ordered. Pass `few` when the planner has said that
        they are few (site search asks it): on PostgreSQL it then plans the search without estimating it again."""
        terms = search_terms(query)
        if not terms:
            return self.none()
        if self._search_vendor() == "postgresql":
            return postgresql.matches(self, terms, few=few)
        return sqlite.matches(self, terms)

    def search_title_matches(self, query):
        """The rows whose ranked fields match `query`, annotated with `search_rank`, not ordered. On PostgreSQL
        the ranked fields are those of `search_rank_vector_column` when there is one (e.g. a briefing's
        headline and dek); otherwise, and on SQLite, every field. A row that matches only in other fields
        ranks `search_rank_floor()`."""
        terms = search_terms(query)
        if not terms:
            return self.none()
        if self._search_vendor() == "postgresql":
            matching = postgresql.title_matches(self, terms)
        else:
            matching = sqlite.matches(self, terms)
        return matching.annotate(search_rank=self._search_rank(terms))

    def search_rank_floor(self) -> float:
        """The rank of a row that matches only outside its ranked fields."""
        if self._search_vendor() == "postgresql" and self.search_rank_vector_column:
            return WEIGHTS[max(self.search_fields.values())] * ONE_MATCH_RANK  # "C" sorts after "A"
        return 0.0

    def with_highlights(self, query, *, title, text=None, excerpt=None):
        """Annotate `highlighted_title` and `highlighted_text` (the whole field, matches marked) and
        `highlighted_excerpt` (the passages of a long field around the matches). Pass the result to
        `highlighted_html()` to show it."""
        terms = search_terms(query)
        fields = {"highlighted_title": (title, False), "highlighted_text": (text, False)}
        fields["highlighted_excerpt"] = (excerpt, True)
        vendor = self._search_vendor() if terms else None
        annotations = {}
        for name, (field, is_excerpt) in fields.items():
            if field is None:
                annotations[name] = Value("", output_field=TextField())
            elif vendor is None:  # nothing to mark
                annotations[name] = Cast(field_text(self.model, field), TextField())
            elif vendor == "postgresql":
                annotations[name] = postgresql.headline(self, field, terms, is_excerpt=is_excerpt)
            else:
                # The field as it is, should the row have changed since it matched.
                highlighted = sqlite.highlight(self, field, terms, is_excerpt=is_excerpt)
                annotations[name] = Coalesce(highlighted, field_text(self.model, field), output_field=TextField())
        return self.annotate(**annotations)

    def _search_rank(self, terms):
        if self._search_vendor() == "postgresql":
            return postgresql.rank(self, terms, floor=self.search_rank_floor())
        return sqlite.rank(self, terms, weights=WEIGHTS)

    def _search_vendor(self):
        vendor = connections[self.db].vendor
        if vendor not in ("postgresql", "sqlite"):
            raise NotSupportedError(f"Search is implemented for PostgreSQL and SQLite, not {vendor}.")
        return vendor
