"""Log lines for what changes what readers see: one event per line, its fields as `key=value` (logfmt).

The fields also travel in the record's `extra`, so a JSON formatter can ship them as they are.
"""

import logging


def log_event(logger: logging.Logger, event: str, *, level: int = logging.INFO, **fields) -> None:
    """Log `event` (at INFO unless `level` says otherwise) with its fields, e.g.
    `briefing published briefing=jtfa-darien user=ana`."""
    text = " ".join(f"{key}={_value(value)}" for key, value in fields.items())
    logger.log(level, "%s %s", event, text, extra={"event": event, **fields})


def _value(value) -> str:
    text = str(value)
    if not text or any(character.isspace() or character in '"=' for character in text):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text
