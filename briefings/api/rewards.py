"""Reward programs, their offers, and the channels that take tips (briefings/selectors.py)."""

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router
from ninja.pagination import paginate

from ..models import Briefing, Organization, RewardProgram
from ..models.rewards import RewardOfferStatus, TipChannelKind
from ..selectors import reward_offers, reward_programs, tip_channels
from . import schemas
from .errors import lookup
from .pagination import Page
from .parameters import QueryParameters

router = Router(tags=["rewards"])


def _briefings():
    """Of the briefings that report an offer, the published ones, newest first."""
    return Briefing.objects.published().newest_first()


@router.get(
    "/reward-programs",
    response={200: list[schemas.RewardProgram], **schemas.BAD_PARAMETER},
    url_name="reward-program-list",
    summary="Reward programs with their offers",
)
@paginate(Page)
def reward_program_list(request):
    return reward_programs(briefings=_briefings())


@router.get(
    "/reward-programs/{slug:slug}",
    response={200: schemas.RewardProgram, **schemas.NOT_FOUND},
    url_name="reward-program-detail",
    summary="One reward program with its offers",
)
def reward_program_detail(request, slug: str):
    return get_object_or_404(reward_programs(briefings=_briefings()), slug=slug)


class RewardOfferFilters(QueryParameters):
    program: str | None = Field(None, description="Reward program slug.")
    target: str | None = Field(None, description="Slug of the organization the offer targets.")
    status: RewardOfferStatus | None = Field(None, description="`active` or `closed`.")


@router.get(
    "/reward-offers",
    response={200: list[schemas.RewardOffer], **schemas.BAD_PARAMETER},
    url_name="reward-offer-list",
    summary="Reward offers: ceilings in USD, criteria, tip channels",
)
@paginate(Page)
def reward_offer_list(request, filters: Query[RewardOfferFilters]):
    offers = reward_offers(briefings=_briefings())
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
    response={200: schemas.RewardOffer, **schemas.NOT_FOUND},
    url_name="reward-offer-detail",
    summary="One reward offer",
)
def reward_offer_detail(request, slug: str):
    return get_object_or_404(reward_offers(briefings=_briefings()), slug=slug)


class TipChannelFilters(QueryParameters):
    kind: TipChannelKind | None = Field(None, description="`phone`, `web`, `email` or `app`.")


@router.get(
    "/tip-channels",
    response={200: list[schemas.TipChannel], **schemas.BAD_PARAMETER},
    url_name="tip-channel-list",
    summary="Where to send tips",
)
@paginate(Page)
def tip_channel_list(request, filters: Query[TipChannelFilters]):
    channels = tip_channels()
    if filters.kind is not None:
        channels = channels.filter(kind=filters.kind)
    return channels
