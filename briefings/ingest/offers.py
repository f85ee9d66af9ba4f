"""Reward offers: an amount of money offered for something, with what it is for and how to send a tip.

An amount is an offer when the words after it say what it is for (“for information leading to …”) and the
paragraph speaks of a reward, or someone is “offering” it for information; “up to” (or “as much as”, “could
reach”) makes it a ceiling. “$8 million in reward funds” is the sum of several offers: a figure, not an offer.
The criterion runs from “for” to the end of its clause, as printed. An amount in pesos is not read as an offer
(the desk's offers are in dollars): the reviewer adds it by hand.
"""

import re
from dataclasses import dataclass, field

from . import tables
from .figures import Figure

CEILINGS = {"up_to"}
TIP_DISTANCE = 1500  # characters between an offer and a tip channel given for it
# Where a criterion ends: the end of its sentence, a semicolon, or a line break.
CLAUSE_END = re.compile(r"(?:[.;](?=\s|$)|\n)")


@dataclass
class Offer:
    start: int
    end: int
    as_printed: str
    amount: object
    is_ceiling: bool
    criterion: str
    criterion_start: int
    program: str = ""
    tip_channels: list[dict] = field(default_factory=list)


def find_offers(text: str, figures: list[Figure]) -> list[Offer]:
    offers = []
    for figure in figures:
        if not figure.is_money or figure.value is None:
            continue
        after = text[figure.end :]
        if tables.REWARD_TOTAL.match(after):
            continue
        criterion = tables.CRITERION_START.match(after)
        paragraph = _paragraph(text, figure.start)
        if criterion is None:
            continue
        criterion_start = figure.end + criterion.end()
        speaks_of_rewards = tables.REWARD_WORDS.search(text[paragraph[0] : figure.start] + after[:200])
        offered_for_information = tables.OFFERED_BEFORE.search(text[paragraph[0] : figure.start]) and (
            tables.FOR_INFORMATION.match(text, criterion_start)
        )
        if not (speaks_of_rewards or offered_for_information or _in_a_list_about_rewards(text, paragraph[0])):
            continue
        clause_end = CLAUSE_END.search(text, criterion_start)
        criterion_end = clause_end.start() if clause_end else len(text)
        offers.append(
            Offer(
                start=figure.start,
                end=figure.end,
                as_printed=figure.as_printed,
                amount=figure.value,
                is_ceiling=figure.qualifier in CEILINGS
                or bool(tables.CEILING_BEFORE.search(text[max(0, figure.start - 30) : figure.start])),
                criterion=text[criterion_start:criterion_end].strip(),
                criterion_start=criterion_start,
            )
        )
    programs = [match.group() for match in tables.PROGRAM_NAME.finditer(text)]
    channels = tip_channels(text)
    for offer in offers:
        offer.program = _nearest_before(programs, text, offer.start)
        # The channels given near the offers (not, say, the reporter's address at the end).
        offer.tip_channels = [c for c in channels if abs(c["start"] - offer.start) <= TIP_DISTANCE]
    return offers


def tip_channels(text: str) -> list[dict]:
    """The phone numbers, web addresses and email addresses the text gives, once each, in order."""
    found, seen = [], set()
    emails = [match.span() for match in tables.EMAIL.finditer(text)]
    for kind, pattern in (("phone", tables.PHONE), ("email", tables.EMAIL), ("web", tables.WEB)):
        for match in pattern.finditer(text):
            value = match.group().rstrip(".")
            if kind == "web" and any(first <= match.start() < last for first, last in emails):
                continue
            if tables.NOT_FOR_TIPS.search(text[max(0, match.start() - 40) : match.start()]):
                continue
            if value not in seen:
                seen.add(value)
                found.append({"kind": kind, "value": value, "start": match.start(), "end": match.start() + len(value)})
    return sorted(found, key=lambda channel: channel["start"])


def _paragraph(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n\n", 0, position)
    end = text.find("\n\n", position)
    return (0 if start == -1 else start + 2), (len(text) if end == -1 else end)


def _in_a_list_about_rewards(text: str, paragraph_start: int) -> bool:
    """A bulleted item under a paragraph about rewards (“Rewards are being offered for:”)."""
    before = text[max(0, paragraph_start - 600) : paragraph_start]
    return bool(tables.REWARD_WORDS.search(before))


def _nearest_before(names: list[str], text: str, position: int) -> str:
    best = ""
    for name in names:
        index = text.find(name)
        if index != -1 and (index < position or not best):
            best = name
    return best
