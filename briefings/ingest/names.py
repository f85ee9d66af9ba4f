"""Organizations, people and places: matched to the desk's records by name, acronym or a near spelling, or
proposed as new.

The desk's names become phrase patterns (spaCy's PhraseMatcher on a blank English pipeline, so a name is found
whole, at token boundaries). A run of capitalized words the desk does not know is compared with its names by
rapidfuzz (“State Departement” is the State Department); failing that it is proposed as new, as an organization
when its words say so (tables.ORGANIZATION_WORDS), a person when a title or a speech verb stands beside it, a place
after “in”, “from”, “near” or “across”.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from . import tables
from .people import name_without_titles

NEAR_MATCH = 88  # rapidfuzz ratio from which a name is taken for one the desk knows
CAPITALIZED_RUN = re.compile(
    r"\b[A-Z][\w’'-]*(?:\.(?=[A-Z]))?(?:[ \t]+(?:of|del|de|la|for|the|on)[ \t]+[A-Z][\w’'-]*|[ \t]+[A-Z][\w’'-]*)*"
)
AFTER_PERSON = re.compile(r"^(?:,\s+(?:who|a|an|the)\b|\s+(?:said|says|told|added|wrote))")
PLACE_BEFORE = re.compile(r"\b(?:in|from|near|across|to|into|at|through|outside|along)\s+$")
TITLES = (r"(?:Pastor|President|Secretary|Attorney General|Director|Commissioner|Mayor|Sen\.|Rep\.|Gov\.|Judge|"
          r"Agent|Chief|Sheriff|Dr\.|Mr\.|Ms\.|Mrs\.|Rev\.)")  # fmt: skip
TITLE_BEFORE = re.compile(rf"\b{TITLES}\s+$")
TITLE_FIRST = re.compile(rf"^{TITLES}\s+[A-Z]")
COMMON_STARTS = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Since", "Under", "During", "Now", "This", "That", "It", "He",
    "She", "They", "We", "I", "You", "To", "For", "With", "After", "Before", "When", "Information", "Rewards",
    "Certainly", "Because", "Haitian", "Mexican", "Colombian", "Catholic", "Border", "Joint", "Deputy", "Senior",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Up", "Over",
    "About", "More", "Nearly", "Fewer", "Only", "U.S.", "Call", "Anyone", "Officials", "Agents", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
}  # fmt: skip


@dataclass(frozen=True)
class Known:
    kind: str  # organization, person, place
    name: str
    slug: str
    aliases: tuple[str, ...] = ()


@dataclass
class Directory:
    """The desk's records that text may name."""

    records: list[Known] = field(default_factory=list)

    def names(self, kind: str) -> list[str]:
        return [record.name for record in self.records if record.kind == kind]


@dataclass
class Name:
    kind: str
    start: int
    end: int
    name: str
    existing: str | None  # the matched record's slug


def find_names(text: str, directory: Directory, *, speakers=()) -> list[Name]:
    found, taken = [], []
    for known, start, end in _phrase_matches(text, directory):
        if any(first < end and start < last for first, last in taken):
            continue
        found.append(Name(known.kind, start, end, text[start:end], known.slug))
        taken.append((start, end))
    choices = {alias: known for known in directory.records for alias in (known.name, *known.aliases)}
    addresses = [match.span() for pattern in (tables.EMAIL, tables.WEB) for match in pattern.finditer(text)]
    for match in CAPITALIZED_RUN.finditer(text):
        start, words = match.start(), match.group()
        if words.startswith(("The ", "the ")):
            start, words = start + 4, words[4:]
        end = start + len(words)
        if any(first <= start < last for first, last in addresses):
            continue
        if any(first < end and start < last for first, last in taken) or not _worth_a_look(text, start, words):
            continue
        best = process.extractOne(words, list(choices), scorer=fuzz.ratio) if choices else None
        if best and best[1] >= NEAR_MATCH:
            known = choices[best[0]]
            found.append(Name(known.kind, start, end, words, known.slug))
        elif kind := _kind_of_new(text, start, words, speakers):
            if kind == "person":  # “Deputy Attorney General Lisa Monaco” names Lisa Monaco
                name = name_without_titles(words.split())
                start, words = start + words.rfind(name), name
                end = start + len(words)
            found.append(Name(kind, start, end, words, None))
        taken.append((start, end))
    return sorted(found, key=lambda name: name.start)


def _worth_a_look(text, start, words) -> bool:
    first = words.split()[0]
    if len(words.split()) == 1 and (first in COMMON_STARTS or len(first) < 3):
        return False
    return first not in COMMON_STARTS or len(words.split()) > 2


def _kind_of_new(text, start, words, speakers) -> str:
    before, after = text[max(0, start - 30) : start], text[start + len(words) : start + len(words) + 20]
    if words.isupper() and start < 60 and after.lstrip().startswith((",", "—", "–", "-")):
        return "place"  # a dateline: “HIDALGO, Texas —”, “PHOENIX —”
    if tables.PLACE_WORDS.search(words):
        return "place"
    if tables.ORGANIZATION_WORDS.search(words) or (words.isupper() and len(words) >= 3):
        return "organization"
    titled = TITLE_BEFORE.search(before) or TITLE_FIRST.match(words)
    if words in speakers or titled or (len(words.split()) >= 2 and AFTER_PERSON.match(after)):
        return "person"
    if PLACE_BEFORE.search(before) and len(words.split()) <= 3:
        return "place"
    return ""


def _phrase_matches(text: str, directory: Directory):
    matcher, by_key = _matcher(tuple(directory.records))
    doc = _nlp().make_doc(text)
    for key, start, end in matcher(doc):
        span = doc[start:end]
        yield by_key[key], span.start_char, span.end_char


@lru_cache(maxsize=1)
def _nlp():
    import spacy  # a blank pipeline: its tokenizer only, no statistical model

    return spacy.blank("en")


@lru_cache(maxsize=8)
def _matcher(records):
    from spacy.matcher import PhraseMatcher

    nlp = _nlp()
    matcher, by_key = PhraseMatcher(nlp.vocab), {}
    for known in records:
        key = nlp.vocab.strings.add(f"{known.kind}:{known.slug}")
        by_key[key] = known
        matcher.add(f"{known.kind}:{known.slug}", [nlp.make_doc(alias) for alias in (known.name, *known.aliases)])
    return matcher, by_key


def directory_from_database() -> Directory:
    """The desk's organizations (with acronyms), people and places, as they are now."""
    from ..models import Organization, Person, Place

    records = [
        Known("organization", name, slug, (acronym,) if acronym else ())
        for name, slug, acronym in Organization.objects.values_list("name", "slug", "acronym")
    ]
    records += [Known("person", name, slug) for name, slug in Person.objects.values_list("name", "slug")]
    records += [Known("place", name, slug) for name, slug in Place.objects.values_list("name", "slug")]
    return Directory(records)
