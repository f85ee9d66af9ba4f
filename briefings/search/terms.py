"""A reader's query, parsed once and then written for each database's full-text syntax.

Queries are read the way PostgreSQL's `websearch_to_tsquery` reads them: words must all match, "quoted
words" match as a phrase, `or` between two items accepts either, and a leading `-` leaves an item out.
Only the first MAX_QUERY_LENGTH characters are searched. Each item goes to the database as a phrase for its
own parser, so punctuation, non-Latin scripts or operator characters can never make a query fail.
"""

import functools
import operator
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery

from .highlight import MARK_END, MARK_START
from .postgresql import config

MAX_QUERY_LENGTH = 200

_ITEM = re.compile(r'(?P<excluded>-)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_HAS_WORD = re.compile(r"[^\W_]")
# Control characters (PostgreSQL refuses NUL in text) and the match marks never reach the database.
_UNSEARCHABLE = re.compile(f"[\x00-\x1f\x7f-\x9f{MARK_START}{MARK_END}]")


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

    def postgres(self) -> SearchQuery:
        """The query as a PostgreSQL tsquery expression (phrases with phraseto_tsquery)."""

        def phrase(item):
            return SearchQuery(item, search_type="phrase", config=config())

        query = functools.reduce(
            operator.and_, (functools.reduce(operator.or_, map(phrase, group)) for group in self.groups)
        )
        for item in self.excluded:
            query &= ~phrase(item)
        return query


def search_terms(query) -> SearchTerms:
    """`query` parsed, unless it already is."""
    return query if isinstance(query, SearchTerms) else SearchTerms.parse(query)
