"""Due dates: cadences in days or calendar months, counted in the shop's local time zone."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

_CADENCE = re.compile(r"^\s*(\d{1,3})\s*([dm]?)\s*$", re.IGNORECASE)


class BadCadence(ValueError):
    """A cadence that is not "N" days, "Nd" or "Nm" (months), from 1 to 999."""


@dataclass(frozen=True)
class Cadence:
    days: int = 0
    months: int = 0

    @classmethod
    def parse(cls, text: str) -> Cadence:
        match = _CADENCE.match(text)
        if not match or int(match.group(1)) == 0:
            raise BadCadence(text)
        number, unit = int(match.group(1)), match.group(2).lower()
        return cls(months=number) if unit == "m" else cls(days=number)

    @classmethod
    def from_days(cls, days: int) -> Cadence:
        """The knowledge base counts in days; 30, 90 and 180 read as one, three and six months."""
        if days >= 30 and days % 30 == 0:
            return cls(months=days // 30)
        if days == 365:
            return cls(months=12)
        return cls(days=days)

    def __str__(self) -> str:
        return f"{self.months}m" if self.months else f"{self.days}d"

    def after(self, day: date) -> date:
        """The day this cadence comes round again after `day`; month ends are kept in range
        (31 January + 1 month is the last day of February, 28th or 29th)."""
        if self.months:
            month_index = day.month - 1 + self.months
            year, month = day.year + month_index // 12, month_index % 12 + 1
            last = calendar.monthrange(year, month)[1]
            return date(year, month, min(day.day, last))
        return date.fromordinal(day.toordinal() + self.days)


def local_day(iso: str, zone: tzinfo | None) -> date:
    """The calendar day of an ISO time in the shop's time zone (None: this machine's)."""
    moment = datetime.fromisoformat(iso)
    return (moment.astimezone(zone) if zone else moment.astimezone()).date()
