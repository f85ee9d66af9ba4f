"""Places and organizations: the records briefings, figures and offers refer to (all of them are public)."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from ..languages import in_language
from ..models import Organization, Place
from ..models.entities import OrganizationKind, PlaceKind
from . import schemas
from .pagination import Page
from .parameters import QueryParameters

router = Router(tags=["places and organizations"])


def places():
    return Place.objects.select_related("parent").prefetch_related("countries").order_by(in_language("name"), "pk")


class PlaceFilters(QueryParameters):
    kind: PlaceKind | None = Field(None, description="Only places of this kind.")


@router.get(
    "/places",
    response={200: list[schemas.Place], **schemas.BAD_PARAMETER},
    url_name="place-list",
    summary="Places, by name",
)
@paginate(Page)
def place_list(request, filters: Query[PlaceFilters]):
    found = places()
    if filters.kind is not None:
        found = found.filter(kind=filters.kind)
    return found


@router.get(
    "/places/{slug:slug}",
    response={200: schemas.Place, **schemas.NOT_FOUND},
    url_name="place-detail",
    summary="One place",
)
def place_detail(request, slug: str):
    return get_object_or_404(places(), slug=slug)


def organizations():
    return Organization.objects.select_related("country", "parent").order_by(in_language("name"), "pk")


class OrganizationFilters(QueryParameters):
    kind: OrganizationKind | None = Field(None, description="Only organizations of this kind.")


@router.get(
    "/organizations",
    response={200: list[schemas.Organization], **schemas.BAD_PARAMETER},
    url_name="organization-list",
    summary="Organizations, by name",
)
@paginate(Page)
def organization_list(request, filters: Query[OrganizationFilters]):
    found = organizations()
    if filters.kind is not None:
        found = found.filter(kind=filters.kind)
    return found


@router.get(
    "/organizations/{slug:slug}",
    response={200: schemas.Organization, **schemas.NOT_FOUND},
    url_name="organization-detail",
    summary="One organization",
)
def organization_detail(request, slug: str):
    return get_object_or_404(organizations(), slug=slug)
