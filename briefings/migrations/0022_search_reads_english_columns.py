"""The search indexes read the English columns of translated fields (`headline_en`, not `headline`).

django-modeltranslation (0021) writes a bulk `update(headline=…)` to `headline_en` and leaves `headline` alone, so
an index fed from `headline` would miss it. The indexes' own columns keep their names (`headline`, `dek`, …), so
nothing that reads them changes. Later migrations that rebuild one of these tables on SQLite make their triggers
again with `recreate_sqlite_triggers` here, not 0008's.
"""

import importlib

from django.db import migrations

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")

# table: {index column: the table's column that feeds it}; the other searched tables are fed column for column.
ENGLISH_COLUMNS = {
    "briefings_briefing": {"headline": "headline_en", "dek": "dek_en", "body": "body_en"},
    "briefings_organization": {"name": "name_en", "acronym": "acronym", "description": "description_en"},
    "briefings_place": {"name": "name_en", "description": "description_en"},
}


def feeds(table):
    return ENGLISH_COLUMNS.get(table) or {column: column for column in SEARCH.SEARCHED[table]}


def sqlite_triggers(table, columns):
    index = f"{table}_fts"
    names = ", ".join(columns)
    # A translated column is NULL where nothing was typed in that language; the index holds text.
    values = ", ".join(f"coalesce(new.{source}, '')" for source in columns.values())
    insert = f"INSERT INTO {index} (rowid, {names}) VALUES (new.id, {values});"
    return [
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {', '.join(columns.values())} ON {table} "
        f"BEGIN DELETE FROM {index} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN DELETE FROM {index} WHERE rowid = old.id; END",
    ]


def recreate_sqlite_triggers(schema_editor, tables):
    """For migrations that rebuild a searched table on SQLite, which drops its triggers: make them again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in tables:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
        for sql in sqlite_triggers(table, feeds(table)):
            schema_editor.execute(sql, params=None)


def postgres_trigger(table, columns):
    """0008's trigger function and trigger, fed from `columns` ({index column: table column})."""
    weights = SEARCH.SEARCHED[table]

    def vector(names):
        return " || ".join(
            f"setweight(to_tsvector('{SEARCH.CONFIG}'::regconfig, coalesce(NEW.{columns[name]}::text, '')), "
            f"'{weights[name]}')"
            for name in names
        )

    if table in SEARCH.RANKED_ON_HEADLINE_AND_DEK:
        upper = [name for name, weight in weights.items() if weight in "AB"]
        lower = [name for name in weights if name not in upper]
        assign = f"NEW.search_rank_vector := {vector(upper)}; NEW.search_vector := NEW.search_rank_vector || {vector(lower)};"
    else:
        assign = f"NEW.search_vector := {vector(weights)};"
    return [
        f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
        f"CREATE OR REPLACE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {assign} "
        "RETURN NEW; END $$",
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {', '.join(columns.values())} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
    ]


def columns_before(table):
    return {column: column for column in SEARCH.SEARCHED[table]}


def feed_from(columns_of):
    """Point the three tables' triggers at `columns_of(table)`: the English columns, or (going back) 0008's."""

    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in ENGLISH_COLUMNS:
            if vendor == "sqlite":
                for event in ("insert", "update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
                statements = sqlite_triggers(table, columns_of(table))
            elif vendor == "postgresql":
                statements = postgres_trigger(table, columns_of(table))
            else:
                raise NotImplementedError(f"Search indexes are defined for PostgreSQL and SQLite, not {vendor}.")
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("briefings", "0021_translations")]

    operations = [migrations.RunPython(feed_from(feeds), feed_from(columns_before))]
