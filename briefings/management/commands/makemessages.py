"""Django's `makemessages`, which also reads the public pages' Jinja2 templates (`jinja2/`).

Django turns a template into Python for GNU xgettext with its own template syntax in mind; a Jinja2 template's
`{% trans %}` blocks would be missed. For a file under a Jinja2 template directory this asks Jinja2's own message
extractor (the one Babel uses) instead, and writes each message as a `gettext()` call on the template's line, so
the catalogue's references point at the template.
"""

import json
from pathlib import Path

from django.core.management.commands import makemessages
from django.template import engines
from django.utils.functional import cached_property
from jinja2.ext import babel_extract

# The names a template calls gettext by (`_()`, and `{% trans %}` blocks as gettext and ngettext).
KEYWORDS = ["gettext", "ngettext", "_"]


def jinja2_directories() -> list[Path]:
    return [Path(path).resolve() for engine in engines.all() if engine.name == "jinja2" for path in engine.dirs]


class Jinja2AwareBuildFile(makemessages.BuildFile):
    @cached_property
    def is_jinja2(self):
        path = Path(self.path).resolve()
        return self.domain == "django" and any(path.is_relative_to(directory) for directory in jinja2_directories())

    def preprocess(self):
        if not self.is_jinja2:
            return super().preprocess()
        lines: list[list[str]] = []
        with open(self.path, "rb") as template:
            for lineno, _function, message, _comments in babel_extract(template, KEYWORDS, [], {"silent": "false"}):
                if message is None:
                    continue  # a gettext call on a variable: nothing to collect
                texts = [message] if isinstance(message, str) else [text for text in message if text is not None]
                if not texts:
                    continue
                quoted = ", ".join(json.dumps(text, ensure_ascii=False) for text in texts)
                lines.extend([] for _ in range(lineno - len(lines)))
                lines[lineno - 1].append(f"ngettext({quoted}, 2)" if len(texts) > 1 else f"gettext({quoted})")
        with open(self.work_path, "w", encoding="utf-8") as python:
            python.write("".join("; ".join(calls) + "\n" for calls in lines))


class Command(makemessages.Command):
    help = f"{makemessages.Command.help} Jinja2 templates (a Jinja2 engine's DIRS) are read by Jinja2's extractor."
    build_file_class = Jinja2AwareBuildFile
