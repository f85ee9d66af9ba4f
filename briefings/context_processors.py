from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .languages import page_languages


def site(request):
    return {
        "site_name": settings.SITE_NAME,
        # The address a page is known by: its own, with the query string that selects what it shows.
        "canonical_url": request.build_absolute_uri(),
        # The same page in each language (the switcher, the hreflang alternates); worked out only if a template asks.
        "page_languages": SimpleLazyObject(lambda: page_languages(request)),
    }
