"""The CBP importer: the one write path for encounter counts.

session.py holds the transaction, cbp.py reads and checks each file, staging.py merges it, jobs.py runs an upload in
the background, errors.py reports problems by row and column.
"""

from .errors import MAX_REPORTED_ERRORS, EncounterFileError, RowError
from .session import PROGRESS_EVERY, ImportResult, ImportSession, encounters_import, import_session

__all__ = [
    "MAX_REPORTED_ERRORS",
    "PROGRESS_EVERY",
    "EncounterFileError",
    "ImportResult",
    "ImportSession",
    "RowError",
    "encounters_import",
    "import_session",
]
