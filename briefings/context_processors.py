import functools

from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import trans_real

from .languages import page_languages
from .templating import page_functions


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # The address a page is known by: its own, with the query string that selects what it shows.
        "canonical_url": request.build_absolute_uri(),
        # The same page in each language (the switcher, the hreflang alternates); worked out only if a template asks.
        "page_languages": SimpleLazyObject(lambda: page_languages(request)),
    }


def catalogue(request):
    """For the public pages' Jinja2 templates: the page's language (`page_language`, which templating.py's
    filters read instead of asking Django each time), the functions that print in it bound to it, and gettext
    bound to its catalogue. Django's gettext looks up the active language on each call (a context variable), and
    a page makes hundreds of calls; the catalogue's own gettext answers the same (a message it lacks is the
    English), each message looked up once."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    gettext, ngettext = _bound(trans_real.translation(language))
    return {
        "page_language": language,
        "gettext": gettext,
        "_": gettext,
        "ngettext": ngettext,
        **page_functions(language),
    }


@functools.cache
def _bound(messages):
    """gettext and ngettext of the catalogue `messages` (a new one when Django loads the catalogues again)."""
    looked_up = {}

    def gettext(message):
        try:
            return looked_up[message]
        except KeyError:
            translated = looked_up[message] = messages.gettext(message)
            return translated

    return gettext, messages.ngettext
