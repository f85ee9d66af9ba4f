"""The SQL of the CBP import: a temporary staging table, the checks run on it, and the merge into the table.

The parser (briefings/encounters/importer/cbp.py) streams checked rows in; this module holds every statement the import
sends, so that the two databases it supports differ only here.

A first load into an empty table on PostgreSQL takes a faster way (Staging.load_into_empty_table), and so does a
file with more rows to write than the table holds (Staging.load_into_small_table): maintaining
the wide unique index and the secondary indexes row by row costs far more than inserting a million rows into
the bare table and building each index once, from one sort. The indexes and the unique constraint are dropped
and rebuilt from their own definitions inside the import's transaction, so a refused or failed import rolls the
schema back with the rows.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from ..models import AREA_COLUMNS, CELL_KEY, DIMENSIONS, EncounterArea, EncounterCount
from .errors import (
    COUNT_COLUMN,
    MAX_REPORTED_ERRORS,
    MAX_TEXT_LENGTH,
    REQUIRED_COLUMNS,
    TEXT_COLUMNS,
    Problems,
    text_problem,
)

# The indexes of the target table a first load drops and rebuilds: those that pg_get_indexdef() and
# pg_get_constraintdef() describe completely (valid, default tablespace, no storage parameters; UNIQUE
# constraints or no constraint), other than the primary key, and that no foreign key depends on. Anything else
# stays in place and is maintained row by row.
REBUILDABLE_INDEXES = """
    SELECT index_class.oid::regclass::text, index_.indisunique, constraint_.conname,
           pg_get_indexdef(index_.indexrelid), pg_get_constraintdef(constraint_.oid)
    FROM pg_index AS index_
    JOIN pg_class AS index_class ON index_class.oid = index_.indexrelid
    LEFT JOIN pg_constraint AS constraint_
        ON constraint_.conindid = index_.indexrelid AND constraint_.conrelid = index_.indrelid
    WHERE index_.indrelid = %s::regclass
      AND NOT index_.indisprimary
      AND index_.indisvalid
      AND index_class.reltablespace = 0
      AND index_class.reloptions IS NULL
      AND (constraint_.oid IS NULL OR constraint_.contype = 'u')
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint AS foreign_key
          WHERE foreign_key.contype = 'f' AND foreign_key.conindid = index_.indexrelid
      )
    ORDER BY index_class.relname
"""


class Staging:
    """All the SQL of the import, in one place: a temporary staging table, the checks on it, and the merge.

    Column names come from the model. The staging table has the model's columns plus the file's row number
    and a hash of the key (computed while reading), which makes finding repeated keys cheap.

    Use: fill it with loader(), then check(), then (if the file has no problems) merge().
    """

    TABLE = "cbp_encounter_staging"
    # Enough for the duplicate check and the unchanged-row anti-join of a million-row file to run in memory;
    # PostgreSQL only, and only for this transaction.
    WORK_MEM = "256MB"

    def __init__(self):
        if connection.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"CBP imports need PostgreSQL or SQLite, not {connection.vendor}.")
        quote = connection.ops.quote_name
        opts = EncounterCount._meta
        self.target = quote(opts.db_table)
        columns = ["fiscal_year", "month_abbv", "month", *DIMENSIONS[2:], COUNT_COLUMN]
        self.target_columns = ", ".join(quote(opts.get_field(name).column) for name in columns)
        self.staging_columns = ", ".join(columns)
        self.load_columns = f"line, {self.staging_columns}, key_hash"  # the order of the parser's tuples
        self.conflict_key = ", ".join(quote(opts.get_field(name).column) for name in CELL_KEY)
        self.count_column = quote(opts.get_field(COUNT_COLUMN).column)
        # A row the table already holds as it is. SQLite looks each staged row up in the table: comparing `month`
        # too, which follows from the fiscal year and the month's name and so changes nothing else, lets it do so
        # through the unique key, which leads with it (without it, SQLite read all of an area's rows for each one:
        # hours for 1M rows). PostgreSQL hashes the rows instead, and each column more makes that slower.
        same_row = [*DIMENSIONS, COUNT_COLUMN]
        if connection.vendor == "sqlite":
            same_row = list(dict.fromkeys([*CELL_KEY, *same_row]))
        self.same_row = " AND ".join(
            f"existing.{quote(opts.get_field(name).column)} = staged.{name}" for name in same_row
        )
        self.take_out_unchanged_rows = (
            f"DELETE FROM {self.TABLE} AS staged "
            f"WHERE EXISTS (SELECT 1 FROM {self.target} AS existing WHERE {self.same_row})"
        )
        self.first_load: bool | None = None  # known once the target table is locked
        self.changed_months: list = []  # known once merged
        self.may_rebuild = False  # whether this account may drop and rebuild the table's indexes

    def __enter__(self):
        self.cursor = connection.cursor()
        if connection.vendor == "postgresql":
            self.cursor.execute(f"SET LOCAL work_mem = '{self.WORK_MEM}'")
        texts = ", ".join(f"{column} text NOT NULL" for column in DIMENSIONS[1:])
        self.cursor.execute(f"DROP TABLE IF EXISTS {self.TABLE}")
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {self.TABLE} (line integer NOT NULL, fiscal_year smallint NOT NULL, "
            f"month date NOT NULL, {texts}, {COUNT_COLUMN} integer NOT NULL, key_hash bigint NOT NULL)"
        )
        return self

    def __exit__(self, exc_type, exc, traceback):
        # After an error the transaction is rolled back, and the table with it.
        if exc_type is None:
            self.cursor.execute(f"DROP TABLE {self.TABLE}")
        self.cursor.close()

    @contextmanager
    def loader(self) -> Iterator[Callable[[list[tuple]], None]]:
        """A function that appends a batch of rows to the staging table: one COPY for the whole file on
        PostgreSQL, one executemany per batch on SQLite."""
        if connection.vendor == "postgresql":
            with self.cursor.cursor.copy(f"COPY {self.TABLE} ({self.load_columns}) FROM STDIN") as copy:
                write_row = copy.write_row

                def load(batch):
                    for row in batch:
                        write_row(row)

                yield load
        else:
            placeholders = ", ".join(["%s"] * len(self.load_columns.split(", ")))
            sql = f"INSERT INTO {self.TABLE} ({self.load_columns}) VALUES ({placeholders})"
            yield lambda batch: self.cursor.executemany(sql, batch)

    def check(self, problems: Problems, *, column_names: list[str]):
        """The checks that need every staged row: empty or over-long text, and cells given more than once.

        On a first load the unique constraint, rebuilt after the insert, finds repeated cells at no extra cost
        (load_into_empty_table); they are looked for here only when the file is refused anyway, so that every
        problem is named at once.
        """
        self.find_bad_text(problems, column_names=column_names)
        self._lock_target()
        if problems.total or not self.first_load:
            self.find_duplicates(problems)

    def _lock_target(self):
        """Make imports take turns until this transaction ends, so that the row counts of merge() describe
        this import alone (readers are not blocked), and find out whether this is a first load."""
        if self.first_load is not None:
            return
        if connection.vendor != "postgresql":
            self.first_load = self.may_rebuild = False
            return
        self.cursor.execute(f"LOCK TABLE {self.target} IN SHARE ROW EXCLUSIVE MODE")
        # Only the table's owner may drop and rebuild its indexes; an account that may only write rows merges.
        self.cursor.execute(
            f"SELECT NOT EXISTS (SELECT 1 FROM {self.target}), pg_has_role(relowner, 'USAGE') "
            "FROM pg_class WHERE oid = %s::regclass",
            [self.target],
        )
        empty, self.may_rebuild = self.cursor.fetchone()
        self.first_load = empty and self.may_rebuild

    def find_bad_text(self, problems: Problems, *, column_names: list[str]):
        """Empty or over-long values of the open-ended columns, named by the file's row and column."""
        # Counting bytes first is much cheaper than counting characters; a value can only have more
        # characters than the limit if it has more bytes.
        byte_length = "octet_length" if connection.vendor == "postgresql" else "length"
        limit = MAX_TEXT_LENGTH
        bad = [
            f"({column} = '' OR ({byte_length}({column}) > {limit} AND length({column}) > {limit}))"
            for column in TEXT_COLUMNS
        ]
        where = " OR ".join(bad)
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.TABLE} WHERE {where}")
        if not self.cursor.fetchone()[0]:
            return
        self.cursor.execute(
            f"SELECT line, {', '.join(TEXT_COLUMNS)} FROM {self.TABLE} WHERE {where} "
            f"ORDER BY line LIMIT {MAX_REPORTED_ERRORS}"
        )
        printed = dict(zip(REQUIRED_COLUMNS, column_names, strict=True))
        shown = 0
        for line, *values in self.cursor.fetchall():
            for column, value in zip(TEXT_COLUMNS, values, strict=True):
                problem = text_problem(value)
                if problem:
                    problems.add(line, printed[column], problem)
                    shown += 1
        self.cursor.execute(
            f"SELECT SUM({' + '.join(f'CASE WHEN {condition} THEN 1 ELSE 0 END' for condition in bad)}) "
            f"FROM {self.TABLE} WHERE {where}"
        )
        problems.total += self.cursor.fetchone()[0] - shown

    def find_duplicates(self, problems: Problems):
        """A file must not give the same cell twice: neither summing nor picking one would be safe."""
        grouped = (
            f"SELECT MIN(line), MAX(line), COUNT(*) FROM {self.TABLE} WHERE key_hash IN "
            f"(SELECT key_hash FROM {self.TABLE} GROUP BY key_hash HAVING COUNT(*) > 1) "
            f"GROUP BY {', '.join(DIMENSIONS)} HAVING COUNT(*) > 1"
        )
        self.cursor.execute(f"{grouped} ORDER BY 2 LIMIT {MAX_REPORTED_ERRORS + 1}")
        duplicates = self.cursor.fetchall()
        if not duplicates:
            return
        same = _("Row %(first)d has the same fiscal year, month and dimensions: each cell may appear only once.")
        same_in_all = _(
            "Row %(first)d has the same fiscal year, month and dimensions (%(count)d rows in all): "
            "each cell may appear only once."
        )
        for first, last, count in duplicates[:MAX_REPORTED_ERRORS]:
            problems.add(last, None, (same if count == 2 else same_in_all) % {"first": first, "count": count})
        if len(duplicates) > MAX_REPORTED_ERRORS:
            self.cursor.execute(f"SELECT COUNT(*) FROM ({grouped}) AS duplicated")
            problems.total += self.cursor.fetchone()[0] - MAX_REPORTED_ERRORS

    def merge(self, problems: Problems, *, keep_existing: bool = False) -> tuple[int, int, int]:
        """Upsert the staged rows by their full key; return (added, replaced, unchanged).

        Rows identical to a stored one are taken out of staging first (in a statement of their own, while the
        table is not growing), so that re-importing a reissued file does not lock and rewrite every row it
        leaves as it was. A first load may still find repeated cells: then it adds them to `problems` and
        raises the refusal. The file's areas of responsibility are recorded too (EncounterArea), and the months
        of the rows written are kept in `changed_months`.

        With `keep_existing`, a stored cell keeps its count whatever the file says (nothing is replaced), and
        `unchanged` counts every cell the table already held: how the seed adds its rows (briefings/seed/).
        """
        self._lock_target()
        self.add_areas()
        if self.first_load:
            self.changed_months = self._staged_months()
            return self.load_into_empty_table(problems), 0, 0
        if connection.vendor == "postgresql":
            self.cursor.execute(f"ANALYZE {self.TABLE}")  # temporary tables get no statistics otherwise
        self.cursor.execute(self.take_out_unchanged_rows)
        unchanged = self.cursor.rowcount
        self.changed_months = self._staged_months()
        if keep_existing:
            staged = self._rows_staged()
            self.cursor.execute(
                f"INSERT INTO {self.target} ({self.target_columns}) "
                f"SELECT {self.staging_columns} FROM {self.TABLE} WHERE true "
                f"ON CONFLICT ({self.conflict_key}) DO NOTHING"
            )
            added = self.cursor.rowcount
            return added, 0, unchanged + staged - added
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.target}")
        before = self.cursor.fetchone()[0]
        if self.may_rebuild and self._rows_staged() > before:
            return *self.load_into_small_table(problems), unchanged
        self.cursor.execute(
            f"INSERT INTO {self.target} ({self.target_columns}) "
            f"SELECT {self.staging_columns} FROM {self.TABLE} WHERE true "
            f"ON CONFLICT ({self.conflict_key}) DO UPDATE SET {self.count_column} = excluded.{self.count_column}"
        )
        written = self.cursor.rowcount  # added plus replaced
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.target}")
        added = self.cursor.fetchone()[0] - before
        return added, written - added, unchanged

    def _staged_months(self) -> list:
        """The calendar months of the rows still staged: those the merge may add or replace, whose totals the
        import session sums again (briefings/encounters/importer/totals.py)."""
        self.cursor.execute(f"SELECT DISTINCT month FROM {self.TABLE}")
        return [month for (month,) in self.cursor.fetchall()]

    def _rows_staged(self) -> int:
        self.cursor.execute(f"SELECT COUNT(*) FROM {self.TABLE}")
        return self.cursor.fetchone()[0]

    def load_into_small_table(self, problems: Problems) -> tuple[int, int]:
        """PostgreSQL, a file with more rows to write than the table holds: take out the rows the file replaces,
        then add every staged row the way a first load does (load_into_empty_table), which costs less than
        maintaining the indexes row by row. Returns (added, replaced)."""
        same_cell = " AND ".join(
            f"existing.{quote} = staged.{name}"
            for quote, name in zip(self.conflict_key.split(", "), CELL_KEY, strict=True)
        )
        self.cursor.execute(f"DELETE FROM {self.target} AS existing USING {self.TABLE} AS staged WHERE {same_cell}")
        replaced = self.cursor.rowcount
        return self.load_into_empty_table(problems) - replaced, replaced

    def add_areas(self):
        """Record the file's areas of responsibility that EncounterArea does not list yet."""
        quote = connection.ops.quote_name
        area_opts = EncounterArea._meta
        columns = ", ".join(quote(area_opts.get_field(name).column) for name in AREA_COLUMNS)
        self.cursor.execute(
            f"INSERT INTO {quote(area_opts.db_table)} ({columns}) "
            f"SELECT DISTINCT {', '.join(AREA_COLUMNS)} FROM {self.TABLE} WHERE true ON CONFLICT DO NOTHING"
        )

    def load_into_empty_table(self, problems: Problems) -> int:
        """PostgreSQL, a table holding no cell of the file: drop the unique constraints and secondary indexes,
        insert every staged row, then rebuild them as they were (same names, same definitions). Returns the number
        of rows inserted.

        Dropping an index locks the table against readers too, until the import commits (on a first load they would
        only have seen an empty table). Everything happens in the import's transaction: on any error the indexes
        come back with the rollback.
        """
        self.cursor.execute(f"LOCK TABLE {self.target} IN ACCESS EXCLUSIVE MODE")
        self.cursor.execute(REBUILDABLE_INDEXES, [self.target])
        quote = connection.ops.quote_name
        unique, not_unique = [], []
        for index_name, is_unique, constraint_name, index_definition, constraint_definition in self.cursor.fetchall():
            if constraint_name:
                self.cursor.execute(f"ALTER TABLE {self.target} DROP CONSTRAINT {quote(constraint_name)}")
                rebuild = f"ALTER TABLE {self.target} ADD CONSTRAINT {quote(constraint_name)} {constraint_definition}"
            else:
                self.cursor.execute(f"DROP INDEX {index_name}")
                rebuild = index_definition
            (unique if is_unique else not_unique).append(rebuild)
        # No ON CONFLICT (there is nothing to conflict with) and no ORDER BY: the unique index sorts the rows
        # anyway, and sorting them first as well measured slower for a file out of key order.
        self.cursor.execute(
            f"INSERT INTO {self.target} ({self.target_columns}) SELECT {self.staging_columns} FROM {self.TABLE}"
        )
        added = self.cursor.rowcount
        try:
            with transaction.atomic():
                for statement in unique:
                    self.cursor.execute(statement)
        except IntegrityError:  # the file gives a cell more than once: name the rows
            self.find_duplicates(problems)
            if problems.total:
                raise problems.refusal() from None
            raise
        for statement in not_unique:
            self.cursor.execute(statement)
        # Without statistics the planner guesses a handful of rows per key: the next import's search for
        # unchanged rows then probed an index row by row, still running after 12 minutes on a million rows
        # where a hash join takes seconds.
        self.cursor.execute(f"ANALYZE {self.target}")
        return added
