"""An incident's events: what each kind holds, and how one is checked as it is read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from posdesk.models.records import (
    _MISSING, BadRecord, _bilingual, _field, _list, _object, _one_of, _text, _text_or_null,
    _time, _true_false, _whole,
)

OUTCOMES = ("fixed", "not_fixed", "skipped", "noted")
# What a step of each kind can be marked: a step that only finds something out is noted, never
# "fixed" or "not fixed".
OUTCOMES_OF_KIND = {"info": ("noted", "skipped")}
CHECK_OUTCOMES = ("fixed", "not_fixed", "skipped")
RESOLUTIONS = ("self", "bank")


def _text_or_unknown(value: Any) -> str:
    """An event's kind: anything but text is a kind nobody knows."""
    if not isinstance(value, str):
        raise BadRecord("", "unknown_value")
    return value


def _serial_check(value: Any) -> dict[str, Any] | None:
    """The serial number on record and the one seen on the device, and, when they could not be
    compared (one of them reads like a card number, so only its last four digits are kept),
    "compared": false."""
    if value is None:
        return None
    _field(_object(value), "record", _text)
    _field(value, "seen", _text)
    _field(value, "compared", _true_false, True)
    return value


def _finding_item(value: Any) -> dict[str, Any]:
    _field(_object(value), "id", _text)
    _field(value, "text", _bilingual)
    return value


def _finding(value: Any) -> dict[str, Any]:
    """What a check found, kept on the incident it opened: who did the check, each item found
    (its id and its text as it read then) and the serial numbers when they did not match."""
    _object(value)
    _field(value, "who", _text, "")
    _field(value, "serial", _serial_check, None)
    for index, item in enumerate(_field(value, "items", _list, ())):
        try:
            _finding_item(item)
        except BadRecord as error:
            raise error.inside(f"items[{index}]") from None
    return value


# What each kind of event holds: (key, check, required). Other keys are allowed and kept.
EVENT_FIELDS: dict[str, tuple[tuple[str, Callable[[Any], Any], bool], ...]] = {
    "opened": (("note", _text, False), ("code", _text_or_null, False),
               ("finding", _finding, False)),
    "attempt": (("step_id", _text, True), ("step_order", _whole, True),
                ("step_title", _bilingual, True), ("outcome", _one_of(OUTCOMES), True),
                ("note", _text, True)),
    "note": (("text", _text, True),),
    "escalated": (("hotline", _text, True), ("note", _text, True),
                  ("reference", _text_or_null, False)),
    "reference": (("reference", _text, True),),
    "resolved": (("resolution", _one_of(RESOLUTIONS), True), ("note", _text, False),
                 ("step_id", _text, False)),
    "reopened": (("note", _text, True),),
}


@dataclass(frozen=True)
class Event:
    """One thing that happened to an incident, with its time (ISO 8601 with UTC offset).

    kind is one of EVENT_FIELDS: opened, attempt, note, escalated, reference, resolved, reopened.
    """

    kind: str
    at: str
    data: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Event:
        """The event, checked against what its kind holds; BadRecord names what is wrong."""
        kind = _field(_object(raw), "kind", _text_or_unknown)
        fields = EVENT_FIELDS.get(kind)
        if fields is None:
            raise BadRecord("kind", "unknown_value")
        at = _field(raw, "at", _time)
        # _field's work, written out: this runs for every event of every incident read.
        for key, check, required in fields:
            value = raw.get(key, _MISSING)
            if value is _MISSING:
                if required:
                    raise BadRecord(key, "missing")
                continue
            try:
                check(value)
            except BadRecord as error:
                raise error.inside(key) from None
        data = dict(raw)
        del data["kind"], data["at"]
        return cls(kind=kind, at=at, data=data)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "at": self.at, **self.data}


def _events(value: Any) -> tuple[Event, ...]:
    """An incident's history: a list of events, the first of them its opening."""
    if not isinstance(value, list):
        raise BadRecord("", "not_list")
    if not value:
        raise BadRecord("", "empty")
    first = value[0]
    if isinstance(first, dict) and first.get("kind", "opened") != "opened":
        raise BadRecord("[0].kind", "not_opened_first")
    events = []
    for index, raw in enumerate(value):
        try:
            events.append(Event.from_dict(raw))
        except BadRecord as error:
            raise error.inside(f"[{index}]") from None
    return tuple(events)
