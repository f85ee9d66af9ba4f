"""Propose the records a report holds, without saving anything (briefings/ingest/)."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from briefings.ingest import propose
from briefings.ingest.documents import UnreadableDocument, read_file
from briefings.ingest.names import directory_from_database


class Command(BaseCommand):
    help = _(
        "Read a report (.txt, .html or .pdf) and propose its figures, reward offers, quotes, organizations, people "
        "and places, each anchored to character offsets of the text; nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help=_("The report: a .txt (UTF-8), .html or .pdf file."))
        parser.add_argument("--json", action="store_true", help=_('Print one JSON object: {"source", "proposals"}.'))
        parser.add_argument(
            "--date", metavar="YYYY-MM-DD", help=_("The report's date, when its text does not print it.")
        )

    def handle(self, *args, path, json: bool, date, **options):
        try:
            document = read_file(path)
        except FileNotFoundError:
            raise CommandError(_("%(path)s: no such file.") % {"path": path}) from None
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        if date:
            try:
                document.published_on, document.published_on_is_inferred = datetime.date.fromisoformat(date), False
            except ValueError:
                raise CommandError(_("--date %(date)s: give the date as YYYY-MM-DD.") % {"date": date}) from None
        result = propose(document, directory_from_database())
        if json:
            self.stdout.write(_dumps(result))
            return
        source = result["source"]
        self.stdout.write(f"{source['title']} ({source['length']} characters)")
        for proposal in result["proposals"]:
            what = proposal.get("as_printed") or proposal.get("text") or proposal.get("name")
            self.stdout.write(f"{proposal['kind']:>13} {proposal['start']:>6}-{proposal['end']:<6} {what}")


def _dumps(result) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
