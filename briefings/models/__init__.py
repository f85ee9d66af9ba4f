from .briefing import Briefing, Quote
from .entities import Organization, Person, Place, Topic
from .figures import Figure, Measure, Metric
from .rewards import RewardOffer, RewardProgram, TipChannel
from .sources import Source

__all__ = [
    "Briefing",
    "Figure",
    "Measure",
    "Metric",
    "Organization",
    "Person",
    "Place",
    "Quote",
    "RewardOffer",
    "RewardProgram",
    "Source",
    "TipChannel",
    "Topic",
]
