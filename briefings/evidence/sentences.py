"""Where the sentences of a source begin and end, so a “source sentence” can be held to whole sentences.

A rule-based splitter for news text: a sentence ends at “.”, “!”, “?” or “…” (with any closing quotation marks
or brackets) before a space, and at every line break; not after a known abbreviation (“Oct.”, “U.S.”, “Gen.”) or
an initial, nor before a lower-case word. A sentence may begin after an opening quotation mark and end before a
closing one, so a quoted sentence counts whole with or without its marks.
"""

import re
from functools import lru_cache

ABBREVIATIONS = frozenset(
    """
    a.m adm approx apr aug ave capt cmdr co col corp dec dept dr e.g est etc feb fig gen gov i.e inc jan jr
    jul jun lt mar mr mrs ms no nos nov oct p.m pres rep sen sep sept sgt sr st u.k u.n u.s vs
    """.split()  # noqa: SIM905 (easier to read and extend as words)
)
OPENING = "“‘\"'(["
CLOSING = "”’\"')]"
BULLETS = "•·*–—-"
TERMINATOR = re.compile(rf"[.!?…]+[{re.escape(CLOSING)}]*(?=\s|$)")


@lru_cache(maxsize=32)
def boundaries(text: str) -> tuple[frozenset[int], frozenset[int]]:
    """(starts, ends): the offsets at which a sentence of `text` may begin, and just past where one may end."""
    starts, ends = set(), set()
    for line in re.finditer(r"[^\n]+", text):
        _add_start(text, line.start(), line.end(), starts)
        _add_end(text, line.start(), line.end(), ends)
        for match in TERMINATOR.finditer(text, line.start(), line.end()):
            if _is_sentence_end(text, match.start(), match.end(), line.end()):
                ends.add(match.end())
                ends.add(match.start() + len(match.group().rstrip(CLOSING)))  # before its closing marks
                _add_start(text, match.end(), line.end(), starts)
    return frozenset(starts), frozenset(ends)


def _add_start(text, position, line_end, starts):
    while position < line_end and (text[position].isspace() or text[position] in BULLETS):
        position += 1
    if position < line_end:
        starts.add(position)
        while position < line_end and text[position] in OPENING:
            position += 1
            starts.add(position)


def _add_end(text, line_start, line_end, ends):
    end = line_end
    while end > line_start and text[end - 1].isspace():
        end -= 1
    ends.add(end)
    while end > line_start and text[end - 1] in CLOSING:
        end -= 1
        ends.add(end)


def _is_sentence_end(text, start, end, line_end) -> bool:
    after = text[end:line_end].lstrip()
    if after[:1].islower() or after[:1].isdigit():
        return False
    if text[start] != ".":
        return True
    word = re.search(r"([\w.]+)$", text[:start])
    word = word.group(1).lower() if word else ""
    if word in ABBREVIATIONS or re.fullmatch(r"[a-z]", word) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", word):
        return not after  # an abbreviation ends a sentence only at the end of its line
    return True


def is_whole_sentences(passage: str, text: str) -> bool:
    """Whether `passage` occurs in `text` as one or more whole sentences (at some occurrence)."""
    starts, ends = boundaries(text)
    position = text.find(passage)
    while position != -1:
        if position in starts and position + len(passage) in ends:
            return True
        position = text.find(passage, position + 1)
    return False


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The smallest run of whole sentences of `text` that holds text[start:end], with its opening quotation
    marks."""
    starts, ends = boundaries(text)
    begin = max((s for s in starts if s <= start), default=0)
    while begin - 1 in starts and text[begin - 1] in OPENING:
        begin -= 1
    finish = min((e for e in ends if e >= end), default=len(text))
    while finish < len(text) and finish + 1 in ends and text[finish] in CLOSING:
        finish += 1
    return begin, finish


def sentences_holding(passage: str, text: str) -> list[str]:
    """Each distinct run of whole sentences of `text` that holds `passage`, in the order they appear."""
    found = []
    position = text.find(passage) if passage else -1
    while position != -1:
        begin, finish = sentence_around(text, position, position + len(passage))
        if text[begin:finish] not in found:
            found.append(text[begin:finish])
        position = text.find(passage, position + 1)
    return found
