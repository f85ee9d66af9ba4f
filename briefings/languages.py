"""The site's two languages: which one a request is answered in, and the same page in the other.

English is served at the root (`/briefings/…`) and Spanish under `/es/` (`/es/briefings/…`), through
`i18n_patterns(prefix_default_language=False)` in config/urls.py: the address alone says the language of a public
page, so a page is cached, linked and indexed once per language and never depends on the reader's headers. The API
has one address in every language: there the reader's choice decides (the language cookie, then `Accept-Language`).
The admin is in English, the desk's language of record: django-modeltranslation reads and writes a translated field
(`briefing.headline = …`) in the active language, so every write the desk's code makes must run in one language,
and every form shows both languages' boxes anyway.
"""

import contextlib
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.middleware.locale import LocaleMiddleware
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The addresses whose language is negotiated rather than read from the path (the read-only API).
NEGOTIATED_PREFIXES = ("/api/",)


def is_negotiated(path_info: str) -> bool:
    return path_info.startswith(NEGOTIATED_PREFIXES)


def language_of_path(path_info: str) -> str:
    """The language a public address is in: its prefix's (`/es/…`), or the default's at the root."""
    return translation.get_language_from_path(path_info) or settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    """Activates the language of the address (public pages, and English for the admin) or the reader's choice
    (the API, which alone varies on `Accept-Language`). Django's LocaleMiddleware would give every unprefixed
    address the default language once `i18n_patterns` is used, the API included."""

    def __call__(self, request):
        # The thread's language is put back afterwards: Django's LocaleMiddleware leaves the request's active, so
        # whatever the thread runs next (a test's `reverse()`, a worker's next job) would be in it.
        previous = translation.get_language()
        try:
            return super().__call__(request)
        finally:
            if previous:
                translation.activate(previous)
            else:
                translation.deactivate()

    def process_request(self, request):
        if is_negotiated(request.path_info):
            language = translation.get_language_from_request(request)
        else:
            language = language_of_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_negotiated(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


@dataclass(frozen=True)
class PageLanguage:
    """One language a page can be read in, for the switcher and the `hreflang` alternates."""

    code: str
    name: str  # in its own language: “English”, “Español”
    url: str  # the same page in this language (path and query)
    address: str  # and as an absolute address, for hreflang alternates and sitemaps
    is_current: bool


def same_page_in(request, language: str) -> str:
    """The address of the page `request` shows, in `language`, with its query string; that language's front page
    when the address leads to no page (a 404)."""
    match = getattr(request, "resolver_match", None)  # Django's own, when it resolved the request
    if match is None:
        with contextlib.suppress(Resolver404):  # an address that leads to no page: the front page
            match = resolve(request.path_info)
    with translation.override(language):
        try:
            if match is None or match.view_name is None:
                raise NoReverseMatch
            path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return reverse("briefings:home")
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{query}" if query else path


def page_languages(request) -> list[PageLanguage]:
    current = translation.get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = same_page_in(request, code)
        languages.append(
            PageLanguage(
                code=code,
                name=translation.get_language_info(code)["name_local"].capitalize(),
                url=url,
                address=request.build_absolute_uri(url),
                is_current=code == current,
            )
        )
    return languages


def column(name: str, language: str) -> str:
    """A translated field's column in `language` (`headline` → `headline_es`), as django-modeltranslation names it."""
    return f"{name}_{language.replace('-', '_')}"


def in_english(name: str) -> str:
    """A translated field's column in the language of record (`headline_en`): what the desk's rules read."""
    return column(name, settings.LANGUAGE_CODE)


@functools.cache
def translated_originals(model) -> frozenset[str]:
    """The fields of `model` that django-modeltranslation translates (`headline`): their own column mirrors the
    English one (`headline_en`), so history and the stale-save guard compare the language columns only. Read once
    per model (every `tr` on a page asks): the registrations are made when the apps are ready, before any request."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return frozenset(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return frozenset()


def shown_language(obj, field: str) -> str:
    """The language `obj.field` is read in on this page: the active one when the desk wrote it in that language,
    else English: the translation it falls back to is missing, or the field is one the desk writes in English only
    (a note on how a date was inferred)."""
    current = translation.get_language()
    if field in translated_originals(type(obj)) and getattr(obj, column(field, current), None):
        return current
    return settings.LANGUAGE_CODE


def evidence_language(obj) -> str:
    """The language of a record's verbatim words (a quote, a source sentence, an offer's wording): its source's."""
    if getattr(type(obj), "full_text", None) is not None:  # a source itself (its full text perhaps not read)
        return obj.language
    source = getattr(obj, "source", None)
    return getattr(source, "language", None) or settings.LANGUAGE_CODE


def in_language(path: str):
    """A translated field (`headline`, or across a relation `dateline__name`) as the page reads it: its column in
    the page's language, else the English."""
    english = F(in_english(path))
    language = translation.get_language()
    if language == settings.LANGUAGE_CODE or language is None:
        return english
    # Each translation column is a class of its own (django-modeltranslation): the output type is said here.
    return Coalesce(
        NullIf(F(column(path, language)), Value(""), output_field=TextField()), english, output_field=TextField()
    )


def desk_translation(obj, field: str, language: str | None = None) -> str:
    """The desk's translation of a record's verbatim words into the page's language (`language`, else the active
    one) (`translation`, `sentence_translation`, `criterion_translation`), or "": never another language's in its
    place."""
    return getattr(obj, column(field, language or translation.get_language()), None) or ""
