"""The ids posdesk gives, the one definition of each: ASCII digits only, and few enough of them
that a hand-edited id of thousands of digits never reaches int() or a screen."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from posdesk.models.records import _pattern

TERMINAL_ID = re.compile(r"T\d{1,9}", re.ASCII)  # T1


def is_terminal_id(value: object) -> bool:
    return isinstance(value, str) and TERMINAL_ID.fullmatch(value) is not None


class IncidentId(str):
    """An incident's id, "20261125-001": the day it was opened (as written in its opening time)
    and its number that day. The only place that knows the id's shape: what is one, which day
    and month it belongs to (resolved incidents are filed by month), which id comes next.

    A plain `str` to everything else (JSON, TinyDB, comparisons); `IncidentId(text)` raises
    ValueError for text that is not an incident id.
    """

    PATTERN = re.compile(r"(\d{8})-(\d{3,9})", re.ASCII)

    def __new__(cls, value: str) -> IncidentId:
        if not cls.is_valid(value):
            raise ValueError(f"not an incident id: {value[:40]!r}")
        return super().__new__(cls, value)

    @classmethod
    def is_valid(cls, value: object) -> bool:
        return isinstance(value, str) and cls.PATTERN.fullmatch(value) is not None

    @staticmethod
    def day_of(opened_at: str) -> str:
        """The day an incident opened at this ISO time is numbered under ("20261125")."""
        return datetime.fromisoformat(opened_at).strftime("%Y%m%d")

    @staticmethod
    def month_of(day: str) -> str:
        """"2026-11" for a day "20261125" (or an id of that day): the file resolved incidents
        opened that month are kept in."""
        return f"{day[:4]}-{day[4:6]}"

    @classmethod
    def belongs_to(cls, value: object, day: str) -> bool:
        """Whether `value` is an id given on `day`."""
        return cls.is_valid(value) and value[:8] == day

    @classmethod
    def numbered(cls, day: str, number: int) -> IncidentId:
        """The `number`th id of `day`: "20261125-001"."""
        return cls(f"{day}-{number:03d}")

    @classmethod
    def next_of_day(cls, day: str, taken: Iterable[object]) -> IncidentId:
        """The id after the highest of `day` among `taken` (anything else in it is passed
        over): "20261125-001" for the day's first."""
        return cls.numbered(day, 1 + max(
            (cls(value).number for value in taken if cls.belongs_to(value, day)), default=0))

    @property
    def day(self) -> str:
        return self[:8]

    @property
    def month(self) -> str:
        return self.month_of(self)

    @property
    def number(self) -> int:
        return int(self[9:])


_incident_id = _pattern(IncidentId.PATTERN)
_terminal_id = _pattern(TERMINAL_ID)
