"""Which index a search reads, and which column it shows: English, or Spanish on a page in Spanish (migration 0024).

The English index is `<table>_fts` on SQLite and `search_vector` on PostgreSQL (configuration `briefings_search`,
English stemming); the Spanish one is `<table>_fts_es` and `search_vector_es` (`briefings_search_es`, Spanish
stemming). A translated field is read in the page's language, or in English while it has no translation, as the
pages show it.
"""

from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import get_language

from ..languages import in_language, translated_originals


@dataclass(frozen=True)
class SearchLanguage:
    code: str
    suffix: str  # appended to an index's name: `<table>_fts` + suffix, `search_vector` + suffix
    postgres_config: str


ENGLISH = SearchLanguage("en", "", "briefings_search")
SPANISH = SearchLanguage("es", "_es", "briefings_search_es")
LANGUAGES = {language.code: language for language in (ENGLISH, SPANISH)}


def current() -> SearchLanguage:
    return LANGUAGES.get(get_language(), ENGLISH)


def field_text(model, field: str):
    """`field` of `model` as a search shows it: in the page's language when it is translated."""
    return in_language(field) if field in translated_originals(model) else F(field)
