"""Import CBP “Nationwide Encounters” CSV files (see briefings/encounters/importer/)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from briefings.encounters.importer import PROGRESS_EVERY, EncounterFileError, import_session


class Command(BaseCommand):
    help = _(
        "Import CBP “Nationwide Encounters” CSV files, replacing the counts they revise. The files are imported "
        "together in one transaction: if any file is refused, none of them is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help=_("CSV files, published or snake_case header."))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Report what would change; save nothing."),
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=PROGRESS_EVERY,
            metavar="N",
            help=_("Report progress every N rows (default %(default)s)."),
        )

    def handle(self, *args, paths, dry_run, progress_every, verbosity, **options):
        refusals = []
        # One session for all the files: several files are all or nothing together, and a dry run of several
        # files reports what importing them in this order would do.
        with import_session(dry_run=dry_run) as session:
            for path in paths:
                try:
                    with open(path, "rb") as file:
                        result = session.add(
                            file=file,
                            name=path,
                            progress=self._progress_printer(path) if verbosity >= 1 else None,
                            progress_every=progress_every,
                        )
                except OSError as error:
                    refusals.append(_("%(path)s cannot be read: %(error)s") % {"path": path, "error": error.strerror})
                    continue
                except EncounterFileError as error:
                    refusals.append(error.report())
                    continue
                if verbosity >= 1:
                    self.stdout.write(result.summary())
            if refusals:
                message = _("Nothing was imported: %(refused)d of %(files)d files refused.") % {
                    "refused": len(refusals),
                    "files": len(paths),
                }
                raise CommandError("\n".join([message, *refusals]))
        self._total(session.results, dry_run=dry_run)

    def _progress_printer(self, path):
        def progress(rows, rows_per_second):
            self.stderr.write(
                _("%(path)s: %(rows)s rows read (%(speed)s rows/s)")
                % {"path": path, "rows": f"{rows:,}", "speed": f"{rows_per_second:,.0f}"}
            )
            self.stderr.flush()

        return progress

    def _total(self, results, *, dry_run):
        totals = {
            "files": len(results),
            "rows": sum(result.rows for result in results),
            "added": sum(result.added for result in results),
            "replaced": sum(result.replaced for result in results),
            "unchanged": sum(result.unchanged for result in results),
        }
        if dry_run:
            message = _(
                "Dry run of %(files)d file(s), %(rows)d rows: %(added)d would be added, %(replaced)d replaced, "
                "%(unchanged)d unchanged. Nothing was saved."
            )
            self.stdout.write(message % totals)
        else:
            message = _(
                "Imported %(files)d file(s), %(rows)d rows: %(added)d added, %(replaced)d replaced, "
                "%(unchanged)d unchanged."
            )
            self.stdout.write(self.style.SUCCESS(message % totals))
