"""Full-text search indexes (briefings/search/), different on each database, filled from existing rows.

PostgreSQL: the `unaccent` extension and a text search configuration `briefings_search` (English stemming,
accents folded). Every searched table gets a `search_vector` column (its fields weighted as below) with a GIN
index, kept current by a trigger on every insert and update. Briefings also get a `search_rank_vector` (the
headline and dek) to rank by: it stays in the row, where the vector of a long body is read back from TOAST
storage.

SQLite: an FTS5 table `<table>_fts` per searched table, kept current by triggers on insert, update and delete.

Nothing here is a model field or index, so the migration state is unchanged. Django rebuilds an SQLite table
for most column changes and the rebuilt table has lost its triggers: a later migration that alters one of the
tables below on SQLite must create its triggers again (tests/test_search.py fails if it does not).
"""

from django.db import migrations

# The configuration briefings/search/postgresql.py calls POSTGRES_CONFIG. A copy, not an import: a migration
# records what it made, whatever the code says later; tests/test_search.py checks the two agree.
CONFIG = "briefings_search"

# table: {column: weight}, as the querysets' `search_fields` say (the order is the FTS5 column order)
SEARCHED = {
    "briefings_briefing": {"headline": "A", "dek": "B", "body": "C"},
    "briefings_figure": {"value_as_printed": "A", "source_sentence": "B", "attribution": "C"},
    "briefings_quote": {"text": "A", "context": "B", "speaker_description": "C"},
    "briefings_rewardoffer": {"criterion_text": "A", "source_sentence": "B"},
    "briefings_organization": {"name": "A", "acronym": "A", "description": "C"},
    "briefings_place": {"name": "A", "description": "C"},
}
RANKED_ON_HEADLINE_AND_DEK = {"briefings_briefing"}


def postgres_forwards(table, weights):
    def vector(columns):
        return " || ".join(
            f"setweight(to_tsvector('{CONFIG}'::regconfig, coalesce(NEW.{column}::text, '')), '{weights[column]}')"
            for column in columns
        )

    if table in RANKED_ON_HEADLINE_AND_DEK:
        upper = [column for column, weight in weights.items() if weight in "AB"]
        lower = [column for column in weights if column not in upper]
        columns = "ADD COLUMN search_vector tsvector, ADD COLUMN search_rank_vector tsvector"
        assign = f"NEW.search_rank_vector := {vector(upper)}; NEW.search_vector := NEW.search_rank_vector || {vector(lower)};"
    else:
        columns = "ADD COLUMN search_vector tsvector"
        assign = f"NEW.search_vector := {vector(weights)};"
    first = next(iter(weights))
    return [
        f"ALTER TABLE {table} {columns}",
        f"CREATE FUNCTION {table}_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {assign} RETURN NEW; END $$",
        f"CREATE TRIGGER {table}_search_vector BEFORE INSERT OR UPDATE OF {', '.join(weights)} ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_vector()",
        f"UPDATE {table} SET {first} = {first}",  # the trigger fills the new columns
        f"CREATE INDEX {table}_search_idx ON {table} USING gin (search_vector)",
    ]


def postgres_backwards(table):
    return [
        f"DROP INDEX IF EXISTS {table}_search_idx",
        f"DROP TRIGGER IF EXISTS {table}_search_vector ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_search_vector()",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS search_rank_vector",
    ]


POSTGRES_CONFIGURATION = [
    # A trusted extension since PostgreSQL 13: a database owner may create it. Going back leaves it installed,
    # as something else may use it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english)",
    # Words with non-ASCII letters lose their accents before stemming, in documents and queries alike.
    f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
]


def sqlite_forwards(table, weights):
    index = f"{table}_fts"
    names = ", ".join(weights)
    values = ", ".join(f"new.{column}" for column in weights)
    insert = f"INSERT INTO {index} (rowid, {names}) VALUES (new.id, {values});"
    return [
        # Porter stemming, like PostgreSQL's English configuration; accents removed, so "Darien" finds "Darién".
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, tokenize = 'porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN DELETE FROM {index} WHERE rowid = old.id; {insert} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN DELETE FROM {index} WHERE rowid = old.id; END",
        f"INSERT INTO {index} (rowid, {names}) SELECT id, {names} FROM {table}",
    ]


def sqlite_backwards(table):
    index = f"{table}_fts"
    return [
        *(f"DROP TRIGGER IF EXISTS {index}_{event}" for event in ("insert", "update", "delete")),
        f"DROP TABLE IF EXISTS {index}",
    ]


def recreate_sqlite_triggers(schema_editor, tables):
    """For later migrations that rebuild a searched table on SQLite, which drops its triggers: make them again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in tables:
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
        for sql in sqlite_forwards(table, SEARCHED[table]):
            if sql.startswith("CREATE TRIGGER"):
                schema_editor.execute(sql, params=None)


def statements(vendor, *, forwards):
    if vendor == "postgresql" and forwards:
        return POSTGRES_CONFIGURATION + [sql for table, w in SEARCHED.items() for sql in postgres_forwards(table, w)]
    if vendor == "postgresql":
        return [sql for table in SEARCHED for sql in postgres_backwards(table)] + [
            f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}"
        ]
    if vendor == "sqlite" and forwards:
        return [sql for table, weights in SEARCHED.items() for sql in sqlite_forwards(table, weights)]
    if vendor == "sqlite":
        return [sql for table in SEARCHED for sql in sqlite_backwards(table)]
    raise NotImplementedError(f"Search indexes are defined for PostgreSQL and SQLite, not {vendor}.")


def create_indexes(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forwards=True):
        schema_editor.execute(sql, params=None)


def drop_indexes(apps, schema_editor):
    for sql in statements(schema_editor.connection.vendor, forwards=False):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0007_corrections_and_audit_log"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
