"""The Jinja2 environment the public pages render with (the admin keeps Django's templates): Django's gettext,
addresses and formats, and each text in the language it is written in.

Jinja2 compiles a template to Python once; Django's template engine walks its node tree on every render, which
made half of a briefing's time (README, “Rendering without a cache”). What Django's engine did by itself is
explicit here: a date is shown in the desk's time zone by the `date` filter, a number is localized by
`intcomma` or `floatformat`.
"""

import datetime
import functools

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from jinja2 import ChainableUndefined, Environment, Template, nodes, pass_context
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, _escape_inner  # see escape_output()

from . import fast_paths
from .fast_paths import address_scope, date_format, page_url
from .languages import column, desk_translation, evidence_language, shown_language, translated_originals


def environment(**options):
    # A name a page's context lacks prints nothing, and so does an attribute of it, in development as in
    # production, as Django's engine did (Django's backend would print `{{ name }}` under DEBUG).
    options["undefined"] = ChainableUndefined
    # The site's templates, a fixed few dozen, kept in a plain dict (Jinja2's `cache_size=-1`) instead of an LRU
    # cache that takes a lock and reorders itself for each of a page's includes (~70 on a briefing's page).
    options.setdefault("cache_size", -1)
    # Each template file as Django printed it, its last newline included (an include stays word for word).
    env = PageEnvironment(extensions=["jinja2.ext.i18n"], keep_trailing_newline=True, **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=False)
    env.globals["_"] = gettext  # not Jinja2's alias, which looks `gettext` up in the context on every call
    env.globals.update(
        url=url,
        static=static,
        querystring=querystring,
        get_language=translation.get_language,
        **{name: _in_active_language(function) for name, function in _IN_LANGUAGE.items()},
        site_name=settings.SITE_NAME,  # for the error pages too, rendered without a request
    )
    env.filters.update(
        tr=tr,
        printed=printed,
        reads_as_is=reads_as_is,
        date=date,
        intcomma=intcomma,
        floatformat=fast_paths.floatformat,
        capfirst=capfirst,
        truncatewords=truncatewords,
    )
    return env


class PageTemplate(Template):
    def render(self, *args, **kwargs):
        """The page, its links written in one address scope (fast_paths.address_scope())."""
        with address_scope():
            return super().render(*args, **kwargs)


class PageCodeGenerator(CodeGenerator):
    """Compiles a call of `_`, `gettext` or `ngettext` (the catalogue context processor's, or Django's on a page
    rendered without it: plain functions either way) to a plain call, instead of through `Context.call()`, which
    looks each callee over for Jinja2's `pass_context` markers: a briefing's page prints some 230 messages."""

    def visit_Call(self, node, frame, forward_caller=False):
        if (
            isinstance(node.node, nodes.Name)
            and node.node.name in GETTEXT_NAMES
            and not (node.kwargs or node.dyn_args or node.dyn_kwargs or forward_caller)
            and not (self.environment.is_async or self.environment.sandboxed)
        ):
            self.visit(node.node, frame)
            self.write("(")
            for index, argument in enumerate(node.args):
                self.write(", " if index else "")
                self.visit(argument, frame)
            self.write(")")
        else:
            super().visit_Call(node, frame, forward_caller=forward_caller)

    def _output_child_pre(self, node, frame, finalize):
        """What `{{ … }}` prints is escaped by `escape_output()` instead of markupsafe's `escape()` (measured,
        requests interleaved one by one: 8–17% of a page's time)."""
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_output(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


def escape_output(value) -> str:
    """markupsafe's `escape(value)` as a plain string: the same text, without a Markup instance made for each of
    the ~1,000 values a page prints only to be joined into it. `_escape_inner` is what `escape()` calls on a str
    (markupsafe's C speedups); tests/test_templating.py holds this to `escape()` for every kind of value, so an
    upgrade that changes it fails there."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


GETTEXT_NAMES = frozenset({"_", "gettext", "ngettext"})


class PageEnvironment(Environment):
    template_class = PageTemplate
    code_generator_class = PageCodeGenerator
    escape_output = staticmethod(escape_output)


def url(name, *args, **kwargs):
    """`reverse()`; an address with no arguments through fast_paths.page_url(), which reverses it once."""
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return page_url(name)


@pass_context
def querystring(context, **changes):
    """This page's query string with `changes` (a None removes the parameter), as Django's `{% querystring %}`."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return f"?{query.urlencode()}"


def date(value, format_name=None):
    """Django's `date` filter, on a datetime moved into the desk's time zone first (Django's engine did that)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # formats.date_format(), its format split once (fast_paths.date_format())
    return date_format(value, formats.get_format(format_name or "DATE_FORMAT"))


@pass_context
def intcomma(context, value):
    """Django's `intcomma`, in the page's language (fast_paths.intcomma())."""
    return fast_paths.intcomma(value, page_language(context))


def capfirst(value):
    """The text with its first letter capitalized; still safe HTML if it was."""
    text = str(value)
    capped = text[:1].upper() + text[1:]
    return Markup(capped) if hasattr(value, "__html__") else capped


def truncatewords(value, count):
    return Truncator(value).words(int(count), truncate=" …")


def page_language(context) -> str:
    """The language the page is rendered in, as the `catalogue` context processor found it (a page without a
    request, an error page, asks Django): a page asks it hundreds of times, and Django looks it up in a context
    variable each time."""
    return context.get("page_language") or translation.get_language()


@pass_context
def tr(context, obj, field):
    """`obj.field` in the page's language, or wrapped in `<span lang="en">` when it is the English it falls back
    to (no translation yet): a screen reader then reads it with an English voice. For element content only.
    The page's language's column is read first, as django-modeltranslation's `obj.field` would."""
    language = page_language(context)
    if field in translated_originals(type(obj)) and (value := getattr(obj, column(field, language), None)):
        return value
    value = getattr(obj, field)  # the English (or the field's default), as django-modeltranslation falls back
    if not value or language == settings.LANGUAGE_CODE:
        return value
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, value)


# The page's functions that print in its language: the `catalogue` context processor gives each bound to it
# (page_functions()); these globals, for a page rendered without one (an error page), ask Django. Not
# `pass_context` functions: called in a loop, Jinja2 hands those a copy of the whole context.


def page_functions(language) -> dict:
    """The functions below with the page's language bound, by the names templates call them."""
    return {name: functools.partial(function, language) for name, function in _IN_LANGUAGE.items()}


def _in_active_language(function):
    def in_active_language(*args):
        return function(translation.get_language(), *args)

    return in_active_language


def _lang_of(page, obj, field):
    """` lang="en"` for an element holding `obj.field` when that is read in another language than the page's."""
    language = shown_language(obj, field)
    return "" if language == page else format_html(' lang="{}"', language)


def _evidence_lang(page, obj):
    """` lang="en"` for an element holding a record's verbatim words when its source's language is not the page's."""
    language = evidence_language(obj)
    return "" if language == page else format_html(' lang="{}"', language)


@pass_context
def reads_as_is(context, obj) -> bool:
    """Whether a record's verbatim words are in the page's language (no desk's translation needed beside them)."""
    return evidence_language(obj) == page_language(context)


def _desk_translation(page, obj, field: str) -> str:
    """languages.desk_translation() in the page's language."""
    return desk_translation(obj, field, page)


def _figure_value(page, figure):
    """A figure's number as its reader reads it: the words as printed when the page is in its source's language
    (“only about 200”, the unit after it when they do not say it); else the desk's reading of them in the page's
    language and formats (“solo alrededor de 200 encuentros”), the printed words staying in its provenance. A
    figure with no number (“a few hundred”) keeps its words, marked with their language."""
    language = evidence_language(figure)
    if language == page or figure.value is None:
        unit = figure.unit_beside_value
        return format_html(
            '<span class="figure-value"{}>{}</span>{}',
            "" if language == page else format_html(' lang="{}"', language),
            figure.value_as_printed,
            format_html(' <span class="figure-unit">{}</span>', unit) if unit else "",
        )
    value = figure.value
    number = fast_paths.intcomma(int(value) if value == value.to_integral() else value.normalize(), page)
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


_IN_LANGUAGE = {
    "lang_of": _lang_of,
    "evidence_lang": _evidence_lang,
    "desk_translation": _desk_translation,
    "figure_value": _figure_value,
}


@pass_context
def printed(context, figure):
    """A figure's number as its source prints it (“only about 200”), marked with the source's language when that
    is not the page's: for a sentence of the page that quotes it."""
    language = evidence_language(figure)
    if language == page_language(context):
        return figure.value_as_printed
    return format_html('<span lang="{}">{}</span>', language, figure.value_as_printed)
