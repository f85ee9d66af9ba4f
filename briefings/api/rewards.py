"""Reward programs, their offers, and the channels that take tips, as the reward pages show them."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from ..models import Briefing, Organization, RewardOffer, RewardProgram, TipChannel
from ..models.rewards import RewardOfferStatus, TipChannelKind
from . import schemas
from .errors import lookup
from .pagination import Page
from .parameters import QueryParameters

router = Router(tags=["rewards"])

NOT_FOUND = {404: schemas.Error}
BAD_PARAMETER = {422: schemas.ValidationErrors}


def reward_offers():
    """Offers with everything shown beside them; of the briefings that report one, the published only."""
    return (
        RewardOffer.objects.with_related()
        .select_related("source__publisher")
        .prefetch_related(
            Prefetch("briefings", queryset=Briefing.objects.published().newest_first(), to_attr="published_briefings")
        )
        .order_by("program__name", "program__pk", "position", "pk")
    )


def reward_programs():
    return (
        RewardProgram.objects.select_related("administering_agency")
        .prefetch_related(Prefetch("offers", queryset=reward_offers()))
        .order_by("name", "pk")
    )


@router.get(
    "/reward-programs",
    response={200: list[schemas.RewardProgram], **BAD_PARAMETER},
    url_name="reward-program-list",
    summary="Reward programs with their offers",
)
@paginate(Page)
def reward_program_list(request):
    return reward_programs()


@router.get(
    "/reward-programs/{slug:slug}",
    response={200: schemas.RewardProgram, **NOT_FOUND},
    url_name="reward-program-detail",
    summary="One reward program with its offers",
)
def reward_program_detail(request, slug: str):
    return get_object_or_404(reward_programs(), slug=slug)


class RewardOfferFilters(QueryParameters):
    program: str | None = Field(None, description="Reward program slug.")
    target: str | None = Field(None, description="Slug of the organization the offer targets.")
    status: RewardOfferStatus | None = Field(None, description="`active` or `closed`.")


@router.get(
    "/reward-offers",
    response={200: list[schemas.RewardOffer], **BAD_PARAMETER},
    url_name="reward-offer-list",
    summary="Reward offers: ceilings in USD, criteria, tip channels",
)
@paginate(Page)
def reward_offer_list(request, filters: Query[RewardOfferFilters]):
    offers = reward_offers()
    if filters.program:
        offers = offers.filter(
            program=lookup(RewardProgram.objects.all(), filters.program, "program", "reward program")
        )
    if filters.target:
        target = lookup(Organization.objects.all(), filters.target, "target", "organization")
        offers = offers.filter(target_organization=target)
    if filters.status == RewardOfferStatus.ACTIVE:
        offers = offers.active()
    elif filters.status is not None:
        offers = offers.filter(status=filters.status)
    return offers


@router.get(
    "/reward-offers/{slug:slug}",
    response={200: schemas.RewardOffer, **NOT_FOUND},
    url_name="reward-offer-detail",
    summary="One reward offer",
)
def reward_offer_detail(request, slug: str):
    return get_object_or_404(reward_offers(), slug=slug)


class TipChannelFilters(QueryParameters):
    kind: TipChannelKind | None = Field(None, description="`phone`, `web`, `email` or `app`.")


@router.get(
    "/tip-channels",
    response={200: list[schemas.TipChannel], **BAD_PARAMETER},
    url_name="tip-channel-list",
    summary="Where to send tips",
)
@paginate(Page)
def tip_channel_list(request, filters: Query[TipChannelFilters]):
    channels = (
        TipChannel.objects.select_related("source__publisher")
        .prefetch_related("receiving_agencies")
        .order_by("kind", "value", "pk")
    )
    if filters.kind is not None:
        channels = channels.filter(kind=filters.kind)
    return channels
