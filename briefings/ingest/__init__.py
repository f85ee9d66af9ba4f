"""The ingest assistant: a report's text in, proposals out, each anchored to character offsets of that text.

`propose(document, directory)` gives `{"source": …, "proposals": […]}`: figures (figures.py), reward offers
(offers.py), quotes (quotes.py), and the organizations, people and places named (names.py), each with `kind`,
`start`, `end` and `sentence` (the whole sentences around it, as the desk's rules want them). Nothing is saved
here; the rules it follows are tables.py's. The admin's review page and `manage.py ingest_report` call it.
"""

import datetime
import re

from ..evidence.sentences import sentence_around
from .documents import Document
from .figures import find_figures
from .names import Directory, find_names
from .offers import find_offers
from .quotes import find_quotes

ATTRIBUTION = re.compile(
    r"(?:,\s*|\s)(?:(?P<who>[A-Za-z][\w .’'-]{0,80}?)\s+said|according to\s+(?P<source>[^.,;]{2,80}))[.,;]?\s*$"
)


def propose(document: Document, directory: Directory | None = None) -> dict:
    text, directory = document.text, directory or Directory()
    figures = find_figures(text)
    organizations = directory.names("organization") + [
        alias for known in directory.records if known.kind == "organization" for alias in known.aliases
    ]
    quotes = find_quotes(text, organizations=organizations, people=directory.names("person"))
    speakers = {quote.speaker for quote in quotes if quote.speaker_kind == "person"}
    names = find_names(text, directory, speakers=speakers)
    proposals = []
    for figure in figures:
        sentence = _sentence(text, figure.start, figure.end)
        proposal = {
            "kind": "figure",
            "start": figure.start,
            "end": figure.end,
            "sentence": sentence,
            "as_printed": figure.as_printed,
            "value": _number(figure.value),
            "qualifier": figure.qualifier,
            "unit": figure.unit,
            "period": figure.period,
            "place": _nearest(names, "place", text, figure.start),
            "said_by": _said_by(sentence),
            "date": _date_described(sentence, document.published_on),
        }
        if figure.change:
            proposal["change"] = {key: _number(value) for key, value in figure.change.items()}
        proposals.append(proposal)
    for offer in find_offers(text, figures):
        proposals.append(
            {
                "kind": "reward_offer",
                "start": offer.start,
                "end": offer.end,
                "sentence": _sentence(text, offer.start, offer.end),
                "as_printed": offer.as_printed,
                "amount": _number(offer.amount),
                "is_ceiling": offer.is_ceiling,
                "criterion": offer.criterion,
                "target": _target(names, offer, text),
                "program": offer.program,
                "tip_channels": [{"kind": c["kind"], "value": c["value"]} for c in offer.tip_channels],
            }
        )
    for quote in quotes:
        proposals.append(
            {
                "kind": "quote",
                "start": quote.start,
                "end": quote.end,
                "sentence": _sentence(text, quote.start, quote.end),
                "text": quote.text,
                "speaker": quote.speaker,
                "speaker_kind": quote.speaker_kind,
            }
        )
    for name in names:
        proposals.append(
            {
                "kind": name.kind,
                "start": name.start,
                "end": name.end,
                "sentence": _sentence(text, name.start, name.end),
                "name": name.name,
                "existing": name.existing,
            }
        )
    proposals.sort(key=lambda proposal: (proposal["start"], proposal["kind"]))
    return {"source": document.as_json(), "proposals": proposals}


def _sentence(text, start, end) -> str:
    begin, finish = sentence_around(text, start, end)
    return text[begin:finish]


def _number(value):
    if value is None or isinstance(value, str | bool):
        return value
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _nearest(names, kind, text, position) -> str | None:
    """The record of `kind` named closest to `position` in its sentence."""
    begin, finish = sentence_around(text, position, position)
    candidates = [name for name in names if name.kind == kind and begin <= name.start < finish]
    if not candidates:
        return None
    best = min(candidates, key=lambda name: abs(name.start - position))
    return best.existing or best.name


def _target(names, offer, text) -> str | None:
    clause_end = offer.criterion_start + len(offer.criterion)
    for name in names:
        if name.kind == "organization" and offer.criterion_start <= name.start < clause_end:
            return name.existing or name.name
    return None


def _said_by(sentence: str) -> str:
    match = ATTRIBUTION.search(sentence.rstrip('”"'))
    if not match:
        return ""
    return (match.group("who") or match.group("source") or "").strip()


MONTH_IN = re.compile(
    r"\b(?:in|during|for|since|through)\s+(?P<month>January|February|March|April|May|June|July|August|September|"
    r"October|November|December)(?:\s+(?P<year>\d{4}))?\b"
)
MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"]
    )
    if name
}  # fmt: skip


def _date_described(sentence: str, report_date) -> dict | None:
    """The month a figure describes (“in July”, “in June 2024”): its first and last day, and whether the year was
    inferred from the report's date (the latest such month not after it)."""
    match = MONTH_IN.search(sentence)
    if not match:
        return None
    month = MONTH_NUMBERS[match.group("month")]
    if match.group("year"):
        year, inferred = int(match.group("year")), False
    elif report_date:
        year, inferred = report_date.year - (1 if month > report_date.month else 0), True
    else:
        return None
    try:
        first = datetime.date(year, month, 1)
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    except (ValueError, OverflowError):  # a year the calendar does not hold (“December 9999”, “year 0”)
        return None
    return {"start": first.isoformat(), "end": last.isoformat(), "is_inferred": inferred}
