"""Chain mode's records: the shop's link to the central database and the chain's figure per
step (the lead's block; only ChainFigure is here until it is merged), then what the head office
reads of every shop at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from posdesk.models.incidents import Incident
from posdesk.models.records import (
    BadRecord, Text, _bilingual, _field, _object, _text, _text_or_null,
)
from posdesk.models.routines import RoutineState, Terminal



@dataclass(frozen=True)
class ChainFigure:
    """How a step did across the chain: in how many incidents it was tried, in how many it
    fixed the fault, and in how many shops."""

    step_id: str
    fixed: int
    tried: int
    shops: int

    def to_dict(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "fixed": self.fixed, "tried": self.tried,
                "shops": self.shops}


# The head office's records: what it reads of every shop at once.

@dataclass(frozen=True)
class ChainShop:
    """A shop of the chain, with what it last said of itself (None before its first sync)."""

    shop_id: str
    name: str
    last_synced: str | None  # the server's time, ISO
    clock_offset_seconds: float | None  # the shop's clock ahead (+) or behind (-) the server's
    waiting: int | None  # changes the shop still held back when it last synced


@dataclass(frozen=True)
class ChainFilter:
    """Which incidents of the chain to list: every field left empty lets everything through.
    `words` as typed (each word in titles in either language, ids, terminal, notes); days are
    the head office's local calendar days, `since` and `until` both included."""

    status: str | None = None
    shop: str | None = None
    words: str = ""
    since: str | None = None  # "2026-11-01"
    until: str | None = None
    topic_id: str | None = None

    @property
    def word_list(self) -> tuple[str, ...]:
        return tuple(self.words.lower().split())


@dataclass(frozen=True)
class ChainIncidentRow:
    """One incident as the head office's list shows it."""

    shop_id: str
    shop_name: str
    incident_id: str
    topic_id: str
    topic_title: Text
    status: str
    opened_text: str  # the time as the shop recorded it, its own offset included
    opened_at: str  # the same instant, ISO, as the server read it
    terminal: str | None
    attempts: int
    minutes_to_resolve: float | None
    escalated_to: str | None
    resolution: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"shop_id": self.shop_id, "shop_name": self.shop_name, "id": self.incident_id,
                "topic_id": self.topic_id, "topic_title": self.topic_title.to_dict(),
                "status": self.status, "resolution": self.resolution,
                "opened_at": self.opened_text, "terminal": self.terminal,
                "attempts": self.attempts, "minutes_to_resolve": self.minutes_to_resolve,
                "escalated_to": self.escalated_to}


@dataclass(frozen=True)
class ChainPage:
    """A page of the list, and how many incidents the filter lets through in all. When more
    match a filter on words or days than are worth counting, `total` is that many and `exact`
    is False: say "10,000 or more"."""

    rows: list[ChainIncidentRow]
    total: int
    exact: bool = True


@dataclass(frozen=True)
class ChainIncident(Incident):
    """An incident read from the central database: the shop's incident, and which shop."""

    shop_id: str = ""
    shop_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"shop_id": self.shop_id, "shop_name": self.shop_name, **super().to_dict()}


@dataclass(frozen=True)
class ShopCompliance:
    """A shop's routines as the head office sees them: those overdue today (lateness worked
    out again from each routine's next due day, as the shop reported it at its last sync),
    its latest tamper inspection as the shop recorded its time, its terminals on record."""

    shop_id: str
    name: str
    overdue: list[RoutineState] = field(default_factory=list)
    last_tamper_check: str | None = None
    terminals: int = 0
    last_synced: str | None = None
    clock_offset_seconds: float | None = None
    unreadable: int = 0  # routines the shop reported that could not be read

    def to_dict(self) -> dict[str, Any]:
        return {"shop_id": self.shop_id, "name": self.name,
                "overdue": [state.to_dict() for state in self.overdue],
                "last_tamper_check": self.last_tamper_check, "terminals": self.terminals,
                "last_synced": self.last_synced,
                "clock_offset_seconds": self.clock_offset_seconds}


def routine_state_from_dict(raw: Any) -> RoutineState:
    """A routine's state as a shop reported it (`RoutineState.to_dict()`); BadRecord names
    what is wrong. `days_late` is as the shop worked it out then."""
    _object(raw)
    terminal = raw.get("terminal")
    return RoutineState(
        routine_id=_field(raw, "routine_id", _text),
        title=Text.from_dict(_field(raw, "title", _bilingual)),
        category=_field(raw, "category", _text, ""),
        terminal=None if terminal is None else Terminal.from_dict(terminal),
        every=_field(raw, "every", _text, ""),
        last_done=_field(raw, "last_done", _text_or_null, None),
        next_due=_field(raw, "next_due", _day),
        days_late=_field(raw, "days_late", _signed, 0),
        future_mark=_field(raw, "future_mark", _text_or_null, None),
    )


def _day(value: Any) -> str:
    from datetime import date

    try:
        return date.fromisoformat(_text(value)).isoformat()
    except ValueError:
        raise BadRecord("", "not_time") from None


def _signed(value: Any) -> int:
    if type(value) is not int:
        raise BadRecord("", "not_number")
    return value


