"""Where a passage the desk typed differs from its source: the closest passage, and each character that differs.

A straight apostrophe for ’, a double or non-breaking space, a hyphen for a dash, “Darien” for “Darién”: these
are found by folding both texts (quotation marks, dashes, spaces, accents and case), so the closest passage is the
one meant even when every word differs a little; other slips fall back to the longest run the two share.
"""

import difflib
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FOLDED = {
    **dict.fromkeys("‘’‚‛′`´", "'"),
    **dict.fromkeys("“”„‟″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
MOST_DIFFERENCES = 5
CHARACTER_NAMES = {
    " ": gettext_lazy("a space"),
    "\u00a0": gettext_lazy("a non-breaking space"),
    "\u202f": gettext_lazy("a narrow non-breaking space"),
    "\u2009": gettext_lazy("a thin space"),
    "\n": gettext_lazy("a line break"),
    "\t": gettext_lazy("a tab"),
    "'": gettext_lazy("a straight apostrophe (')"),
    "’": gettext_lazy("a curly apostrophe (’)"),
    '"': gettext_lazy('a straight quotation mark (")'),
    "-": gettext_lazy("a hyphen (-)"),
    "–": gettext_lazy("an en dash (–)"),
    "—": gettext_lazy("an em dash (—)"),
}


@dataclass(frozen=True)
class Mismatch:
    """A typed passage that is not in the source: the source's closest passage (None if nothing is close) and
    the differences, each as a sentence."""

    passage: str | None
    differences: tuple[str, ...]

    def message(self) -> str:
        if self.passage is None:
            return _("Nothing in the source is close to it: check that the right source is chosen.")
        shown = self.differences[:MOST_DIFFERENCES]
        more = len(self.differences) - len(shown)
        text = _("The closest passage of the source is “%(passage)s”. It differs: %(differences)s.") % {
            "passage": self.passage,
            "differences": "; ".join(shown) + (_("; and %(count)d more") % {"count": more} if more else ""),
        }
        return text


def _fold(text: str) -> tuple[str, list[int]]:
    """`text` with quotation marks, dashes, spaces, accents and case folded, and for each folded character the
    offset of the character it came from."""
    folded, offsets = [], []
    for index, character in enumerate(text):
        if character.isspace():
            if folded and folded[-1] == " ":
                continue
            character = " "
        else:
            character = FOLDED.get(character, character)
            character = "".join(c for c in unicodedata.normalize("NFD", character) if not unicodedata.combining(c))
        for part in character.lower():
            folded.append(part)
            offsets.append(index)
    return "".join(folded), offsets


def find_whole_words(passage: str, text: str) -> int | None:
    """Where `passage` occurs in `text` without cutting a word at either end (“quiet” is not in “quieter”)."""
    position = text.find(passage)
    while position != -1:
        end = position + len(passage)
        starts_clean = position == 0 or not (text[position - 1].isalnum() and passage[0].isalnum())
        ends_clean = end == len(text) or not (text[end].isalnum() and passage[-1].isalnum())
        if starts_clean and ends_clean:
            return position
        position = text.find(passage, position + 1)
    return None


def compare(typed: str, source_text: str) -> Mismatch:
    """The closest passage of `source_text` to `typed` (which is not in it) and where the two differ."""
    folded_source, offsets = _fold(source_text)
    folded_typed, _offsets = _fold(typed.strip())
    if not folded_typed:
        return Mismatch(None, ())
    position = folded_source.find(folded_typed)
    if position != -1:
        start, end = offsets[position], offsets[position + len(folded_typed) - 1] + 1
        start, end = _widen_to_words(source_text, start, end)
    else:
        matcher = difflib.SequenceMatcher(None, folded_source, folded_typed, autojunk=False)
        match = matcher.find_longest_match(0, len(folded_source), 0, len(folded_typed))
        if match.size < max(4, len(folded_typed) // 4):
            return Mismatch(None, ())
        first = max(0, match.a - match.b)
        last = min(len(folded_source), match.a + (len(folded_typed) - match.b)) - 1
        start, end = _widen_to_words(source_text, offsets[first], offsets[last] + 1)
        if difflib.SequenceMatcher(None, source_text[start:end], typed, autojunk=False).ratio() < 0.6:
            return Mismatch(None, ())
    passage = source_text[start:end]
    return Mismatch(passage, tuple(differences(typed, passage)))


def _widen_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """The span grown to the ends of the words it cuts."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def differences(typed: str, passage: str) -> list[str]:
    """Each place where `typed` differs from `passage`, as “the source has X where you typed Y (in “…”)”."""
    found = []
    matcher = difflib.SequenceMatcher(None, passage, typed, autojunk=False)
    for operation, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        theirs, yours = passage[a_start:a_end], typed[b_start:b_end]
        where = _context(passage, a_start, a_end)
        if operation == "replace":
            found.append(
                _("the source has %(theirs)s where you typed %(yours)s (in “%(where)s”)")
                % {"theirs": _name(theirs), "yours": _name(yours), "where": where}
            )
        elif operation == "delete":
            found.append(
                _("the source has %(theirs)s that you left out (in “%(where)s”)")
                % {"theirs": _name(theirs), "where": where}
            )
        else:
            found.append(
                _("you typed %(yours)s that the source does not have (in “%(where)s”)")
                % {"yours": _name(yours), "where": where}
            )
    return found


def _name(characters: str) -> str:
    if characters in CHARACTER_NAMES:
        return str(CHARACTER_NAMES[characters])
    if characters.isspace():
        return _("%(count)d spaces") % {"count": len(characters)}
    return f"“{characters}”"


def _context(text: str, start: int, end: int, around: int = 12) -> str:
    begin, finish = max(0, start - around), min(len(text), end + around)
    return ("…" if begin else "") + text[begin:finish].replace("\n", " ") + ("…" if finish < len(text) else "")
