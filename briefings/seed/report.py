"""What a load or a restore of the seed did, in the words the command prints."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..encounters.importer import ImportResult
from .entries import Entry


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
