"""Pages of a list: `limit` with `offset` or `page`, the total count, and links to the pages either side."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .errors import parameter_error
from .parameters import QueryParameters

DEFAULT_LIMIT = 20
# Far past any list here, and small enough that offset + limit stays within the 64-bit integers databases take.
MAX_OFFSET = 10**15
MAX_PAGE = 10**12


class PageParameters(QueryParameters):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=100, description="Items per page (at most 100).")
    offset: int | None = Field(
        None, ge=0, le=MAX_OFFSET, description="Items to skip. Give `offset` or `page`, not both."
    )
    page: int | None = Field(None, ge=1, le=MAX_PAGE, description="Page number, from 1, of `limit` items each.")


class LongPageParameters(PageParameters):
    limit: int = Field(100, ge=1, le=1000, description="Items per page (at most 1000).")


class Page(PaginationBase):
    # A class of its own per paginator, so each has its own name in the OpenAPI document.
    Input = PageParameters

    class Output(Schema):
        count: int = Field(description="Items in the whole list, on every page.")
        next: str | None = Field(description="The next page, or null on the last.")
        previous: str | None = Field(description="The previous page, or null on the first.")
        items: list[Any]

    def paginate_queryset(self, queryset: QuerySet, pagination: PageParameters, request: HttpRequest, **params: Any):
        if pagination.offset is not None and pagination.page is not None:
            raise parameter_error("page", "Give either offset or page, not both.")
        limit = pagination.limit
        by_page = pagination.page is not None
        offset = (pagination.page - 1) * limit if by_page else (pagination.offset or 0)
        count = queryset.count()
        items = list(queryset[offset : offset + limit])

        def link(new_offset):
            query = request.GET.copy()
            if by_page:
                query["page"] = new_offset // limit + 1
            else:
                query["offset"] = new_offset
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "next": link(offset + limit) if offset + limit < count else None,
            "previous": link(max(offset - limit, 0)) if offset > 0 else None,
            "items": items,
        }


class LongPage(Page):
    """For CBP's table, whose rows are small and many."""

    Input = LongPageParameters
