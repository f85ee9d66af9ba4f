"""`manage.py compile_catalogues`: every locale/<language>/LC_MESSAGES/*.po compiled to the .mo Django reads.

Django's own compilemessages needs GNU gettext's msgfmt, which a newcomer's machine may lack; Babel (pure Python)
writes the same files. A catalogue with an entry whose placeholders differ from its msgid's is refused, saying
which, so a translation cannot break a page at run time.
"""

from pathlib import Path

from babel.messages.checkers import python_format
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) to .mo files."

    def handle(self, *args, **options):
        catalogues = sorted(
            path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.po")
        )
        for po in catalogues:
            with po.open("rb") as source:
                catalogue = read_po(source)
            problems = []
            for message in catalogue:
                if message.id and message.python_format:
                    try:
                        python_format(catalogue, message)
                    except Exception as error:  # Babel's TranslationError says what differs
                        problems.append(f"{po}:{message.lineno}: {error}")
            if problems:
                raise CommandError("Placeholders differ from the English:\n" + "\n".join(problems))
            mo = po.with_suffix(".mo")
            with mo.open("wb") as target:
                write_mo(target, catalogue, use_fuzzy=False)
            self.stdout.write(f"{mo}: {sum(1 for message in catalogue if message.id and message.string)} messages")
