"""Numbers that are figures: found in the text with their words, read as the desk reads them, anchored exactly.

A figure runs from the words that qualify it (“only about”, “up to”) to the number with its currency, scale and
percent sign or hyphenated unit (“$5 million”, “21%”, “60-mile”). What is not a figure is left out: years and
dates, times, ages, ordinals (but an anniversary is a count of years), statute and section numbers, names and
identifiers, phone numbers (tables.py has every word these rules know).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..evidence.numbers import FRACTIONS, NotANumber, read_printed
from . import tables

_words = "|".join(sorted(map(re.escape, tables.QUALIFIERS), key=len, reverse=True))
_spelled = "|".join(sorted(map(re.escape, tables.SPELLED), key=len, reverse=True))
_indefinite = "|".join(sorted(map(re.escape, tables.INDEFINITE), key=len, reverse=True))
_scales = "|".join(tables.SCALES)
_hyphen_units = "|".join(tables.HYPHEN_UNITS)
_fractions = "|".join(sorted(FRACTIONS, key=len, reverse=True))
SPELLED_VALUES = dict(zip(tables.SPELLED[:19], range(1, 20), strict=True))  # “one” … “nineteen”
NUMBER = re.compile(
    rf"(?<![\w$.,/:-])(?:(?P<qualifier>{_words})\s+)?"
    rf"(?:(?P<indefinite>{_indefinite})\b"
    rf"|(?P<alone>a\s+(?:third|quarter|fifth|tenth)|half)\b(?!\s+a\s+(?:million|billion|thousand)|-)"
    rf"|(?P<money>US\s?\$|\$)?"
    rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_spelled})(?:[\s-](?:one|two|three|four|five|six|"
    rf"seven|eight|nine))?\b)"
    rf"(?P<fraction>[\s-](?:{_fractions})\b)?"
    rf"(?P<scale>\s?(?:{_scales})\b|\s?[MBK]\b(?!\.))?"
    rf"(?P<percent>\s?%|\s(?:percent|per cent)\b)?"
    rf"(?P<hyphen>-(?:{_hyphen_units})s?\b(?!-old))?)",
    re.IGNORECASE,
)
NOT_COUNTS = [
    tables.PHONE,
    tables.EMAIL,
    tables.WEB,
    # 8 U.S.C. 1324(a)(1); 21 U.S.C. 952 and 960
    re.compile(r"\d+\s+(?:U\.S\.C\.|C\.F\.R\.|USC|CFR)\s*§*\s*[\d()A-Za-z.]*(?:\s*(?:,|and|or)\s*\d[\d()A-Za-z.]*)*"),
    re.compile(r"\(\d+\)"),  # (1): a paragraph of a statute or a list
    # Street numbers: “1418 Calle Ignacio Mejía”, “200 E. Main Street”.
    re.compile(r"\b\d{1,5}\s+(?:Calle|Avenida|Av\.|Carretera|Boulevard)\b"),
    re.compile(
        r"\b\d{1,5}(?:\s+[A-Z][\w.]*){1,3}\s+(?:(?:Street|Avenue|Road|Boulevard|Drive|Lane|Way)\b|(?:St|Ave|Rd|Blvd)\.)"
    ),
]
NAMING = re.compile(
    r"(?:" + "|".join(sorted(map(re.escape, tables.NAMING_WORDS), key=len, reverse=True)) + r")\s*$", re.IGNORECASE
)
MONTH_BEFORE = re.compile(r"(?:" + "|".join(map(re.escape, tables.MONTHS)) + r")\s+$", re.IGNORECASE)


@dataclass
class Figure:
    start: int
    end: int
    as_printed: str
    value: Decimal | None
    qualifier: str
    unit: str
    period: str
    is_money: bool = False
    is_percent: bool = False
    change: dict = field(default_factory=dict)


def find_figures(text: str) -> list[Figure]:
    """Every figure of `text`, in order, each with its exact offsets."""
    figures = []
    # Phone numbers, addresses and citations hold digits that count nothing.
    taken = [span.span() for pattern in NOT_COUNTS for span in pattern.finditer(text)]
    consumed = 0
    for match in NUMBER.finditer(text):
        start, end = match.start(), match.end()
        if any(first <= match.start("number") < last for first, last in taken if match.group("number")):
            continue
        if match.group("qualifier") and _qualifier_is_not_one(text, match):
            start = match.start("indefinite") if match.group("indefinite") else _number_start(match)
        if match.start() < consumed:
            continue  # the denominator of a share already read (“1 in 5”)
        share = _share_after(text, match)
        if not share and _is_not_a_figure(text, match):
            continue
        if share:
            end = consumed = share
        as_printed = text[start:end].rstrip()
        end = start + len(as_printed)
        try:
            printed = read_printed(as_printed)
        except NotANumber:
            continue
        is_share = share or match.group("fraction") or match.group("alone")
        unit, period = ("ratio", "amount") if is_share else _unit_and_period(text, match, printed)
        figures.append(
            Figure(
                start=start,
                end=end,
                as_printed=as_printed,
                value=printed.value,
                qualifier=printed.qualifier,
                unit=unit,
                period=period,
                is_money=printed.is_money,
                is_percent=printed.is_percent,
            )
        )
    for match in tables.ANNIVERSARY.finditer(text):
        ordinal = match.group().split()[0]  # the number, not the noun: “third” of “third anniversary”
        value = _ORDINALS.get(ordinal.lower()) or Decimal(re.sub(r"\D", "", ordinal) or 0)
        figures.append(
            Figure(match.start(), match.start() + len(ordinal), ordinal, value, "exact", "years", "duration")
        )
    figures.sort(key=lambda figure: figure.start)
    _mark_changes(text, figures)
    return figures


_ORDINALS = {
    word: Decimal(number)
    for number, word in enumerate(
        ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"]
    )
    if word
}


SHARE = re.compile(rf"\s+in\s+(\d+|{_spelled})\b(?![,.]\d)", re.IGNORECASE)


def _share_after(text: str, match) -> int:
    """Where “1 in 5” ends, when the number is the first of a share; 0 otherwise (“2024 in 5 cities”, “300 in 12
    days”: the first number is the larger, so they are no share)."""
    if match.group("money") or match.group("percent") or match.group("hyphen") or match.group("scale"):
        return 0
    share = SHARE.match(text, match.end())
    if not share:
        return 0
    numerator, denominator = _count(match.group("number") or ""), _count(share.group(1))
    if denominator.isdigit() and len(denominator) == 4 and 1800 <= int(denominator) <= 2100:
        return 0  # “19 in 2019”: a count in a year
    if numerator.isdigit() and denominator.isdigit() and int(numerator) < int(denominator):
        return share.end()  # “1 in 5”, “one in four”
    return 0


def _count(number: str) -> str:
    """“4”, “four”, “1,500”: the digits of a whole number, or "" when it is none of these."""
    number = number.replace(",", "").lower()
    return number if number.isdigit() else str(SPELLED_VALUES.get(number, ""))


def _number_start(match) -> int:
    return match.start("money") if match.group("money") else match.start("number")


def _qualifier_is_not_one(text, match) -> bool:
    """Words that look like a qualifier but are not one here: “some hundreds” (“some” adds nothing), “over”
    before a span of time, where it means during (“spread over five years”), not more than, and a comparison
    (“far fewer than two years ago”)."""
    qualifier = match.group("qualifier").lower()
    if qualifier == "some" and match.group("indefinite"):
        return True
    spans_time = re.match(r"\s+(?:years?|months?|weeks?|days?|hours?|decades?)\b", text[match.end() :], re.I)
    # “far fewer than two years ago”: a comparison of something else with a time, not a qualifier of “two”.
    compares = re.search(r"\b(?:far|much|many|even|still)\s+$", text[max(0, match.start() - 12) : match.start()])
    if compares and qualifier in ("fewer than", "more than", "less than"):
        return True
    return qualifier == "over" and bool(spans_time)


def _is_not_a_figure(text: str, match) -> bool:
    number, end = match.group("number"), match.end()
    if match.group("indefinite"):
        return False
    if match.group("alone"):  # “a third of”, “nearly half”, “up from a quarter”; not “a third month”, “half the time”
        compared = re.search(r"\b(?:from|to|by|than)\s+$", text[max(0, match.start() - 8) : match.start()])
        return not (match.group("qualifier") or compared or re.match(r"\s+of\b", text[end:]))
    if match.group("money") or match.group("percent") or match.group("fraction"):
        return False
    number_start = match.start("number")
    before, after = text[max(0, number_start - 20) : number_start], text[end : end + 12]
    digits = number.replace(",", "")
    if digits.isdigit() and len(digits) == 4 and 1800 <= int(digits) <= 2100 and "," not in number:
        return not match.group("scale") and not match.group("hyphen")  # a year
    if NAMING.search(before) or MONTH_BEFORE.search(before):
        return True  # “Title 42”, “Section 212”, “June 4”
    if re.match(r"[(\w]|-\w|\s?(?:a\.m\.|p\.m\.|am\b|pm\b|st\b|nd\b|rd\b|th\b)|:\d|/\d|\.\d", after):
        return True  # 1324(a), a time, an ordinal, a fraction or an identifier
    if re.match(r"-year-old|\s+years?\s+old|-month-old", after, re.IGNORECASE):
        return True  # an age
    if re.match(r"\s+(?:in the (?:morning|afternoon|evening)|at night|o[’']clock)\b", text[end : end + 24]):
        return True  # a time of day: “eleven in the morning”
    small = digits.isdigit() and 1 <= int(digits) <= 12 and not match.group("qualifier") and not match.group("scale")
    if small and re.search(r"\bat\s+$", before) and re.match(r"\s*(?:[,.;]|and\b|$)", text[end : end + 6]):
        return True  # a time of day: “breakfast at 7, a clinic at 10”
    if re.search(r"[A-Z][\w’'-]+,\s*$", before) and re.match(r",", after):
        return True  # “Juan Pérez, 34, of Laredo”: an age
    if tables.AGE_BEFORE.search(text[max(0, match.start() - 30) : match.start()] + text[match.start() : number_start]):
        return True  # “children under 12”: an age
    if re.search(r"[A-Z][\w’'-]+,\s*$|\b(?:mother|father|wife|husband|son|daughter|sister|brother),\s*$", before) and (
        re.match(r",", after)
    ):
        return True  # “His mother, 71, speaks Mam”: an age
    wider = text[max(0, number_start - 40) : number_start]
    if re.search(r"\bage[sd]?\s+(?:from\s+)?\d+\s+(?:and|to|or|-)\s*$", wider, re.IGNORECASE):
        return True  # “ages 6 and 9”, “in age from 4 to 20”
    if re.search(r"\bin\s+age\s+from\s+$", before, re.IGNORECASE):
        return True
    if NAMING.search(re.sub(r"\s*\d+\s+(?:through|to|and|-|–)\s*$", " ", wider)) and re.search(
        r"\d\s+(?:through|to|and|-|–)\s*$", wider
    ):
        return True  # “Rooms 114 through 131”: the second number names a room too
    if re.search(r"\bage[sd]?\s+\d+\s+(?:and|to|or|-)\s*$", before, re.IGNORECASE):
        return True  # “ages 6 and 9”
    if re.search(r"(?:\(\d{3}\)\s?|\d{3}[-.\s])\d*$", before) or re.match(r"[-.]\d{3,4}", after):
        return True  # part of a phone number
    named = not match.group("qualifier") and not match.group("hyphen") and not _sentence_start(text, number_start)
    if number[0].isupper() and named:
        return True  # a name: “CBP One” (but “Six-Month” in a headline is a span of time)
    if number.lower() in ("one", "a") and not match.group("scale"):
        next_word = re.match(r"\s+([a-z]+)", text[end : end + 20])
        # “160 open family cases and one paralegal”: beside another count, it is one too.
        words_before = text[max(0, number_start - 50) : number_start]
        beside_a_count = re.search(r"\d[\d,]*\s+(?:[a-z]+\s+){1,3}(?:and|or)\s+$", words_before)
        return not (next_word and (next_word.group(1) in tables.UNITS or beside_a_count))  # “one of” is none
    return number[0].isupper() and named


def _sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip(" “\"‘'(")
    return not before or before[-1] in ".!?\n:•"


def _unit_and_period(text: str, match, printed) -> tuple[str, str]:
    end = match.end()
    after = text[end : end + 80]
    if printed.is_money:
        return "usd", "amount"
    if printed.is_percent:
        return "percent", "amount"
    if hyphen := match.group("hyphen"):
        return tables.HYPHEN_UNITS[hyphen[1:].lower().rstrip("s")]
    unit = ""
    for word in re.findall(r"[A-Za-z][\w-]*", after)[:4]:
        unit = _unit_of(word)
        if unit or word.lower() in ("per", "a", "each", "in", "on", "at", "since", "from", "to"):
            break
    sentence_start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start()))
    if not unit:  # “migrant encounters … only about 200 per day”: the noun before it
        for word in reversed(re.findall(r"[A-Za-z][\w-]*", text[sentence_start + 1 : match.start()])):
            if unit := _unit_of(word):
                break
    for pattern, period in tables.PERIODS:
        if pattern.search(after[:60]):
            return unit, period
    sentence = text[sentence_start + 1 : text.find(".", end) if text.find(".", end) != -1 else len(text)]
    if tables.TOTAL_WORDS.search(sentence):
        return unit, "total_to_date"
    return unit, "at_a_time"


def _unit_of(word: str) -> str:
    word = word.lower()
    for key in (word, word.removesuffix("s"), word.removesuffix("es"), word.removesuffix("ies") + "y"):
        if key in tables.UNITS:
            return tables.UNITS[key]
    return ""


def _mark_changes(text: str, figures: list[Figure]) -> None:
    """A percentage that states a change gets it: direction, and the earlier number after “from”."""
    for index, figure in enumerate(figures):
        if not figure.is_percent:
            continue
        before, after = text[max(0, figure.start - 25) : figure.start], text[figure.end : figure.end + 40]
        direction = ""
        for words in (before, after[:20]):
            if tables.CHANGE_DOWN.search(words):
                direction = "down"
            elif tables.CHANGE_UP.search(words):
                direction = "up"
            if direction:
                break
        if not direction:
            continue
        figure.change = {"direction": direction, "percent_as_printed": figure.as_printed}
        following = figures[index + 1] if index + 1 < len(figures) else None
        if following and re.fullmatch(r"\s+(?:\w+\s+){0,3}?from\s+", text[figure.end : following.start]):
            figure.change |= {"from_as_printed": following.as_printed, "from_value": following.value}
