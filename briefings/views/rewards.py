"""The rewards pages: the programs with their offers and tip channels, one program, one offer."""

from django.views.generic import DetailView, ListView

from ..models import RewardOffer, RewardProgram
from ..selectors import published_briefings, reward_offers, reward_programs, tip_channels
from .mixins import SectionMixin


class RewardListView(SectionMixin, ListView):
    template_name = "briefings/reward_list.html"
    context_object_name = "programs"
    section = "rewards"

    def get_queryset(self):
        return reward_programs()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tip_channels=tip_channels(), **kwargs)


class RewardProgramDetailView(SectionMixin, DetailView):
    model = RewardProgram
    context_object_name = "program"
    section = "rewards"

    def get_queryset(self):
        return reward_programs()

    def get_context_data(self, **kwargs):
        channels = tip_channels().filter(reward_offers__program=self.object).distinct()
        return super().get_context_data(tip_channels=channels, **kwargs)


class RewardOfferDetailView(SectionMixin, DetailView):
    model = RewardOffer
    context_object_name = "offer"
    section = "rewards"

    def get_queryset(self):
        return reward_offers(briefings=published_briefings())
