"""People a text names: who counts as a person, by what names they may be called later, their gender when the
text says it, and the roles it gives them. The speaker rules (quotes.py) read them; so does names.py.

A run of capitalized words is a person's name when a title stands before it (“Sen.”, “Sheriff”), a kinship word
and a comma (“his mother, Juana López de Ramírez”), or after it an age, an apposition, a speech verb or a “his” or
“her” in its clause; a couple (“Marisol and Julián Ortega”) is two; one name with an age (“Yesenia, 19,”) is one.
Every word list is in tables.py.
"""

import itertools
import re

from . import tables

CAP = "[A-ZÀ-ÖØ-Þ]"  # a capital letter, accented too (“Ángeles”, “Íñiguez”)
NAME_TOKEN = re.compile(rf"{CAP}[\w’'.-]*")


NOT_NAMES_CAPITALIZED = {"The", "A", "An", "In", "On", "At", "But", "And", "Since", "When", "If", "As", "For"}


def surnames(name: str) -> list[str]:
    """The words a person may be called by later: every word after the first but initials and particles
    (“Leticia Arreola Domínguez” is Arreola or Domínguez; “Graciela Ríos de Montemayor” Ríos or Montemayor)."""
    return [word for word in name.split()[1:] if not re.fullmatch(r"[A-Z]\.", word) and word not in tables.PARTICLES]


def calls(name: str, called: str) -> bool:
    """Whether `called` is what the text may call the person `name`: one of their surnames, or the last words of
    their name (“Cruz Pérez” for “Wilmer Antonio Cruz Pérez”)."""
    if " " not in called:
        return called in surnames(name)
    return name.endswith(" " + called) or f" {called} " in f" {name} "


def gender(unquoted: str, name: str, others: set[str], others_spans=(), roles=()) -> str:
    """“he” or “she” when the text says so of the person `name`: a word such as “mother” or “Ms.” right before a
    mention, or “he” or “she” as the subject in the rest of the mention's sentence or the next one, before another
    person (`others`, whose full names are at `others_spans`) is named. `unquoted` is the text with its quoted words
    blanked out; possessives do not count (“her ranch” may be someone else's)."""
    votes = {"he": 0, "she": 0}
    shared = {word for other in others for word in surnames(other)}  # “Ramírez” alone may be either of them
    words = [re.escape(name), *(rf"\b{re.escape(word)}\b" for word in surnames(name) if word not in shared)]
    words += [rf"\b(?i:{re.escape(role)})\b" for role in roles]  # “The judge called … she noted”
    other_words = {word for other in others for word in (other, *surnames(other))} - {name, *surnames(name)}
    someone_else = re.compile("|".join(rf"\b{re.escape(word)}\b" for word in other_words) or r"(?!)")
    for match in re.finditer("|".join(words), unquoted):
        if any(start <= match.start() < end for start, end in others_spans):
            continue  # a surname inside someone else's name
        before = unquoted[max(0, match.start() - 30) : match.start()]
        if gendered := tables.GENDERED_BEFORE.search(before):
            votes[tables.GENDER_WORDS[gendered.group(1).lower()]] += 1
        window = re.match(r"[^.!?]*[.!?]?[^.!?]*", unquoted[match.end() : match.end() + 300]).group()
        if other := someone_else.search(window):
            window = window[: other.start()]
        # “…, he says”, “… and she left”, “. He declined”: a subject, not “agents he had been promised”.
        following = re.search(
            r"(?:^|[.!?]\s+|,\s+|\band\s+)(?P<pronoun>[Hh]e|[Ss]he)\b|[A-Z][a-z]+\s+[A-Z][a-z]+", window
        )
        if following and following.group("pronoun"):
            votes[following.group("pronoun").lower()] += 1
    if votes["he"] == votes["she"]:
        given = name.split()[0]
        return next((gender for gender, names in tables.GIVEN_NAMES.items() if given in names), "")
    return max(votes, key=votes.get)


def titled_mention(text: str, name: str, head: str) -> bool:
    """Whether a mention of `name` in `text` gives them the title or role `head` (“Sheriff Raymond T. Villarreal”,
    “Mariana L. Echeverría, Mexico’s consul”)."""
    words = "|".join(map(re.escape, (head, *tables.TITLES_FOR.get(head, ()))))  # “the pastor”: “the Rev.”
    title = re.compile(rf"\b(?:{words})(?!\w)[^,;!?“”\"\n]*$", re.I)  # in the words right before the name
    role = re.compile(rf"^,\s+[^.;!?“”\"\n]{{0,80}}?\b(?:{words})(?!\w)", re.I)  # in an apposition after it
    spans = [match.span() for match in re.finditer(re.escape(name), text)]
    return any(title.search(text[max(0, start - 40) : start]) or role.match(text[end:]) for start, end in spans)


def person_like(words: str) -> bool:
    return bool(re.search(r"\b(?:[A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+$", words)) and not (
        tables.ORGANIZATION_WORDS.search(words.split()[-1])
    )


def name_without_titles(words: list[str]) -> str:
    """The person's name: the last run of capitalized words (and particles inside it: “Ríos de Montemayor”), at
    most four, without the titles before it."""
    name = []
    for word in reversed(words):
        is_name = NAME_TOKEN.fullmatch(word) and word.lower() not in tables.TITLE_WORDS
        if is_name and name and tables.ORGANIZATION_WORDS.fullmatch(word):
            break  # “… Law Enforcement Affairs Miriam J. Oduya”
        particles_before = len(name) - len(list(itertools.dropwhile(lambda w: w in tables.PARTICLES, name)))
        if is_name or (name and word in tables.PARTICLES and particles_before < 2):  # “de los Ángeles”
            name.insert(0, word)
        elif name:
            break
    while name and name[0] in tables.PARTICLES:
        name.pop(0)
    while sum(word not in tables.PARTICLES for word in name) > 4:  # at most four names, with particles between
        name.pop(0)
        while name and name[0] in tables.PARTICLES:
            name.pop(0)
    return " ".join(name)


NOT_NAMES = {
    "the", "this", "that", "on", "in", "since", "under", "during", "when", "with", "today", "now", "for", "from",
    "to", "by", "at", "after", "before", "as", "like", "despite", "without", "but", "and",
}  # fmt: skip

CAPITALIZED_RUN = re.compile(
    rf"\b(?:(?:[A-Z]\.)+|{CAP}[a-z]{{1,3}}\.(?=\s)|{CAP}[\w’'-]*)"
    rf"(?:[ \t]+(?:(?:de|del|de la|de los|de las|y)[ \t]+)?(?:[A-Z]\.|{CAP}[\w’'-]*))+"
)

# …, or “his” or “her” in the clause after it (“Ana Lucía Tomás Bámaca learned that her husband …”).

TITLE_BEFORE = re.compile(
    r"\b(?:Sen|Rep|Gov|Rev|Dr|Mr|Ms|Mrs|Lt|Sgt|Capt|Col|Gen)\.\s+$|\b(?:Pastor|President|Secretary|Director|"
    r"Commissioner|Mayor|Judge|Agent|Chief|Sheriff|Attorney|Officer|Father|Sister|Senator|Representative)\s+$|"
    r"\b(?:said|says|according to)\s+$"
)


COUPLE = re.compile(
    rf"(?<![\w’'-] )(?<![\w’'-])(?P<first>{CAP}[a-zà-ÿ]+) and (?P<second>{CAP}[a-zà-ÿ]+) "
    rf"(?P<surname>{CAP}[a-zà-ÿ’'-]+)(?=[,.;]|\s+[a-z])"
)

ONE_NAME_AND_AGE = re.compile(rf"(?<![\w.] )(?<!\w)(?P<name>{CAP}[a-zà-ÿ]+), \d{{1,2}}, (?=who|a|an|of|from)")


SUBJECT_THEN_PRONOUN = re.compile(r"\s+[a-z][^.!?“”\"\n]{0,200}[.!?]\s+(?:He|She)\s")


def sentence_start(text: str, position: int) -> bool:
    return not text[:position].strip() or bool(re.search(r"(?:[.!?]\s+|\n)$", text[max(0, position - 3) : position]))


def not_a_person(words: str) -> bool:
    return bool(tables.ORGANIZATION_WORDS.search(words) or re.search(tables.PLACE_WORDS.pattern[:-1] + r"\b", words))


def without_possessive(word: str) -> str:
    return re.sub(r"[’']s$", "", word)


def people_mentioned(text: str, known_people) -> list[tuple[int, int, str]]:
    """(start, end, name) of each mention of a person in `text`, in order: those the desk knows, and names shown to
    be people's by a title before them or an age, an apposition or a speech verb after them."""
    found = []
    for name in known_people:
        found += [(match.start(), match.end(), name) for match in re.finditer(re.escape(name), text)]
    # “Marisol and Julián Ortega”: two people, each with the surname.
    for match in COUPLE.finditer(text):
        words = " ".join(match.group("first", "second", "surname"))
        if match.group("first") in NOT_NAMES_CAPITALIZED or not_a_person(words):
            continue  # “Texas Parks and Wildlife Department”, “Del Rio and Eagle Pass”
        for given in ("first", "second"):
            found.append((match.start(given), match.end(), f"{match.group(given)} {match.group('surname')}"))
    # “Yesenia, 19, who asked that her last name not be used”: a person known by one name and an age.
    for match in ONE_NAME_AND_AGE.finditer(text):
        if match.group("name") not in NOT_NAMES_CAPITALIZED:
            found.append((match.start("name"), match.end("name"), match.group("name")))
    for match in CAPITALIZED_RUN.finditer(text):
        words = [without_possessive(word) for word in match.group().split()]  # “Ramiro Saldaña’s crew”
        name = name_without_titles(words)
        if " " not in name or tables.ORGANIZATION_WORDS.search(name) or name.split()[0].lower() in NOT_NAMES:
            continue
        if tables.PLACE_WORDS.search(name):
            continue
        dropped = [word.lower() for word in words[: len(words) - len(name.split())]]
        # “Deputy Attorney General Lisa Monaco” is titled; “Gulf Coast Immigrant Legal Aid” is not.
        is_titles = all(word in tables.TITLE_WORDS for word in dropped) and any(word != "the" for word in dropped)
        words_before = text[max(0, match.start() - 25) : match.start()]
        # … or a kinship word and a comma before it (“his mother, Juana López de Ramírez”).
        titled = is_titles or TITLE_BEFORE.search(words_before) or tables.KIN_BEFORE.search(words_before)
        # “Ma. del Carmen Solís Pérez runs the shelter. She said …”: a sentence's subject, then “He” or “She”.
        subject = sentence_start(text, match.start()) and SUBJECT_THEN_PRONOUN.match(text, match.end())
        if titled or subject or PERSON_AFTER.match(text[match.end() : match.end() + 120]):
            found.append((match.start(), match.end(), name))
    return sorted(found)


# What shows a name is a person's: an age, an apposition or a speech verb after it, a title before it.
PERSON_AFTER = re.compile(
    r"^(?:,\s+\d{1,3},|,\s+(?:who|whose|a|an|the|his|her)\b|,\s+[RDI]-[A-Z]|,?\s+(?:said|says|told|added|wrote)|"
    r"\s+[a-z]+(?:\s+[a-z]+){0,3}\s+(?:his|her)\b|,\s+[^,.;!?“”\"\n]{1,80},\s+(?:said|says|told)\b)"
)
