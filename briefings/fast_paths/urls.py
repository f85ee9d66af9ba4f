"""Addresses: `reverse()` for URLs whose arguments are slugs, each URL reversed once into a template."""

import contextlib
import contextvars
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils.translation import get_language

# What the `slug` path converter accepts; a stand-in of that form is put in the place of each slug.
_SLUG = re.compile(SlugConverter.regex)
_STAND_IN = "url-stand-in-{}-"
_templates = {}


def page_url(viewname, **slugs):
    """`reverse(viewname, kwargs=slugs)`, for URLs whose arguments are all slugs. `reverse()` matches the URL's
    pattern anew each time, and pages link to many records; here each URL is reversed once, with stand-in slugs,
    into a template later slugs are put into, remembered for what `reverse()` depends on (script prefix, URLconf,
    language). A slug the `slug` converter would not take is left to `reverse()`, to fail as it would. In a page's
    render the script prefix and URLconf are the ones `address_scope()` took when it began."""
    scope = _address_scope.get()
    prefix, urlconf = scope if scope is not None else (get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    key = (viewname, *slugs, prefix, urlconf, get_language())
    try:
        template = _templates[key]
    except KeyError:
        template = _templates[key] = _template(viewname, list(slugs))
    if template is None:
        return reverse(viewname, kwargs=slugs)
    for slug in slugs.values():
        if not (isinstance(slug, str) and _SLUG.fullmatch(slug)):
            return reverse(viewname, kwargs=slugs)
    return template.format_map(slugs)


# The script prefix and URLconf of the page being rendered (each is a context variable of Django's, set for each
# request before any page is rendered; the language, which a page may override, is asked each time).
_address_scope = contextvars.ContextVar("address scope", default=None)


@contextlib.contextmanager
def address_scope():
    """While a page renders: page_url() takes the script prefix and URLconf as they were when it began, instead
    of looking each up for every link (a briefing's page has some 150)."""
    token = _address_scope.set((get_script_prefix(), get_urlconf(settings.ROOT_URLCONF)))
    try:
        yield
    finally:
        _address_scope.reset(token)


def _template(viewname, names):
    """The URL with `{name}` in the place of each slug, or None if a stand-in does not show in it exactly once."""
    stand_ins = {name: _STAND_IN.format(number) for number, name in enumerate(names)}
    address = reverse(viewname, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, stand_in in stand_ins.items():
        if address.count(stand_in) != 1:
            return None
        address = address.replace(stand_in, "{" + name + "}")
    return address
