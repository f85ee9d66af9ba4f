"""Score the ingest assistant against the hand-labelled texts (`make eval-ingest`; briefings/ingest/evaluation.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from briefings.ingest import evaluation


class Command(BaseCommand):
    help = "Score the ingest assistant's proposals against hand-labelled texts: precision and recall per kind."

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="tests/data/ingest", help="Labelled texts (NAME.json).")
        parser.add_argument("--misses", action="store_true", help="List every label missed and proposal unmatched.")
        parser.add_argument("--words", type=int, default=2000, help="Words of the report timed (default 2000).")

    def handle(self, *args, folder, misses, words, **options):
        folder = Path(folder)
        if not any(folder.glob("*.json")):
            raise CommandError(f"{folder}: no labelled texts (NAME.json) here.")
        directory = evaluation.directory_from_fixtures(Path(settings.BASE_DIR) / "fixtures")
        for title, unseen_only in (("All texts", False), ("Unseen texts (the goals)", True)):
            scores = evaluation.evaluate(folder, directory, unseen=True if unseen_only else None)
            self.stdout.write(f"\n{title}: {', '.join(scores.texts) or 'none'}")
            self._table(scores)
            if unseen_only and not scores.texts:
                self.stdout.write("Goals: not measured, no unseen text here (tests/data/ingest/README.md)")
            elif unseen_only:
                unmet = scores.unmet()
                self.stdout.write("Goals: " + ("all met" if not unmet else "NOT MET: " + "; ".join(unmet)))
            if misses:
                for kind in ("figures", "offers", "quotes"):
                    tally = getattr(scores, kind)
                    for line in tally.misses:
                        self.stdout.write(f"  missed {kind}: {line}")
                    for line in tally.extras:
                        self.stdout.write(f"  extra {kind}: {line}")
        counted, seconds = evaluation.seconds_for_words(words, folder, directory)
        self.stdout.write(f"\nSpeed: a {counted}-word report proposed in {seconds:.3f} s (target: under 1 s)")

    def _table(self, scores):
        self.stdout.write(f"{'kind':<14}{'proposed':>9}{'labelled':>9}{'precision':>10}{'recall':>8}{'exact':>7}"
                          f"{'right':>7}")  # fmt: skip
        for kind, tally, right in (
            ("figures", scores.figures, "value"),
            ("money", scores.money, "value"),
            ("reward offers", scores.offers, "ceiling"),
            ("quotes", scores.quotes, "speaker"),
        ):
            self.stdout.write(
                f"{kind:<14}{tally.proposed:>9}{tally.labelled:>9}{tally.precision:>10.2f}{tally.recall:>8.2f}"
                f"{tally.exact_share:>7.2f}{tally.right_share:>7.2f}  ({right})"
            )
