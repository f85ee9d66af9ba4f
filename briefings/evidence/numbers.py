"""Read a number as a report prints it: “About 3,000”, “Up to $5 million”, “two dozen”, “21%”, “a few hundred”.

`read_printed()` gives the value (scaled: “$8 million” is 8,000,000; a share, “1 in 5”, is 0.2), the qualifier the
words state, and whether it is money or a percentage; it raises `NotANumber`, saying why, for text it cannot read
as one number. The figure rules (briefings/evidence/rules.py) compare what it reads with what the desk typed.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Qualifier(models.TextChoices):
    """How a report qualifies a number: the words before it (QUALIFIERS)."""

    EXACT = "exact", gettext_lazy("exactly")
    ABOUT = "about", gettext_lazy("about")
    ONLY_ABOUT = "only_about", gettext_lazy("only about")
    NEARLY = "nearly", gettext_lazy("nearly")
    OVER = "over", gettext_lazy("over")
    FEWER_THAN = "fewer_than", gettext_lazy("fewer than")
    UP_TO = "up_to", gettext_lazy("up to")
    AT_LEAST = "at_least", gettext_lazy("at least")
    INDEFINITE = "indefinite", gettext_lazy("indefinite (no number stated)")


class NotANumber(ValueError):
    """The text is not one number as a report prints it; the message says why."""


@dataclass(frozen=True)
class PrintedNumber:
    value: Decimal | None  # None: no number is stated (“hundreds”, “a few hundred”)
    qualifier: str  # a Qualifier value
    is_money: bool = False
    is_percent: bool = False


# The words before a number that qualify it, longest first, with the Qualifier each states.
QUALIFIERS = [
    ("only about", "only_about"),
    ("only around", "only_about"),
    ("just about", "only_about"),
    ("approximately", "about"),
    ("an estimated", "about"),
    ("roughly", "about"),
    ("around", "about"),
    ("about", "about"),
    ("some", "about"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("close to", "nearly"),
    ("more than", "over"),
    ("over", "over"),
    ("above", "over"),
    ("fewer than", "fewer_than"),
    ("less than", "fewer_than"),
    ("under", "fewer_than"),
    ("below", "fewer_than"),
    ("up to", "up_to"),
    ("as many as", "up_to"),
    ("as much as", "up_to"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("no less than", "at_least"),
    ("no more than", "up_to"),
    ("exactly", "exact"),
]
# “three-quarters”, “two thirds”: the denominators of a fraction printed in words.
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
}  # fmt: skip
FRACTION = re.compile(r"[\s-](" + "|".join(sorted(FRACTIONS, key=len, reverse=True)) + r")\b")
# Words that leave the number as it is (“a total of 300”, “only 50”).
NEUTRAL = ["a total of", "only", "just"]

ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15, "twentieth": 20, "twenty-fifth": 25,
    "thirtieth": 30, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "k": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "mln": 1_000_000,
    "bn": 1_000_000_000,
    "b": 1_000_000_000,
}
# Amounts a report gives without a number: the figure is “indefinite”.
INDEFINITE = re.compile(
    r"(?:tens|hundreds)\s+of\s+(?:thousands|millions)\b"
    r"|(?:a\s+few|several|many|some)?\s*(?:dozens|scores|hundreds|thousands|millions|billions)\b"
    r"|(?:a\s+few|several)\s+(?:dozen|hundred|thousand|million|billion)\b"
    r"|(?:a\s+handful|a\s+few|several|many|numerous|countless)\b"
)

DIGITS = re.compile(r"\d[\d,.]*")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


def read_printed(text: str) -> PrintedNumber:
    """The number `text` prints, with its qualifier. Words after the number (“60-mile”, “migrants”) are allowed."""
    words = SPACES.sub(" ", text.replace("\u2011", "-")).strip().lower()
    if not words:
        raise NotANumber(_("It is empty."))
    qualifier, words = _qualifier(words)
    is_money = False
    if match := re.match(r"(?:us\s?\$|\$|usd\s)\s?", words):
        is_money, words = True, words[match.end() :]
    if INDEFINITE.match(words) and not re.match(r"(?:a\s+few|several)\s+(?:dozen|hundred|thousand)\s+\d", words):
        if qualifier not in ("exact", "about"):
            raise NotANumber(_("It names no number, so it cannot be qualified as it is."))
        return PrintedNumber(value=None, qualifier="indefinite", is_money=is_money)
    value, rest = _number(words)
    if fraction := FRACTION.match(rest):  # “three-quarters”: a share, its value the fraction, as “1 in 5” is
        value = (value / FRACTIONS[fraction.group(1)]).quantize(Decimal("0.0001")).normalize()
        rest = rest[fraction.end() :]
    rest = rest.lstrip()
    is_percent = False
    if match := re.match(r"(?:%|percent\b|per\s?cent\b)", rest):
        is_percent, rest = True, rest[match.end() :]
    if re.match(r"dollars\b", rest):
        is_money = True
    ones = "|".join(sorted(ONES, key=len, reverse=True))
    ratio = re.match(rf"in\s+(\d{{1,3}}(?:,\d{{3}})*|\d+|{ones})\b", rest) if not (is_money or is_percent) else None
    denominator = Decimal(ONES.get(ratio.group(1), 0) or ratio.group(1).replace(",", "")) if ratio else None
    if ratio and value < denominator:
        # “1 in 5”, “one in four”: a share, its value the fraction (to four places, as figures are stored).
        # “300 in 12 days” is no share: 300, over 12 days.
        value = (value / denominator).quantize(Decimal("0.0001")).normalize()
        rest = rest[ratio.end() :]
    if _starts_another_number(rest):
        raise NotANumber(_("It holds more than one number; a figure is one number."))
    return PrintedNumber(value=value, qualifier=qualifier, is_money=is_money, is_percent=is_percent)


def _qualifier(words: str) -> tuple[str, str]:
    for phrase in NEUTRAL:
        if words.startswith(phrase + " ") and not any(words.startswith(q + " ") for q, _v in QUALIFIERS):
            words = words[len(phrase) + 1 :]
            break
    for phrase, qualifier in QUALIFIERS:
        if words.startswith(phrase + " ") or words.startswith(phrase + "$"):
            return qualifier, words[len(phrase) :].lstrip()
    return "exact", words


def _number(words: str) -> tuple[Decimal, str]:
    """The number at the start of `words` (digits or words, with a scale word after it) and what follows."""
    if match := DIGITS.match(words):
        value, rest = _digits(match.group().rstrip(".,")), words[len(match.group().rstrip(".,")) :]
    else:
        value, rest = _spelled(words)
    # A scale after it: “8 million”, “$2M”, “1.5 billion”, “two dozen” (handled in _spelled), “60-mile”.
    if match := re.match(r"[\s-]?(hundred|thousand|million|billion|trillion|k|mn|mln|m|bn|b)\b", rest):
        value *= SCALES[match.group(1)]
        rest = rest[match.end() :]
        if match := re.match(r"[\s-]?(thousand|million|billion)\b", rest):  # “a hundred thousand”
            value *= SCALES[match.group(1)]
            rest = rest[match.end() :]
    return value, rest


def _digits(text: str) -> Decimal:
    """“3,000”, “1.5”, “46,666”, “2,000.50”; refuses “3,00” and “30,00,0”."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", text):
        return Decimal(text.replace(",", ""))
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", text):
        raise NotANumber(
            _("“%(text)s” is not a number: a thousands separator must be followed by exactly three digits.")
            % {"text": text}
        )
    raise NotANumber(_("“%(text)s” is not a number as printed.") % {"text": text})


def _spelled(words: str) -> tuple[Decimal, str]:
    """“five”, “twenty-five”, “two dozen”, “a dozen”, “a hundred”, “a million”, “half a million”, “third”."""
    if match := re.match(r"(?:a\s+|one\s+)?dozen\b", words):
        return Decimal(12), words[match.end() :]
    if match := re.match(r"half\s+a\s+(million|billion|thousand)\b", words):
        return Decimal(SCALES[match.group(1)]) / 2, words[match.end() :]
    if match := re.match(r"an?\s+(?=(hundred|thousand|million|billion)\b)", words):
        return Decimal(1), words[match.end() :]
    # “a third”, “a quarter”, “half”: a share of one, as “1 in 3” is (four places, as figures are stored).
    if match := re.match(r"(?:a\s+(third|quarter|fifth|sixth|eighth|tenth)|(half))\b(?!-)", words):
        share = (Decimal(1) / FRACTIONS[match.group(1) or match.group(2)]).quantize(Decimal("0.0001")).normalize()
        return share, words[match.end() :]
    ordinal = "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True))
    if match := re.match(rf"({ordinal})\b", words):
        return Decimal(ORDINALS[match.group(1)]), words[match.end() :]
    tens, ones = "|".join(TENS), "|".join(sorted(ONES, key=len, reverse=True))
    match = re.match(rf"(?:({tens})(?:[\s-]({ones}))?|({ones}))\b", words)
    if not match:
        raise NotANumber(_("No number is printed at its start (digits, or words such as “five” or “two dozen”)."))
    value = TENS.get(match.group(1), 0) + ONES.get(match.group(2) or "", 0) + ONES.get(match.group(3) or "", 0)
    rest = words[match.end() :]
    if dozen := re.match(r"\s+dozen\b", rest):
        return Decimal(value * 12), rest[dozen.end() :]
    return Decimal(value), rest


def _starts_another_number(rest: str) -> bool:
    """Whether what follows the number holds another (“200 to 300”), not counting words such as “60-mile”."""
    return bool(re.match(r"\s*(?:-|to|and|or|–|—)?\s*\$?\d", rest))
