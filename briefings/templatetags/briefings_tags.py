"""Template filters and tags for the public pages: Markdown, and each text in the language it is written in."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from ..languages import desk_translation, evidence_language, shown_language
from ..markdown import render_markdown

register = template.Library()


@register.filter(is_safe=True)
def markdown(text):
    return mark_safe(render_markdown(text))  # cleaned by nh3 above


@register.filter
def tr(obj, field):
    """`obj.field` in the page's language, or wrapped in `<span lang="en">` when it is the English it falls back
    to (no translation yet): a screen reader then reads it with an English voice. For element content only."""
    value = getattr(obj, field)
    language = shown_language(obj, field)
    if not value or language == translation.get_language():
        return value
    return format_html('<span lang="{}">{}</span>', language, value)


@register.simple_tag
def lang_of(obj, field):
    """` lang="en"` for an element holding `obj.field` when that is read in another language than the page's."""
    language = shown_language(obj, field)
    return "" if language == translation.get_language() else format_html(' lang="{}"', language)


@register.simple_tag
def evidence_lang(obj):
    """` lang="en"` for an element holding a record's verbatim words when its source's language is not the page's."""
    language = evidence_language(obj)
    return "" if language == translation.get_language() else format_html(' lang="{}"', language)


@register.filter
def reads_as_is(obj) -> bool:
    """Whether a record's verbatim words are in the page's language (no desk's translation needed beside them)."""
    return evidence_language(obj) == translation.get_language()


@register.simple_tag
def figure_value(figure):
    """A figure's number as its reader reads it: the words as printed when the page is in its source's language
    (“only about 200”, the unit after it when they do not say it); else the desk's reading of them in the page's
    language and formats (“solo alrededor de 200 encuentros”), the printed words staying in its provenance. A
    figure with no number (“a few hundred”) keeps its words, marked with their language."""
    language = evidence_language(figure)
    if language == translation.get_language() or figure.value is None:
        unit = figure.unit_beside_value
        return format_html(
            '<span class="figure-value"{}>{}</span>{}',
            evidence_lang(figure),
            figure.value_as_printed,
            format_html(' <span class="figure-unit">{}</span>', unit) if unit else "",
        )
    value = figure.value
    number = intcomma(int(value) if value == value.to_integral() else value.normalize())
    if figure.unit == "usd":
        number, unit = f"US${number}", ""
    elif figure.unit == "percent":
        number, unit = f"{number}\N{NO-BREAK SPACE}%", ""
    else:
        unit = figure.get_unit_display()
    qualifier = "" if figure.qualifier == figure.Qualifier.EXACT else figure.get_qualifier_display()
    return format_html(
        '<span class="figure-value">{}</span>{}',
        f"{qualifier} {number}".strip(),
        format_html(' <span class="figure-unit">{}</span>', unit) if unit else "",
    )


@register.filter
def printed(figure):
    """A figure's number as its source prints it (“only about 200”), marked with the source's language when that
    is not the page's: for a sentence of the page that quotes it."""
    language = evidence_language(figure)
    if language == translation.get_language():
        return figure.value_as_printed
    return format_html('<span lang="{}">{}</span>', language, figure.value_as_printed)


register.simple_tag(desk_translation)  # {% desk_translation quote "translation" as translated %}
