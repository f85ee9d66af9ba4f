"""The desk's records. The CBP counts live with the rest of their domain in briefings/encounters/ and are
imported here, where Django looks for the app's models (app label, tables and migrations unchanged)."""

from ..encounters.models import EncounterArea, EncounterCount, EncounterImportJob
from ..encounters.totals import EncounterAreaTotal, EncounterRegionTotal
from .audit import ContentChange
from .briefing import Briefing, Quote
from .corrections import Correction
from .entities import Organization, Person, Place, Topic
from .figures import Figure, Measure, Metric
from .generation import ContentGeneration
from .photos import Photo
from .review import PendingChange
from .rewards import RewardOffer, RewardProgram, TipChannel
from .seed import SeedRecord
from .sources import Source

__all__ = [
    "Briefing",
    "ContentChange",
    "ContentGeneration",
    "Correction",
    "EncounterArea",
    "EncounterAreaTotal",
    "EncounterCount",
    "EncounterImportJob",
    "EncounterRegionTotal",
    "Figure",
    "Measure",
    "Metric",
    "Organization",
    "PendingChange",
    "Person",
    "Photo",
    "Place",
    "Quote",
    "RewardOffer",
    "RewardProgram",
    "SeedRecord",
    "Source",
    "TipChannel",
    "Topic",
]
