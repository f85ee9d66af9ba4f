"""Every speed trick that leans on Django internals, in one place: the first things to check on a Django upgrade.

Each says which Django behaviour it replaces and why, and tests/test_fast_paths.py compares it with that
behaviour, so an upgrade that changes Django's answer fails there rather than on a reader's page.

- `ChoiceLabels._get_FIELD_display`: `get_<field>_display()` without building a dict of every choice per call.
- `date_format()`: `django.utils.dateformat.format()` with each format split once.
- `page_url()`: `reverse()` for URLs whose arguments are slugs, each URL reversed once into a template;
  `address_scope()` keeps the script prefix and URLconf while a page renders.
- `prepare()` / `Prepared`: a queryset compiled to SQL once and run again with new parameters (site search).
- `prepare_instances()` / `PreparedInstances`: the same for a queryset of model instances, with the ones it
  selects related, as QuerySet iteration builds them (the briefing page's reads, selectors.py), each built by
  `_Builder` instead of `Model.from_db()` where the model's `__init__` adds nothing, its times made aware by
  `_aware_datetime()` instead of SQLite's converter.
- `compiled_sql()`: a queryset's SQL and parameters with one parameter marked to be filled in (the page cache).
"""

import contextlib
import contextvars
import datetime as datetime_module
import functools
import re
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init
from django.urls import get_script_prefix, get_urlconf, reverse
from django.urls.converters import SlugConverter
from django.utils import dateformat, timezone
from django.utils.translation import get_language

# --- choice labels ----------------------------------------------------------------------------------------------


class ChoiceLabels:
    """Mixed into models: replaces `Model._get_FIELD_display` (django/db/models/base.py), which builds a dict of
    all the field's choices on every call, hashing each lazy label and so translating it. Here the dict is made
    once per field; the labels stay lazy, so each is translated into its reader's language."""

    def _get_FIELD_display(self, field):
        value, labels = getattr(self, field.attname), _labels(field)
        return str(labels[value]) if value in labels else value


@cache
def _labels(field):
    return dict(field.flatchoices)


# --- dates -----------------------------------------------------------------------------------------------------


def date_format(value, format_string) -> str:
    """`django.utils.dateformat.format(value, format_string)`, which splits the format with a regular expression
    on every call (a briefing's page formats some fifty dates); here each format is split once."""
    pieces, has_time = _date_pieces(str(format_string))
    if has_time and type(value) is datetime_module.date:
        return dateformat.format(value, format_string)  # to fail as Django does: a date has no time of day
    formatter = dateformat.DateFormat(value)
    return "".join([str(getattr(formatter, piece)()) if is_code else piece for is_code, piece in pieces])


@functools.lru_cache(maxsize=256)
def _date_pieces(format_string):
    """The format split as `Formatter.format()` splits it: (True, a format character) or (False, literal text);
    and whether it asks for a time of day."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if index % 2:
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, dateformat.re_escaped.sub(r"\1", piece)))
    has_time = any(is_code and hasattr(dateformat.TimeFormat, piece) for is_code, piece in pieces)
    return tuple(pieces), has_time


# --- URLs by slug -----------------------------------------------------------------------------------------------


# What the `slug` path converter accepts; a stand-in of that form is put in the place of each slug.
_SLUG = re.compile(SlugConverter.regex)
_STAND_IN = "url-stand-in-{}-"
_templates = {}


def page_url(viewname, **slugs):
    """`reverse(viewname, kwargs=slugs)`, for URLs whose arguments are all slugs. `reverse()` matches the URL's
    pattern anew each time, and pages link to many records; here each URL is reversed once, with stand-in slugs,
    into a template later slugs are put into, remembered for what `reverse()` depends on (script prefix, URLconf,
    language). A slug the `slug` converter would not take is left to `reverse()`, to fail as it would. In a page's
    render the script prefix and URLconf are the ones `address_scope()` took when it began."""
    scope = _address_scope.get()
    prefix, urlconf = scope if scope is not None else (get_script_prefix(), get_urlconf(settings.ROOT_URLCONF))
    key = (viewname, *slugs, prefix, urlconf, get_language())
    try:
        template = _templates[key]
    except KeyError:
        template = _templates[key] = _template(viewname, list(slugs))
    if template is None:
        return reverse(viewname, kwargs=slugs)
    for slug in slugs.values():
        if not (isinstance(slug, str) and _SLUG.fullmatch(slug)):
            return reverse(viewname, kwargs=slugs)
    return template.format_map(slugs)


# The script prefix and URLconf of the page being rendered (each is a context variable of Django's, set for each
# request before any page is rendered; the language, which a page may override, is asked each time).
_address_scope = contextvars.ContextVar("address scope", default=None)


@contextlib.contextmanager
def address_scope():
    """While a page renders: page_url() takes the script prefix and URLconf as they were when it began, instead
    of looking each up for every link (a briefing's page has some 150)."""
    token = _address_scope.set((get_script_prefix(), get_urlconf(settings.ROOT_URLCONF)))
    try:
        yield
    finally:
        _address_scope.reset(token)


def _template(viewname, names):
    """The URL with `{name}` in the place of each slug, or None if a stand-in does not show in it exactly once."""
    stand_ins = {name: _STAND_IN.format(number) for number, name in enumerate(names)}
    address = reverse(viewname, kwargs=stand_ins).replace("{", "{{").replace("}", "}}")
    for name, stand_in in stand_ins.items():
        if address.count(stand_in) != 1:
            return None
        address = address.replace(stand_in, "{" + name + "}")
    return address


# --- prepared statements ----------------------------------------------------------------------------------------
# Replaces evaluating a queryset (QuerySet._fetch_all → SQLCompiler.execute_sql): building and compiling the
# querysets of a search page took longer than running them. Their SQL depends only on the shape of the query, so
# it is compiled once from a queryset built with placeholder arguments, and run again with each search's own:
# the words, the ids, and the current time wherever the queryset asked for it (`published()` compares with
# `timezone.now()`; such a parameter is recognised as a time taken while the queryset was built). Rows come back
# through the same converters the queryset would apply (`Prepared.rows`).

STALE_NOW = timedelta(minutes=1)
_PLACEHOLDER = re.compile("\ue002search item ([0-9]+)\ue002")


# Named, not imported: importing SQLite's backend module before it is loaded would import it half-way.
_SQLITE_DATETIME_CONVERTER = (
    "django.db.backends.sqlite3.operations",
    "DatabaseOperations.convert_datetimefield_value",
)


def _aware_datetime(function, connection):
    """Replaces SQLite's `convert_datetimefield_value()` (django/db/backends/sqlite3/operations.py) when times
    are aware: SQLite's driver has already parsed the column's text into a naive datetime, which needs only the
    connection's time zone (what `timezone.make_aware()` does for it, after checks that cost as much again, for
    each of the ~370 times the briefing page reads). Anything else goes to Django's converter. Other converters
    are returned as they are."""
    method = getattr(function, "__func__", None)
    if method is None or (method.__module__, method.__qualname__) != _SQLITE_DATETIME_CONVERTER or not settings.USE_TZ:
        return function
    zone = connection.timezone

    def convert(value, expression, connection):
        if type(value) is datetime and value.tzinfo is None and settings.USE_TZ:
            return value.replace(tzinfo=zone)
        return function(value, expression, connection)

    return convert


# Each connection's converters of each statement (Prepared.converters()), gone with the connection.
_converters = weakref.WeakKeyDictionary()


@functools.cache
def placeholder(number):
    """A word that stands for the `number`th argument of a prepared statement (see `prepare()`)."""
    return f"\ue002search item {number}\ue002"


@dataclass(frozen=True)
class Prepared:
    sql: str
    # For each parameter: ("value", value), ("argument", index), ("text", text with placeholders), or ("now",
    # None) for the current time, ("now", connection alias) for it as that database's driver is given it
    slots: tuple
    columns: tuple  # (name, expression) of each selected column

    def rows(self, cursor, connection):
        """The rows `cursor` fetched, as dicts of column values converted like the queryset's would be."""
        names = [name for name, _expression in self.columns]
        for row in self.values(cursor, connection):
            yield dict(zip(names, row, strict=True))

    def values(self, cursor, connection):
        """The rows `cursor` fetched, as lists of column values converted like the queryset's would be."""
        converters = self.converters(connection)
        for row in cursor.fetchall():
            row = list(row)
            for index, functions, expression in converters:
                for function in functions:
                    row[index] = function(row[index], expression, connection)
            yield row

    def converters(self, connection):
        """(index, converter functions, expression) of each column that has any, as the compiler finds them
        (SQLCompiler.get_converters()), found once per statement and connection."""
        connection = connections[connection.alias]  # the thread's own, not django.db.connection's proxy
        known = _converters.setdefault(connection, {})
        statement, converters = known.get(id(self), (None, None))
        if statement is not self:
            converters = []
            for index, (_name, expression) in enumerate(self.columns):
                functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
                functions = [_aware_datetime(function, connection) for function in functions]
                if functions:
                    converters.append((index, functions, expression))
            known[id(self)] = (self, converters)
        return converters

    def params(self, arguments, *, now):
        def fill(kind, value):
            if kind == "argument":
                return arguments[value]
            if kind == "text":  # e.g. SQLite's FTS5 query, written from the words
                return _PLACEHOLDER.sub(lambda match: arguments[int(match[1])], value)
            if kind == "now":
                return connections[value].ops.adapt_datetimefield_value(now) if value else now
            return value

        return [fill(kind, value) for kind, value in self.slots]


def prepare(build, *, arguments):
    """Compile the queryset `build()` returns; `arguments` are the placeholders it was built with, in the
    order that `Prepared.params()` will be given their real values."""
    statement, _compiler, _queryset = _compiled(build, arguments)
    return statement


def _compiled(build, arguments):
    started = timezone.now()
    queryset = build()
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    finished = timezone.now()
    columns = tuple((alias, expression) for expression, _sql, alias in compiler.select)
    positions = {argument: index for index, argument in enumerate(arguments)}
    slots = []
    for param in params:
        if _taken_between(param, started, finished):
            # SQLite's driver is given times as text (DatabaseOperations.adapt_datetimefield_value).
            slots.append(("now", queryset.db if isinstance(param, str) else None))
        elif _taken_between(param, started - STALE_NOW, started):
            # A time taken just before build() ran: a queryset built outside it (published() called early). Kept
            # as a value, it would stop the clock of every run of the statement.
            raise ValueError("A time taken before the statement was built: build the queryset inside build().")
        elif isinstance(param, str | int | datetime_module.date) and type(param) is not bool and param in positions:
            slots.append(("argument", positions[param]))
        elif isinstance(param, str) and _PLACEHOLDER.search(param):
            slots.append(("text", param))
        else:
            slots.append(("value", param))
    return Prepared(sql=sql, slots=tuple(slots), columns=columns), compiler, queryset


# Replaces iterating a queryset of model instances (ModelIterable in django/db/models/query.py), for the same
# reason as above: the briefing page's dozen reads took longer to build and compile than to run. The compiled
# statement keeps what ModelIterable reads from the compiler (where each model's columns are, the related
# models' populators, the annotations) and builds the instances from each row the same way.


@dataclass(frozen=True)
class PreparedInstances:
    statement: Prepared
    using: str
    model: type
    fields: tuple[str, ...]  # attnames of the model's own columns
    first: int  # where they start in a row
    populators: tuple  # RelatedPopulator for each select_related model (they hold no connection)
    annotations: tuple[tuple[str, int], ...]

    def instances(self, arguments) -> list:
        """The instances the queryset would give for `arguments` (in `prepare_instances()`'s order)."""
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(self.statement.sql, self.statement.params(arguments, now=timezone.now()))
            rows = list(self.statement.values(cursor, connection))
        last, from_db = self.first + len(self.fields), _Builder.of(self.model).from_db
        instances = []
        for row in rows:
            instance = from_db(self.using, self.fields, row[self.first : last])
            for populator in self.populators:
                populator.populate(row, instance)
            for name, index in self.annotations:
                setattr(instance, name, row[index])
            instances.append(instance)
        return instances


def prepare_instances(build, *, arguments) -> PreparedInstances:
    """Compile the queryset `build()` returns (select_related() and annotations allowed; no prefetch_related(),
    which the caller does with statements of its own) to be run with `PreparedInstances.instances()`."""
    statement, compiler, queryset = _compiled(build, arguments)
    if queryset._prefetch_related_lookups:
        raise ValueError("A prepared statement cannot prefetch: prepare the related queryset apart.")
    klass_info, select = compiler.klass_info, compiler.select
    columns = klass_info["select_fields"]
    populators = get_related_populators(klass_info, select, compiler.using)
    unbuilt = list(populators)
    while unbuilt:  # each select_related model, at any depth, built as the queryset's own model is
        populator = unbuilt.pop()
        populator.model_cls = _Builder.of(populator.model_cls)  # RelatedPopulator.populate() calls its from_db()
        unbuilt.extend(populator.related_populators)
    return PreparedInstances(
        statement=statement,
        using=compiler.using,
        model=klass_info["model"],
        fields=tuple(column[0].target.attname for column in select[columns[0] : columns[-1] + 1]),
        first=columns[0],
        populators=tuple(populators),
        annotations=tuple(compiler.annotation_col_map.items()),
    )


class _Builder:
    """Replaces `Model.from_db()` (django/db/models/base.py) for a model whose `__init__` does nothing more with a
    row than set each column's attribute: `Model.__init__` sends `pre_init` and `post_init` and sets each
    attribute through its descriptor, which for the briefing page's ~160 instances took longer than reading them.
    Here the loaded columns go straight into the instance's `__dict__`, where those descriptors keep them (an
    unloaded one stays deferred, as `__init__` leaves it). A model that overrides `__init__` or `from_db()`, or
    that a `pre_init` or `post_init` receiver listens to (an ImageField's dimensions), keeps Django's own, except
    django-modeltranslation's `new_init`, which only rewrites keyword arguments, and its `post_init` receiver,
    which only removes the flag `new_init` sets."""

    def __init__(self, model):
        self.model = model

    @classmethod
    @functools.cache
    def of(cls, model):
        """The builder of `model`'s instances: this class's, or the model itself where its own is needed."""
        return cls(model) if _plain_init(model) else model

    def from_db(self, db, field_names, values):
        instance = self.model.__new__(self.model)
        instance._state = state = ModelState()
        state.adding, state.db = False, db
        instance.__dict__.update(zip(field_names, values, strict=True))
        return instance


def _plain_init(model) -> bool:
    from modeltranslation.translator import delete_mt_init

    init = model.__init__
    if init is not Model.__init__:  # modeltranslation's new_init(), wrapping Model.__init__ and nothing else
        cells = dict(zip(init.__code__.co_freevars, init.__closure__ or (), strict=True))
        wrapped = cells["old_init"].cell_contents if "old_init" in cells else None
        if init.__qualname__ != "patch_constructor.<locals>.new_init" or wrapped is not Model.__init__:
            return False
    receivers = post_init._live_receivers(model)[0]
    return (
        model.from_db.__func__ is Model.from_db.__func__
        and not pre_init.has_listeners(model)
        and all(receiver is delete_mt_init for receiver in receivers)
    )


def _taken_between(param, started, finished):
    """Whether `param` is a time, or a time written out, taken between `started` and `finished`."""
    if isinstance(param, str):
        try:
            param = datetime.fromisoformat(param)
        except ValueError:
            return False
    if not isinstance(param, datetime):
        return False
    if timezone.is_naive(param):  # written out in UTC, as Django writes times for SQLite
        param = param.replace(tzinfo=UTC)
    return started <= param <= finished


# --- compiled SQL with a marked parameter -----------------------------------------------------------------------


def compiled_sql(queryset, *, using, marker=None, marker_value=None):
    """The SQL and parameters of `queryset` as its compiler writes them (SQLCompiler.as_sql()), with the parameter
    that equals `marker_value` as the database adapts it replaced by `marker`. Compiling a queryset can cost more
    than running it; a statement compiled once is run again with the marked parameter filled in."""
    sql, params = queryset.query.get_compiler(using).as_sql()
    if marker is None:
        return sql, tuple(params)
    adapted = connections[using].ops.adapt_datetimefield_value(marker_value)
    return sql, tuple(marker if param == adapted else param for param in params)
