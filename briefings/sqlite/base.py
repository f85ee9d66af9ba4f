"""Django's SQLite backend, with the write lock taken only by transactions that may write.

`transaction_mode: IMMEDIATE` makes a transaction take SQLite's write lock when it begins, so two saves at once
queue for it (up to `timeout` seconds) instead of one failing halfway with "database is locked". But
ATOMIC_REQUESTS and the admin wrap reads in transactions too (the change form's GET, a search page), and in
IMMEDIATE mode those would queue behind a long CBP import in the worker. A transaction begun while a request that
only reads is being answered (GET, HEAD, OPTIONS: see middleware.py) therefore begins DEFERRED: under WAL it reads
its snapshot and waits for no one. Everything else (other requests, the worker, commands) keeps the settings' mode.
"""

from contextvars import ContextVar

from django.db.backends.sqlite3 import base

# Set for the length of a request that only reads; a new thread starts without it (so the worker writes as usual).
only_reading: ContextVar[bool] = ContextVar("only_reading", default=False)


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self):
        if only_reading.get():
            self.cursor().execute("BEGIN DEFERRED")
        else:
            super()._start_transaction_under_autocommit()
