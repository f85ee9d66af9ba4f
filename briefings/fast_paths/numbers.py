"""Numbers: Django's `intcomma` for whole numbers, with the language's separator looked up once per call."""

from django.contrib.humanize.templatetags import humanize
from django.utils import formats, translation


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
