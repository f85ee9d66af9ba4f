"""Briefing search at scale, PostgreSQL only: an index on `search_rank_vector`, and finer statistics.

- A GIN index on briefings' `search_rank_vector` (headline and dek, made by migration 0008). The site search
  ranks the newest briefings whose headline or dek match (briefings/search/site.py): for a word common in
  headlines the planner reads them newest first through the primary key, checking the small vector in the
  row; for a rarer one it needs this index, or it would read every briefing to find the few.
- The site search asks the planner how many briefings a query matches, to count few matches and estimate
  many. The planner knows the frequency of the lexemes its statistics keep, ten per statistics target point:
  by default the 1,000 most common, which in briefings of hundreds of words are those in more than about 4%
  of them, and it guesses every other lexeme at 0.5% of the table. A target of 1,000 keeps 10,000, down to
  lexemes in a few hundred of 100,000 briefings, for an ANALYZE of a few seconds at that size.

SQLite needs neither: its FTS5 table indexes every column, and it is not asked for estimates.
"""

from django.db import migrations

INDEX = "briefings_briefing_search_rank_idx"
STATISTICS_TARGET = 1000


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON briefings_briefing USING gin (search_rank_vector)")
        schema_editor.execute(
            f"ALTER TABLE briefings_briefing ALTER COLUMN search_vector SET STATISTICS {STATISTICS_TARGET}, "
            f"ALTER COLUMN search_rank_vector SET STATISTICS {STATISTICS_TARGET}"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(
            "ALTER TABLE briefings_briefing ALTER COLUMN search_vector SET STATISTICS -1, "
            "ALTER COLUMN search_rank_vector SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("briefings", "0010_content_generation"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
