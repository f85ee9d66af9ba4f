"""Prepared statements of model instances: a queryset's instances, with the ones it selects related, built as
QuerySet iteration builds them."""

import functools
from dataclasses import dataclass

from django.db import connections
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query import get_related_populators
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from .statements import Prepared, _compiled

# Replaces iterating a queryset of model instances (ModelIterable in django/db/models/query.py), for the same
# reason as statements.py's: the briefing page's dozen reads took longer to build and compile than to run. The compiled
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
