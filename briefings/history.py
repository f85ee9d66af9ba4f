"""The edit history of the desk's content, read from django-reversion's versions.

Every save through the admin or a service stores a version of the record (who, when, a comment and every
field). This module turns versions into what staff read: the fields that changed between two versions, with
the words taken out and put in, and what changed in a record since a given moment, which is how a save
from a stale form is explained to its author.
"""

import datetime
import difflib
from dataclasses import dataclass

import reversion
from django.db import models
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from .languages import translated_originals

# Bookkeeping, not content: showing them would make every version look changed.
# Not the desk's content: timestamps, and a briefing's body as HTML, rendered from its body on every save.
IGNORED_FIELDS = {"created_at", "updated_at", "body_html_en", "body_html_es"}


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str

    @property
    def diff_html(self):
        """The new text with removed words in <del> and added words in <ins>, everything else escaped."""
        old_words, new_words = self.old.split(" "), self.new.split(" ")
        parts = []
        matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
            if operation == "equal":
                parts.append(escape(" ".join(new_words[new_start:new_end])))
                continue
            if old_end > old_start:
                parts.append(mark_safe(f"<del>{escape(' '.join(old_words[old_start:old_end]))}</del>"))
            if new_end > new_start:
                parts.append(mark_safe(f"<ins>{escape(' '.join(new_words[new_start:new_end]))}</ins>"))
        return format_html_join(" ", "{}", ((part,) for part in parts))


@dataclass(frozen=True)
class HistoryEntry:
    version: Version
    changes: list[FieldChange]

    @property
    def revision(self):
        return self.version.revision


def _content_fields(model):
    mirrors = translated_originals(model)
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and field.name not in IGNORED_FIELDS and field.name not in mirrors
    ] + list(model._meta.many_to_many)


def record_state(obj) -> dict:
    """The record's current values, keyed like a version's `field_dict` (attname; many-to-many as pk lists)."""
    state = {}
    for field in _content_fields(type(obj)):
        if isinstance(field, models.ManyToManyField):
            state[field.attname] = list(getattr(obj, field.name).values_list("pk", flat=True))
        else:
            state[field.attname] = getattr(obj, field.attname)
    return state


def _readable(field, value, related_names) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if field.is_relation:
        pks = value if isinstance(value, list) else [value]
        return ", ".join(sorted(related_names.get((field.related_model, pk), f"#{pk}") for pk in pks))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def field_changes(model, old: dict, new: dict) -> list[FieldChange]:
    """The content fields whose values differ between two states of a record of `model`, in field order."""
    fields = [
        field
        for field in _content_fields(model)
        if comparable(old.get(field.attname)) != comparable(new.get(field.attname))
    ]
    related_names = _related_names(fields, old, new)
    return [
        FieldChange(
            name=field.name,
            label=str(field.verbose_name),
            old=_readable(field, old.get(field.attname), related_names),
            new=_readable(field, new.get(field.attname), related_names),
        )
        for field in fields
    ]


def comparable(value):
    """A field's value in a form that compares equal whenever staff would call two values the same."""
    if value is None:
        return ""  # an empty translation is stored as NULL or "" depending on how it was saved
    if isinstance(value, list):
        return sorted(value)
    if isinstance(value, datetime.datetime):
        # Staff enter times to the second; versions keep milliseconds (Django's JSON serializer).
        return value.replace(microsecond=0)
    return value


def _related_names(fields, *states):
    """{(model, pk): str(object)} for every related object the states mention, one query per related model."""
    wanted = {}
    for field in fields:
        if not field.is_relation:
            continue
        for state in states:
            value = state.get(field.attname)
            pks = value if isinstance(value, list) else [value]
            wanted.setdefault(field.related_model, set()).update(pk for pk in pks if pk is not None)
    names = {}
    for related_model, pks in wanted.items():
        for pk, obj in related_model._base_manager.in_bulk(pks).items():
            names[(related_model, pk)] = str(obj)
    return names


def history(obj) -> list[HistoryEntry]:
    """Every stored version of `obj`, newest first, each with what it changed from the version before."""
    versions = list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("pk"))
    entries = []
    previous = None
    for version in versions:
        changes = [] if previous is None else field_changes(type(obj), previous, version.field_dict)
        entries.append(HistoryEntry(version=version, changes=changes))
        previous = version.field_dict
    return entries[::-1]


def record_baseline(model, pk) -> None:
    """Store a record's current state as its first version if it has none (it was created before history
    was kept, or outside the admin), so that its first tracked change can be shown and undone."""
    obj = model._base_manager.filter(pk=pk).first()
    if obj is None or Version.objects.get_for_object(obj).exists():
        return
    with reversion.create_revision():
        reversion.set_comment(_("State before its first tracked change."))
        reversion.add_to_revision(obj)


def state_at(obj, *, loaded_at) -> dict | None:
    """The stored state of `obj` as it was when last saved at `loaded_at` (its `updated_at`), keyed like
    `record_state()`; None when no version holds it."""
    return state_in(_versions(obj), loaded_at)


def changed_since(obj, *, loaded_at) -> tuple[list[FieldChange], list[Version]]:
    """What changed in `obj` since a form showed it as it was when last saved at `loaded_at` (its `updated_at`).

    Returns the fields whose values differ from that state and the versions saved since, newest first.
    When no version holds the state the form showed, the field list is empty and the versions still say
    who saved meanwhile.
    """
    versions = _versions(obj)
    seen = _version_at(versions, loaded_at)
    if seen is None:
        return [], [version for version in versions if version.revision.date_created > loaded_at]
    since = [version for version in versions if version.pk > seen.pk]
    return field_changes(type(obj), seen.field_dict, record_state(obj)), since


def versions_of(model, pk) -> list[Version]:
    """The stored versions of the record `pk` of `model`, newest first, even if it has since been deleted."""
    return list(Version.objects.get_for_object_reference(model, pk).select_related("revision__user").order_by("-pk"))


def state_in(versions, loaded_at) -> dict | None:
    """Of `versions`, the state the record had when last saved at `loaded_at`; None when none holds it."""
    version = _version_at(versions, loaded_at)
    return version.field_dict if version else None


def readable(model, name: str, value) -> str:
    """A value of `model`'s field `name` (a pk for a foreign key, a pk list for many-to-many) as staff read it."""
    field = model._meta.get_field(name)
    return _readable(field, value, _related_names([field], {field.attname: value}))


def _versions(obj) -> list[Version]:
    return list(Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk"))


def _version_at(versions, loaded_at) -> Version | None:
    # Versions store times to the millisecond (Django's JSON serializer); the form carries microseconds.
    loaded_ms = loaded_at.replace(microsecond=loaded_at.microsecond // 1000 * 1000)
    return next((version for version in versions if version.field_dict.get("updated_at") == loaded_ms), None)
