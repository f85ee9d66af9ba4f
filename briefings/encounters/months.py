"""Calendar and fiscal months, as CBP counts them: its fiscal year starts on 1 October (October 2023 is FY2024).

Every page, the importer and the claim-beside-record comparison do their month arithmetic here.
"""

import calendar
import datetime

# CBP prints fiscal months as three-letter abbreviations, in fiscal order.
FISCAL_MONTHS = ["OCT", "NOV", "DEC", "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP"]
CALENDAR_MONTH_NUMBER = {abbv: (index + 9) % 12 + 1 for index, abbv in enumerate(FISCAL_MONTHS)}

FIRST_FISCAL_YEAR = 2000


def calendar_month(*, fiscal_year: int, month_abbv: str) -> datetime.date:
    """The first day of the calendar month a fiscal month falls in: FY2024 OCT is 2023-10-01, FY2024 JAN 2024-01-01."""
    month_number = CALENDAR_MONTH_NUMBER[month_abbv.upper()]
    year = fiscal_year - 1 if month_number >= 10 else fiscal_year
    return datetime.date(year, month_number, 1)


def fiscal_year(month: datetime.date) -> int:
    """The fiscal year a calendar month belongs to."""
    return month.year + 1 if month.month >= 10 else month.year


def month_key(month: datetime.date) -> str:
    """The month as query parameters and downloads write it: YYYY-MM."""
    return month.strftime("%Y-%m")


def next_month(month: datetime.date) -> datetime.date:
    return month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)


def days_in_month(month: datetime.date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def months_between(start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
    """The first days of every calendar month from the month of `start` to the month of `end`."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = next_month(month)
    return tuple(months)
