"""The rules every figure, quote and sourced passage obeys, in one place: the admin, `load_initial_data` and the
ingest path all reach them through the models' `clean()`.

- A passage quoted from a source is in it word for word, and in whole words (“quiet” is not in “quieter”); if
  not, the error shows the closest passage and each character that differs (verbatim.py), and carries that
  passage so the admin can offer it in one click.
- A source sentence (or a quote's context) is one or more whole sentences of the source (sentences.py).
- A figure's number is its words: what `as_printed` reads as (numbers.py) is its value and its qualifier, money is
  in dollars, a percentage is a percentage, and `as_printed` lies inside the source sentence.
- A change a figure states (“down 21% from 46,666”) is its words too: the earlier number and the percentage read
  as their values and lie inside the sentence, and, where the figure's own number is the later one, the direction
  and the percentage agree with the two numbers (to the precision printed).
- A quote lies inside its context.

Each function returns {field name: ValidationError}, empty when all is well.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .numbers import NotANumber, Qualifier, read_printed
from .sentences import is_whole_sentences
from .verbatim import compare, find_whole_words

NOT_VERBATIM = "not_verbatim"


def passage_errors(*, field: str, text: str, source, whole_sentences: bool = False) -> dict:
    """`text` (of `field`) is word for word in `source`'s full text, and with `whole_sentences` is whole
    sentences of it."""
    if not text or source is None:
        return {}
    full_text = source.full_text
    if find_whole_words(text, full_text) is None:
        mismatch = compare(text, full_text)
        message = _("This must be a verbatim passage of the source “%(source)s”.") % {"source": source}
        # The message is complete; its params (the passage, for the admin's button) are not to be formatted in.
        return {
            field: ValidationError(
                f"{message} {mismatch.message()}".replace("%", "%%"),
                code=NOT_VERBATIM,
                params={"passage": mismatch.passage or ""},
            )
        }
    if whole_sentences and not is_whole_sentences(text, full_text):
        return {
            field: ValidationError(
                _(
                    "This must be one or more whole sentences of the source, from the first word of a sentence to "
                    "its closing punctuation."
                ),
                code="not_whole_sentences",
            )
        }
    return {}


def figure_errors(*, value_as_printed: str, value, qualifier: str, unit: str, source_sentence: str) -> dict:
    """The number as printed agrees with the value, qualifier and unit, and lies inside the source sentence."""
    errors = {}
    if value_as_printed and source_sentence and value_as_printed not in source_sentence:
        errors["value_as_printed"] = ValidationError(
            _("The number as printed must appear in the source sentence."), code="not_in_sentence"
        )
    if not value_as_printed:
        return errors
    try:
        printed = read_printed(value_as_printed)
    except NotANumber as error:
        return errors | {"value_as_printed": _not_a_number(value_as_printed, error)}
    if printed.value is None:
        if qualifier != "indefinite":
            errors["qualifier"] = ValidationError(
                _("“%(printed)s” states no number: choose “indefinite” and leave the value empty.")
                % {"printed": value_as_printed},
                code="qualifier_not_printed",
            )
        return errors
    if value is not None and Decimal(value) != printed.value:
        errors["value"] = _value_not_printed(value_as_printed, printed.value, value)
    if qualifier and qualifier != printed.qualifier:
        errors["qualifier"] = ValidationError(
            _("“%(printed)s” is qualified “%(printed_qualifier)s”, but the qualifier chosen is “%(qualifier)s”.")
            % {
                "printed": value_as_printed,
                "printed_qualifier": Qualifier(printed.qualifier).label,
                "qualifier": Qualifier(qualifier).label if qualifier in Qualifier.values else qualifier,
            },
            code="qualifier_not_printed",
        )
    if printed.is_money and unit and unit != "usd":
        errors["unit"] = ValidationError(
            _("“%(printed)s” is an amount of money: the unit is US dollars.") % {"printed": value_as_printed},
            code="unit_not_printed",
        )
    if printed.is_percent and unit and unit != "percent":
        errors["unit"] = ValidationError(
            _("“%(printed)s” is a percentage: the unit is percent.") % {"printed": value_as_printed},
            code="unit_not_printed",
        )
    return errors


def change_errors(
    *,
    value,
    unit: str,
    direction: str,
    from_as_printed: str,
    from_value,
    percent_as_printed: str,
    percent,
    source_sentence: str,
) -> dict:
    """The change a figure states: direction, the earlier number (`from_*`) and the percentage, each as printed
    and as a value. The figure's own `value` is the later number, unless its unit is percent (then the figure is
    the percentage, and the earlier number is of another unit)."""
    if not (direction or from_as_printed or from_value is not None or percent_as_printed or percent is not None):
        return {}
    errors = {}
    if not direction:
        errors["change_direction"] = ValidationError(
            _("Say which way it changed, or leave every change field empty."), code="change_without_direction"
        )
    errors |= _printed_part(
        "change_from", from_as_printed, from_value, source_sentence, percent_expected=False
    ) | _printed_part("change_percent", percent_as_printed, percent, source_sentence, percent_expected=True)
    if errors or unit == "percent" or value is None or from_value is None:
        return errors
    value, from_value = Decimal(value), Decimal(from_value)
    actual = "up" if value > from_value else "down" if value < from_value else "unchanged"
    if direction != actual:
        errors["change_direction"] = ValidationError(
            _("From %(earlier)s to %(later)s is %(actual)s, not %(direction)s.")
            % {"earlier": _plain(from_value), "later": _plain(value), "actual": _(actual), "direction": _(direction)},
            code="change_direction_wrong",
        )
    if percent is not None and from_value:
        exact = abs(value - from_value) / from_value * 100
        percent = Decimal(percent)
        # “21%” for 21.4% or 20.6% (rounded) or 21.9% (cut short): within one unit of the last digit printed.
        last_digit = Decimal(1).scaleb(min(0, read_printed(percent_as_printed).value.normalize().as_tuple().exponent))
        if abs(exact - percent) >= last_digit:
            errors["change_percent"] = ValidationError(
                _("From %(earlier)s to %(later)s is a change of %(exact)s%%, not %(percent)s%%.")
                % {
                    "earlier": _plain(from_value),
                    "later": _plain(value),
                    "exact": _plain(exact.quantize(Decimal("0.1"))),
                    "percent": _plain(percent),
                },
                code="change_percent_wrong",
            )
    return errors


def _printed_part(prefix: str, as_printed: str, value, source_sentence: str, *, percent_expected: bool) -> dict:
    """One number of a change: given as printed and as a value together, read as that value, inside the sentence."""
    printed_field, value_field = f"{prefix}_as_printed", f"{prefix}_value" if prefix == "change_from" else prefix
    if not as_printed and value is None:
        return {}
    if not as_printed:
        return {printed_field: ValidationError(_("Give the number as printed too."), code="change_not_printed")}
    if source_sentence and as_printed not in source_sentence:
        return {
            printed_field: ValidationError(
                _("“%(printed)s” must appear in the source sentence.") % {"printed": as_printed},
                code="not_in_sentence",
            )
        }
    try:
        printed = read_printed(as_printed)
    except NotANumber as error:
        return {printed_field: _not_a_number(as_printed, error)}
    if printed.value is None:
        return {printed_field: ValidationError(_("“%(printed)s” states no number.") % {"printed": as_printed})}
    if percent_expected and not printed.is_percent:
        return {
            printed_field: ValidationError(
                _("“%(printed)s” is not a percentage.") % {"printed": as_printed}, code="unit_not_printed"
            )
        }
    if value is None:
        return {value_field: ValidationError(_("Enter the value of “%(printed)s”.") % {"printed": as_printed})}
    if Decimal(value) != printed.value:
        return {value_field: _value_not_printed(as_printed, printed.value, value)}
    return {}


def quote_errors(*, text: str, context: str) -> dict:
    if text and context and text not in context:
        return {
            "context": ValidationError(
                _("The context must hold the quote’s exact words."), code="quote_not_in_context"
            )
        }
    return {}


def _not_a_number(as_printed: str, error: NotANumber) -> ValidationError:
    return ValidationError(
        _("“%(printed)s” cannot be read as a number: %(why)s") % {"printed": as_printed, "why": error},
        code="not_a_number",
    )


def _value_not_printed(as_printed: str, printed_value: Decimal, value) -> ValidationError:
    return ValidationError(
        _("“%(printed)s” is %(printed_value)s, but the value is %(value)s.")
        % {"printed": as_printed, "printed_value": _plain(printed_value), "value": _plain(Decimal(value))},
        code="value_not_printed",
    )


def _plain(value: Decimal) -> str:
    """3000 as “3,000”, 1.5 as “1.5”: the value as a reader would read it."""
    normalized = value.normalize()
    places = max(0, -normalized.as_tuple().exponent)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
