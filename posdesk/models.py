"""Plain records shared by every layer: the knowledge base's topics, steps and codes.

Nothing here knows about storage or screens; each record turns into a plain dict and back.
The shop's records (incidents, terminals, the routine log) are checked as they are built from a
dict: a file may have been restored, hand-edited or written by another version, and a record
that does not have its model's shape raises BadRecord instead of failing later on a screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

LANGUAGES = ("zh", "en")
CATEGORIES = ("fault", "maintenance", "security", "transaction")


# Checking records read from a file

# What can be wrong with a field; i18n words each one ("record.<problem>") in either language.
PROBLEMS = ("missing", "not_object", "not_list", "empty", "not_text", "not_number",
            "not_true_false", "not_time", "not_id", "unknown_value", "not_opened_first")


class BadRecord(ValueError):
    """A record that its model cannot be built from: which field is wrong, and how.

    `field` is the field as written in the file ("events[2].at"); `problem` is one of PROBLEMS.
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    def inside(self, where: str) -> BadRecord:
        """The same problem, named from the record that holds this part ("events" + "[2].at")."""
        if not self.field:
            return BadRecord(where, self.problem)
        joint = "" if self.field.startswith("[") else "."
        return BadRecord(f"{where}{joint}{self.field}", self.problem)


_MISSING = object()


def _field(data: dict[str, Any], key: str, check: Callable[[Any], Any],
           default: Any = _MISSING) -> Any:
    """data[key] after `check`, which raises BadRecord saying what is wrong with the value;
    the field is named here. A field given a `default` may be left out."""
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if default is _MISSING:
            raise BadRecord(key, "missing")
        return default
    try:
        return check(value)
    except BadRecord as error:
        raise error.inside(key) from None


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise BadRecord("", "not_text")
    return value


def _text_or_null(value: Any) -> str | None:
    return None if value is None else _text(value)


def _whole(value: Any) -> int:
    """A whole number of 0 or more (JSON's true and 1.0 are not)."""
    if type(value) is not int or value < 0:
        raise BadRecord("", "not_number")
    return value


def _object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRecord("", "not_object")
    return value


def _bilingual(value: Any) -> dict[str, str]:
    """A text in both languages, {"zh": …, "en": …}."""
    if not isinstance(value, dict) or not isinstance(value.get("zh"), str) \
            or not isinstance(value.get("en"), str):
        _field(_object(value), "zh", _text)  # to say which part is wrong
        _field(value, "en", _text)
    return value


def _one_of(values: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise BadRecord("", "unknown_value")
        return value
    return check


def _time(value: Any) -> str:
    """An ISO 8601 time with its UTC offset, far enough from year 1 and 9999 to compare."""
    if not isinstance(value, str):
        raise BadRecord("", "not_time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadRecord("", "not_time") from None
    if moment.tzinfo is None or not 1 < moment.year < 9999:
        raise BadRecord("", "not_time")
    return value


def _pattern(pattern: re.Pattern[str]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not pattern.fullmatch(_text(value)):
            raise BadRecord("", "not_id")
        return value
    return check


# The ids posdesk gives, the one definition of each: ASCII digits only, and few enough of them
# that a hand-edited id of thousands of digits never reaches int() or a screen.
INCIDENT_ID = re.compile(r"\d{8}-\d{3,9}", re.ASCII)  # 20261125-001: the day, its number that day
TERMINAL_ID = re.compile(r"T\d{1,9}", re.ASCII)  # T1


def is_incident_id(value: object) -> bool:
    return isinstance(value, str) and INCIDENT_ID.fullmatch(value) is not None


def is_terminal_id(value: object) -> bool:
    return isinstance(value, str) and TERMINAL_ID.fullmatch(value) is not None


_incident_id = _pattern(INCIDENT_ID)
_terminal_id = _pattern(TERMINAL_ID)


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def both(self) -> str:
        return f"{self.zh}\n{self.en}"

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Text:
        return cls(zh=data["zh"], en=data["en"])

    def to_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class Step:
    """One thing to check or do, with how to do it and why it matters."""

    id: str
    topic_id: str
    order: int
    kind: str  # "check", or "contact_bank" for the last step of a fault
    title: Text
    how: Text
    why: Text
    sources: tuple[str, ...] = ()

    @property
    def contacts_bank(self) -> bool:
        return self.kind == "contact_bank"

    def searchable(self) -> str:
        return " ".join(t.both() for t in (self.title, self.how, self.why)).casefold()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        return cls(
            id=data["id"],
            topic_id=data["topic_id"],
            order=int(data["order"]),
            kind=data.get("kind", "check"),
            title=Text.from_dict(data["title"]),
            how=Text.from_dict(data["how"]),
            why=Text.from_dict(data["why"]),
            sources=tuple(data.get("sources", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic_id": self.topic_id,
            "order": self.order,
            "kind": self.kind,
            "title": self.title.to_dict(),
            "how": self.how.to_dict(),
            "why": self.why.to_dict(),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Topic:
    """A piece of guidance: a fault to troubleshoot, or a routine or rule to follow."""

    id: str
    category: str
    order: int
    title: Text
    summary: Text
    sources: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    keywords: tuple[str, ...] = ()
    cadence_days: int | None = None
    per_terminal: bool = False  # a routine done for each terminal, not once for the shop
    keeps: str | None = None  # which of the shop's records this topic keeps (kb.KEPT_RECORDS)

    def all_sources(self) -> set[str]:
        """The seed facts this topic covers, its own and its steps'."""
        found = set(self.sources)
        for step in self.steps:
            found.update(step.sources)
        return found

    def searchable(self) -> str:
        head = " ".join((self.id, self.title.both(), self.summary.both(), *self.keywords))
        return head.casefold()

    @classmethod
    def from_dict(cls, data: dict[str, Any], steps: tuple[Step, ...] = ()) -> Topic:
        keywords = data.get("keywords") or {}
        return cls(
            id=data["id"],
            category=data["category"],
            order=int(data.get("order", 0)),
            title=Text.from_dict(data["title"]),
            summary=Text.from_dict(data["summary"]),
            sources=tuple(data.get("sources", ())),
            steps=steps,
            keywords=tuple(keywords.get("zh", ())) + tuple(keywords.get("en", ())),
            cadence_days=data.get("cadence_days"),
            per_terminal=bool(data.get("per_terminal")),
            keeps=data.get("keeps"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "order": self.order,
            "title": self.title.to_dict(),
            "summary": self.summary.to_dict(),
            "sources": sorted(self.all_sources(), key=_fact_number),
            "cadence_days": self.cadence_days,
            "steps": [step.to_dict() for step in self.steps],
        }


@dataclass(frozen=True)
class ResponseCode:
    """What a response code on the terminal's screen means and what the cashier does."""

    code: str
    action_class: str
    meaning: Text
    action: Text
    retry: bool
    topic_id: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResponseCode:
        return cls(
            code=data["code"],
            action_class=data.get("class", ""),
            meaning=Text.from_dict(data["meaning"]),
            action=Text.from_dict(data["action"]),
            retry=bool(data["retry"]),
            topic_id=data.get("topic_id"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "class": self.action_class,
            "meaning": self.meaning.to_dict(),
            "action": self.action.to_dict(),
            "retry": self.retry,
            "topic_id": self.topic_id,
        }


@dataclass(frozen=True)
class SearchHit:
    """A topic, or one of its steps, that matched a search."""

    topic: Topic
    step: Step | None = None
    score: float = 0.0

    @property
    def id(self) -> str:
        return self.step.id if self.step else self.topic.id


@dataclass
class Settings:
    """The shop's own choices, kept in its data directory."""

    language: str | None = None
    hotline: str = "95533"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Leniently: a setting that is not what it should be is left at its default (and
        `problems` names it), so a hand-edited file never stops the shop from working."""
        known = {"language", "hotline"}
        language = data.get("language")
        hotline = data.get("hotline")
        extra = {k: v for k, v in data.items() if k not in known}
        if "cadences" in extra:  # routine id -> cadence as written ("7d", "3m")
            cadences = extra["cadences"]
            extra["cadences"] = ({k: v for k, v in cadences.items() if isinstance(v, str)}
                                 if isinstance(cadences, dict) else {})
        return cls(
            language=language if isinstance(language, str) and language in LANGUAGES else None,
            hotline=hotline if isinstance(hotline, str) and hotline.strip() else cls.hotline,
            extra=extra,
        )

    @staticmethod
    def problems(data: dict[str, Any]) -> list[BadRecord]:
        """Each setting in `data` that from_dict leaves at its default."""
        found = []
        language = data.get("language")
        if language is not None and (not isinstance(language, str) or language not in LANGUAGES):
            found.append(BadRecord("language", "unknown_value"))
        hotline = data.get("hotline", _MISSING)
        if hotline is not _MISSING and not isinstance(hotline, str):
            found.append(BadRecord("hotline", "not_text"))
        elif hotline is not _MISSING and not hotline.strip():
            found.append(BadRecord("hotline", "empty"))
        cadences = data.get("cadences", _MISSING)
        if cadences is not _MISSING and not isinstance(cadences, dict):
            found.append(BadRecord("cadences", "not_object"))
        elif cadences is not _MISSING:
            found += [BadRecord(f"cadences.{key}", "not_text")
                      for key, value in cadences.items() if not isinstance(value, str)]
        return found

    def to_dict(self) -> dict[str, Any]:
        return {**self.extra, "language": self.language, "hotline": self.hotline}


def _fact_number(source: str) -> tuple[str, int]:
    """Sort S2 before S10."""
    prefix, digits = source[:1], source[1:]
    return (prefix, int(digits) if digits.isdigit() else 0)


# Incidents: an append-only list of events; everything else is read from it.

OUTCOMES = ("fixed", "not_fixed", "skipped")
STATUSES = ("open", "escalated", "resolved")
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


def _true_false(value: Any) -> bool:
    if type(value) is not bool:
        raise BadRecord("", "not_true_false")
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


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise BadRecord("", "not_list")
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
    def resolution(self) -> str | None:
        last = self._last("resolved")
        return last.get("resolution") if last and self.status == "resolved" else None

    @property
    def closed_at(self) -> str | None:
        last = self._last("resolved")
        return last.at if last and self.status == "resolved" else None

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


@dataclass(frozen=True)
class StepRecord:
    """How often a step fixed its fault: `fixed` of the `tried` past incidents that tried it."""

    step_id: str
    step_title: Text
    fixed: int
    tried: int


@dataclass(frozen=True)
class Insights:
    """What the history teaches, read from a list of incidents."""

    total: int
    per_fault: list[tuple[str, Text, int]]  # topic id, title, incidents; most first
    per_week: list[tuple[str, int]]  # ISO week ("2026-W47"), incidents; oldest first
    resolved: int
    resolved_in_shop: int
    median_minutes: float | None
    best_steps: dict[str, StepRecord]  # topic id -> the step that most often fixed it

    @property
    def share_in_shop(self) -> float | None:
        return self.resolved_in_shop / self.resolved if self.resolved else None


# Routines: terminals on record, what is due, and the log of what was done.


# The checklist item that a serial number typed from the device decides, against the one on
# record for the terminal.
SERIAL_ITEM = "serial"


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: Text


@dataclass(frozen=True)
class Checklist:
    """Things to confirm one by one at a moment that matters (an inspection, a refund, …)."""

    id: str
    topic_id: str
    title: Text
    items: tuple[ChecklistItem, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checklist:
        items = tuple(ChecklistItem(i["id"], Text.from_dict(i["text"])) for i in data["items"])
        return cls(data["id"], data["topic_id"], Text.from_dict(data["title"]), items)


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
