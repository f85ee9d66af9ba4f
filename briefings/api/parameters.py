"""What every schema of query parameters shares: text the database can store, or a 422 naming the parameter.

PostgreSQL text cannot hold a NUL character, so a filter value with one would fail in the database (a 500)
where any other unknown value is a 422 or an empty list. It is refused here, before any query.
"""

from ninja import Schema
from pydantic import field_validator


class QueryParameters(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def no_nul_character(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character (%00)")
        return value
