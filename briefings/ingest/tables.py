"""The ingest assistant's rules as data: the words it knows. An editor's feedback extends these tables, not the code.

Each table says what a kind of word or phrase means to the rules in figures.py, offers.py, quotes.py and names.py.
"""

import re

# --- numbers ------------------------------------------------------------------------------------------------------

# Words before a number that qualify it, longest first (the desk's reading of them is evidence/numbers.py's).
QUALIFIERS = [
    "only about", "only around", "just about", "approximately", "an estimated", "roughly", "around", "about",
    "nearly", "almost", "close to", "more than", "over", "above", "fewer than", "less than", "under", "below",
    "up to",
    "as many as", "as much as", "at least", "no fewer than", "no more than", "exactly", "some",
]  # fmt: skip
SPELLED = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty",
    "sixty", "seventy", "eighty", "ninety", "a hundred", "a thousand", "a million", "a dozen", "half a million",
]  # fmt: skip
# Amounts without a number: the figure is “indefinite”.
INDEFINITE = [
    "a few hundred", "a few thousand", "several hundred", "several thousand", "a few dozen", "several dozen",
    "dozens", "hundreds", "thousands", "tens of thousands", "hundreds of thousands", "millions",
]  # fmt: skip
SCALES = ["million", "billion", "trillion", "thousand", "hundred", "dozen"]
# A hyphenated unit after a number makes it a length or a span of time: “60-mile”, “five-year”.
HYPHEN_UNITS = {
    "mile": ("miles", "length"), "kilometer": ("kilometers", "length"), "foot": ("feet", "length"),
    "meter": ("meters", "length"), "year": ("years", "duration"), "month": ("months", "duration"),
    "week": ("weeks", "duration"), "day": ("days", "duration"), "hour": ("hours", "duration"),
    "minute": ("minutes", "duration"), "page": ("pages", "amount"),
    "acre": ("acres", "amount"), "pound": ("pounds", "amount"), "count": ("counts", "amount"),
    "degree": ("degrees", "amount"),
}  # fmt: skip
# A number right after one of these words names something, it counts nothing: “Title 42”, “Section 212”.
NAMING_WORDS = [
    "title", "section", "sec.", "§", "§§", "article", "rule", "chapter", "no.", "nos.", "number", "interstate",
    "highway", "route", "road", "avenue", "street", "case", "docket", "form", "phase", "level", "category",
    "class", "tier", "gate", "terminal", "zone", "precinct", "district", "exit", "suite", "room", "unit",
    "public law", "u.s.c.", "cfr", "c.f.r.", "flight", "bus", "amendment", "act of", "fy", "fiscal year",
    "covid-", "h-", "i-", "age", "aged", "ages", "page", "pages", "para.", "paragraph", "version", "h.r.",
    "h.res.", "s.res.", "h.j.res.", "bridge", "port", "lane", "pier", "checkpoint", "station", "camp", "building",
    "floor", "line", "sector", "rooms", "gates", "exits", "lanes", "marker", "calling", "call", "dial", "dialing",
    "dialed",
]  # fmt: skip
# Words right before a number that make it an age: “children under 12”, “the youngest 9”, “arrives at 8”.
AGE_BEFORE = re.compile(
    r"\b(?:(?:children|child|kids|minors|youngest|oldest|eldest)\s+(?:(?:under|over|aged?)\s+)?|"
    r"(?:arrives?|arrived|arriving|born|turns?|turned)\s+at\s+|at\s+age\s+|turn(?:s|ed)?\s+|"
    r"\b(?:[Hh]e|[Ss]he)\s+(?:is|was)\s+|[A-ZÀ-Þ][a-zà-ÿ]+,\s+(?:is|was)\s+)$",
    re.IGNORECASE,
)
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december", "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
]  # fmt: skip
# Ordinals that state a count of years.
ANNIVERSARY = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\s+anniversary\b",
    re.IGNORECASE,
)

# What a number counts: the nouns after it, singular or plural (the plural is what the desk records).
UNITS = {
    "migrant": "migrants", "person": "people", "people": "people", "individual": "people", "noncitizen": "noncitizens",
    "alien": "aliens", "encounter": "encounters", "apprehension": "apprehensions", "arrest": "arrests",
    "conviction": "convictions", "interview": "interviews", "appointment": "appointments", "family": "families",
    "child": "children", "children": "children", "minor": "minors", "adult": "adults", "agent": "agents",
    "officer": "officers", "death": "deaths", "body": "bodies", "case": "cases", "charge": "charges",
    "defendant": "defendants", "removal": "removals", "deportation": "deportations", "flight": "flights",
    "pound": "pounds", "kilogram": "kilograms", "gram": "grams", "pill": "pills", "dose": "doses",
    "vehicle": "vehicles", "bed": "beds", "shelter": "shelters", "crossing": "crossings", "mile": "miles",
    "year": "years", "month": "months", "week": "weeks", "day": "days", "hour": "hours", "country": "countries",
    "nationality": "nationalities", "asylum seeker": "asylum seekers", "refugee": "refugees", "visa": "visas",
    "application": "applications", "claim": "claims", "seizure": "seizures", "rescue": "rescues",
    "gotaway": "gotaways", "release": "releases", "detainee": "detainees", "prosecution": "prosecutions",
    "indictment": "indictments", "count": "counts", "border crosser": "border crossers", "venezuelan": "Venezuelans",
}  # fmt: skip
# Rates: the words after a number that make it per day, week, month or year.
PERIODS = [
    (re.compile(r"^\s*(?:\w+\s+){0,4}?(?:per|a|each|every)\s+day\b|^\s*(?:\w+\s+){0,4}?daily\b", re.I), "per_day"),
    (re.compile(r"^\s*(?:\w+\s+){0,4}?(?:per|a|each|every)\s+week\b|^\s*(?:\w+\s+){0,4}?weekly\b", re.I), "per_week"),
    (re.compile(r"^\s*(?:\w+\s+){0,4}?(?:per|a|each|every)\s+month\b|^\s*(?:\w+\s+){0,4}?monthly\b", re.I),
     "per_month"),
    (re.compile(r"^\s*(?:\w+\s+){0,4}?(?:per|a|each|every)\s+year\b|^\s*(?:\w+\s+){0,4}?(?:annually|yearly)\b",
                re.I), "per_year"),
]  # fmt: skip
# Words in the sentence that make a count a running total.
TOTAL_WORDS = re.compile(r"\b(?:since|so far|to date|in total|cumulative|overall|altogether)\b", re.I)
# A change stated beside a percentage: “down 21% from 46,666”, “a 32% drop”.
CHANGE_DOWN = re.compile(r"\b(?:down|fell|dropped|declined|decreased|lower|fewer|less|drop|decline|decrease)\b", re.I)
CHANGE_UP = re.compile(r"\b(?:up|rose|climbed|increased|grew|higher|more|rise|increase|jump|jumped)\b", re.I)

# --- reward offers ------------------------------------------------------------------------------------------------

REWARD_WORDS = re.compile(r"\breward", re.I)
# “Crime Stoppers is offering up to $1,000 for information …”: an offer that never says “reward”.
OFFERED_BEFORE = re.compile(r"\b(?:offer(?:s|ing|ed)?|pay(?:s|ing)?|will pay)\s+(?:a\s+|an\s+)?$", re.I)
FOR_INFORMATION = re.compile(r"(?:information|tips?)\b", re.I)  # matched where the criterion starts
# After an amount, the words that begin what it is offered for.
# “$500,000 for”, “$1,500 reward for”, “$2M in rewards for”, “The reward, up to $25,000, is for”, “as much as
# $20,000 is available for”, “up to $10,000 each are also being offered for”.
CRITERION_START = re.compile(
    r"^\s*(?:each\s+)?,?\s*(?:rewards?\s+)?(?:(?:is|are|will be|would be|was|were)\s+(?:also\s+|now\s+)*"
    r"(?:available|offered|being offered|paid)?\s*(?:by\s+[^.,;]{1,60}?\s+)?)?(?:in\s+rewards?\s+|rewards?\s+)?"
    r"(?:each\s+)?for\s+",
    re.I,
)
# Words before an amount that make it a ceiling though it says no “up to”: “The reward, which could reach $40,000”.
CEILING_BEFORE = re.compile(r"\b(?:could|may|might|can|will)\s+reach\s+$|\bmaximum\s+of\s+$", re.I)
# An amount that is the sum of several offers, not one: “$8 million in reward funds”.
REWARD_TOTAL = re.compile(r"^\s*in\s+(?:total\s+)?reward\s+(?:funds|money)\b|^\s*in\s+rewards\b", re.I)
PROGRAM_NAME = re.compile(r"\b(?:(?!The\b)[A-Z][\w-]*\s+){1,6}Rewards? Program\b")
PHONE = re.compile(r"(?:\+?1[\s.-])?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b")
WEB = re.compile(r"\b(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:gov|com|org|net|mil)(?:/[\w./-]*)?", re.I)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# An address given for the reporter, not for tips.
NOT_FOR_TIPS = re.compile(
    r"(?:reached|reach (?:him|her|them)|contact (?:the )?(?:reporter|author|writer))\s+(?:at\s+)?$", re.I
)

# Words that end a place's name: “World Trade Bridge”, “Tuquesa River”.
PLACE_WORDS = re.compile(
    r"\b(?:River|Gap|Valley|States|Hemisphere|County|City|Mountains?|Sea|Ocean|Gulf|Island|Islands|Desert|Sector|"
    r"Bridge|Province|State|Lake|Canyon|Park|Coast|Plaza|Crossing|Port|Pass|Sula)$"
)

# --- quotes -------------------------------------------------------------------------------------------------------

SPEECH_VERBS = [
    "said", "says", "told", "tells", "added", "adds", "wrote", "writes", "has written", "stated", "states",
    "explained",
    "noted", "asked", "continued", "recalled", "warned", "argued", "insisted", "acknowledged", "declared",
    "announced", "testified", "posted", "tweeted", "replied", "responded", "remarked", "emphasized", "stressed",
    "answered", "countered", "conceded", "observed", "wondered", "pleaded", "urged", "cautioned", "predicted",
    "promised", "vowed", "complained", "admitted", "agreed", "objected", "suggested", "concluded", "joked",
    "shouted", "whispered", "texted", "emailed", "put it", "summed up", "called",
]  # fmt: skip
PRONOUNS = {"he", "she", "they", "him", "her"}
# A speaker named in the sentence after a quote that ends its own: “…” That is how Capt. Anita Cordero puts it.
NEXT_SENTENCE_ATTRIBUTION = re.compile(
    r"^\s*(?:That|This)(?:['’]s| is| was) (?:how|what) (?P<who>[^.!?“”\"\n]{1,120}?) (?:puts|put|says|said|describes|"
    r"described|calls|called|sees|saw|explains|explained) it\b"
)
# Whom a pronoun can stand for, and the words before a name that say so (“Her mother, Graciela Ríos”).
PRONOUN_GENDER = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she", "hers": "she"}
GENDER_WORDS = {
    "mother": "she", "daughter": "she", "wife": "she", "sister": "she", "woman": "she", "grandmother": "she",
    "aunt": "she", "ms.": "she", "mrs.": "she", "father": "he", "son": "he", "husband": "he", "brother": "he",
    "man": "he", "grandfather": "he", "uncle": "he", "mr.": "he",
}  # fmt: skip
GENDERED_BEFORE = re.compile(r"\b(" + "|".join(map(re.escape, GENDER_WORDS)) + r")(?:,\s+|\s+)$", re.I)
KIN_BEFORE = re.compile(r"\b(?:" + "|".join(map(re.escape, GENDER_WORDS)) + r"|cousin|partner),\s+$", re.I)
# Words between a speaker and the speech verb: “a volunteer has added”.
AUXILIARIES_AFTER = re.compile(r"(?:\s+(?:has|have|had|also|then|later|again|once|would|will|did|only))+$")
# Roles by which a person named once may be called later (“the judge” for “U.S. District Judge Eleanor
# Vasquez-Harmon”), when no one else the text names has that role.
ROLES = [
    "judge", "sheriff", "mayor", "chief", "consul", "director", "superintendent", "senator", "governor",
    "commissioner", "ambassador", "secretary", "pastor", "minister", "president", "prosecutor", "spokesperson",
    "spokesman", "spokeswoman", "economist", "lawyer", "researcher", "founder",
]  # fmt: skip
# Titles that “the HEAD” may stand for: “the pastor” is “the Rev. Joaquín Peña-Villalobos”.
TITLES_FOR = {
    "pastor": ("rev.", "reverend"), "priest": ("rev.", "father", "fr."), "senator": ("sen.",),
    "representative": ("rep.",), "congressman": ("rep.",), "congresswoman": ("rep.",), "governor": ("gov.",),
    "doctor": ("dr.",), "lieutenant": ("lt.",), "sergeant": ("sgt.",), "captain": ("capt.",),
    "general": ("gen.",), "colonel": ("col.",),
}  # fmt: skip


# Given names read as a woman's or a man's when the text itself says nothing of the person (“Marisol … she
# says”): weak evidence, used only then. Common Spanish and English names; an editor adds others.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN_NAMES = {
    "she": _words(
        "María Maria Ma. Ana Rosa Marisol Carmen Guadalupe Lucía Lucia Elena Sofía Sofia Isabel Juana Teresa Patricia "
        "Gabriela Adriana Alejandra Andrea Beatriz Claudia Daniela Diana Dolores Dora Esperanza Eugenia Fernanda "
        "Gloria Graciela Irma Julia Laura Leticia Lorena Luisa Margarita Marta Martha Mercedes Mónica Monica Norma "
        "Paola Raquel Rebeca Rocío Rocio Silvia Susana Verónica Veronica Victoria Yolanda Yesenia Keila Marleny "
        "Inés Ines Elvira Delia Priya Dana Mary Linda Susan Karen Lisa Nancy Sarah Jessica Jennifer Elizabeth "
        "Margaret Emily Anna Ashley Amanda Melissa Michelle Kimberly Stephanie Rachel Heather Nicole Kaylee Anita "
        "Carla Teresa Eleanor Miriam Dolores Consuelo Josefina Angélica Angelica Araceli Brenda Cecilia Cristina "
        "Elisa Estela Gisela Karina Liliana Maribel Natalia Olga Pilar Reyna Sandra Valeria Ximena Zulema"
    ),
    "he": _words(
        "José Jose Juan Luis Carlos Jorge Miguel Pedro Manuel Francisco Antonio Javier Alejandro Roberto Ricardo "
        "Fernando Eduardo Raúl Raul Sergio Andrés Andres Arturo Alberto Enrique Héctor Hector Rafael Ramiro Ramón "
        "Ramon Rigoberto Efraín Efrain Julián Julian Julio Mario Martín Martin Óscar Oscar Pablo Rubén Ruben "
        "Salvador Tomás Tomas Víctor Victor Gilberto Aurelio Mateo Diego Daniel David Gabriel Emilio Ernesto "
        "Esteban Felipe Gerardo Gustavo Ignacio Jaime Joaquín Joaquin Leonardo Lorenzo Marco Marcos Mauricio "
        "Nicolás Nicolas Orlando Rodrigo Santiago Alfredo Abraham Eloy Wilmer Kevin Brayan John James Robert "
        "Michael William Richard Joseph Thomas Charles Christopher Matthew Anthony Mark Donald Steven Paul Andrew "
        "Joshua Kenneth George Brian Edward Ronald Timothy Jason Jeffrey Ryan Jacob Gary Harold Gregory Raymond "
        "Dennis Peter Henry Frank"
    ),
}
# Particles inside a person's name: “Graciela Ríos de Montemayor”, “Juan de la Cruz”.
PARTICLES = {"de", "del", "la", "las", "los", "y", "van", "von", "da", "dos"}
# Words before the one who made a statement: “according to a statement from the Tamaulipas Attorney General’s
# Office” is the office.
STATEMENT_FROM = re.compile(
    r"^(?:a|an|the)\s+(?:written\s+|joint\s+)?statement\s+(?:from|by|issued by|released by)\s+"
)
# Titles before a name: dropped from the speaker's name (“Deputy Attorney General Lisa Monaco” is Lisa Monaco).
TITLE_WORDS = {
    "president", "vice", "secretary", "deputy", "attorney", "general", "assistant", "acting", "special", "agent",
    "in", "charge", "chief", "commissioner", "director", "senator", "sen.", "rep.", "representative", "gov.",
    "governor", "mayor", "judge", "pastor", "rev.", "father", "sister", "dr.", "mr.", "ms.", "mrs.", "sheriff",
    "officer", "sgt.", "lt.", "capt.", "col.", "gen.", "u.s.", "us", "spokesperson", "spokesman", "spokeswoman",
    "councilor", "councillor", "councilman", "councilwoman", "council", "member", "alderman", "trustee", "consul",
    "county", "city", "port", "captain", "lieutenant", "sergeant", "deputies", "deputy,",
    "administrator", "ambassador", "minister", "ceo", "founder", "executive", "senior", "official", "the",
    "undersecretary", "under", "of", "state", "homeland", "security", "border", "patrol", "chief,", "sector",
    "superintendent", "principal", "professor", "bishop", "archbishop", "coach", "district", "circuit", "magistrate",
    "warden", "ranger", "trooper", "detective", "inspector", "corporal", "marshal", "constable", "prosecutor",
}  # fmt: skip
# Words that make a name an organization's.
ORGANIZATION_WORDS = re.compile(
    r"\b(?:Department|Agency|Office|Bureau|Patrol|Protection|Service|Services|Administration|Commission|"
    r"Committee|Ministry|Program|Council|Court|Police|Army|Navy|Guard|Coalition|Center|Centre|Network|Institute|"
    r"Foundation|Church|Shelter|House|Senate|Congress|Cartel|Clan|Gang|University|Association|Union|Force|"
    r"Organization|Organisation|Corporation|Company|Inc\.?|Group|Report|News|Times|Post|Press|Government|Lines|"
    r"Freight|Transport|Trucking|Airlines|Bank|Partners|LLC|Association|Institute|Fund|Project|Alliance|"
    r"Investigations|Enforcement|Customs|Operations|Aid|Affairs|Litigation|Fiscalía|Sector|Station)\b"
)
# Definite descriptions that point back to the last speaker or organization: “the agency”, “the official”.
# “The official said”, “the administrator said”: a definite description pointing back to whom the text described
# before (its last word is the head looked for).
BACK_REFERENCE = re.compile(r"^[Tt]he\s+(?:[a-z-]+\s+){0,3}([a-z]+)$")
# Heads that make “the HEAD” an organization (“the agency said”), and those of them that fit any organization.
ORGANIZATION_HEADS = {"agency", "department", "office", "statement", "committee", "commission", "council", "court",
                      "ministry", "institute", "bureau", "administration", "service", "patrol", "program"}  # fmt: skip
GENERIC_HEADS = {"agency", "office", "statement", "department"}
# What makes an organization one that issues statements as “the agency”.
GOVERNMENT_WORDS = re.compile(r"\b(?:Department|Agency|Office|Administration|Bureau|Commission|Ministry|Service)\b")
