"""The README's Layout is a map a newcomer can trust: every file and folder it names exists, and every Python
package of the app is on it."""

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")
LAYOUT = re.search(r"^## Layout\n\n```\n(.*?)^```", README, re.MULTILINE | re.DOTALL)[1]
# A file named in a description, e.g. "entities.py (places, ...)"; patterns such as "_*.html" are left out.
NAMED_FILE = re.compile(r"(?<![\w<*|/])([A-Za-z][\w.]*\.(?:py|html|md|css))\b")


def entries():
    """(path, description) for each entry of the Layout: its names before the column gap, under their parent."""
    parents: dict[int, Path] = {}
    current = None
    for line in LAYOUT.splitlines():
        indent = len(line) - len(line.lstrip())
        names, _gap, description = line.strip().partition("  ")
        if indent >= 20 or not names:  # a description continued
            if current:
                yield from ((path, line) for path in current)
            continue
        parent = parents.get(indent - 2, BASE_DIR) if indent else BASE_DIR
        current = [parent / name.strip() for name in names.split(",") if name.strip()]
        if names.endswith("/"):
            parents[indent] = parent / names
        yield from ((path, description) for path in current)


def test_every_path_the_layout_names_exists():
    listed = list(entries())
    assert len({path for path, _ in listed}) > 30  # guards the parsing
    missing = sorted({str(path.relative_to(BASE_DIR)) for path, _ in listed if not path.exists()})
    assert not missing, f"README Layout names what does not exist: {missing}"


def test_every_file_a_layout_description_names_exists_there():
    missing = set()
    for path, description in entries():
        folder = path if path.is_dir() else path.parent
        for name in NAMED_FILE.findall(description):
            if not (folder / name).exists() and not any(folder.rglob(Path(name).name)):
                missing.add(f"{path.relative_to(BASE_DIR)}: {name}")
    assert not missing, f"README Layout describes files that do not exist: {sorted(missing)}"


def test_every_package_of_the_app_is_on_the_layout():
    listed = {path for path, _ in entries()}
    packages = {
        init.parent
        for init in (BASE_DIR / "briefings").rglob("__init__.py")
        if "migrations" not in init.parts and init.parent.parent != BASE_DIR / "briefings" / "management"
    }
    unlisted = sorted(
        str(package.relative_to(BASE_DIR))
        for package in packages
        if package != BASE_DIR / "briefings"
        # listed itself, or holding a listed folder (management/ holds management/commands/)
        and not any(package == path or package in path.parents for path in listed)
    )
    assert not unlisted, f"packages missing from the README's Layout: {unlisted}"
