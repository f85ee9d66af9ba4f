"""Search in Spanish (/es/search/): a second index of every searched table, read in Spanish.

Each translated field is indexed in its Spanish column, or in its English one while it has no Spanish yet (a page
in Spanish shows that English); verbatim words (quotes, sentences, offers' wording) as they are.

PostgreSQL: a text search configuration `briefings_search_es` (Spanish stemming, accents folded with `unaccent`),
and per table a `search_vector_es` column (briefings also `search_rank_vector_es`, headline and dek) kept by a
trigger of its own, with GIN indexes. SQLite: an FTS5 table `<table>_fts_es` per table (accents removed, no
stemming: FTS5 has no Spanish stemmer), kept by triggers. Later migrations that rebuild one of these tables on
SQLite make its triggers again with `recreate_sqlite_triggers` here, which makes both languages'.
"""

import importlib

from django.db import migrations

SEARCH = importlib.import_module("briefings.migrations.0008_briefing_search")
ENGLISH = importlib.import_module("briefings.migrations.0022_search_reads_english_columns")

# The configuration briefings/search/language.py names for Spanish: a copy, as migrations keep history.
CONFIG = "briefings_search_es"
# table: index columns whose Spanish is read from `<column>_es`, falling back to `<column>_en`.
TRANSLATED = {
    "briefings_briefing": {"headline", "dek", "body"},
    "briefings_organization": {"name", "description"},
    "briefings_place": {"name", "description"},
}


def feed(table, column, row):
    """SQL for what indexes `column` in Spanish, reading the row as `row` (NEW, new, or nothing for a fill)."""
    prefix = f"{row}." if row else ""
    if column in TRANSLATED.get(table, ()):
        return f"coalesce(nullif({prefix}{column}_es, ''), {prefix}{column}_en, '')"
    return f"coalesce({prefix}{column}, '')"


def watched(table):
    """The table's columns whose change changes its Spanish index."""
    return [
        name
        for column in SEARCH.SEARCHED[table]
        for name in ((f"{column}_es", f"{column}_en") if column in TRANSLATED.get(table, ()) else (column,))
    ]


def sqlite_statements(table):
    index, columns = f"{table}_fts_es", list(SEARCH.SEARCHED[table])
    names = ", ".join(columns)
    return [
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, tokenize = 'unicode61 remove_diacritics 2')",
        *sqlite_triggers(table),
        f"INSERT INTO {index} (rowid, {names}) SELECT id, "
        f"{', '.join(feed(table, column, '') for column in columns)} FROM {table}",
    ]


def sqlite_triggers(table):
    index, columns = f"{table}_fts_es", list(SEARCH.SEARCHED[table])
    names = ", ".join(columns)
    values = ", ".join(feed(table, column, "new") for column in columns)
    insert = f"INSERT INTO {index} (rowid, {names}) VALUES (new.id, {values});"
    return [
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {', '.join(watched(table))} ON {table} "
        f"BEGIN DELETE FROM {index} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN DELETE FROM {index} WHERE rowid = old.id; END",
    ]


def postgres_statements(table):
    weights = SEARCH.SEARCHED[table]

    def vector(columns):
        return " || ".join(
            f"setweight(to_tsvector('{CONFIG}'::regconfig, {feed(table, column, 'NEW')}), '{weights[column]}')"
            for column in columns
        )

    if table in SEARCH.RANKED_ON_HEADLINE_AND_DEK:
        upper = [column for column, weight in weights.items() if weight in "AB"]
        lower = [column for column in weights if column not in upper]
        add = "ADD COLUMN search_vector_es tsvector, ADD COLUMN search_rank_vector_es tsvector"
        assign = (
            f"NEW.search_rank_vector_es := {vector(upper)}; "
            f"NEW.search_vector_es := NEW.search_rank_vector_es || {vector(lower)};"
        )
        rank_index = [
            f"CREATE INDEX {table}_search_rank_es_idx ON {table} USING gin (search_rank_vector_es)",
            # As 0011 for the English vectors: site search asks the planner how many briefings match.
            f"ALTER TABLE {table} ALTER COLUMN search_vector_es SET STATISTICS 1000, "
            "ALTER COLUMN search_rank_vector_es SET STATISTICS 1000",
        ]
    else:
        add = "ADD COLUMN search_vector_es tsvector"
        assign = f"NEW.search_vector_es := {vector(weights)};"
        rank_index = []
    first = watched(table)[0]
    return [
        f"ALTER TABLE {table} {add}",
        f"CREATE FUNCTION {table}_search_vector_es() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {assign} "
        "RETURN NEW; END $$",
        f"CREATE TRIGGER {table}_search_vector_es BEFORE INSERT OR UPDATE OF {', '.join(watched(table))} "
        f"ON {table} FOR EACH ROW EXECUTE FUNCTION {table}_search_vector_es()",
        f"UPDATE {table} SET {first} = {first}",  # the trigger fills the new columns
        f"CREATE INDEX {table}_search_es_idx ON {table} USING gin (search_vector_es)",
        *rank_index,
    ]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [
            f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.spanish)",
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word "
            "WITH unaccent, spanish_stem",
            *(sql for table in SEARCH.SEARCHED for sql in postgres_statements(table)),
        ]
    elif vendor == "sqlite":
        statements = [sql for table in SEARCH.SEARCHED for sql in sqlite_statements(table)]
    else:
        raise NotImplementedError(f"Search indexes are defined for PostgreSQL and SQLite, not {vendor}.")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = []
    for table in SEARCH.SEARCHED:
        if vendor == "postgresql":
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_search_vector_es ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_search_vector_es()",
                f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector_es, "
                "DROP COLUMN IF EXISTS search_rank_vector_es",
            ]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_fts_es_{event}" for event in ("insert", "update", "delete")
            ]
            statements.append(f"DROP TABLE IF EXISTS {table}_fts_es")
    if vendor == "postgresql":
        statements.append(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    for sql in statements:
        schema_editor.execute(sql, params=None)


def recreate_sqlite_triggers(schema_editor, tables):
    """For migrations that rebuild a searched table on SQLite, which drops its triggers: both languages' again."""
    ENGLISH.recreate_sqlite_triggers(schema_editor, tables)
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in tables:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_es_{event}")
        for sql in sqlite_triggers(table):
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("briefings", "0023_place_match_note_translated")]

    operations = [migrations.RunPython(create, drop)]
