"""What the Incidents tab and a search need of each incident, kept for a long history.

A whole `Incident` (its timeline) is read when a row is opened; a list of a hundred thousand
holds an `IncidentRow` each: its id, times, status, fault, terminal, the steps tried and the
words to search, with every title and mark shared between rows that have the same."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from posdesk.insights import SORTED_BY_WORDS, sort_key
from posdesk.models import Incident, IncidentFilter, Text
from posdesk.models.incidents import closes


@dataclass(frozen=True, slots=True)
class Mark:
    """A step tried and what came of it, as the history's figures count it."""

    step_id: str
    step_title: Text
    outcome: str


@dataclass(frozen=True, slots=True)
class IncidentRow:
    """One incident as a listing shows, sorts, filters and counts it (the attribute names are
    those of `Incident`, so a filter, a sort key or the insights take either)."""

    id: str
    topic_id: str
    topic_title: Text
    terminal: str | None
    status: str
    resolution: str | None
    opened_at: str
    opened_moment: datetime
    opened_day: str
    closed_at: str | None
    minutes_to_resolve: float | None
    attempts: tuple[Mark, ...]
    searchable: str

    @property
    def resolved(self) -> bool:
        return closes(self.status)


class RowMaker:
    """Makes rows from incidents, sharing equal titles and marks between them."""

    def __init__(self) -> None:
        self._shared: dict[Any, Any] = {}

    def _one(self, value: Any) -> Any:
        return self._shared.setdefault(value, value)

    def __call__(self, incident: Incident) -> IncidentRow:
        title = incident.topic_title
        return IncidentRow(
            id=incident.id, topic_id=self._one(incident.topic_id),
            topic_title=self._one(Text(title.zh, title.en)),
            terminal=incident.terminal and self._one(incident.terminal),
            status=incident.status, resolution=incident.resolution,
            opened_at=incident.opened_at, opened_moment=incident.opened_moment,
            opened_day=self._one(incident.opened_day), closed_at=incident.closed_at,
            minutes_to_resolve=incident.minutes_to_resolve,
            attempts=tuple(self._one(Mark(a.step_id, self._one(a.step_title), a.outcome))
                           for a in incident.attempts),
            searchable=incident.searchable)


class IncidentList:
    """Rows newest first, as far as they have been read: `months_read` of `months` month files
    (the open incidents are always read first). Searches keep the order of each sort, made once."""

    def __init__(self, rows: list[IncidentRow], months_read: int = 0, months: int = 0) -> None:
        self.rows = rows
        self.months_read = months_read
        self.months = months
        self._orders: dict[tuple[str, bool, str], tuple[list[IncidentRow], list[str]]] = {
            ("opened", True, ""): (rows, [row.searchable for row in rows])}

    @property
    def complete(self) -> bool:
        return self.months_read >= self.months

    def __len__(self) -> int:
        return len(self.rows)

    def find(self, chosen: IncidentFilter, sort: str = "opened", descending: bool = True,
             lang: str = "en") -> list[IncidentRow]:
        """The rows `chosen` lets through, sorted by one of SORT_KEYS as read in `lang`
        (equal ones newest first)."""
        rows, texts = self._ordered(sort, descending, lang)
        words = chosen.words
        if len(words) == 1:  # the usual search: one word, tested in one pass
            word = words[0]
            rows = [row for row, text in zip(rows, texts) if word in text]
        elif words:
            rows = [row for row, text in zip(rows, texts) if all(w in text for w in words)]
        if chosen.status or chosen.topic_id or chosen.since or chosen.until:
            rows = [row for row in rows if chosen.matches(row)]
        return list(rows)

    def _ordered(self, sort: str, descending: bool,
                 lang: str) -> tuple[list[IncidentRow], list[str]]:
        key = (sort, descending, lang if sort in SORTED_BY_WORDS else "")
        if key not in self._orders:
            rows = sorted(self.rows, key=sort_key(sort, lang), reverse=descending)
            self._orders[key] = (rows, [row.searchable for row in rows])
        return self._orders[key]


def newest_first(runs: Iterable[list[IncidentRow]]) -> list[IncidentRow]:
    """Rows of several files as one list, newest first. Files are given in the order of their
    names (months, then open), so that incidents opened at the same moment keep that order."""
    rows = [row for run in runs for row in run]
    rows.sort(key=_opened, reverse=True)
    return rows


def _opened(row: IncidentRow) -> datetime:
    return row.opened_moment


# A day as people type it: 2026-11-02, 2026/11/2, 2026.11.02, 2026年11月2日 or 20261102.
_DAY = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")


def read_day(typed: str) -> str:
    """The day `typed` names, as YYYY-MM-DD; ValueError when it names none. Full-width digits
    and separators (a Chinese input method's) read as their plain forms."""
    found = _DAY.fullmatch(unicodedata.normalize("NFKC", typed).strip())
    if found is None:
        raise ValueError(typed)
    year, month, day = (int(part) for part in found.groups() if part is not None)
    return date(year, month, day).isoformat()
