"""Every speed trick that leans on Django internals, in one package: the first things to check on a Django upgrade.

Each says which Django behaviour it replaces and why, and tests/test_fast_paths.py compares it with that
behaviour, so an upgrade that changes Django's answer fails there rather than on a reader's page.

- labels.py: `ChoiceLabels._get_FIELD_display`, `get_<field>_display()` without building a dict of every choice
  per call.
- dates.py: `date_format()`, `django.utils.dateformat.format()` with each format split once.
- numbers.py: `intcomma()`, humanize's `intcomma` for whole numbers with the language's separator, grouped by
  Python; `floatformat()`, Django's filter for whole numbers shown without decimals.
- urls.py: `page_url()`, `reverse()` for URLs whose arguments are slugs, each URL reversed once into a template;
  `address_scope()` keeps the script prefix and URLconf while a page renders.
- statements.py: `prepare()` / `Prepared`, a queryset compiled to SQL once and run again with new parameters (site
  search, the encounters page's totals, CBP's record beside figures: `Prepared.run()`), its times made aware by
  `_aware_datetime()` instead of SQLite's converter; `compiled_sql()`, a queryset's SQL and parameters with one
  parameter marked to be filled in (the page cache).
- instances.py: `prepare_instances()` / `PreparedInstances`, the same for a queryset of model instances, with the
  ones it selects related, as QuerySet iteration builds them (the briefing page's reads, selectors.py), each built
  by `_Builder` instead of `Model.from_db()` where the model's `__init__` adds nothing.
"""

from .dates import date_format
from .instances import PreparedInstances, prepare_instances
from .labels import ChoiceLabels
from .numbers import floatformat, intcomma
from .statements import Prepared, compiled_sql, placeholder, prepare
from .urls import address_scope, page_url

__all__ = [
    "ChoiceLabels",
    "Prepared",
    "PreparedInstances",
    "address_scope",
    "compiled_sql",
    "date_format",
    "floatformat",
    "intcomma",
    "page_url",
    "placeholder",
    "prepare",
    "prepare_instances",
]
