"""A briefing read as a story: its body with the passages its figures and quotes come from marked in it.

Each figure's sentence is marked (`<mark class="sourced">`) and its number, as printed, links to the figure's
provenance page; each quote's words are marked and followed by a small reference to who said them. Marks are
put in the rendered body's text only (never inside a tag), in the order the body gives them; a passage the body
does not hold word for word (the desk may have shortened the body) is simply not marked: the figure or quote is
still listed beside the story. No script is involved.

A body the desk translated holds the desk's translations of those passages, not the source's words: on a page in
another language than the source's, the translations are what is looked for (and a figure's number as digits).
"""

import re
from dataclasses import dataclass

import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .languages import desk_translation, evidence_language
from .markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, keep_attribute


@dataclass
class _Mark:
    start: int  # in the body's HTML
    end: int
    opening: str
    closing: str
    inner: list["_Mark"]  # the links inside the passage


@dataclass
class Story:
    body: SafeString  # the body's HTML, marked
    marked_figures: set[int]  # the pks of the figures whose number is linked in it
    marked_quotes: set[int]  # and of the quotes marked in it
    passages: dict[str, str]  # each marked sentence's element id (without “#”)
    language: str  # the page's, which it was marked for


def marked_body(html: str, figures, quotes) -> Story:
    """The body's HTML (as rendered and cleaned by markdown.render_markdown(): Briefing.rendered_body) with each
    figure's sentence and each quote's words marked and linked (see above), and which were: a figure or quote the
    body does not hold is to be shown in full beside it."""
    marks: list[_Mark] = []
    marked_figures, marked_quotes, passages = set(), set(), {}
    language = get_language()
    figure_closing = format_html('<span class="visually-hidden"> {}</span></a>', _("(where this figure comes from)"))
    who_said = _("Who said this: quote ")
    for sentence, group in _by_sentence(figures, language):
        span = _find_in_text(html, _text(sentence), marks)
        if span is None:
            continue
        start, end = span
        inner = []
        for figure in group:  # each number wherever it stands in the sentence, a whole number, not inside another
            value = _find_in_text(html, _text(_number_of(figure, language)), inner, start, end, whole_number=True)
            if value is None or _in_link(html, value[0]):
                continue
            opening = format_html('<a class="fact" href="{}">', figure.get_absolute_url())
            inner.append(_Mark(*value, opening, figure_closing, []))
            marked_figures.add(figure.pk)
        passages[sentence] = f"passage-{group[0].slug}"
        opening = format_html('<mark class="sourced" id="{}">', passages[sentence])
        marks.append(_Mark(start, end, opening, "</mark>", inner))
    for number, quote in enumerate(quotes, start=1):
        span = _find_in_text(html, _text(_words_of(quote, language)), marks)
        if span is None or _in_link(html, span[0]):  # words that are a link's: shown in full beside the story
            continue
        reference = format_html(
            '</mark><sup class="ref"><a href="#quote-{}"><span class="visually-hidden">{}</span>{}</a></sup>',
            quote.slug,
            who_said,
            number,
        )
        opening = format_html('<mark class="quoted" id="passage-quote-{}">', quote.slug)
        marks.append(_Mark(span[0], span[1], opening, reference, []))
        marked_quotes.add(quote.pk)
    # Every inserted piece is built with format_html from escaped values, and the whole is cleaned once more by
    # the same allow-list, widened only by what marking adds: a mistake here cannot let markup through.
    return Story(mark_safe(_clean(_apply(html, marks))), marked_figures, marked_quotes, passages, language)


def _clean(html: str) -> str:
    attributes = {
        **{tag: set(allowed) for tag, allowed in ALLOWED_ATTRIBUTES.items()},
        "a": {*ALLOWED_ATTRIBUTES["a"], "class"},
        "mark": {"class", "id"},
        "sup": {"class"},
        "span": {"class"},
    }
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"mark", "span"},
        attributes=attributes,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=keep_attribute,
        link_rel=None,  # the body's own links kept theirs when it was rendered
    )


def _in_link(html: str, position: int) -> bool:
    """Whether `position` lies inside an <a> element (a link must not hold another)."""
    return html.rfind("<a ", 0, position) > html.rfind("</a>", 0, position)


def _by_sentence(figures, language):
    """The figures grouped by the sentence they come from, in the order of their first figure."""
    groups: dict[str, list] = {}
    for figure in figures:
        groups.setdefault(_sentence_of(figure, language), []).append(figure)
    return groups.items()


def _translated(record, language) -> bool:
    """Whether the page (in `language`) is in another language than the record's source: the body then holds the
    desk's words."""
    return evidence_language(record) != language


def _sentence_of(figure, language) -> str:
    if _translated(figure, language):
        return desk_translation(figure, "sentence_translation", language)
    return figure.source_sentence


def _number_of(figure, language) -> str:
    """The figure's number as the body prints it: as printed, or in a translation its digits (“200”)."""
    if not _translated(figure, language):
        return figure.value_as_printed
    value = figure.value
    return "" if value is None or value != value.to_integral() else str(int(value))


def _words_of(quote, language) -> str:
    if _translated(quote, language):
        return desk_translation(quote, "translation", language)
    return quote.text


def _text(words: str) -> str:
    """`words` as the rendered body prints them in its text: & < > escaped, and nothing else."""
    return escape(words).replace("&#x27;", "'").replace("&quot;", '"')


def _find_in_text(html, needle, taken, start=0, end=None, *, whole_number=False):
    """(start, end) of the first `needle` in `html[start:end]` that lies in text (not in a tag) and overlaps no
    passage already taken; None when there is none. `whole_number`: not part of a longer number (“2” is not the
    “2” of “2024”, “1,200” not that of “11,200”)."""
    end = len(html) if end is None else end
    position = start
    while needle and (found := html.find(needle, position, end)) != -1:
        last = found + len(needle)
        in_tag = html.rfind("<", 0, found) > html.rfind(">", 0, found) or "<" in html[found:last]
        overlaps = any(mark.start < last and found < mark.end for mark in taken)
        part_of_number = whole_number and (
            re.search(r"[\d$][.,]?$", html[max(0, found - 2) : found]) or re.match(r"[.,]?\d", html[last : last + 2])
        )
        if not in_tag and not overlaps and not part_of_number:
            return found, last
        position = found + 1
    return None


def _apply(html: str, marks: list[_Mark]) -> str:
    """`html` with every mark's tags inserted, from the last position back so earlier offsets hold."""
    insertions = []
    for mark in marks:
        insertions += [(mark.start, 1, mark.opening), (mark.end, 0, mark.closing)]
        for inner in mark.inner:
            insertions += [(inner.start, 2, inner.opening), (inner.end, -1, inner.closing)]
    # At one offset the last inserted comes first, so by descending order: closings (inner before outer), then
    # openings (outer before inner).
    for offset, _order, tag in sorted(insertions, key=lambda item: (item[0], item[1]), reverse=True):
        html = html[:offset] + tag + html[offset:]
    return html


def page(html: str, figures, quotes) -> dict:
    """What a briefing's page shows of its story (jinja2/briefings/briefing_detail.html): the marked body,
    “The numbers” (a minor figure stays out only when the story links it), who is quoted, and which figures print
    their sentence."""
    marked = marked_body(html, figures, quotes)
    box = [figure for figure in figures if not figure.is_minor or figure.pk not in marked.marked_figures]
    return {
        "story": marked,
        "box_figures": box,
        "minor_figures": [figure for figure in figures if figure.is_minor and figure.pk in marked.marked_figures],
        "sentence_printed": sentences_to_print(box, marked),
        "quoted": quoted_speakers(quotes),
    }


def sentences_to_print(figures, marked: Story) -> set[int]:
    """The figures (pks) in the box whose provenance prints their sentence: the first from each sentence. The others
    link to where it is printed (`figure.sentence_passage`: the passage the story marks, else the first figure's
    line), so that no sentence is printed more than twice on the page."""
    printing, first_in_box = set(), {}
    for figure in figures:
        first = first_in_box.setdefault(figure.source_sentence, figure)
        if first is figure:
            printing.add(figure.pk)
        else:  # where its sentence is printed already: marked in the story, else in the first figure's line
            passage = marked.passages.get(_sentence_of(figure, marked.language))
            figure.sentence_passage = passage or f"figure-{first.slug}"
    return printing


def quoted_speakers(quotes) -> list[tuple[object, list[tuple[int, object]]]]:
    """Who is quoted, each speaker once: (their first quote, [(number, quote), …]), numbered as the story's
    references are (marked_body), in the order each speaker is first quoted."""
    speakers: dict[tuple, list] = {}
    for number, quote in enumerate(quotes, start=1):
        key = (quote.speaker_id, quote.speaker_description, quote.speaker_organization_id, quote.medium)
        speakers.setdefault(key, []).append((number, quote))
    return [(numbered[0][1], numbered) for numbered in speakers.values()]
