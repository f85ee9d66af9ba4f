"""Dates: `django.utils.dateformat.format()` with each format split once."""

import datetime
import functools

from django.utils import dateformat


def date_format(value, format_string) -> str:
    """`django.utils.dateformat.format(value, format_string)`, which splits the format with a regular expression
    on every call (a briefing's page formats some fifty dates); here each format is split once."""
    pieces, has_time = _date_pieces(str(format_string))
    if has_time and type(value) is datetime.date:
        return dateformat.format(value, format_string)  # to fail as Django does: a date has no time of day
    formatter = dateformat.DateFormat(value)
    return "".join([str(getattr(formatter, piece)()) if is_code else piece for is_code, piece in pieces])


@functools.lru_cache(maxsize=256)
def _date_pieces(format_string):
    """The format split as `Formatter.format()` splits it: (True, a format character) or (False, literal text);
    and whether it asks for a time of day."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if index % 2:
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, dateformat.re_escaped.sub(r"\1", piece)))
    has_time = any(is_code and hasattr(dateformat.TimeFormat, piece) for is_code, piece in pieces)
    return tuple(pieces), has_time
