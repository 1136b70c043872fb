"""Incidents: an append-only list of events; everything else is read from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from posdesk.models.events import Event, _events
from posdesk.models.ids import _incident_id
from posdesk.models.records import Text, _bilingual, _field, _object, _text, _text_or_null, _whole

STATUSES = ("open", "escalated", "resolved")


def closes(status: str) -> bool:
    """Whether an incident in this status is closed (see Incident.resolved)."""
    return status == "resolved"


@dataclass(frozen=True)
class Attempt:
    """A step someone tried and what happened; the step's text is kept as it was then."""

    step_id: str
    step_order: int
    step_title: Text
    outcome: str
    at: str
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "step_order": self.step_order,
                "step_title": self.step_title.to_dict(), "outcome": self.outcome,
                "at": self.at, "note": self.note}


@dataclass(frozen=True)
class Escalation:
    at: str
    hotline: str
    note: str
    reference: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "hotline": self.hotline, "note": self.note,
                "reference": self.reference}


@dataclass(frozen=True)
class Incident:
    """A fault someone is troubleshooting, or did: its identity and its events."""

    id: str
    topic_id: str
    topic_title: Text
    kb_version: str
    step_count: int
    events: tuple[Event, ...]
    terminal: str | None = None  # the terminal's label as it was when the incident opened
    code: str | None = None
    terminal_id: str | None = None

    @property
    def opened_at(self) -> str:
        return self.events[0].at

    @cached_property
    def opened_moment(self) -> datetime:
        """When it was opened, as an instant: lists sort by this, not by the ISO text (09:00
        in Shanghai is before 02:00 in London). Read once per incident."""
        return datetime.fromisoformat(self.opened_at)

    @cached_property
    def opened_day(self) -> str:
        """The local calendar day it was opened ("2026-11-25"), whatever zone its time was
        written in: what a date filter means."""
        return self.opened_moment.astimezone().date().isoformat()

    @property
    def attempts(self) -> list[Attempt]:
        return [
            Attempt(e.get("step_id"), int(e.get("step_order", 0)), Text.from_dict(e.get("step_title")),
                    e.get("outcome"), e.at, e.get("note", ""))
            for e in self.events if e.kind == "attempt"
        ]

    @property
    def notes(self) -> list[Event]:
        return [e for e in self.events if e.kind == "note"]

    @property
    def escalation(self) -> Escalation | None:
        """The latest call to the bank, with the latest reference the bank gave. Calling again
        without a new reference keeps the one already given: the bank's ticket still stands."""
        found: Escalation | None = None
        for event in self.events:
            if event.kind == "escalated":
                reference = event.get("reference") or (found.reference if found else None)
                found = Escalation(event.at, event.get("hotline", ""), event.get("note", ""),
                                   reference)
            elif event.kind == "reference" and found is not None:
                found = Escalation(found.at, found.hotline, found.note, event.get("reference"))
        return found

    @cached_property
    def status(self) -> str:
        status = "open"
        for event in self.events:
            if event.kind == "escalated":
                status = "escalated"
            elif event.kind == "resolved":
                status = "resolved"
            elif event.kind == "reopened":
                status = "open"  # the bank has not been called about the new trouble yet
        return status

    @property
    def resolved(self) -> bool:
        """Whether it is closed: resolved and not reopened since. The store files it by this
        (the open file, or the month it was opened), and a resolved incident takes no marks."""
        return closes(self.status)

    @property
    def resolution(self) -> str | None:
        last = self._last("resolved")
        return last.get("resolution") if last and self.resolved else None

    @property
    def closed_at(self) -> str | None:
        last = self._last("resolved")
        return last.at if last and self.resolved else None

    def _last(self, kind: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.kind == kind), None)

    @property
    def minutes_to_resolve(self) -> float | None:
        """From opening to the last closing, for a resolved incident; never below zero, even
        for a record written while the clock was behind."""
        if self.closed_at is None:
            return None
        spent = datetime.fromisoformat(self.closed_at) - self.opened_moment
        return max(spent.total_seconds() / 60, 0.0)

    @cached_property
    def searchable(self) -> str:
        """Every word people wrote about this incident, and its id, folded for searching."""
        parts = [self.id, self.terminal or "", self.code or "", self.topic_title.both()]
        for event in self.events:
            parts += [str(event.get(key) or "") for key in ("note", "text", "reference")]
        return " ".join(parts).casefold()

    def marks_for(self, step_id: str) -> list[Attempt]:
        return [a for a in self.attempts if a.step_id == step_id]

    def resume_order(self) -> int:
        """The step to show when the flow is opened again: the one after the last mark."""
        attempts = self.attempts
        if not attempts:
            return 1
        last = attempts[-1]
        if last.outcome == "fixed":
            return last.step_order
        return min(last.step_order + 1, self.step_count)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Incident:
        """The incident in a stored record, checked field by field: BadRecord names the first
        field that is wrong. Keys it does not know are allowed (and left in the record)."""
        _object(raw)
        return cls(
            id=_field(raw, "id", _incident_id),
            topic_id=_field(raw, "topic_id", _text),
            topic_title=Text.from_dict(_field(raw, "topic_title", _bilingual)),
            kb_version=_field(raw, "kb_version", _text),
            step_count=_field(raw, "step_count", _whole),
            events=_field(raw, "events", _events),
            terminal=_field(raw, "terminal", _text_or_null, None),
            terminal_id=_field(raw, "terminal_id", _text_or_null, None),
            code=_field(raw, "code", _text_or_null, None),
        )

    def to_record(self) -> dict[str, Any]:
        """The form kept in the database."""
        return {
            "id": self.id, "topic_id": self.topic_id, "topic_title": self.topic_title.to_dict(),
            "kb_version": self.kb_version, "step_count": self.step_count,
            "terminal": self.terminal, "terminal_id": self.terminal_id, "code": self.code,
            "events": [e.to_dict() for e in self.events],
        }

    def to_dict(self) -> dict[str, Any]:
        """The incident as the command line's JSON contract describes it."""
        escalation = self.escalation
        return {
            "id": self.id,
            "topic_id": self.topic_id,
            "topic_title": self.topic_title.to_dict(),
            "terminal": self.terminal,
            "terminal_id": self.terminal_id,
            "code": self.code,
            "status": self.status,
            "resolution": self.resolution,
            "opened_at": self.opened_at,
            "closed_at": self.closed_at,
            "kb_version": self.kb_version,
            "attempts": [a.to_dict() for a in self.attempts],
            "notes": [{"at": e.at, "text": e.get("text", "")} for e in self.notes],
            "escalation": escalation.to_dict() if escalation else None,
            "events": [e.to_dict() for e in self.events],
        }


@dataclass(frozen=True)
class IncidentFilter:
    """Which incidents to list: every field left empty lets everything through.

    Dates are local calendar days, `since` and `until` both included.
    """

    status: str | None = None
    topic_id: str | None = None
    since: str | None = None  # "2026-11-01"
    until: str | None = None
    text: str = ""

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(self.text.casefold().split())

    def matches(self, incident: Incident) -> bool:
        """Run over every incident of the history for each filter: the cheap tests first."""
        if self.status and incident.status != self.status:
            return False
        if self.topic_id and incident.topic_id != self.topic_id:
            return False
        if self.since or self.until:
            day = incident.opened_day
            if self.since and day < self.since:
                return False
            if self.until and day > self.until:
                return False
        # Read even with no words: the first listing, in its worker thread, then builds every
        # incident's search text, and the first word typed does not wait for it.
        searchable = incident.searchable
        return all(word in searchable for word in self.words)
