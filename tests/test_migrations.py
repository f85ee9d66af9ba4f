"""Migrations that rewrite the desk's data keep what readers saw: run forward and back on real rows."""

import datetime
import functools
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("briefings", "0017_figure_periods")
AFTER = ("briefings", "0018_figure_changes_free_units_offer_criteria")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_offers_keep_the_words_their_old_kind_gave_them():
    apps = migrate(BEFORE)
    try:
        organization = apps.get_model("briefings", "Organization").objects.create(
            name="Clan del Golfo", slug="clan-del-golfo", kind="criminal_organization"
        )
        program = apps.get_model("briefings", "RewardProgram").objects.create(
            name="Rewards", slug="rewards", administering_agency=organization
        )
        RewardOffer = apps.get_model("briefings", "RewardOffer")
        for slug, kind in [("a", "arrest_or_conviction"), ("b", "smuggling_resulting_in_death"), ("c", "other")]:
            RewardOffer.objects.create(
                slug=slug,
                program=program,
                target_organization=organization,
                ceiling_amount=Decimal("1000000"),
                criterion_kind=kind,
                criterion_text="information leading to  the arrest of a leader",
                announced_on=datetime.date(2024, 6, 11),
            )

        apps = migrate(AFTER)
        offers = apps.get_model("briefings", "RewardOffer").objects.order_by("slug")
        assert list(offers.values_list("slug", "criterion_kind", "criterion")) == [
            ("a", "arrest_or_conviction", "Arrest and/or conviction of a key leader"),
            ("b", "arrest_or_conviction", "Arrest and/or conviction for smuggling that resulted in death"),
            ("c", "other", "information leading to the arrest of a leader"),
        ]

        apps = migrate(BEFORE)
        offers = apps.get_model("briefings", "RewardOffer").objects.order_by("slug")
        assert list(offers.values_list("criterion_kind", flat=True)) == [
            "arrest_or_conviction",
            "smuggling_resulting_in_death",
            "other",
        ]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_going_back_is_refused_while_a_figure_uses_a_unit_of_the_desks_own():
    apps = migrate(AFTER)
    try:
        model = functools.partial(apps.get_model, "briefings")
        source = model("Source").objects.create(title="A report", slug="a-report", full_text="About 300 came.")
        figure = model("Figure").objects.create(
            slug="about-300",
            metric=model("Metric").objects.create(name="Crossings", slug="crossings"),
            briefing=model("Briefing").objects.create(headline="Crossings", slug="crossings", body="About 300 came."),
            source=source,
            value_as_printed="About 300",
            value=Decimal("300"),
            qualifier="about",
            unit="migrants",
            period="per_day",
            source_sentence="About 300 came.",
        )
        with pytest.raises(RuntimeError, match=r"figures use units the earlier list lacks \(migrants\)"):
            migrate(BEFORE)
        assert model("Figure").objects.get(pk=figure.pk).unit == "migrants"  # nothing was undone
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
