"""Who said each quote (quotes.py finds the quotes).

The speaker is found in the quote's sentence: after it (“…,” X said / said X / according to X) or before it
(X said: “…”); else the paragraph's or the last paragraph's speaker, when the quote carries on from it. A speaker is
named (titles dropped, a surname resolved to the full name given earlier), described (“a senior Department of
Justice official”; “the senior official” resolves to that description), an organization, or a pronoun, which is
the last person named.
"""

import bisect
import re

from . import people as persons
from . import tables
from .people import CAP

CLOSING = '”"'  # the marks that close a quote
_verbs = "|".join(tables.SPEECH_VERBS)
# A quote a speech verb and a colon introduce: “The chief summed it up this way: “…””.
INTRODUCED = re.compile(rf"\b(?:{_verbs})\b[^.!?“”\"\n]{{0,60}}:\s*$")
# After the quote: “…,” SPEAKER said. / “…,” said SPEAKER. / “…,” according to SPEAKER.
AFTER_SPEAKER_VERB = re.compile(rf"^[,.!?]?\s*(?P<who>[^.!?“”\"\n]{{1,120}}?)\s+(?:{_verbs})\b", re.UNICODE)
AFTER_VERB_SPEAKER = re.compile(
    rf"^[,.!?]?\s*(?:{_verbs}|according to)\s+(?P<who>[^.!?,;“”\"\n]{{1,120}}?)(?=[.,;!?]|\s+(?:in|on|at|during|"
    rf"after|before|when|while|from)\s+(?![A-Z])|$)",
    re.UNICODE,
)
# Dots that end an abbreviation, not a sentence: “U.S.”, “Daniel R. Kessler”, “the Rev. Luis Carranza”.
ABBREVIATION = re.compile(
    r"\b(?:[A-Z]|Rev|Sen|Rep|Dr|Gov|Lt|Sgt|St|Mr|Ms|Mrs|Jr|Sr|Gen|Col|Capt|Mt|No|Ma|Fr|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|"
    r"Nov|Dec|Ave|Blvd|Inc|Co|Corp)\."
)
MASKED_DOT = "\u2024"  # one character, like the dot it stands for, so offsets hold


def _mask_abbreviations(words: str) -> str:
    return ABBREVIATION.sub(lambda match: match.group()[:-1] + MASKED_DOT, words)


# Before the quote: SPEAKER said: “…” / SPEAKER said, “…”
BEFORE = re.compile(rf"(?P<who>[^.!?“”\"\n]{{1,120}}?)\s+(?:{_verbs})(?:\s+\w+){{0,6}}?[,:]?\s*$", re.UNICODE)
# X said in a statement that “…” / According to X, most guests still “…”
BEFORE_THAT = re.compile(
    rf"(?P<who>[^.!?“”\"\n]{{1,160}}?)\s+(?:{_verbs})\b[^.!?“”\"\n]{{0,120}}?\bthat\b[^.!?“”\"\n]*$", re.UNICODE
)
NAME_RUN = rf"(?:U\.S\.\s+)?{CAP}[\w’'.-]*(?:(?:\s+(?:of|for|the|and|on|de|del)){{0,2}}\s+{CAP}[\w’'.-]*)*"
# A fragment that goes on from reported speech: “SPEAKER says agents have logged 96 rescues since Oct. 1, “and …”
BEFORE_ANY = re.compile(rf"(?P<who>[^.!?“”\"\n]{{1,160}}?)\s+(?:{_verbs})\b[^.!?“”\"\n]*$", re.UNICODE)
ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording to\s+(?P<who>[^,.;“”\"\n]{1,80}),[^.!?“”\"\n]*$")


def _organization_name(words: str) -> str:
    """An organization as the desk names it: without “the” or a possessive before it (“Mexico’s National Migration
    Institute” is the National Migration Institute)."""
    words = re.sub(r"^[Tt]he\s+", "", words)
    return re.sub(r"^(?!U\.S\.)[A-Z][\w.]*[’']s\s+(?=[A-Z])", "", words)


class Speakers:
    """Who said each quote, remembering who spoke and who was named before it."""

    def __init__(self, text, *, organizations, people):
        self.text = text
        self.organizations = list(organizations)
        self.known_people = list(people)
        self.last_speaker = ("", "")
        self.last_end = -1
        self.descriptions = []
        self.speakers = []
        # Read once for the whole text: who is named where, and each word's positions (quotes look back a lot).
        self.mentions = persons.people_mentioned(text, self.known_people)
        # Quoted words blanked out (a pronoun right after a quote is its attribution, no evidence of anyone's).
        self.unquoted = re.sub(r"“[^”]*”|\"[^\"\n]*\"", lambda quoted: "\x00" * len(quoted.group()), text)
        self.genders = {}
        self.word_positions = {}
        self.role_cache = {}

    def named_before(self, before: int) -> list[str]:
        """The people named before `before`, each once, in the order of their last mention."""
        last = {name: start for start, end, name in self.mentions if end <= before}
        # “Chávez de Ortiz said”, after “Elena Chávez de Ortiz”: the same person, once.
        last = {
            name: start for name, start in last.items() if not any(persons.calls(o, name) for o in last if o != name)
        }
        return sorted(last, key=last.get)

    def last_position(self, word: str, before: int, name: str = "") -> int:
        """Where `word` (a whole word) last begins before `before`, or -1; for a surname of `name`, not inside the
        full name of someone else (“Ramírez” of “Juana López de Ramírez” is not her son Efraín Ramírez López)."""
        key = (word, name)
        if key not in self.word_positions:
            others = [(start, end) for start, end, other in self.mentions if other != name]
            self.word_positions[key] = [
                match.start()
                for match in re.finditer(rf"\b{re.escape(word)}\b", self.text, re.IGNORECASE if " " in word else 0)
                if not any(start <= match.start() < end for start, end in others)
            ]
        positions = self.word_positions[key]
        index = bisect.bisect_left(positions, before - len(word) + 1)
        return positions[index - 1] if index else -1

    def last_mention(self, name: str, before: int) -> int:
        """Where `name`, one of their surnames, or their role (“the judge”, for “U.S. District Judge Eleanor
        Vasquez-Harmon” when no one else named is a judge) is last mentioned before `before`."""
        full = self.text.rfind(name, 0, before)
        roles = [self.last_position(f"the {role}", before, name) for role in self.roles(name)]
        words = persons.surnames(name)
        given = name.split()[0]
        if " " in name and not any(other.split()[0] == given for _s, _e, other in self.mentions if other != name):
            words.append(given)  # “says Marisol”, of “Marisol and Julián Ortega”
        return max([full, *(self.last_position(word, before, name) for word in words), *roles])

    def roles(self, name: str) -> list[str]:
        """The roles (tables.ROLES) the text gives `name` and no one else it names."""
        if name not in self.role_cache:
            people = {other for _start, _end, other in self.mentions}
            self.role_cache[name] = [
                role
                for role in tables.ROLES
                if persons.titled_mention(self.text, name, role)
                and not any(persons.titled_mention(self.text, other, role) for other in people - {name})
            ]
        return self.role_cache[name]

    def gender(self, name: str) -> str:
        if name not in self.genders:
            others = {*(mentioned for _start, _end, mentioned in self.mentions), *self.speakers}
            spans = [(start, end) for start, end, other in self.mentions if other != name]
            roles = [f"the {role}" for role in self.roles(name)]
            self.genders[name] = persons.gender(self.unquoted, name, others - {name}, spans, roles)
        return self.genders[name]

    def speaker_of(self, start, end, after):
        # “… a remedy.” During the same weeks, she noted …: a quote that ends its sentence has no attribution after.
        ends_sentence = self.text[end - 1 : end] in CLOSING and self.text[end - 2 : end - 1] == "."
        who = self._attribution(start, "" if ends_sentence else after)
        if not who and ends_sentence and (idiom := tables.NEXT_SENTENCE_ATTRIBUTION.match(_mask_abbreviations(after))):
            who = idiom.group("who").replace(MASKED_DOT, ".")  # “…” That is how Capt. Anita Cordero puts it.
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
                # “according to her lawyer, Rebeca Almanza of …”: the name the description is given.
                named = re.match(rf"\s*,\s+(?P<name>{NAME_RUN})", clause[match.end("who") :])
                if named and re.match(r"(?:his|her|their|its)\s", who):
                    who = named.group("name")
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
        fragment = self.text[start : start + 1].islower()  # “…, says agents have logged 96, “and every one …”
        for pattern in (BEFORE, BEFORE_ANY) if fragment else (BEFORE,):
            if not (match := pattern.search(before)):
                continue
            who = match.group("who").strip(" ,").replace(MASKED_DOT, ".")
            who = tables.AUXILIARIES_AFTER.sub("", who)  # “a volunteer has added”: the volunteer
            if pattern is BEFORE_ANY:  # “In an interview, Border Patrol Agent Gilberto Ybarra, a spokesman …, says”
                who = re.sub(r"^(?:In|On|At|During|After|Before|Last|This|Earlier|Later)\b[^,]{0,40},\s+", "", who)
                who = re.split(r",\s+(?=(?:a|an|the|who)\b)", who)[0]
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
        between = re.sub(r"“[^”]{0,30}”", "", between)  # a word in marks (“guía”) says nothing
        return between.count("\n\n") <= 1 and len(re.sub(r"\s", "", between)) <= 200 and "“" not in between

    def _resolve(self, who: str, *, before: int) -> tuple[str, str]:
        who = tables.AUXILIARIES_AFTER.sub("", who) or who  # “Justice Department lawyers had argued”
        who = re.sub(r",\s+known\s+(?:as|by)\b.*$", "", who)  # “the National Migration Institute, known as INM”
        who = " ".join(persons.without_possessive(word) for word in who.split()) if re.search(r"[’']s$", who) else who
        if re.match(r"(?:A|An)\s+[a-z]|(?:A|An)\s+[A-Z]{2,}\b", who):  # “A DHS spokesperson said”: a description
            who = who[0].lower() + who[1:]
        if not re.match(r"(?:a|an)\s", who):  # “Teresa Quintana, the shelter's director”: the name
            who = re.split(r",\s+(?=(?:a|an|the|his|her|its|their|who|whose)\b)", who)[0]
        # “a statement from the Tamaulipas Attorney General’s Office”: the office.
        who = tables.STATEMENT_FROM.sub("", who) or who
        words = who.split()
        if who.lower() in tables.PRONOUNS or words[0].lower() in tables.PRONOUNS:
            return self._last_person(before, pronoun=words[0].lower())
        back = tables.BACK_REFERENCE.match(who)
        if back and back.group(1).lower() == "statement" and (maker := self._statement_maker(before)):
            return maker  # “the statement said”: whoever made the statement named before
        if back and (found := self._referred_to(back.group(1).lower(), before)):
            return found
        indefinite = re.match(r"(?:a|an)\s", who)
        named_organization = any(name in who for name in self.organizations)
        surname_with_particle = re.match(rf"(?:de|del|de la|de los|van|von)\s+{CAP}", who)  # “de la Vega said”
        if surname_with_particle:
            return self._full_name(who, before), "person"
        if indefinite or (who[0].islower() and not re.match(r"the\s+[A-Z]", who) and not named_organization):
            self.descriptions.append(who)  # “a senior Department of Justice official”
            return who, "description"
        # “Special Agent in Charge Luis F. Arredondo of the FBI El Paso Field Office”: the person, not where they work.
        person_part = re.split(r"\s+(?:of|from|with|at)\s+(?:the\s+)?(?=[A-Z])", who)[0]
        person_named = person_part != who and persons.name_without_titles(person_part.split()).count(" ") >= 1
        bare = _organization_name(who)
        if self._is_organization(bare) and not (person_named and persons.person_like(person_part)):
            return bare, "organization"
        if person_named:
            words = person_part.split()
        name = persons.name_without_titles(words)
        if not name:
            return who, "description"
        return self._full_name(name, before), "person"

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
            found.append((described[0], (described[1], "description")))
        if head in tables.ORGANIZATION_HEADS:
            if organization := self._organization_referred_to(head, text):
                found.append(organization)
        else:
            for name in {*self.named_before(before), *self.speakers}:
                if persons.titled_mention(text, name, head):
                    found.append((self.last_mention(name, before), (name, "person")))
        if not found:
            return None
        speaker = max(found, key=lambda item: item[0])[1]
        if speaker[1] == "description" and speaker[0] not in self.descriptions:
            self.descriptions.append(speaker[0])
        return speaker

    def _statement_maker(self, before: int) -> tuple[str, str] | None:
        """Who made the last statement the text speaks of before `before` (“A DHS spokesperson said in an emailed
        statement that …”), resolved as any speaker is."""
        found = None
        for match in STATEMENT_MADE.finditer(self.text, max(0, before - 1500), before):
            found = match
        if found is None:
            return None
        who = re.split(r"[.!?]\s+|,\s+(?=[a-z])|\n", found.group("who"))[-1].strip()
        if not who or tables.BACK_REFERENCE.match(who) or not _plausible(who):
            return None
        return self._resolve(who, before=found.start("who"))

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
        return (
            name in self.organizations
            or bool(tables.ORGANIZATION_WORDS.search(name))
            and not persons.person_like(name)
        )

    def _last_person(self, before: int, pronoun: str = "") -> tuple[str, str]:
        """The person last mentioned before `before`, by full name or surname (“Treviño said”), whom the pronoun
        can stand for: “she” is not a man the text calls “he”. On a tie (a surname two people share), the last
        speaker."""
        people = set(self.named_before(before)) | set(self.speakers)
        if self.last_speaker[1] == "person":
            people.add(self.last_speaker[0])
        wanted = tables.PRONOUN_GENDER.get(pronoun, "")
        if wanted:
            people = {name for name in people if self.gender(name) in ("", wanted)} or people
        if not people:
            return "", ""

        def latest(name):  # ties (a surname two people share): the last speaker, then the last introduced
            return self.last_mention(name, before), name == self.last_speaker[0], self.text.rfind(name, 0, before)

        return max(people, key=latest), "person"

    def _full_name(self, surname: str, before: int) -> str:
        """The full name given earlier of the person called `surname` (“Treviño-Garza”, “Cruz Pérez”), or the name
        itself when it is the full one."""
        names = {*self.named_before(before), *self.speakers}
        for name in sorted(names, key=lambda name: self.text.rfind(name, 0, before), reverse=True):  # latest first
            if name != surname and persons.calls(name, surname):
                return name
        if " " in surname:
            return surname
        # “says Marisol”: a given name the text gave one person.
        given = [name for name in names if name.split()[0] == surname and " " in name]
        if len(given) == 1:
            return given[0]
        # “Rebeca Salinas owns Salinas Freight Lines … Salinas said”: the first time a given name stands before it.
        # “Lorena Castañeda Ruiz, director of …”: with a second surname before a comma.
        for match in re.finditer(
            rf"\b({CAP}[a-zà-ÿ’'-]+(?:\s+{CAP}[a-zà-ÿ’'-]+)?(?:\s+[A-Z]\.)?)\s+{re.escape(surname)}\b"
            rf"(?:\s+({CAP}[a-zà-ÿ’'-]+)(?=,))?",
            self.text[:before],
        ):
            given, second = match.group(1).split(), match.group(2)
            while given and (given[0] in persons.NOT_NAMES_CAPITALIZED or given[0].lower() in tables.TITLE_WORDS):
                given.pop(0)
            given = " ".join(given)
            if given:
                if second and not tables.ORGANIZATION_WORDS.search(second) and not tables.PLACE_WORDS.search(second):
                    return f"{given} {surname} {second}"
                return f"{given} {surname}"
        return surname


def _described_before(text: str, head: str) -> tuple[int, str] | None:
    """Where the last “a …HEAD…” description in `text` is, and its words to the end of its clause or its speech
    verb (“a court administrator in Houston who was not authorized to speak publicly”)."""
    found = None
    for match in re.finditer(rf"\b(?:[Aa]|[Aa]n)\s+(?:[\w-]+\s+){{0,4}}?{re.escape(head)}\b[^.,;:!?“”\"\n]*", text):
        words = re.split(rf"\s+(?:{_verbs})\b", match.group())[0].strip()  # “… publicly said the number …”
        found = match.start(), words[0].lower() + words[1:]
    return found


ORGANIZATION_RUN = re.compile(rf"(?:\bU\.S\.\s+)?\b{CAP}[\w’'-]*(?:[ \t]+(?:of|and|for|the|on)?[ \t]*{CAP}[\w’'-]*)+")


# “A DHS spokesperson said in an emailed statement that …”: who made a statement.
STATEMENT_MADE = re.compile(
    rf"(?P<who>[^.!?“”\"\n]{{1,120}}?)\s+(?:{_verbs})\s+in\s+(?:a|an|its|his|her|their)\s+(?:[\w-]+\s+)?statement\b"
)
# “CBP’s Air and Marine Operations, which flies larger aircraft over the sector, said in a statement”
ORGANIZATION_SPEAKING = re.compile(
    rf"(?P<organization>(?:\bU\.S\.\s+)?\b{CAP}[\w’'-]*(?:[ \t]+(?:of|and|for|the|on)?[ \t]*{CAP}[\w’'-]*)*)"
    rf"(?:,[^.;!?“”\"\n]{{1,160}}?,)?\s+(?:{_verbs})\b"
)


def _modifies(text: str, position: int, name: str, head: str) -> bool:
    return bool(re.match(rf"\s+{re.escape(head)}\b", text[position + len(name) :], re.I))


def _head_fits(name: str, head: str) -> bool:
    """Whether the organization `name` can be what “the `head`” points back to (“the agency”, “the committee”)."""
    return head in ("agency", "statement") or head in name.lower()


def _plausible(who: str) -> bool:
    return 0 < len(who.split()) <= 30 and not who.lower().startswith(("and ", "but ", "that "))
