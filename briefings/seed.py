"""The seed report (fixtures/): what a new deployment starts with, and never loaded over the desk's work.

`Seed.load()` adds what this database has never held and leaves everything else exactly as it is. A record
present under its natural key is not touched (not its fields, not its links); one the desk renamed or deleted
since the seed loaded it is left renamed or deleted, which the ledger (`SeedRecord`) tells; of CBP's counts
(fixtures/cbp/*.csv) only cells the table lacks are added. `Seed.restore()` is the explicit other choice: it
puts the fixture version back, lists what it overwrites, and keeps the desk's version in the history.

Both are all or nothing and check every record they save the way the admin does (quotes and sentences must be
verbatim passages of the source). Why not plain `loaddata`: it overwrites records by natural key, saves raw (so
model validation never runs), and its errors name objects by primary key, which natural-key fixtures do not
have. This uses the same deserializer and raw saves, and names every problem by file, object and field.
"""

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.apps import apps
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import M2MDeserializationError, deserialize_fk_value, deserialize_m2m_values
from django.db import DEFAULT_DB_ALIAS, DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from .encounters.importer import EncounterFileError, ImportResult, import_session
from .log import log_event
from .models import EncounterCount, SeedRecord

logger = logging.getLogger(__name__)

# Bookkeeping that a restore sets itself, not a difference worth naming.
TIMESTAMPS = ("created_at", "updated_at")


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


@dataclass(frozen=True)
class Overwrite:
    """A record of the desk's that restoring the seed changes: the fields it puts back, or that it recreates it."""

    entry: Entry
    fields: tuple[str, ...] = ()
    recreated: bool = False

    def __str__(self):
        if self.recreated:
            return _("%(record)s: deleted here; it is recreated") % {"record": self.entry.name}
        return _("%(record)s: %(fields)s") % {"record": self.entry.name, "fields": ", ".join(self.fields)}


@dataclass
class SeedReport:
    """What a load or a restore did."""

    files: int
    added: int = 0
    present: int = 0  # left as they are (load), or found identical to the fixture (restore)
    renamed: int = 0  # of `present`: the desk changed the natural key since the seed loaded them
    deleted: int = 0  # deleted by the desk since the seed loaded them, and left deleted
    unledgered: int = 0  # of `deleted`: missing in a database worked in before the ledger, so taken as deleted
    overwritten: list[Overwrite] = field(default_factory=list)
    encounters: list[ImportResult] = field(default_factory=list)

    def lines(self) -> list[str]:
        records = self.added + self.present + self.deleted + len(self.overwritten)
        summary = _(
            "Seed report (%(files)d fixture files, %(records)d records): %(added)d added, %(present)d already "
            "present, left as they are"
        ) % {"files": self.files, "records": records, "added": self.added, "present": self.present}
        if self.renamed:
            summary += _(" (%(renamed)d of them renamed here)") % {"renamed": self.renamed}
        if self.deleted:
            summary += _(
                "; %(deleted)d deleted here since the seed loaded them, left deleted (--restore-seed brings them back)"
            ) % {"deleted": self.deleted}
        if self.unledgered:
            summary += _(
                " (%(count)d of them missing from a database the desk worked in before it kept a ledger of the seed, "
                "so taken as deleted by the desk)"
            ) % {"count": self.unledgered}
        if self.overwritten:
            summary += _("; %(count)d restored to the fixture version") % {"count": len(self.overwritten)}
        lines = [summary + "."]
        for result in self.encounters:
            lines.append(
                _(
                    "CBP counts, %(name)s (%(rows)d rows): %(added)d added, %(replaced)d restored, %(unchanged)d "
                    "already present, left as they are."
                )
                % {
                    "name": result.name,
                    "rows": result.rows,
                    "added": result.added,
                    "replaced": result.replaced,
                    "unchanged": result.unchanged,
                }
            )
        return lines


class Seed:
    """The fixture files of one folder: `*.json` in name order, then CBP's counts in `cbp/*.csv`."""

    def __init__(self, fixture_dir: Path):
        fixture_dir = Path(fixture_dir)
        if not fixture_dir.is_dir():
            raise SeedError(_("Fixture folder %(dir)s does not exist.") % {"dir": fixture_dir})
        self.paths = sorted(fixture_dir.glob("*.json"), key=lambda path: path.name)
        if not self.paths:
            raise SeedError(_("No *.json fixture files in %(dir)s.") % {"dir": fixture_dir})
        self.encounter_files = sorted((fixture_dir / "cbp").glob("*.csv"), key=lambda path: path.name)
        self.entries = [entry for path in self.paths for entry in _read(path)]

    # --- reading the database --------------------------------------------------------------------------------

    def is_new_database(self) -> bool:
        """Whether this database holds nothing the seed could be loaded over: no record of any model the fixtures
        load, no CBP count, and no sign the seed was ever loaded or the desk ever worked here (the ledger, and the
        history, which a desk that deleted everything leaves behind)."""
        return not SeedRecord.objects.exists() and not self._holds_work()

    def _holds_work(self) -> bool:
        models = {entry.model for entry in self.entries} | {EncounterCount, Version}
        return any(model._default_manager.exists() for model in models)

    def restore_plan(self) -> SeedReport:
        """What `restore()` would do, saving nothing: the records of the desk's it would overwrite or recreate, with
        the fields, and CBP's seed counts it would put back (`replaced`)."""
        with transaction.atomic():
            _saved, report = self._restore()
            report.encounters = self._import_encounters(keep_existing=False, dry_run=True)
            transaction.set_rollback(True)
        return report

    # --- writing ---------------------------------------------------------------------------------------------

    def load(self) -> SeedReport:
        """Add what the database has never held; leave every record it holds, renamed or deleted as it is."""
        report = SeedReport(files=len(self.paths))
        with transaction.atomic():
            ledger = _ledger()
            # A database the desk worked in before it kept this ledger (an older version loaded the seed): a seed
            # record missing here may be one the desk deleted, so it is not added, and is remembered as deleted.
            unledgered = not ledger and self._holds_work()
            ledgered_rows = {(label, pk) for (label, _key), pk in ledger.items()}
            saved = []
            for entry in self.entries:
                state, pk = _state(entry, ledger)
                if state == "new" and unledgered:
                    _remember(entry, None)
                    report.deleted += 1
                    report.unledgered += 1
                elif state == "new":
                    saved.append(_save(entry))
                    report.added += 1
                elif state == "deleted":
                    report.deleted += 1
                else:
                    report.present += 1
                    report.renamed += state == "renamed"
                    # Found here before the ledger knew it, and not a row it knows under another key (the desk renamed
                    # a seed record to this one's key).
                    if (entry.label, entry.ledger_key) not in ledger and (entry.label, pk) not in ledgered_rows:
                        _remember(entry, pk)
            _check(saved)
            report.encounters = self._import_encounters(keep_existing=True)
            _record_history(saved, _("Loaded from the seed fixtures."))
        return report

    def restore(self) -> SeedReport:
        """Put the fixture version of every seed record back, recreating the deleted ones; CBP's seed counts too.
        The desk's version of each record it overwrites is stored first, so the admin's history can bring it back
        even if it was changed outside the admin."""
        with transaction.atomic():
            saved, report = self._restore(keep_the_desks_versions=True)
            _check(saved)
            report.encounters = self._import_encounters(keep_existing=False)
            _record_history(saved, _("Restored from the seed fixtures (load_initial_data --restore-seed)."))
            transaction.on_commit(
                lambda: log_event(
                    logger,
                    "seed restored",
                    overwritten=sum(not overwrite.recreated for overwrite in report.overwritten),
                    recreated=sum(overwrite.recreated for overwrite in report.overwritten),
                    encounters_replaced=sum(result.replaced for result in report.encounters),
                )
            )
        return report

    def _restore(self, *, keep_the_desks_versions: bool = False) -> tuple[list, SeedReport]:
        """Save the fixture version of every entry that differs from what is stored; the caller owns the
        transaction. Returns what was saved and the report."""
        report = SeedReport(files=len(self.paths))
        ledger = _ledger()
        if keep_the_desks_versions:
            # Every seed record as it is now; the history stores only those that differ from their latest version
            # (ignore_duplicates), which includes any changed outside the admin.
            states = ((entry, _state(entry, ledger)) for entry in self.entries)
            current = [(entry, entry.model._default_manager.get(pk=pk)) for entry, (_s, pk) in states if pk]
            _record_history(current, _("The desk's version, before load_initial_data --restore-seed put the seed's."))
        saved = []
        # One entry after the other: an entry names earlier ones by the natural key the fixture gives them, which
        # the restore of a renamed one has just put back.
        for entry in self.entries:
            state, pk = _state(entry, ledger)
            if state == "new":
                saved.append(_save(entry))
                report.added += 1
                continue
            deserialized = _deserialize(entry)
            instance = deserialized.object
            if state == "deleted":
                instance.pk = None
                overwrite = Overwrite(entry, recreated=True)
            else:
                instance.pk = pk
                changed = _differences(deserialized, entry.model._default_manager.get(pk=pk))
                if not changed:
                    report.present += 1
                    if (entry.label, entry.ledger_key) not in ledger:
                        _remember(entry, pk)
                    continue
                overwrite = Overwrite(entry, fields=changed)
                if hasattr(instance, "updated_at"):
                    instance.updated_at = timezone.now()  # a restore is a change, made now
            saved.append(_save(entry, deserialized))
            report.overwritten.append(overwrite)
        return saved, report

    def _import_encounters(self, *, keep_existing: bool, dry_run: bool = False) -> list[ImportResult]:
        with import_session(dry_run=dry_run) as session:
            for path in self.encounter_files:
                name = f"{path.parent.name}/{path.name}"
                try:
                    with path.open("rb") as file:
                        session.add(file=file, name=name, keep_existing=keep_existing)
                except EncounterFileError as error:
                    raise SeedError(error.report()) from error
        return session.results


# --- one entry ---------------------------------------------------------------------------------------------------


def _read(path: Path) -> list[Entry]:
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


def _ledger() -> dict[tuple[str, str], int]:
    return {(record.model, record.natural_key): record.object_id for record in SeedRecord.objects.all()}


def _state(entry: Entry, ledger) -> tuple[str, int | None]:
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


def _remember(entry: Entry, pk: int | None) -> None:
    SeedRecord.objects.update_or_create(
        model=entry.label, natural_key=entry.ledger_key, defaults={"object_id": pk, "loaded_at": timezone.now()}
    )


def _deserialize(entry: Entry):
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


def _save(entry: Entry, deserialized=None):
    """Save one entry raw, as loaddata does (with its many-to-many links), and remember it in the ledger."""
    deserialized = deserialized or _deserialize(entry)
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
    _remember(entry, instance.pk)
    return entry, instance


def _differences(deserialized, current) -> tuple[str, ...]:
    """The fields whose fixture value differs from the stored record's, many-to-many links included."""
    instance = deserialized.object
    changed = [
        model_field.name
        for model_field in instance._meta.concrete_fields
        if not model_field.primary_key
        and model_field.name not in TIMESTAMPS
        and model_field.value_from_object(instance) != model_field.value_from_object(current)
    ]
    for name, pks in (deserialized.m2m_data or {}).items():
        stored = set(getattr(current, name).values_list("pk", flat=True))
        if {int(pk) for pk in pks} != stored:
            changed.append(name)
    return tuple(changed)


def _check(saved) -> None:
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


def _record_history(saved, comment: str) -> None:
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
