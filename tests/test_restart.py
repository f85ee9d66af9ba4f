"""A restart never undoes the desk's work: the commands `make run` and `make serve` run at every start, read from
the Makefile itself, are run against a real database file after the desk has edited, taken down, relinked,
renamed and deleted seeded records, and every change is still there."""

import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from .processes import clean_env

BASE_DIR = Path(settings.BASE_DIR)

# What the desk does in the admin, as code run in `manage.py shell`.
DESK_WORK = """
from django.contrib.auth import get_user_model
from briefings import services
from briefings.models import Briefing, Figure, Place, RewardOffer
from briefings.roles import PUBLISHERS
from django.contrib.auth.models import Group

publisher = get_user_model().objects.create_user("publisher", password="x")
publisher.groups.add(Group.objects.get(name=PUBLISHERS))
briefing = Briefing.objects.get()
briefing.headline = "Headline the desk rewrote"
briefing.dek = "Dek the desk rewrote"
briefing.save()
services.briefing_unpublish(briefing=briefing, user=publisher)
figure = Figure.objects.get(slug="rgv-encounters-per-day-june-2024")
figure.attribution = "Attribution the desk checked"
figure.save()
for offer in RewardOffer.objects.all():
    offer.briefings.clear()
Place.objects.filter(slug="hidalgo").update(slug="hidalgo-texas")
Figure.objects.get(slug="darien-gap-length").delete()
"""

STATE = """
import json
from briefings.models import Briefing, EncounterCount, Figure, Place, RewardOffer
briefing = Briefing.objects.get()
print(json.dumps({
    "briefings": Briefing.objects.count(),
    "headline": briefing.headline,
    "dek": briefing.dek,
    "status": briefing.status,
    "attribution": Figure.objects.get(slug="rgv-encounters-per-day-june-2024").attribution,
    "offer_links": sum(offer.briefings.count() for offer in RewardOffer.objects.all()),
    "places": sorted(Place.objects.values_list("slug", flat=True)),
    "figures": sorted(Figure.objects.values_list("slug", flat=True)),
    "encounter_counts": EncounterCount.objects.count(),
}))
"""


def start_commands(target: str) -> list[list[str]]:
    """The manage.py commands of a Makefile target's recipe, as it runs them at every start (not the server)."""
    makefile = (BASE_DIR / "Makefile").read_text(encoding="utf-8")
    rule = re.search(rf"^{target}: (?!export).*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert rule, f"no recipe for {target}"
    commands = []
    for line in rule[1].splitlines():
        line = line.strip()
        if line.startswith("$(MANAGE) ") and not line.startswith(
            ("$(MANAGE) runserver", "$(MANAGE) collectstatic", "$(MANAGE) db_worker")
        ):
            arguments = line.removeprefix("$(MANAGE) ").replace("$(PORT)", "8000").split()
            commands.append([sys.executable, "manage.py", *arguments])
    return commands


def run(command, env):
    result = subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (command, result.stdout, result.stderr)
    return result.stdout


def shell(code, env):
    return run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], env)


def test_make_serve_starts_with_the_same_seed_step_as_make_run():
    """So the restart below, run as `make run` starts, stands for `make serve` too."""
    run_steps, serve_steps = start_commands("run"), start_commands("serve")
    assert [step for step in run_steps if "ensure_local_admin" not in step] == serve_steps
    assert [sys.executable, "manage.py", "load_initial_data", "--if-empty"] in serve_steps


def test_restarting_keeps_every_edit_take_down_link_rename_and_deletion(tmp_path):
    env = clean_env(
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite3'}",
    )
    commands = start_commands("run")

    first_start = "".join(run(command, env) for command in commands)
    assert "88 added" in first_start
    seeded, edited = map(json.loads, shell(STATE + DESK_WORK + STATE, env).splitlines())
    assert seeded["status"] == "published"
    assert seeded["offer_links"] == 3
    assert seeded["encounter_counts"] == 330

    restart = "".join(run(command, env) for command in commands)

    assert "the seed was not loaded, nothing was changed" in restart
    after = json.loads(shell(STATE, env))
    assert after == edited
    assert after["headline"] == "Headline the desk rewrote"
    assert after["dek"] == "Dek the desk rewrote"
    assert after["status"] == "draft"
    assert after["attribution"] == "Attribution the desk checked"
    assert after["offer_links"] == 0
    assert "hidalgo" not in after["places"] and "hidalgo-texas" in after["places"]
    assert "darien-gap-length" not in after["figures"]
