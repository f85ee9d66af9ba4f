"""Every command the README shows works as written, from the project root, right after `make run`.

`make run` writes a local .env (DEBUG on, a fresh secret key) when there is none; the tests here make one with the
Makefile's own rule, then ask every `manage.py` command the README names for its `--help`, with that .env only.
"""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from .processes import clean_env

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")
VENV_BIN = Path(sys.executable).parent

FENCED = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"`([^`\n]+)`")
MANAGE = re.compile(r"(?P<python>\S*python3?) manage\.py (?P<command>[a-z_]+)")
# Programs a newcomer runs from the virtualenv that `make run` makes.
VENV_PROGRAMS = ("python", "pytest", "pip", "gunicorn")


def commands_shown():
    """Each command line of the README's code blocks, and each inline code span that runs something."""
    for block in FENCED.findall(README):
        for line in block.splitlines():
            line = line.split("  #", 1)[0].strip()
            if line:
                yield line
    for span in INLINE.findall(README):
        if MANAGE.search(span) or span.split()[0] in (*VENV_PROGRAMS, "make"):
            yield span


COMMANDS = sorted(set(commands_shown()))
MANAGE_COMMANDS = sorted({match["command"] for line in COMMANDS for match in MANAGE.finditer(line)})


def make_env_file(directory: Path) -> subprocess.CompletedProcess:
    """Run the Makefile's own `.env` rule in `directory` (holding a copy of .env.example), with this virtualenv."""
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(BASE_DIR / "Makefile"), "-C", str(directory), ".env"]
        + [f"BIN={VENV_BIN}"],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def env_file(tmp_path_factory):
    directory = tmp_path_factory.mktemp("checkout")
    shutil.copy(BASE_DIR / ".env.example", directory)
    result = make_env_file(directory)
    assert result.returncode == 0, result.stderr
    return directory / ".env"


def test_the_readme_shows_the_commands_this_file_checks():
    """Guards the parsing below: the README's commands are found."""
    assert "make run" in COMMANDS
    assert "make test" in COMMANDS
    assert {"import_cbp_encounters", "load_initial_data", "createsuperuser", "axes_reset_username"} <= set(
        MANAGE_COMMANDS
    )


@pytest.mark.parametrize("line", COMMANDS)
def test_every_command_runs_from_the_virtualenv_make_run_made(line):
    """`.venv/bin/python manage.py ...`, never a bare `python`, which may be another Python or none."""
    program = line.split()[0]
    if program in VENV_PROGRAMS:
        pytest.fail(f"README: “{line}” should be written “.venv/bin/{line}”")
    for match in MANAGE.finditer(line):
        assert match["python"] == ".venv/bin/python", f"README: “{line}”: write “.venv/bin/python manage.py …”"


@pytest.mark.parametrize("line", [line for line in COMMANDS if line.startswith("make ")])
def test_every_make_target_exists(line):
    targets = set(re.findall(r"^([a-z][a-z-]*):", (BASE_DIR / "Makefile").read_text(encoding="utf-8"), re.M))
    assert line.split()[1] in targets, line


# Runs manage.py as `python manage.py <command> --help` runs it, once per command, in one process (one Django
# start-up instead of one per command); prints each command's exit status and output as JSON.
HELP_OF_EACH = """
import contextlib, io, json, runpy, sys
answers = {}
for command in sys.argv[1:]:
    sys.argv = ["manage.py", command, "--help"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            runpy.run_path("manage.py", run_name="__main__")
            status = 0
        except SystemExit as exit:
            status = exit.code or 0
    answers[command] = [status, out.getvalue()]
print(json.dumps(answers))
"""


def test_every_manage_py_command_exists_and_answers_help_with_the_env_make_run_writes(env_file):
    known = get_commands()
    missing = [command for command in MANAGE_COMMANDS if command not in known]
    assert not missing, f"README names manage.py commands that do not exist: {missing}"

    result = subprocess.run(
        [sys.executable, "-c", HELP_OF_EACH, *MANAGE_COMMANDS],
        cwd=BASE_DIR,
        env=clean_env(DJANGO_ENV_FILE=str(env_file)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answers = json.loads(result.stdout)
    assert sorted(answers) == MANAGE_COMMANDS
    for command, (status, output) in answers.items():
        assert status == 0, (command, output[-2000:])
        assert "usage: manage.py " + command in output, command


def test_make_run_writes_a_local_env_with_debug_on_and_a_fresh_key_and_says_so(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for directory in (first, second):
        directory.mkdir()
        shutil.copy(BASE_DIR / ".env.example", directory)
        result = make_env_file(directory)
        assert result.returncode == 0, result.stderr
        assert "Created .env from .env.example" in result.stdout

    settings_of = [dict(re.findall(r"^([A-Z_]+)=(.*)$", (d / ".env").read_text(), re.M)) for d in (first, second)]
    assert settings_of[0]["DJANGO_DEBUG"] == "1"
    assert len(settings_of[0]["DJANGO_SECRET_KEY"]) >= 50
    assert settings_of[0]["DJANGO_SECRET_KEY"] != settings_of[1]["DJANGO_SECRET_KEY"]
    # Every other line as .env.example has it.
    example = (BASE_DIR / ".env.example").read_text().splitlines()
    written = (first / ".env").read_text().splitlines()
    assert [a for a, b in zip(example, written, strict=True) if a != b] == ["DJANGO_SECRET_KEY="]


def test_an_existing_env_is_never_overwritten(tmp_path):
    shutil.copy(BASE_DIR / ".env.example", tmp_path)
    (tmp_path / ".env").write_text("DJANGO_SECRET_KEY=the-desks-own\n")

    result = make_env_file(tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / ".env").read_text() == "DJANGO_SECRET_KEY=the-desks-own\n"
    assert "Created" not in result.stdout


def test_git_ignores_the_local_env():
    ignored = (BASE_DIR / ".gitignore").read_text().splitlines()
    assert ".env" in ignored


def manage_py_check(**variables) -> subprocess.CompletedProcess:
    """`manage.py check` in a process of its own, with `variables` as its only settings."""
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=clean_env(**variables),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "start", "naming"),
    [
        ({"DJANGO_DEBUG": "0"}, "manage.py: DJANGO_SECRET_KEY is not set", "make run"),
        (
            {"DJANGO_DEBUG": "1", "AXES_FAILURE_LIMIT": "five"},
            "manage.py: a setting from the environment is not valid, at config/settings.py",
            'env.int("AXES_FAILURE_LIMIT"',
        ),
    ],
    ids=["no-secret-key", "not-a-number"],
)
def test_a_missing_or_invalid_setting_is_said_in_one_line(variables, start, naming):
    result = manage_py_check(**variables)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(start)
    assert naming in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
