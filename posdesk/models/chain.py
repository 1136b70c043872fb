"""Chain mode's records: the shop's link to the central database, what it knows of its last sync,
and the chain's figure per step; then what the head office reads of every shop at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from posdesk.models.incidents import Incident
from posdesk.models.learning import FlagCount
from posdesk.models.records import (
    BadRecord, Text, _bilingual, _field, _object, _text, _text_or_null,
)
from posdesk.models.routines import RoutineState, Terminal

if TYPE_CHECKING:
    from posdesk.i18n import Phrase


@dataclass(frozen=True)
class ChainLink:
    """The chain a shop joined: its id and name there, and how to reach the database (a libpq
    connection string or service name, never with a password)."""

    shop_id: str
    shop_name: str
    dsn: str
    joined_at: str

    @classmethod
    def from_dict(cls, value: Any) -> ChainLink:
        """The link as kept in its file; BadRecord names what is wrong."""
        _object(value)
        return cls(*(_field(value, key, _text) for key in ("shop_id", "shop_name", "dsn",
                                                            "joined_at")))

    def to_dict(self) -> dict[str, str]:
        return {"shop_id": self.shop_id, "shop_name": self.shop_name, "dsn": self.dsn,
                "joined_at": self.joined_at}


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

    @classmethod
    def from_dict(cls, value: Any) -> ChainFigure | None:
        if not isinstance(value, dict) or not isinstance(value.get("step_id"), str):
            return None
        counts = [value.get(key) for key in ("fixed", "tried", "shops")]
        if not all(type(count) is int and count >= 0 for count in counts):
            return None
        fixed, tried, shops = counts
        if fixed > tried:
            return None
        return cls(value["step_id"], fixed, tried, shops)


@dataclass(frozen=True)
class SyncStatus:
    """What the shop knows of its sync without asking the network."""

    joined: bool
    shop_id: str | None = None
    last_synced: str | None = None  # the end of the last pass that finished (the shop's clock)
    waiting: int | None = None  # changes the central database does not hold yet, when counted
    error: str | None = None  # why the last pass failed, in English (for logs and --json)
    error_phrase: Phrase | None = None  # the same, to be told in the person's language


@dataclass
class SyncState:
    """What the shop knows of the central database after its last pass, kept in the data
    directory (sync-state.json). It is only a cache: every pass asks the database what it holds,
    so a lost or damaged state file costs a resend that changes nothing, never a record."""

    last_synced: str | None = None
    last_tried: str | None = None
    last_error: str | None = None
    last_error_key: str | None = None
    last_error_values: dict[str, str] = field(default_factory=dict)
    held_events: dict[str, int] = field(default_factory=dict)  # incident id -> events held
    held_routines: int = 0
    held_terminals: dict[str, str] = field(default_factory=dict)  # terminal id -> its digest
    # Incident files the database held whole at the last pass, by their signature then: one
    # unchanged since is not read again (a long history is not re-read every minute).
    # name -> {"signature": [mtime_ns, size, inode], "events": how many its incidents hold}
    settled_files: dict[str, dict[str, Any]] = field(default_factory=dict)
    waiting: int | None = None
    figures: dict[str, ChainFigure] = field(default_factory=dict)
    figures_as_of: str | None = None

    @classmethod
    def from_dict(cls, value: Any) -> SyncState:
        """Leniently: whatever cannot be read is taken as not known."""
        if not isinstance(value, dict):
            return cls()

        def text(key: str) -> str | None:
            found = value.get(key)
            return found if isinstance(found, str) else None

        held = value.get("held_events")
        held = ({k: v for k, v in held.items() if isinstance(k, str) and type(v) is int and v >= 0}
                if isinstance(held, dict) else {})
        figures = value.get("figures")
        read = [ChainFigure.from_dict(f) for f in figures] if isinstance(figures, list) else []
        waiting = value.get("waiting")
        routines = value.get("held_routines")
        terminals = value.get("held_terminals")
        settled = value.get("settled_files")
        values = value.get("last_error_values")
        return cls(
            last_synced=text("last_synced"), last_tried=text("last_tried"),
            last_error=text("last_error"), last_error_key=text("last_error_key"),
            last_error_values=({k: v for k, v in values.items() if isinstance(v, str)}
                               if isinstance(values, dict) else {}),
            held_events=held,
            held_routines=routines if type(routines) is int and routines >= 0 else 0,
            held_terminals=({k: v for k, v in terminals.items() if isinstance(v, str)}
                            if isinstance(terminals, dict) else {}),
            settled_files=({k: v for k, v in settled.items() if _settled_file(v)}
                           if isinstance(settled, dict) else {}),
            waiting=waiting if type(waiting) is int and waiting >= 0 else None,
            figures={f.step_id: f for f in read if f is not None},
            figures_as_of=text("figures_as_of"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"last_synced": self.last_synced, "last_tried": self.last_tried,
                "last_error": self.last_error, "last_error_key": self.last_error_key,
                "last_error_values": self.last_error_values,
                "held_events": self.held_events, "held_routines": self.held_routines, "held_terminals": self.held_terminals,
                "settled_files": self.settled_files,
                "waiting": self.waiting,
                "figures": [f.to_dict() for f in self.figures.values()],
                "figures_as_of": self.figures_as_of}


def _settled_file(value: Any) -> bool:
    signature = value.get("signature") if isinstance(value, dict) else None
    return (isinstance(signature, list) and len(signature) == 3
            and all(type(n) is int for n in signature)
            and type(value.get("events")) is int and value["events"] >= 0)


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
        return {"shop_id": self.shop_id, "shop_name": self.name,
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




@dataclass(frozen=True)
class ChainFlagCount(FlagCount):
    """A step's flags across the chain (or in one shop), with the shops that raised them."""

    shops: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "shops": list(self.shops)}
