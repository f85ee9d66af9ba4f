"""The README's Layout is a map a newcomer can trust: every file and folder it names exists, and every Python
package of the app is on it."""

import ast
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


# --- imports ------------------------------------------------------------------------------------------------------


def _import_graph():
    """{module: modules of the app it imports}, every import counted, at module level or inside a function."""
    modules = {}
    for path in (BASE_DIR / "briefings").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(BASE_DIR).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    graph = {}
    for name, (path, is_package) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = (
                    ".".join([*here[: len(here) - node.level + 1], node.module or ""]) if node.level else node.module
                )
                base = base.rstrip(".")
                # `from package import module` imports the module; `from module import name`, the module.
                imported |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


def _cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while not group or module not in group:
                group.add(stack.pop())
            on_stack.difference_update(group)
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def test_no_module_of_the_app_imports_itself_back():
    graph = _import_graph()
    assert len(graph) > 60  # guards the parsing
    assert _cycles(graph) == []


def test_the_search_mechanism_and_the_models_stay_below_what_uses_them():
    graph = _import_graph()

    def reaches(start):
        seen, todo = set(), [start]
        while todo:
            for other in graph[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        return seen

    mechanism = [name for name in graph if name.startswith("briefings.search") and ".site" not in name]
    for name in mechanism:
        assert not {m for m in reaches(name) if m.startswith("briefings.models")}, name
    above = (
        "briefings.search.site",
        "briefings.selectors",
        "briefings.services",
        "briefings.views",
        "briefings.admin",
    )
    for name in [name for name in graph if name.startswith("briefings.models")]:
        assert not {m for m in reaches(name) if m.startswith(above)}, name
