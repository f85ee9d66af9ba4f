"""Load the seed report from fixtures/*.json: all or nothing, and every record checked the way the admin checks it.

Why not plain `loaddata`: it saves raw (so model validation never runs and a quote that is not verbatim would
be stored), and its errors name objects by primary key, which natural-key fixtures do not have. This command
uses the same deserializer and raw saves, so it behaves like `loaddata` for the data, but reports every problem
by file, object (model and natural key) and field, and validates each loaded record before committing.
"""

import json
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import M2MDeserializationError, deserialize_fk_value, deserialize_m2m_values
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _(
        "Load every fixtures/*.json file in name order in one transaction, then validate every loaded record "
        "(quotes and source sentences must be verbatim passages of their source). Safe to run again: natural "
        "keys update records in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture-dir",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help=_("Folder holding the *.json fixture files (default: BASE_DIR/fixtures)."),
        )

    def handle(self, *args, fixture_dir, verbosity, **options):
        fixture_paths = self._fixture_paths(Path(fixture_dir))
        using = DEFAULT_DB_ALIAS
        created = updated = 0
        # (model label, pk) -> where it was loaded from and the instance; a record listed twice is checked once,
        # in its final state.
        loaded = {}
        with transaction.atomic(using=using):
            for path in fixture_paths:
                for index, entry in enumerate(self._read(path), start=1):
                    instance, is_new = self._save(path, index, entry, using)
                    created += is_new
                    updated += not is_new
                    loaded[(instance._meta.label_lower, instance.pk)] = (path, index, instance)
            # Still inside the transaction: a failure here rolls back everything loaded above.
            self._validate(loaded.values())
            self._record_history(loaded.values())
        if verbosity >= 1:
            self.stdout.write(
                _("Loaded %(objects)d objects from %(files)d fixture files (%(created)d new, %(updated)d updated).")
                % {"objects": created + updated, "files": len(fixture_paths), "created": created, "updated": updated}
            )

    @staticmethod
    def _record_history(loaded):
        """Store the loaded state as a version, so the admin can restore it. Registered models skip a
        version identical to their latest one, so loading again adds no history."""
        with reversion.create_revision():
            reversion.set_comment(_("Loaded from fixtures."))
            for _path, _index, instance in loaded:
                if reversion.is_registered(type(instance)):
                    reversion.add_to_revision(instance)

    def _fixture_paths(self, fixture_dir):
        if not fixture_dir.is_dir():
            raise CommandError(_("Fixture folder %(dir)s does not exist.") % {"dir": fixture_dir})
        paths = sorted(fixture_dir.glob("*.json"), key=lambda path: path.name)
        if not paths:
            raise CommandError(_("No *.json fixture files in %(dir)s.") % {"dir": fixture_dir})
        return paths

    def _read(self, path):
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(_("%(file)s: not valid JSON: %(error)s") % {"file": path.name, "error": exc}) from exc
        if not isinstance(entries, list):
            raise CommandError(_("%(file)s: expected a JSON list of objects.") % {"file": path.name})
        for index, entry in enumerate(entries, start=1):
            if not (
                isinstance(entry, dict)
                and isinstance(entry.get("model"), str)
                and isinstance(entry.get("fields"), dict)
            ):
                raise CommandError(
                    _('%(file)s: object %(index)d: expected {"model": ..., "fields": {...}}.')
                    % {"file": path.name, "index": index}
                )
        return entries

    def _save(self, path, index, entry, using):
        """Deserialize one fixture entry and save it raw, as loaddata does. Returns (instance, is_new)."""
        model = self._model(path, index, entry)
        where = self._where(path, index, model, self._raw_natural_key(model, entry["fields"]))
        try:
            (deserialized,) = serializers.deserialize(
                "python", [entry], using=using, ignorenonexistent=False, handle_forward_references=False
            )
        except Exception as exc:
            # The deserializer's own message names neither the field nor the object (it shows pk=None for
            # natural-key fixtures), so find the field that fails.
            field_name, reason, value = self._failing_field(model, entry["fields"], using, exc)
            raise CommandError(
                _("%(where)s: field '%(field)s': %(reason)s (value: %(value)s)")
                % {
                    "where": where,
                    "field": field_name,
                    "reason": reason,
                    "value": json.dumps(value, ensure_ascii=False),
                }
            ) from exc

        instance = deserialized.object
        where = self._where(path, index, model, instance.natural_key() if hasattr(instance, "natural_key") else None)
        # loaddata saves raw, so auto_now/auto_now_add never fill the timestamps: the fixture must carry them.
        for field in model._meta.concrete_fields:
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if auto and getattr(instance, field.attname) is None:
                raise CommandError(
                    _("%(where)s: field '%(field)s': required in fixtures (raw saves do not fill it).")
                    % {"where": where, "field": field.name}
                )
        # Field-level checks before the database sees the row, so a bad choice or length is reported by field
        # name rather than as a CHECK constraint failure.
        try:
            instance.clean_fields()
        except ValidationError as exc:
            raise CommandError(self._validation_message(where, exc)) from exc

        is_new = instance.pk is None
        try:
            deserialized.save(using=using)
        except DatabaseError as exc:
            raise CommandError(
                _("%(where)s: the database refused it: %(error)s") % {"where": where, "error": exc}
            ) from exc
        return instance, is_new

    def _validate(self, loaded):
        problems = []
        for path, index, instance in loaded:
            try:
                instance.full_clean()
            except ValidationError as exc:
                where = self._where(path, index, type(instance), instance.natural_key())
                problems.append(self._validation_message(where, exc))
        if problems:
            raise CommandError(
                _("Nothing was changed; %(count)d record(s) failed validation:\n%(problems)s")
                % {"count": len(problems), "problems": "\n".join(problems)}
            )

    def _model(self, path, index, entry):
        try:
            return apps.get_model(entry["model"])
        except (LookupError, ValueError) as exc:
            raise CommandError(
                _("%(file)s: object %(index)d: unknown model '%(model)s'.")
                % {"file": path.name, "index": index, "model": entry["model"]}
            ) from exc

    @staticmethod
    def _raw_natural_key(model, fields):
        """The natural key as the fixture spells it, for naming an object that could not be built."""
        if not hasattr(model, "natural_key"):
            return None
        plain = {
            field.attname: fields[field.name]
            for field in model._meta.concrete_fields
            if not field.is_relation and field.name in fields
        }
        try:
            return model(**plain).natural_key()
        except Exception:
            return None

    @staticmethod
    def _where(path, index, model, natural_key):
        key = json.dumps(list(natural_key), ensure_ascii=False) if natural_key else "(no natural key)"
        return f"{path.name}: object {index}, {model._meta.label_lower} {key}"

    @staticmethod
    def _failing_field(model, fields, using, original):
        """The first field whose value cannot be deserialized: (name, reason, value)."""
        for name, value in fields.items():
            try:
                field = model._meta.get_field(name)
                if field.many_to_many:
                    deserialize_m2m_values(field, value, using, handle_forward_references=False)
                elif field.many_to_one or field.one_to_one:
                    deserialize_fk_value(field, value, using, handle_forward_references=False)
                else:
                    field.to_python(value)
            except M2MDeserializationError as exc:
                return name, _describe_lookup_error(exc.original_exc), value
            except Exception as exc:
                return name, _describe_lookup_error(exc), value
        return "?", str(original), None

    @staticmethod
    def _validation_message(where, error):
        parts = []
        for field, messages in error.message_dict.items():
            label = _("(whole record)") if field == NON_FIELD_ERRORS else f"field '{field}'"
            parts.append(f"{where}: {label}: {' '.join(messages)}")
        return "\n".join(parts)


def _describe_lookup_error(exc):
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    message = str(exc)
    if message.endswith("matching query does not exist."):
        message += _(
            " No such record by that natural key. Fixture files load in name order and objects in file order, "
            "so a referenced record must come earlier."
        )
    return message
