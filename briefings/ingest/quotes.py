"""Quotes: the words between paired quotation marks, and who said them.

- A quote is what lies inside “…” or "…", less a comma that ends it before its attribution. A paragraph that
  opens a quote and does not close it goes on in the next paragraph, which opens it again: each part is a quote.
- A single word or a short name in marks is not a quote (scare quotes, titles), unless a speech verb follows it.
- The speaker is found in the quote's sentence: after it (“…,” X said / said X / according to X) or before it
  (X said: “…”); else the paragraph's or the last paragraph's speaker, when the quote carries on from it.
  A speaker is named (titles dropped, a surname resolved to the full name given earlier), described (“a senior
  Department of Justice official”; “the senior official” resolves to that description), an organization, or a
  pronoun, which is the last person named.
"""

import re
from dataclasses import dataclass

from . import tables

OPENING, CLOSING = '“"', '”"'
_verbs = "|".join(tables.SPEECH_VERBS)
# After the quote: “…,” SPEAKER said. / “…,” said SPEAKER. / “…,” according to SPEAKER.
AFTER_SPEAKER_VERB = re.compile(rf"^[,.!?]?\s*(?P<who>[^.!?“”\"\n]{{1,120}}?)\s+(?:{_verbs})\b", re.UNICODE)
AFTER_VERB_SPEAKER = re.compile(
    rf"^[,.!?]?\s*(?:{_verbs}|according to)\s+(?P<who>[^.!?,;“”\"\n]{{1,120}}?)(?=[.,;!?]|\s+(?:in|on|at|during|"
    rf"after|before|when|while|from)\s+(?![A-Z])|$)",
    re.UNICODE,
)
# Dots that end an abbreviation, not a sentence: “U.S.”, “Daniel R. Kessler”, “the Rev. Luis Carranza”.
ABBREVIATION = re.compile(r"\b(?:[A-Z]|Rev|Sen|Rep|Dr|Gov|Lt|Sgt|St|Mr|Ms|Mrs|Jr|Sr|Gen|Col|Capt|Mt|No)\.")
MASKED_DOT = "\u2024"  # one character, like the dot it stands for, so offsets hold


def _mask_abbreviations(words: str) -> str:
    return ABBREVIATION.sub(lambda match: match.group()[:-1] + MASKED_DOT, words)


# Before the quote: SPEAKER said: “…” / SPEAKER said, “…”
BEFORE = re.compile(rf"(?P<who>[^.!?“”\"\n]{{1,120}}?)\s+(?:{_verbs})(?:\s+\w+){{0,4}}?[,:]?\s*$", re.UNICODE)
# X said in a statement that “…” / According to X, most guests still “…”
BEFORE_THAT = re.compile(
    rf"(?P<who>[^.!?“”\"\n]{{1,160}}?)\s+(?:{_verbs})\b[^.!?“”\"\n]{{0,120}}?\bthat\b[^.!?“”\"\n]*$", re.UNICODE
)
# A quote a speech verb and a colon introduce: “The chief summed it up this way: “…””.
INTRODUCED = re.compile(rf"\b(?:{_verbs})\b[^.!?“”\"\n]{{0,60}}:\s*$")
NAME_RUN = r"(?:U\.S\.\s+)?[A-Z][\w’'.-]*(?:(?:\s+(?:of|for|the|and|on|de|del)){0,2}\s+[A-Z][\w’'.-]*)*"
ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;“”\"\n]{1,80}),[^.!?“”\"\n]*$")
NAME_TOKEN = re.compile(r"[A-Z][\w’'.-]*")


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: str
    speaker_kind: str  # "person", "description", "organization" or "" (not found)


def find_quotes(text: str, *, organizations=(), people=()) -> list[Quote]:
    """Every quote of `text` with its speaker. `organizations` and `people`: names the desk knows."""
    quotes, context = [], _Speakers(text, organizations=organizations, people=people)
    for start, end, closed in _quoted_spans(text):
        words = text[start:end].rstrip().removesuffix(",").rstrip()
        if not words:
            continue
        after = text[end + (1 if closed else 0) : end + 200]
        short = len(words.split()) <= 3 and not context.continues_in_paragraph(start)
        short = short and not INTRODUCED.search(text, max(0, start - 80), start - 1)  # X put it this way: “No.”
        if (short or _is_a_name(words)) and not _speech_follows(after):
            continue  # scare quotes, a title or a name in marks: words nobody is said to have said
        speaker, kind = context.speaker_of(start, end + (1 if closed else 0), after)
        quotes.append(Quote(start=start, end=start + len(words), text=words, speaker=speaker, speaker_kind=kind))
    return quotes


def _quoted_spans(text: str):
    """(start, end, closed) of each run of words inside quotation marks, in order."""
    position = 0
    while True:
        opening = _next_opening(text, position)
        if opening == -1:
            return
        paragraph_end = text.find("\n", opening)
        paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
        closing = _closing(text, opening + 1, paragraph_end, straight=text[opening] == '"')
        if closing == -1:  # carries on in the next paragraph
            yield opening + 1, paragraph_end, False
            position = paragraph_end
        else:
            yield opening + 1, closing, True
            position = closing + 1


def _next_opening(text, position):
    while True:
        candidates = [index for index in (text.find("“", position), text.find('"', position)) if index != -1]
        if not candidates:
            return -1
        index = min(candidates)
        if text[index] == "“" or index == 0 or not text[index - 1].isalnum():
            return index
        position = index + 1


def _closing(text, start, limit, *, straight):
    index = text.find('"' if straight else "”", start, limit)
    return index


def _organization_name(words: str) -> str:
    """An organization as the desk names it: without “the” or a possessive before it (“Mexico’s National Migration
    Institute” is the National Migration Institute)."""
    words = re.sub(r"^[Tt]he\s+", "", words)
    return re.sub(r"^(?!U\.S\.)[A-Z][\w.]*[’']s\s+(?=[A-Z])", "", words)


def _is_a_name(words: str) -> bool:
    """“Éxodo de la Esperanza.”: every word capitalized but the particles of a name."""
    tokens = re.findall(r"[\w’'-]+", words)
    particles = {"de", "la", "del", "los", "las", "el", "of", "the", "and", "y", "for"}
    return len(tokens) >= 2 and all(token[0].isupper() or token in particles for token in tokens)


def _speech_follows(after: str) -> bool:
    return bool(AFTER_VERB_SPEAKER.match(after) or AFTER_SPEAKER_VERB.match(after))


class _Speakers:
    """Who said each quote, remembering who spoke and who was named before it."""

    def __init__(self, text, *, organizations, people):
        self.text = text
        self.organizations = list(organizations)
        self.known_people = list(people)
        self.last_speaker = ("", "")
        self.last_end = -1
        self.descriptions = []
        self.speakers = []

    def speaker_of(self, start, end, after):
        who = self._attribution(start, after)
        if who:
            speaker = self._resolve(who, before=start)
        elif self._carries_on(start):
            speaker = self.last_speaker
        else:
            speaker = ("", "")
        if speaker[0]:
            self.last_speaker = speaker
            if speaker[1] == "person" and " " in speaker[0]:
                self.speakers.append(speaker[0])
        self.last_end = end
        return speaker

    def _attribution(self, start, after) -> str:
        after = _mask_abbreviations(after)
        sentence_end = re.search(r"[.!?](?:\s|$)|\n", after)
        clause = after[: sentence_end.end() if sentence_end else len(after)]
        for pattern in (AFTER_VERB_SPEAKER, AFTER_SPEAKER_VERB):
            if match := pattern.match(clause):
                who = match.group("who").strip(" ,")
                if pattern is AFTER_VERB_SPEAKER and re.match(r"(?:a|an)\s", who):  # to the end of its clause
                    who = re.match(r"[^.,;!?]*", clause[match.start("who") :]).group().strip()
                else:  # “Harold Venn, a former immigration judge, said”: the name, not the apposition
                    who = re.split(r",\s+(?=(?:a|an|the|his|her|its|who|whose)\b|[a-z])", who)[0]
                who = who.replace(MASKED_DOT, ".")
                if _plausible(who):
                    return who
        line_start = max(self.text.rfind("\n", 0, start), self.text.rfind("”", 0, start - 1))
        masked = _mask_abbreviations(self.text[max(0, line_start) : start])  # “U.S. Attorney’s” ends no sentence
        ends = [masked.rfind(mark) for mark in (". ", "? ", "! ")]
        sentence_start = max([line_start, *(max(0, line_start) + end for end in ends if end != -1)])
        before = _mask_abbreviations(self.text[sentence_start + 1 : start - 1])
        for pattern in (ACCORDING_BEFORE, BEFORE_THAT):
            if match := pattern.search(before):
                who = match.group("who").strip(" ,").replace(MASKED_DOT, ".")
                # “… led by Homeland Security Investigations, which said …”: the one “which” stands for.
                if relative := re.search(rf"({NAME_RUN}),\s+(?:which|who)\b", who):
                    who = relative.group(1)
                if _plausible(who):
                    return who
        if match := BEFORE.search(before):
            who = match.group("who").strip(" ,").replace(MASKED_DOT, ".")
            who = re.split(r",\s+(?=[a-z])", who)[-1] if "," in who else who  # “To do that, the senior official”
            if _plausible(who):
                return who
        return ""

    def continues_in_paragraph(self, start) -> bool:
        """Whether the quote at `start` opens a sentence after the last one in the same paragraph (“…,” she said.
        “Today.”), as a scare quote inside a sentence does not."""
        between = self.text[self.last_end : start - 1] if self.last_end >= 0 else "\n"
        return "\n" not in between and bool(re.search(r"[.!?]\s*$", between)) and self._carries_on(start)

    def _carries_on(self, start) -> bool:
        """A quote right after the last one, in the same or the next paragraph, with nothing else said between."""
        if self.last_end < 0:
            return False
        between = self.text[self.last_end : start - 1]  # up to the quote's opening mark
        return between.count("\n\n") <= 1 and len(re.sub(r"\s", "", between)) <= 200 and "“" not in between

    def _resolve(self, who: str, *, before: int) -> tuple[str, str]:
        if not re.match(r"(?:a|an)\s", who):  # “Teresa Quintana, the shelter's director”: the name
            who = re.split(r",\s+(?=(?:a|an|the|his|her|its|their|who|whose)\b)", who)[0]
        words = who.split()
        if who.lower() in tables.PRONOUNS or words[0].lower() in tables.PRONOUNS:
            return self._last_person(before)
        back = tables.BACK_REFERENCE.match(who)
        if back and (found := self._referred_to(back.group(1).lower(), before)):
            return found
        indefinite = re.match(r"(?:a|an)\s", who)
        named_organization = any(name in who for name in self.organizations)
        if indefinite or (who[0].islower() and not re.match(r"the\s+[A-Z]", who) and not named_organization):
            self.descriptions.append(who)  # “a senior Department of Justice official”
            return who, "description"
        bare = _organization_name(who)
        if self._is_organization(bare):
            return bare, "organization"
        # “Rosa Elena Marquez of Homeland Security Investigations”: the person, not where they work.
        person_part = re.split(r"\s+(?:of|from|with|at)\s+(?:the\s+)?(?=[A-Z])", who)[0]
        if person_part != who and name_without_titles(person_part.split()).count(" ") >= 1:
            words = person_part.split()
        name = name_without_titles(words)
        if not name:
            return who, "description"
        if " " not in name:
            return self._full_name(name, before), "person"
        return name, "person"

    def _referred_to(self, head: str, before: int) -> tuple[str, str] | None:
        """Whom “the HEAD” points back to: the latest of a description with that head (“a court administrator”),
        a person given that title or role (“Sheriff Raymond T. Villarreal”, “Teresa Villalobos, a lawyer”), and
        for an organization's head (“the agency”, “the office”) the organization that last said something."""
        text = self.text[:before]
        found = []  # (position of the mention, speaker)
        for description in self.descriptions:
            if head in description.lower():
                found.append((text.rfind(description), (description, "description")))
        if not found and (described := _described_before(text, head)):  # “according to a court administrator …”
            found.append((text.rfind(described), (described, "description")))
        if head in tables.ORGANIZATION_HEADS:
            if organization := self._organization_referred_to(head, text):
                found.append(organization)
        else:
            for name in {*_people_named(text, self.known_people), *self.speakers}:
                if position := _titled_mention(text, name, head):
                    found.append((position, (name, "person")))
        if not found:
            return None
        speaker = max(found, key=lambda item: item[0])[1]
        if speaker[1] == "description" and speaker[0] not in self.descriptions:
            self.descriptions.append(speaker[0])
        return speaker

    def _organization_referred_to(self, head: str, text: str):
        """(position, speaker) of the organization “the HEAD” is: the last one said to have said something in this
        or the last paragraph (“Air and Marine Operations … said in a statement … the office said”), else the last
        one named whose name fits the head."""
        paragraph_start = text.rfind("\n\n", 0, max(0, text.rfind("\n\n")))
        for match in reversed(list(ORGANIZATION_SPEAKING.finditer(text, max(0, paragraph_start)))):
            name = _organization_name(match.group("organization"))
            # “Executive Office for Immigration Review”, not “Teresa Villalobos of Legal Aid”
            head_words = re.split(r"\s+(?:of|for)\s+", name)[0]
            is_organization = name in self.organizations or tables.ORGANIZATION_WORDS.search(head_words)
            if is_organization and (head in tables.GENERIC_HEADS or head in name.lower()):
                return match.start(), (name, "organization")
        named = [(text.rfind(name), name) for name in self.organizations]
        named = [(position, name) for position, name in named if position != -1 and _head_fits(name, head)]
        named += [
            (match.start(), match.group())
            for match in ORGANIZATION_RUN.finditer(text)
            if head in match.group().lower().split()
            or (head in ("agency", "statement") and tables.GOVERNMENT_WORDS.search(match.group()))
        ]
        # “the Justice Department agency that runs the courts”: a name before the head describes another one.
        named = [(position, name) for position, name in named if not _modifies(text, position, name, head)]
        if named:
            position, name = max(named)
            return position, (_organization_name(name), "organization")
        return None

    def _is_organization(self, name: str) -> bool:
        return name in self.organizations or bool(tables.ORGANIZATION_WORDS.search(name)) and not _person_like(name)

    def _last_person(self, before: int) -> tuple[str, str]:
        """The person last mentioned before `before`, by full name or surname (“Treviño said”)."""
        text = self.text[:before]
        people = set(_people_named(text, self.known_people)) | set(self.speakers)
        if self.last_speaker[1] == "person":
            people.add(self.last_speaker[0])
        if not people:
            return "", ""
        latest = max(people, key=lambda name: max([text.rfind(name), *(_last_word(text, w) for w in _surnames(name))]))
        return latest, "person"

    def _full_name(self, surname: str, before: int) -> str:
        names = [*_people_named(self.text[:before], self.known_people), *self.speakers]
        for name in reversed(names):
            if surname in _surnames(name):
                return name
        # “Rebeca Salinas owns Salinas Freight Lines … Salinas said”: the first time a given name stands before it.
        # “Lorena Castañeda Ruiz, director of …”: with a second surname before a comma.
        for match in re.finditer(
            rf"\b([A-Z][a-zà-ÿ’'-]+(?:\s+[A-Z]\.)?)\s+{re.escape(surname)}\b(?:\s+([A-Z][a-zà-ÿ’'-]+)(?=,))?",
            self.text[:before],
        ):
            given, second = match.group(1), match.group(2)
            if given.lower() not in tables.TITLE_WORDS and given not in _NOT_NAMES_CAPITALIZED:
                if second and not tables.ORGANIZATION_WORDS.search(second) and not tables.PLACE_WORDS.search(second):
                    return f"{given} {surname} {second}"
                return f"{given} {surname}"
        return surname


_NOT_NAMES_CAPITALIZED = {"The", "A", "An", "In", "On", "At", "But", "And", "Since", "When", "If", "As", "For"}


def _described_before(text: str, head: str) -> str:
    """The last “a …HEAD…” description in `text`, to the end of its clause (“a court administrator in Houston who
    was not authorized to speak publicly”), or ""."""
    found = ""
    for match in re.finditer(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,4}}?{re.escape(head)}\b[^.,;:!?“”\"\n]*", text):
        found = match.group().strip()
    return found


def _surnames(name: str) -> list[str]:
    """The words a person may be called by later: every word after the first but initials (“Leticia Arreola
    Domínguez” is Arreola or Domínguez)."""
    return [word for word in name.split()[1:] if not re.fullmatch(r"[A-Z]\.", word)]


def _last_word(text: str, word: str) -> int:
    matches = list(re.finditer(rf"\b{re.escape(word)}\b", text))
    return matches[-1].start() if matches else -1


ORGANIZATION_RUN = re.compile(r"(?:\bU\.S\.\s+)?\b[A-Z][\w’'-]*(?:[ \t]+(?:of|and|for|the|on)?[ \t]*[A-Z][\w’'-]*)+")


# “CBP’s Air and Marine Operations, which flies larger aircraft over the sector, said in a statement”
ORGANIZATION_SPEAKING = re.compile(
    rf"(?P<organization>(?:\bU\.S\.\s+)?\b[A-Z][\w’'-]*(?:[ \t]+(?:of|and|for|the|on)?[ \t]*[A-Z][\w’'-]*)*)"
    rf"(?:,[^.;!?“”\"\n]{{1,160}}?,)?\s+(?:{_verbs})\b"
)


def _titled_mention(text: str, name: str, head: str) -> int:
    """Where `name` is last mentioned in `text`, when a mention gives them the title or role `head` (“Sheriff
    Raymond T. Villarreal”, “Mariana L. Echeverría, Mexico’s consul”); 0 when none does."""
    title = re.compile(rf"\b{re.escape(head)}\b[^.,;!?“”\"\n]*$", re.I)  # in the words right before the name
    role = re.compile(rf"^,\s+[^.;!?“”\"\n]{{0,80}}?\b{re.escape(head)}\b", re.I)  # in an apposition after it
    spans = [match.span() for match in re.finditer(re.escape(name), text)]
    if not any(title.search(text[max(0, start - 40) : start]) or role.match(text[end:]) for start, end in spans):
        return 0
    return max([text.rfind(name), *(_last_word(text, word) for word in _surnames(name))])


def _modifies(text: str, position: int, name: str, head: str) -> bool:
    return bool(re.match(rf"\s+{re.escape(head)}\b", text[position + len(name) :], re.I))


def _head_fits(name: str, head: str) -> bool:
    """Whether the organization `name` can be what “the `head`” points back to (“the agency”, “the committee”)."""
    return head in ("agency", "statement") or head in name.lower()


def _plausible(who: str) -> bool:
    return 0 < len(who.split()) <= 30 and not who.lower().startswith(("and ", "but ", "that "))


def _person_like(words: str) -> bool:
    return bool(re.search(r"\b(?:[A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?[A-Z][a-z]+$", words)) and not (
        tables.ORGANIZATION_WORDS.search(words.split()[-1])
    )


def name_without_titles(words: list[str]) -> str:
    """The person's name: the last run of capitalized words, without the titles before it."""
    name = []
    for word in reversed(words):
        if NAME_TOKEN.fullmatch(word) and word.lower() not in tables.TITLE_WORDS:
            name.insert(0, word)
        elif name:
            break
    return " ".join(name[-3:])


_NOT_NAMES = {"the", "this", "that", "on", "in", "since", "under", "during", "when", "with", "today", "now"}
CAPITALIZED_RUN = re.compile(r"\b(?:[A-Z]\.|[A-Z][\w’'-]*)(?:[ \t]+(?:[A-Z]\.|[A-Z][\w’'-]*))+")
# What shows a name is a person's: an age, an apposition or a speech verb after it, a title before it.
PERSON_AFTER = re.compile(
    r"^(?:,\s+\d{1,3},|,\s+(?:who|whose|a|an|the|his|her)\b|,\s+[RDI]-[A-Z]|\s+(?:said|says|told|added|wrote))"
)
TITLE_BEFORE = re.compile(
    r"\b(?:Sen|Rep|Gov|Rev|Dr|Mr|Ms|Mrs|Lt|Sgt|Capt|Col|Gen)\.\s+$|\b(?:Pastor|President|Secretary|Director|"
    r"Commissioner|Mayor|Judge|Agent|Chief|Sheriff|Attorney|Officer|Father|Sister|Senator|Representative)\s+$"
)


def _people_named(text: str, known_people) -> list[str]:
    """People named in `text`, in the order of their (last) mention: those the desk knows, and names shown to be
    people's by a title before them or an age, an apposition or a speech verb after them."""
    found = []
    for name in known_people:
        if (index := text.rfind(name)) != -1:
            found.append((index, name))
    for match in CAPITALIZED_RUN.finditer(text):
        words = match.group().split()
        name = name_without_titles(words)
        if " " not in name or tables.ORGANIZATION_WORDS.search(name) or name.split()[0].lower() in _NOT_NAMES:
            continue
        if tables.PLACE_WORDS.search(name):
            continue
        dropped = [word.lower() for word in words[: len(words) - len(name.split())]]
        # “Deputy Attorney General Lisa Monaco” is titled; “Gulf Coast Immigrant Legal Aid” is not.
        is_titles = all(word in tables.TITLE_WORDS for word in dropped) and any(word != "the" for word in dropped)
        titled = is_titles or TITLE_BEFORE.search(text[max(0, match.start() - 25) : match.start()])
        if titled or PERSON_AFTER.match(text[match.end() : match.end() + 20]):
            found.append((match.start(), name))
    return [name for _index, name in sorted(found)]
