from .audit import ContentChange
from .briefing import Briefing, Quote
from .corrections import Correction
from .encounters import EncounterArea, EncounterCount
from .entities import Organization, Person, Place, Topic
from .figures import Figure, Measure, Metric
from .generation import ContentGeneration
from .rewards import RewardOffer, RewardProgram, TipChannel
from .seed import SeedRecord
from .sources import Source

__all__ = [
    "Briefing",
    "ContentChange",
    "ContentGeneration",
    "Correction",
    "EncounterArea",
    "EncounterCount",
    "Figure",
    "Measure",
    "Metric",
    "Organization",
    "Person",
    "Place",
    "Quote",
    "RewardOffer",
    "RewardProgram",
    "SeedRecord",
    "Source",
    "TipChannel",
    "Topic",
]
