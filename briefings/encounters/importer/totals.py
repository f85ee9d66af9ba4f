"""The SQL that keeps the encounters page's totals (briefings/encounters/totals.py) equal to the counts.

An import session calls refresh_totals() once, after every file is merged and inside the import's transaction, with
the calendar months whose counts it added or replaced: readers see the new counts and their totals together, and a
refused, failed or dry-run import leaves both as they were. The months' totals are summed again from the counts,
then the rows that sum every month from the monthly totals: simpler and surer than adding differences. Its cost is
the changed months' counts (all of them for a first load; a few months of a large table are found through the unique
index, which starts with the month) plus the monthly totals, never every count for a small revision. Plain SQL, the
same on SQLite and PostgreSQL; the breakdowns' names are the model's own constants, written into it as literals.
"""

import datetime
from collections.abc import Iterable

from django.db import connection

from ..models import EncounterCount
from ..totals import (
    AREA_PLACE,
    BREAKDOWN_COLUMNS,
    REGION_PLACE,
    SUMMED_COLUMNS,
    Breakdown,
    EncounterAreaTotal,
    EncounterRegionTotal,
)


def refresh_totals(months: Iterable[datetime.date] | None = None) -> None:
    """Sum the totals of `months` again from the counts (None: every month, as after rows written outside the
    importer), then the totals of every month."""
    months = None if months is None else sorted(set(months))
    if months == []:
        return
    quote = connection.ops.quote_name
    counts = quote(EncounterCount._meta.db_table)
    area, region = quote(EncounterAreaTotal._meta.db_table), quote(EncounterRegionTotal._meta.db_table)
    in_months = "" if months is None else f"month IN ({', '.join(['%s'] * len(months))})"
    params = [] if months is None else months

    def where(*conditions):
        conditions = [condition for condition in conditions if condition]
        return f" WHERE {' AND '.join(conditions)}" if conditions else ""

    def insert(table, place, *, month=True):
        columns = ", ".join(["month"] * month + [*place, "breakdown", *SUMMED_COLUMNS, "encounters"])
        return f"INSERT INTO {table} ({columns}) "

    area_key = ", ".join(AREA_PLACE)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {area}{where(in_months)}", params)
        cursor.execute(f"DELETE FROM {region}{where(in_months)}", params)
        # An area's months by each breakdown, from the counts: two passes over them (each sorts or hashes every
        # count of the months, the bulk of the cost), since demographics and types are kept together.
        for breakdown, columns in BREAKDOWN_COLUMNS.items():
            if breakdown == Breakdown.TOTAL:
                continue
            summed = ", ".join(column if column in columns else "''" for column in SUMMED_COLUMNS)
            group_by = ", ".join(["month", *AREA_PLACE, *columns])
            cursor.execute(
                f"{insert(area, AREA_PLACE)}SELECT month, {area_key}, '{breakdown.value}', {summed}, "
                f"SUM(encounter_count) FROM {counts}{where(in_months)} GROUP BY {group_by}",
                params,
            )
        # An area's month in total: the sum of its rows by demographic and type, a few per month (every count has
        # exactly one demographic, type and title).
        demographics = f"breakdown = '{Breakdown.DEMOGRAPHIC_AND_TYPE.value}'"
        cursor.execute(
            f"{insert(area, AREA_PLACE)}SELECT month, {area_key}, '{Breakdown.TOTAL.value}', '', '', '', '', "
            f"SUM(encounters) FROM {area}{where(demographics, in_months)} GROUP BY month, {area_key}",
            params,
        )
        # A region's months: its areas' summed.
        region_key = ", ".join([*REGION_PLACE, "breakdown", *SUMMED_COLUMNS])
        cursor.execute(
            f"{insert(region, REGION_PLACE)}SELECT month, {region_key}, SUM(encounters) "
            f"FROM {area}{where(in_months)} GROUP BY month, {region_key}",
            params,
        )
        # Every month: the monthly totals summed, per key.
        for table, place in ((area, AREA_PLACE), (region, REGION_PLACE)):
            key = ", ".join([*place, "breakdown", *SUMMED_COLUMNS])
            cursor.execute(f"DELETE FROM {table} WHERE month IS NULL")
            cursor.execute(
                f"{insert(table, place, month=False)}SELECT {key}, SUM(encounters) "
                f"FROM {table} WHERE month IS NOT NULL GROUP BY {key}"
            )
