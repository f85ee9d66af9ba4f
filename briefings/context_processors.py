from django.conf import settings
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import trans_real

from .languages import page_languages


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # The address a page is known by: its own, with the query string that selects what it shows.
        "canonical_url": request.build_absolute_uri(),
        # The same page in each language (the switcher, the hreflang alternates); worked out only if a template asks.
        "page_languages": SimpleLazyObject(lambda: page_languages(request)),
    }


def catalogue(request):
    """For the public pages' Jinja2 templates: gettext bound to this page's catalogue. Django's gettext looks up
    the active language on each call (a context variable), and a page makes hundreds of calls; the catalogue
    object's own gettext answers the same (a message it lacks is the English)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    messages = trans_real.translation(language)
    return {"gettext": messages.gettext, "_": messages.gettext, "ngettext": messages.ngettext}
