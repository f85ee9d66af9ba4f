"""The CBP importer: the one write path for encounter counts (cbp.py reads and checks, staging.py merges)."""

from .cbp import (
    MAX_REPORTED_ERRORS,
    PROGRESS_EVERY,
    EncounterFileError,
    ImportResult,
    ImportSession,
    RowError,
    encounters_import,
    import_session,
)

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
