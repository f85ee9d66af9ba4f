"""Load the seed report from fixtures/ without ever overwriting the desk's work (briefings/seed/)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from briefings.seed import Seed, SeedError


class Command(BaseCommand):
    help = _(
        "Add the seed report (fixtures/*.json, then CBP's counts in fixtures/cbp/*.csv) to this database: what it "
        "lacks is added, in one transaction, each record checked the way the admin checks it; every record already "
        "here (by natural key), renamed or deleted since the seed loaded it, is left exactly as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixture-dir",
            default=str(Path(settings.BASE_DIR) / "fixtures"),
            help=_("Folder holding the *.json fixture files and cbp/*.csv (default: BASE_DIR/fixtures)."),
        )
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--if-empty",
            action="store_true",
            help=_(
                "Load only into a new database: one with no content and no seed loaded before (what `make run` and "
                "`make serve` do at every start)."
            ),
        )
        choice.add_argument(
            "--restore-seed",
            action="store_true",
            help=_(
                "Put the fixture version back over the desk's changes to seed records (and recreate the ones deleted),"
                " after listing what it overwrites. The desk's versions stay in each record's history."
            ),
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help=_("With --restore-seed: do not ask before overwriting."),
        )

    def handle(self, *args, fixture_dir, if_empty, restore_seed, interactive, verbosity, **options):
        try:
            seed = Seed(Path(fixture_dir))
            if if_empty and not seed.is_new_database():
                if verbosity >= 1:
                    self.stdout.write(
                        _(
                            "The database already holds the desk's content: the seed was not loaded, nothing was "
                            "changed. To add seed records it lacks: .venv/bin/python manage.py load_initial_data"
                        )
                    )
                return
            if restore_seed:
                if not self._confirm_restore(seed, interactive=interactive, verbosity=verbosity):
                    raise CommandError(_("Nothing was restored."))
                report = seed.restore()
            else:
                report = seed.load()
        except SeedError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            for line in report.lines():
                self.stdout.write(line)
            for overwrite in report.overwritten:
                self.stdout.write("  " + _("restored: %(record)s") % {"record": overwrite})

    def _confirm_restore(self, seed, *, interactive, verbosity) -> bool:
        plan = seed.restore_plan()
        revised = [result for result in plan.encounters if result.replaced or result.added]
        if not plan.overwritten and not revised:
            if verbosity >= 1:
                self.stdout.write(_("Every seed record is as the fixtures give it: restoring overwrites nothing."))
            return True
        if verbosity >= 1 or interactive:
            self.stdout.write(
                _("Restoring the seed overwrites the desk's changes to %(count)d record(s):")
                % {"count": len(plan.overwritten)}
            )
            for overwrite in plan.overwritten:
                self.stdout.write(f"  {overwrite}")
            for result in revised:
                self.stdout.write(
                    "  "
                    + _(
                        "CBP counts, %(name)s: %(cells)d cell(s) imported since, put back to the seed's counts; "
                        "%(added)d missing here, added"
                    )
                    % {"name": result.name, "cells": result.replaced, "added": result.added}
                )
        if not interactive:
            return True
        answer = input(_("Type 'yes' to overwrite them (their current versions stay in the history): "))
        return answer.strip().lower() == "yes"
