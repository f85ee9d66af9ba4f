"""Quotes: the words between paired quotation marks (who said them: speakers.py).

- A quote is what lies inside “…” or "…", less a comma that ends it before its attribution. A paragraph that
  opens a quote and does not close it goes on in the next paragraph, which opens it again: each part is a quote.
- A single word or a short name in marks is not a quote (scare quotes, titles), unless a speech verb follows it.
"""

import re
from dataclasses import dataclass

from .speakers import AFTER_SPEAKER_VERB, AFTER_VERB_SPEAKER, INTRODUCED, Speakers


@dataclass
class Quote:
    start: int
    end: int
    text: str
    speaker: str
    speaker_kind: str  # "person", "description", "organization" or "" (not found)


def find_quotes(text: str, *, organizations=(), people=()) -> list[Quote]:
    """Every quote of `text` with its speaker. `organizations` and `people`: names the desk knows."""
    quotes, context = [], Speakers(text, organizations=organizations, people=people)
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


def _is_a_name(words: str) -> bool:
    """“Éxodo de la Esperanza.”: every word capitalized but the particles of a name."""
    tokens = re.findall(r"[\w’'-]+", words)
    particles = {"de", "la", "del", "los", "las", "el", "of", "the", "and", "y", "for"}
    return len(tokens) >= 2 and all(token[0].isupper() or token in particles for token in tokens)


def _speech_follows(after: str) -> bool:
    return bool(AFTER_VERB_SPEAKER.match(after) or AFTER_SPEAKER_VERB.match(after))
