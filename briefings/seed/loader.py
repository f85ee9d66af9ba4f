"""Loading the seed, or restoring it on request: the whole of both, in one transaction each."""

import logging
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from reversion.models import Version

from .. import modified
from ..encounters.importer import EncounterFileError, ImportResult, import_session
from ..log import log_event
from ..models import EncounterCount, SeedRecord
from .entries import (
    SeedError,
    check,
    deserialize,
    differences,
    find,
    read,
    read_ledger,
    record_history,
    remember,
    save,
)
from .report import Overwrite, SeedReport

logger = logging.getLogger(__name__)


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
        self.entries = [entry for path in self.paths for entry in read(path)]

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
        with transaction.atomic(), modified.paused():
            ledger = read_ledger()
            # A database the desk worked in before it kept this ledger (an older version loaded the seed): a seed
            # record missing here may be one the desk deleted, so it is not added, and is remembered as deleted.
            unledgered = not ledger and self._holds_work()
            ledgered_rows = {(label, pk) for (label, _key), pk in ledger.items()}
            saved = []
            for entry in self.entries:
                state, pk = find(entry, ledger)
                if state == "new" and unledgered:
                    remember(entry, None)
                    report.deleted += 1
                    report.unledgered += 1
                elif state == "new":
                    saved.append(save(entry))
                    report.added += 1
                elif state == "deleted":
                    report.deleted += 1
                else:
                    report.present += 1
                    report.renamed += state == "renamed"
                    # Found here before the ledger knew it, and not a row it knows under another key (the desk renamed
                    # a seed record to this one's key).
                    if (entry.label, entry.ledger_key) not in ledger and (entry.label, pk) not in ledgered_rows:
                        remember(entry, pk)
            check(saved)
            report.encounters = self._import_encounters(keep_existing=True)
            record_history(saved, _("Loaded from the seed fixtures."))
        return report

    def restore(self) -> SeedReport:
        """Put the fixture version of every seed record back, recreating the deleted ones; CBP's seed counts too.
        The desk's version of each record it overwrites is stored first, so the admin's history can bring it back
        even if it was changed outside the admin."""
        with transaction.atomic():
            saved, report = self._restore(keep_the_desks_versions=True)
            check(saved)
            report.encounters = self._import_encounters(keep_existing=False)
            record_history(saved, _("Restored from the seed fixtures (load_initial_data --restore-seed)."))
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
        ledger = read_ledger()
        if keep_the_desks_versions:
            # Every seed record as it is now; the history stores only those that differ from their latest version
            # (ignore_duplicates), which includes any changed outside the admin.
            states = ((entry, find(entry, ledger)) for entry in self.entries)
            current = [(entry, entry.model._default_manager.get(pk=pk)) for entry, (_s, pk) in states if pk]
            record_history(current, _("The desk's version, before load_initial_data --restore-seed put the seed's."))
        saved = []
        # One entry after the other: an entry names earlier ones by the natural key the fixture gives them, which
        # the restore of a renamed one has just put back.
        for entry in self.entries:
            state, pk = find(entry, ledger)
            if state == "new":
                saved.append(save(entry))
                report.added += 1
                continue
            deserialized = deserialize(entry)
            instance = deserialized.object
            if state == "deleted":
                instance.pk = None
                overwrite = Overwrite(entry, recreated=True)
            else:
                instance.pk = pk
                changed = differences(deserialized, entry.model._default_manager.get(pk=pk))
                if not changed:
                    report.present += 1
                    if (entry.label, entry.ledger_key) not in ledger:
                        remember(entry, pk)
                    continue
                overwrite = Overwrite(entry, fields=changed)
                if hasattr(instance, "updated_at"):
                    instance.updated_at = timezone.now()  # a restore is a change, made now
            saved.append(save(entry, deserialized))
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
