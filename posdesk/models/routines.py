"""Routines: terminals on record, what is due, and the log of what was done."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from posdesk.models.events import _serial_check
from posdesk.models.ids import _terminal_id
from posdesk.models.records import BadRecord, Text, _field, _object, _text, _text_or_null, _time

# The checklist item that a serial number typed from the device decides, against the one on
# record for the terminal.
SERIAL_ITEM = "serial"


@dataclass(frozen=True)
class Terminal:
    """A POS terminal the shop has, as PCI DSS 9.5.1.1 asks merchants to list them."""

    id: str
    name: str
    location: str = ""  # where it stands, or who carries a mobile one
    bank: str = ""
    merchant_no: str = ""  # 商户号
    terminal_no: str = ""  # 终端号
    serial: str = ""
    model: str = ""

    FIELDS = ("name", "location", "bank", "merchant_no", "terminal_no", "serial", "model")

    def label(self) -> str:
        return f"{self.name} ({self.terminal_no})" if self.terminal_no else self.name

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Terminal:
        """A terminal on record: an id T1, T2, …, a name, and text for the rest."""
        _object(data)
        terminal_id = _field(data, "id", _terminal_id)
        if not _field(data, "name", _text).strip():
            raise BadRecord("name", "empty")
        return cls(id=terminal_id, **{f: _field(data, f, _text, "") for f in cls.FIELDS})

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, **{f: getattr(self, f) for f in self.FIELDS}}


def _findings(value: Any) -> dict[str, bool]:
    """A checklist's answers: each item's id, and whether it was fine."""
    for item, fine in _object(value).items():
        if type(fine) is not bool:
            raise BadRecord(item, "not_true_false")
    return dict(value)


@dataclass(frozen=True)
class RoutineEntry:
    """One time a routine was done: who, when, a note, and what a checklist found.

    `checked` holds every item of a checklist, confirmed or not; `serial` the serial number on
    record and the one typed from the device ({"record": …, "seen": …}) when one was typed;
    `incident_id` the incident its findings opened."""

    routine_id: str
    terminal_id: str | None
    at: str
    who: str
    note: str = ""
    checked: dict[str, bool] = field(default_factory=dict)  # checklist item -> fine or not
    incident_id: str | None = None
    serial: dict[str, str] | None = None

    @property
    def findings(self) -> list[str]:
        return [item for item, fine in self.checked.items() if not fine]

    @cached_property
    def moment(self) -> datetime:
        """When it was done, as an instant (the log sorts by this, not by the ISO text)."""
        return datetime.fromisoformat(self.at)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoutineEntry:
        """An entry of the routine log, checked: BadRecord names the field that is wrong."""
        _object(data)
        return cls(
            _field(data, "routine_id", _text),
            _field(data, "terminal_id", _text_or_null, None),
            _field(data, "at", _time),
            _field(data, "who", _text),
            _field(data, "note", _text, ""),
            _field(data, "checked", _findings, {}),
            _field(data, "incident_id", _text_or_null, None),
            _field(data, "serial", _serial_check, None),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"routine_id": self.routine_id, "terminal_id": self.terminal_id, "at": self.at,
                "who": self.who, "note": self.note, "checked": self.checked,
                "incident_id": self.incident_id, "serial": self.serial}


@dataclass(frozen=True)
class RoutineState:
    """Where one routine stands for one terminal (or for the shop when none is on record)."""

    routine_id: str
    title: Text
    category: str
    terminal: Terminal | None
    every: str  # the cadence as written: "7d", "1m"
    last_done: str | None  # ISO time
    next_due: str  # ISO date
    days_late: int  # > 0 overdue, 0 due today, < 0 not yet
    # An entry of the log dated more than a day after now, recorded after every other one:
    # marked done while the clock was ahead. It is not taken as the last time it was done,
    # and the person is told to check the clock and mark the routine done again.
    future_mark: str | None = None

    @property
    def overdue(self) -> bool:
        return self.days_late > 0

    @property
    def due(self) -> bool:
        return self.days_late >= 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "routine_id": self.routine_id, "title": self.title.to_dict(),
            "category": self.category,
            "terminal": self.terminal.to_dict() if self.terminal else None,
            "every": self.every, "last_done": self.last_done, "next_due": self.next_due,
            "days_late": self.days_late, "overdue": self.overdue, "future_mark": self.future_mark,
        }
