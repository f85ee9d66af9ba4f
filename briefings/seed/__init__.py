"""The seed report (fixtures/): what a new deployment starts with, and never loaded over the desk's work.

`Seed.load()` adds what this database has never held and leaves everything else exactly as it is. A record
present under its natural key is not touched (not its fields, not its links); one the desk renamed or deleted
since the seed loaded it is left renamed or deleted, which the ledger (`SeedRecord`) tells; of CBP's counts
(fixtures/cbp/*.csv) only cells the table lacks are added. `Seed.restore()` is the explicit other choice: it
puts the fixture version back, lists what it overwrites, and keeps the desk's version in the history.

Both are all or nothing and check every record they save the way the admin does (quotes and sentences must be
verbatim passages of the source). Why not plain `loaddata`: it overwrites records by natural key, saves raw (so
model validation never runs), and its errors name objects by primary key, which natural-key fixtures do not
have. This uses the same deserializer and raw saves, and names every problem by file, object and field.
"""

from .entries import SeedError
from .loader import Seed
from .report import Overwrite, SeedReport

__all__ = ["Overwrite", "Seed", "SeedError", "SeedReport"]
