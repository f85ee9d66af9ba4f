"""The addresses of the desk's pages by URL name and slugs: what `reverse()` gives, reversed once per URL.

A briefing page links to some 160 records, and search shows up to a page of results, each through a model's
`get_absolute_url()`. `reverse()` matches the URL's pattern anew each time: a tenth of a briefing page's profile,
and the largest part of what a search result cost in Python. Here each URL is reversed once, with stand-in slugs,
into a template that later slugs are put into. It is remembered for what `reverse()` depends on: the URL prefix the
site is mounted under, the URLconf and the language. A slug the `slug` path converter would not take is left to
`reverse()`, to fail as it would.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils.translation import get_language

# What the `slug` path converter accepts; a stand-in of that form is put in the place of each slug.
_SLUG = re.compile(SlugConverter.regex)
_STAND_IN = "address-stand-in-{}-"
_templates = {}


def page_address(viewname, **slugs):
    """`reverse(viewname, kwargs=slugs)`, for URLs whose arguments are all slugs."""
    key = (viewname, *slugs, get_script_prefix(), get_urlconf(settings.ROOT_URLCONF), get_language())
    try:
        template = _templates[key]
    except KeyError:
        template = _templates[key] = _template(viewname, list(slugs))
    if template is None or not all(isinstance(slug, str) and _SLUG.fullmatch(slug) for slug in slugs.values()):
        return reverse(viewname, kwargs=slugs)
    return template.format_map(slugs)


def _template(viewname, names):
    """The URL with `{name}` in the place of each slug, or None if a stand-in does not show in it exactly once."""
    stand_ins = {name: _STAND_IN.format(number) for number, name in enumerate(names)}
    address = reverse(viewname, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, stand_in in stand_ins.items():
        if address.count(stand_in) != 1:
            return None
        address = address.replace(stand_in, "{" + name + "}")
    return address
