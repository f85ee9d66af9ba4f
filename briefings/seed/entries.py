"""One object of a seed fixture file: reading it, finding it in the database, saving it raw, and checking it.

Every problem names the file, the object and the field (SeedError). The ledger (`SeedRecord`) tells a record the
seed loaded and the desk renamed or deleted since from one the seed never loaded here.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import reversion
from django.apps import apps
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import M2MDeserializationError, deserialize_fk_value, deserialize_m2m_values
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from ..history import IGNORED_FIELDS, comparable
from ..languages import translated_originals
from ..models import SeedRecord


# Bookkeeping that a restore sets itself, not a difference worth naming.
class SeedError(Exception):
    """The seed cannot be loaded; nothing was changed. The message names the file, object and field."""


@dataclass(frozen=True)
class Entry:
    """One object of a fixture file, where it is and what it is."""

    path: Path
    index: int
    data: dict
    model: type
    natural_key: tuple

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def ledger_key(self) -> str:
        return json.dumps(list(self.natural_key), ensure_ascii=False)

    @property
    def name(self) -> str:
        """The record as a reader of the report knows it: its model and natural key."""
        return f"{self.label} {self.ledger_key}"

    @property
    def where(self) -> str:
        return f"{self.path.name}: object {self.index}, {self.name}"


def read(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError(_("%(file)s: not valid JSON: %(error)s") % {"file": path.name, "error": exc}) from exc
    if not isinstance(data, list):
        raise SeedError(_("%(file)s: expected a JSON list of objects.") % {"file": path.name})
    entries = []
    for index, item in enumerate(data, start=1):
        if not (
            isinstance(item, dict) and isinstance(item.get("model"), str) and isinstance(item.get("fields"), dict)
        ):
            raise SeedError(
                _('%(file)s: object %(index)d: expected {"model": ..., "fields": {...}}.')
                % {"file": path.name, "index": index}
            )
        try:
            model = apps.get_model(item["model"])
        except (LookupError, ValueError) as exc:
            raise SeedError(
                _("%(file)s: object %(index)d: unknown model '%(model)s'.")
                % {"file": path.name, "index": index, "model": item["model"]}
            ) from exc
        natural_key = _raw_natural_key(model, item["fields"])
        if not natural_key:
            raise SeedError(
                _("%(file)s: object %(index)d, %(model)s: no natural key (a slug, or kind and value).")
                % {"file": path.name, "index": index, "model": model._meta.label_lower}
            )
        entry = Entry(path=path, index=index, data=item, model=model, natural_key=natural_key)
        # Saves are raw, as loaddata's, so auto_now/auto_now_add never fill the timestamps: the fixture must.
        for model_field in model._meta.concrete_fields:
            auto = getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False)
            if auto and item["fields"].get(model_field.name) in (None, ""):
                raise SeedError(
                    _("%(where)s: field '%(field)s': required in fixtures (raw saves do not fill it).")
                    % {"where": entry.where, "field": model_field.name}
                )
        entries.append(entry)
    return entries


def _raw_natural_key(model, fields) -> tuple | None:
    """The natural key as the fixture spells it (every natural key here is made of plain fields)."""
    if not hasattr(model, "natural_key"):
        return None
    plain = {
        field.attname: fields[field.name]
        for field in model._meta.concrete_fields
        if not field.is_relation and field.name in fields
    }
    try:
        natural_key = model(**plain).natural_key()
    except Exception:
        return None
    return tuple(natural_key) if all(part not in (None, "") for part in natural_key) else None


def read_ledger() -> dict[tuple[str, str], int]:
    return {(record.model, record.natural_key): record.object_id for record in SeedRecord.objects.all()}


def find(entry: Entry, ledger) -> tuple[str, int | None]:
    """("present", pk) under its natural key; ("renamed", pk) if only the ledger finds it; ("deleted", None) if the
    seed loaded it and it is gone; ("new", None) if the seed never loaded it here."""
    manager = entry.model._default_manager
    try:
        return "present", manager.get_by_natural_key(*entry.natural_key).pk
    except ObjectDoesNotExist:
        pass
    key = (entry.label, entry.ledger_key)
    if key not in ledger:
        return "new", None
    pk = ledger[key]  # None: missing when the ledger began, in a database the desk had worked in (Seed.load)
    return ("renamed", pk) if pk is not None and manager.filter(pk=pk).exists() else ("deleted", None)


def remember(entry: Entry, pk: int | None) -> None:
    SeedRecord.objects.update_or_create(
        model=entry.label, natural_key=entry.ledger_key, defaults={"object_id": pk, "loaded_at": timezone.now()}
    )


def deserialize(entry: Entry):
    try:
        (deserialized,) = serializers.deserialize(
            "python", [entry.data], ignorenonexistent=False, handle_forward_references=False
        )
    except Exception as exc:
        # The deserializer's own message names neither the field nor the object (it shows pk=None for
        # natural-key fixtures), so find the field that fails.
        name, reason, value = _failing_field(entry.model, entry.data["fields"], exc)
        raise SeedError(
            _("%(where)s: field '%(field)s': %(reason)s (value: %(value)s)")
            % {"where": entry.where, "field": name, "reason": reason, "value": json.dumps(value, ensure_ascii=False)}
        ) from exc
    return deserialized


def save(entry: Entry, deserialized=None):
    """Save one entry raw, as loaddata does (with its many-to-many links), and remember it in the ledger."""
    deserialized = deserialized or deserialize(entry)
    instance = deserialized.object
    # Field-level checks before the database sees the row, so a bad choice or length is reported by field name
    # rather than as a CHECK constraint failure.
    try:
        instance.clean_fields()
    except ValidationError as exc:
        raise SeedError(_validation_message(entry.where, exc)) from exc
    try:
        deserialized.save()
    except DatabaseError as exc:
        raise SeedError(
            _("%(where)s: the database refused it: %(error)s") % {"where": entry.where, "error": exc}
        ) from exc
    remember(entry, instance.pk)
    return entry, instance


def differences(deserialized, current) -> tuple[str, ...]:
    """The fields whose fixture value differs from the stored record's, many-to-many links included."""
    instance = deserialized.object
    mirrors = translated_originals(type(instance))  # `headline` mirrors `headline_en`: that one is compared
    changed = [
        model_field.name
        for model_field in instance._meta.concrete_fields
        if not model_field.primary_key
        and model_field.name not in IGNORED_FIELDS
        and model_field.name not in mirrors
        and comparable(model_field.value_from_object(instance)) != comparable(model_field.value_from_object(current))
    ]
    for name, pks in (deserialized.m2m_data or {}).items():
        stored = set(getattr(current, name).values_list("pk", flat=True))
        if {int(pk) for pk in pks} != stored:
            changed.append(name)
    return tuple(changed)


def check(saved) -> None:
    """Every saved record, in its final state, the way the admin checks it; still inside the transaction."""
    problems = []
    for entry, instance in saved:
        try:
            instance.full_clean()
        except ValidationError as exc:
            problems.append(_validation_message(entry.where, exc))
    if problems:
        raise SeedError(
            _("Nothing was changed; %(count)d record(s) failed validation:\n%(problems)s")
            % {"count": len(problems), "problems": "\n".join(problems)}
        )


def record_history(saved, comment: str) -> None:
    """Store what was saved as a version, so the admin's history shows it and can restore the one before."""
    if not saved:
        return
    with reversion.create_revision():
        reversion.set_comment(comment)
        for _entry, instance in saved:
            if reversion.is_registered(type(instance)):
                reversion.add_to_revision(instance)


def _failing_field(model, fields, original):
    """The first field whose value cannot be deserialized: (name, reason, value)."""
    for name, value in fields.items():
        try:
            model_field = model._meta.get_field(name)
            if model_field.many_to_many:
                deserialize_m2m_values(model_field, value, DEFAULT_DB_ALIAS, handle_forward_references=False)
            elif model_field.many_to_one or model_field.one_to_one:
                deserialize_fk_value(model_field, value, DEFAULT_DB_ALIAS, handle_forward_references=False)
            else:
                model_field.to_python(value)
        except M2MDeserializationError as exc:
            return name, _describe_lookup_error(exc.original_exc), value
        except Exception as exc:
            return name, _describe_lookup_error(exc), value
    return "?", str(original), None


def _validation_message(where, error) -> str:
    parts = []
    for name, messages in error.message_dict.items():
        label = _("(whole record)") if name == NON_FIELD_ERRORS else f"field '{name}'"
        parts.append(f"{where}: {label}: {' '.join(messages)}")
    return "\n".join(parts)


def _describe_lookup_error(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    message = str(exc)
    if message.endswith("matching query does not exist."):
        message += _(
            " No such record by that natural key. Fixture files load in name order and objects in file order, "
            "so a referenced record must come earlier; or the desk renamed or deleted it since the seed loaded it."
        )
    return message
