"""The staff side: every record of the desk is edited here, one module per part of the desk.

- The site itself (DeskAdminSite, made `admin.site` by settings) and its labelled pickers are
  briefings/admin_site.py.
- base.py: what every admin page shares (history, restore, the stale-save guard).
- briefings.py: briefings with their figures, quotes and corrections; rewards.py: programs, offers, tip channels;
  directory.py: organizations, people, places, topics, metrics, measures and sources; photos.py; corrections.py;
  audit.py: the log of recent changes; review.py: changes to live content waiting for a Publisher;
  stale.py: the stale-save guard. The CBP counts' admin is briefings/encounters/admin.py.
"""

from ..encounters import admin as encounters  # noqa: F401
from . import audit, briefings, corrections, directory, photos, review, rewards  # noqa: F401
