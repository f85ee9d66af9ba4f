"""Numbers: Django's `intcomma` for whole numbers, with the language's separator looked up once per call, and its
`floatformat` for whole numbers shown without decimals."""

import functools
from decimal import Decimal

from django.conf import settings
from django.contrib.humanize.templatetags import humanize
from django.template import defaultfilters
from django.utils import formats, translation
from django.utils.safestring import mark_safe


def intcomma(value, language=None) -> str:
    """`django.contrib.humanize`'s `intcomma(value)` in `language` (the active one when None). Django's asks the
    active language and three formats, then groups the digits in Python, for each number: the encounters page
    prints some 120. A whole number in a language that groups digits by threes is written by Python's own
    grouping with the language's separator; anything else (a decimal, text, another grouping) goes to Django."""
    if type(value) is int:
        grouping_language = language or translation.get_language()
        if formats.get_format("NUMBER_GROUPING", grouping_language) == 3:
            separator = formats.get_format("THOUSAND_SEPARATOR", grouping_language)
            text = f"{value:,}"
            return text if separator == "," else text.replace(",", separator)
    if language and language != translation.get_language():
        with translation.override(language):
            return humanize.intcomma(value)
    return humanize.intcomma(value)


def floatformat(value, arg=-1):
    """Django's `floatformat` filter. A whole number (an int, or a Decimal with nothing after the point) asked for
    with no decimals unless it has some (`"-4"`, `"-2u"`, `0`) and no grouping is its digits, as Django writes it
    when no thousands separator is in use: Django gets there through Decimal arithmetic, the active language and
    three formats, for each of the ~50 figures' numbers a briefing's page prints. Anything else goes to Django."""
    whole = type(value) is int or (type(value) is Decimal and value.is_finite() and value == value.to_integral_value())
    if whole and not settings.USE_THOUSAND_SEPARATOR:
        precision = _precision(arg)
        if precision is not None and precision <= 0:
            return mark_safe(str(int(value)))
    return defaultfilters.floatformat(value, arg)


@functools.lru_cache(maxsize=64)
def _precision(arg):
    """The number of decimals `floatformat`'s argument asks for, or None when it asks for grouping or is not one."""
    if isinstance(arg, str):
        if arg.endswith("g") or arg[-2:] == "ug":
            return None
        if arg.endswith("u"):
            arg = arg[:-1] or -1
    try:
        return int(arg)
    except (TypeError, ValueError):
        return None
