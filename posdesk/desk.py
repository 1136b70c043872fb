"""What a person can do with posdesk, one method each, shared by the TUI, the CLI and the tests."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from posdesk import privacy
from posdesk.i18n import ToldError, phrase
from posdesk.kb import KnowledgeBase
from posdesk.insights import SORT_KEYS, insights_of, step_records_of
from posdesk.models import (
    LANGUAGES, OUTCOMES, SERIAL_ITEM, STATUSES, BadRecord, Event, Incident, IncidentFilter,
    IncidentId, Insights,
    ResponseCode, RoutineEntry, RoutineState, SearchHit, Settings, StepRecord, Terminal, Topic,
    is_terminal_id,
)
from posdesk.schedule import BadCadence, Cadence, local_day
from posdesk.export import escalation_markdown, render
from posdesk.store import OPEN_INCIDENTS, ROUTINE_LOG, TERMINALS, Store, StoreError, data_dir
from posdesk.store.backup import BadBackup, backup_bundle, daily_backup, make_backup
from posdesk.store.doctor import Checkup, examine
from posdesk.store.durable import atomic_write_text, encode_json, ensure_folder, ensure_home
from posdesk.store.errors import InDataFolder, NotAFile, NotRegular, OwnFile
from posdesk.store.layout import BACKUP_FOLDER, REPORTS_FOLDER
from posdesk.store.locations import is_own_file
from posdesk.store.restore import Restored, restore

Clock = Callable[[], datetime]
Model = TypeVar("Model")
INCIDENT_CATEGORIES = ("fault", "security", "transaction")
# A routine's log entry dated further ahead than this was made with the clock wrong: it is not
# taken as the last time the routine was done (a few hours ahead is another time zone, or a
# clock a little fast).
FUTURE_MARGIN = timedelta(days=1)


def local_now() -> datetime:
    return datetime.now().astimezone()


class UnknownId(LookupError):
    """No topic, step or record has this id."""


class NotAllowed(ToldError, ValueError):
    """The change makes no sense for this incident or topic now; the message says why."""

    def __init__(self, reason: str, **values: object) -> None:
        self.reason = reason
        super().__init__(phrase(f"refused.{reason}", **values))


class EmptyText(ToldError, ValueError):
    """A text that must say something was empty; the message says which."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(phrase(f"empty.{field}"))


@dataclass(frozen=True)
class Saved:
    """An incident after a change, and how many card numbers were masked in what was typed."""

    incident: Incident
    masked: int = 0


class Desk:
    """The help desk for one data directory and the shipped knowledge base."""

    def __init__(
        self,
        home: str | Path | None = None,
        kb: KnowledgeBase | None = None,
        clock: Clock = local_now,
    ) -> None:
        self._home = home
        self._kb = kb
        self._clock = clock
        # Per incident file: its signature, its incidents and how many records it holds that
        # could not be read.
        self._cache: dict[str, tuple[object, list[Incident], int]] = {}
        self._sorted: tuple[object, list[Incident]] | None = None
        self._unreadable: dict[str, int] = {}  # per file or table, as last read

    @cached_property
    def kb(self) -> KnowledgeBase:
        return self._kb or KnowledgeBase.open()

    @cached_property
    def store(self) -> Store:
        """Opened on first use, so reading guidance never touches the shop's records; opening
        it writes nothing (see posdesk.store)."""
        return Store(self._home)

    # Guidance

    def topics(self, category: str | None = None) -> list[Topic]:
        return self.kb.topics(category)

    def topic(self, topic_id: str) -> Topic:
        topic = self.kb.topic(topic_id)
        if topic is None:
            raise UnknownId(topic_id)
        return topic

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        return self.kb.search(text, limit)

    def response_code(self, code: str) -> ResponseCode:
        found = self.kb.code(code)
        if found is None:
            raise UnknownId(code)
        return found

    # Terminals on record

    def terminals(self) -> list[Terminal]:
        found = self._models(TERMINALS, Terminal.from_dict, self.store.records(TERMINALS))
        return sorted(found, key=lambda terminal: int(terminal.id.lstrip("T") or 0))

    def terminal(self, terminal_id: str) -> Terminal:
        found = next((t for t in self.terminals() if t.id == terminal_id), None)
        if found is None:
            raise UnknownId(terminal_id)
        return found

    def save_terminal(self, terminal_id: str | None = None, **fields: str) -> Terminal:
        """Add a terminal (no id) or change one; a terminal needs at least a name. A change is
        made to the terminal as stored at that moment, under the lock, so that two processes
        changing different fields of one terminal keep both changes."""
        unknown = set(fields) - set(Terminal.FIELDS)
        if unknown:
            raise ValueError(f"unknown terminal fields: {', '.join(sorted(unknown))}")
        cleaned = {k: privacy.clean(str(v)).text.strip() for k, v in fields.items()}
        if terminal_id is None:  # its number is the next free one, worked out under the lock
            if not cleaned.get("name"):
                raise EmptyText("name")
            record = {field: cleaned.get(field, "") for field in Terminal.FIELDS}
            return Terminal.from_dict(
                self.store.add_numbered(TERMINALS, record, "T", is_terminal_id))

        def change(stored: dict[str, Any]) -> dict[str, Any]:
            try:
                merged = {**self._model(Terminal.from_dict, stored).to_dict(), **cleaned}
            except BadRecord:
                raise UnknownId(terminal_id) from None  # as terminals() leaves it out
            if not merged["name"]:
                raise EmptyText("name")
            return Terminal.from_dict(merged).to_dict()

        changed = self.store.change_record(TERMINALS, terminal_id, change)
        if changed is None:
            raise UnknownId(terminal_id)
        return Terminal.from_dict(changed)

    # Routines: what is due, and proof that it was done

    def cadence(self, routine_id: str, settings: Settings | None = None) -> Cadence:
        """The shop's own cadence for a routine when it set one, else the knowledge base's."""
        chosen = (settings or self.settings()).extra.get("cadences", {}).get(routine_id)
        if chosen:
            try:
                return Cadence.parse(chosen)
            except BadCadence:
                pass  # a hand-edited setting that no longer reads: fall back to the default
        return Cadence.from_days(self.topic(routine_id).cadence_days or 1)

    def set_cadence(self, routine_id: str, text: str) -> Cadence:
        if not self.topic(routine_id).cadence_days:
            raise NotAllowed("not_a_routine", id=routine_id)
        cadence = Cadence.parse(text)

        def choose(settings: Settings) -> None:
            settings.extra.setdefault("cadences", {})[routine_id] = str(cadence)

        self.store.change_settings(choose)
        return cadence

    def routine_log(self, routine_id: str | None = None) -> list[RoutineEntry]:
        """What was done, newest first (by the instant, whatever zone each was written in)."""
        entries = [e for e in self._routine_entries()
                   if routine_id is None or e.routine_id == routine_id]
        return sorted(entries, key=lambda e: e.moment, reverse=True)

    def _routine_entries(self) -> list[RoutineEntry]:
        """The routine log in the order it was written."""
        return self._models(ROUTINE_LOG, RoutineEntry.from_dict, self.store.records(ROUTINE_LOG))

    def routine_states(self, routine_id: str | None = None) -> list[RoutineState]:
        """Every routine, for each terminal when it is done per terminal, with its next due day.

        An entry dated more than FUTURE_MARGIN after now was made with the clock ahead: it is
        not the last time the routine was done (it would silence the routine until that date),
        and while nothing has been written for the routine after it, the state names it."""
        now = self._clock()
        zone, today = now.tzinfo, now.date()
        settings = self.settings()  # read once, not once a routine
        terminals = self.terminals()
        by_routine: dict[str, list[RoutineEntry]] = {}
        for entry in self._routine_entries():
            by_routine.setdefault(entry.routine_id, []).append(entry)
        states = []
        for topic in self.kb.routines():
            if routine_id and topic.id != routine_id:
                continue
            cadence = self.cadence(topic.id, settings)
            for terminal in (terminals if topic.per_terminal and terminals else [None]):
                wanted = terminal.id if terminal else None
                done = [e for e in by_routine.get(topic.id, ())
                        if e.terminal_id == wanted or not topic.per_terminal]
                last, ahead = _last_done(done, now + FUTURE_MARGIN)
                next_due = cadence.after(local_day(last.at, zone)) if last else today
                states.append(RoutineState(
                    topic.id, topic.title, topic.category, terminal, str(cadence),
                    last.at if last else None, next_due.isoformat(), (today - next_due).days,
                    ahead.at if ahead else None))
        return states

    def due(self) -> list[RoutineState]:
        """The routines due today or overdue, most overdue first, and any marked done on a
        future date (the person must check the clock and mark them again)."""
        return sorted((s for s in self.routine_states() if s.due or s.future_mark),
                      key=lambda s: -s.days_late)

    def mark_done(self, routine_id: str, who: str, note: str = "", terminal_id: str | None = None,
                  checked: dict[str, bool] | None = None, serial_seen: str = "",
                  open_incident: bool = False) -> RoutineEntry:
        """Record that a routine, or a checklist, was done: by whom, with what it found.

        Every item of a checklist not confirmed in `checked` is a finding. A serial number typed
        from the device decides the serial item against the one on record. What a security
        check finds always opens an incident (a terminal that may have been tampered with is not
        used until someone has looked); another checklist's findings open one when asked. The
        entry names that incident, and the incident the entry and every finding."""
        topic = self.topic(routine_id)
        checklist = self.kb.checklist(routine_id)
        if not topic.cadence_days and checklist is None:
            raise NotAllowed("not_a_routine", id=routine_id)
        who = privacy.clean(who).text.strip()
        if not who:
            raise EmptyText("who")
        terminal = self.terminal(terminal_id) if terminal_id else None
        items = checklist.items if checklist else ()
        unknown = set(checked or {}) - {item.id for item in items}
        if unknown:
            raise UnknownId(sorted(unknown)[0])
        confirmed = {item.id: bool((checked or {}).get(item.id)) for item in items}
        seen = privacy.clean(serial_seen).text.strip()
        serial = {"record": terminal.serial if terminal else "", "seen": seen} if seen else None
        if serial and serial["record"] and SERIAL_ITEM in confirmed:
            # A serial that reads like a card number keeps only its last four digits: two such
            # serials cannot be told apart, so the check cannot pass on them.
            comparable = privacy.MASK not in seen + serial["record"]
            confirmed[SERIAL_ITEM] = comparable and seen.casefold() == serial["record"].casefold()
            if not comparable:
                serial["compared"] = False
        entry = RoutineEntry(routine_id, terminal.id if terminal else None, self._now(), who,
                             privacy.clean(note.strip()).text, confirmed, serial=serial)
        if entry.findings and (topic.category == "security" or open_incident):
            found = [{"id": item.id, "text": item.text.to_dict()}
                     for item in items if item.id in entry.findings]
            finding = {"routine_id": routine_id, "done_at": entry.at, "who": who, "items": found}
            if serial and SERIAL_ITEM in entry.findings:
                finding["serial"] = serial
            incident = self.start_incident(routine_id, terminal_id=entry.terminal_id,
                                           note=entry.note, finding=finding)
            try:
                self.store.add_record(ROUTINE_LOG, replace(entry, incident_id=incident.id).to_dict())
            except StoreError:
                # Told as "nothing was saved": so it must be true, or a retry opens another.
                self.store.take_back_incident(incident.id)
                raise
            return replace(entry, incident_id=incident.id)
        self.store.add_record(ROUTINE_LOG, entry.to_dict())
        return entry

    # Keeping the records safe

    @property
    def home(self) -> Path:
        return data_dir(self._home)

    def checkup(self) -> Checkup:
        """What is wrong with the database, read without opening (or changing) it."""
        return examine(self.home)

    def backup(self, path: Path | None = None) -> Path:
        """A backup in the backups folder, or at `path` (a file, not one of the database's)."""
        if path is not None:
            self._check_output(path, "posdesk-backup.json")
        return make_backup(self.store, path)

    def backup_text(self) -> str:
        """A whole backup as JSON text, to print (`posdesk backup -o -`)."""
        return encode_json(backup_bundle(self.store)).decode("utf-8")

    def daily_backup(self) -> Path | None:
        return daily_backup(self.store)

    def restore(self, path: Path) -> Restored:
        """Replace the database with a backup, all files or none; what it replaced is kept in a
        backup the rotation never removes, and damaged files are moved into the backups folder.
        Works without opening the database, so a damaged one is no obstacle."""
        if is_own_file(self.home, Path(path)):
            raise BadBackup(phrase("backup.own_file", path=path, backups=self.home / BACKUP_FOLDER))
        opened = self.__dict__.pop("store", None)  # reopened after: it may need a migration
        if opened is not None:
            opened.close()
        restored = restore(self.home, Path(path))
        self._cache.clear()
        self._sorted = None
        self._unreadable.clear()
        return restored

    def _check_output(self, path: Path, example: str) -> None:
        """A file a person asked for must be a file, and never one of the database's own: a
        file is written whole and renamed into place, which would replace a device, a pipe or
        a link that stood there."""
        if path.is_dir():
            raise NotAFile(path, path / example)
        if is_own_file(self.home, path):
            raise OwnFile(path)
        target, home = Path(os.path.realpath(path)), Path(os.path.realpath(self.home))
        if home in target.parents and home / REPORTS_FOLDER not in target.parents:
            # The backups folder holds the copies made before restores and the damaged files
            # set aside: a report must never land on one of them.
            raise InDataFolder(path, self.home / REPORTS_FOLDER)
        try:
            found = os.lstat(path)
        except OSError:
            return  # nothing there yet, or its folder is missing: the write will say
        if not stat.S_ISREG(found.st_mode):
            raise NotRegular(path)

    # Settings

    def settings(self) -> Settings:
        """The shop's settings, cleaned like every record read back (a bad one is at its
        default: see Settings.from_dict)."""
        return self._model(Settings.from_dict, self.store.settings().to_dict())

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")

        def choose(settings: Settings) -> None:
            settings.language = lang

        self.store.change_settings(choose)

    def set_hotline(self, hotline: str) -> None:
        hotline = privacy.clean(hotline).text.strip()
        if not hotline:
            raise EmptyText("hotline")

        def choose(settings: Settings) -> None:
            settings.hotline = hotline

        self.store.change_settings(choose)

    # Incidents

    def now(self) -> datetime:
        """The desk's clock: the local time now (a fixed one in tests)."""
        return self._clock()

    def _now(self) -> str:
        return _iso(self._clock())

    def start_incident(self, topic_id: str, code: str | None = None,
                       terminal_id: str | None = None, note: str = "",
                       finding: dict | None = None) -> Incident:
        """Open an incident: a fault to troubleshoot, or a security finding or suspicious event
        to follow up. The topic's title is kept as it reads today."""
        return self.open_incident(self.new_incident(topic_id, code, terminal_id, note, finding))

    def new_incident(self, topic_id: str, code: str | None = None,
                     terminal_id: str | None = None, note: str = "",
                     finding: dict | None = None) -> Incident:
        """An incident opened now but not yet recorded (its id is empty): the guided flow
        records it with the first thing the person does, so leaving at once leaves nothing."""
        topic = self.topic(topic_id)
        if topic.category not in INCIDENT_CATEGORIES:
            raise NotAllowed("not_an_incident_topic", id=topic_id)
        terminal = self.terminal(terminal_id) if terminal_id else None
        code = privacy.clean(code).text.strip() or None if code else None
        data: dict = {"code": code} if code else {}
        if note.strip():
            data["note"] = privacy.clean(note.strip()).text
        if finding:
            data["finding"] = finding
        return Incident(
            id="", topic_id=topic.id, topic_title=topic.title, kb_version=self.kb.version,
            step_count=len(topic.steps), events=(Event("opened", self._now(), data),), code=code,
            terminal=terminal.label() if terminal else None,
            terminal_id=terminal.id if terminal else None)

    def open_incident(self, draft: Incident) -> Incident:
        """Record an incident made by `new_incident`, under the next free id of the day it
        was opened."""
        day = IncidentId.day_of(draft.opened_at)
        return self._model(Incident.from_dict, self.store.add_incident(draft.to_record(), day))

    def unfinished_incident(self, topic_id: str, terminal_id: str | None = None) -> Incident | None:
        """The incident still open, or waiting on the bank, for this fault on this terminal:
        troubleshooting the fault again carries on with it rather than opening a second one.
        One recorded without a terminal (none was on record then, or nobody knew which) is
        taken to be the same fault, as is any when nobody knows the terminal now."""
        same_fault = [incident for incident in self.unfinished_incidents()
                      if incident.topic_id == topic_id]
        for fits in (lambda i: i.terminal_id == (terminal_id or None),
                     lambda i: i.terminal_id is None or not terminal_id):
            found = next((incident for incident in same_fault if fits(incident)), None)
            if found is not None:
                return found
        return None

    def incident(self, incident_id: str) -> Incident:
        """One incident; BadRecord (naming the field) when its stored record cannot be read."""
        record = self.store.incident(incident_id.strip())
        if record is None:
            raise UnknownId(incident_id)
        return self._model(Incident.from_dict, record)

    def incidents(self, status: str | None = None) -> list[Incident]:
        """Newest first; only those with `status` when it is given."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        return [i for i in self._all_incidents() if status is None or i.status == status]

    def _all_incidents(self) -> list[Incident]:
        """Every incident, newest first; each file is read again only when it has changed.
        All the files are read under one hold of the lock, so a restore or a move between
        files never shows half of the old history beside half of the new."""
        with self.store.reading():
            files = self.store.incident_files()
            if self._sorted is not None and self._sorted[0] == files:
                return self._sorted[1]
            found: list[Incident] = []
            for name, signature in files:
                cached = self._cache.get(name)
                if cached is None or cached[0] != signature:
                    records = self.store.incident_records(name)
                    incidents = self._models(name, Incident.from_dict, records)
                    cached = (signature, incidents, self._unreadable[name])
                    self._cache[name] = cached
                found += cached[1]
                self._unreadable[name] = cached[2]
        found.sort(key=_opened, reverse=True)
        self._sorted = (files, found)
        return found

    def find_incidents(self, chosen: IncidentFilter, sort: str = "opened",
                       descending: bool = True) -> list[Incident]:
        """The incidents `chosen` lets through, sorted by one of SORT_KEYS."""
        found = [i for i in self.incidents() if chosen.matches(i)]
        found.sort(key=SORT_KEYS[sort], reverse=descending)
        return found

    def unfinished_incidents(self) -> list[Incident]:
        """Open and escalated incidents: the ones nobody may forget. Only their own small file
        is read, so this stays quick however long the history grows."""
        found = self._models(OPEN_INCIDENTS, Incident.from_dict,
                             self.store.incident_records(OPEN_INCIDENTS))
        return sorted(found, key=_opened, reverse=True)

    def record_attempt(self, incident_id: str, step_id: str, outcome: str, note: str = "") -> Saved:
        """Mark a step fixed, not fixed or skipped. Fixed resolves the incident (resolution self)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        step = self.kb.step(step_id)
        if step is None:
            raise UnknownId(step_id)

        def allowed(incident: Incident) -> None:
            _refuse_if(incident.resolved, "resolved")
            if step.topic_id != incident.topic_id:
                raise UnknownId(step_id)

        cleaned = privacy.clean(note.strip())
        at = self._now()
        events = [Event("attempt", at, {
            "step_id": step.id, "step_order": step.order, "step_title": step.title.to_dict(),
            "outcome": outcome, "note": cleaned.text,
        })]
        if outcome == "fixed":
            events.append(Event("resolved", at, {"resolution": "self", "step_id": step.id}))
        return Saved(self._append(incident_id, events, allowed), cleaned.masked)

    def add_note(self, incident_id: str, text: str) -> Saved:
        cleaned = privacy.clean(text.strip())
        if not cleaned.text.strip():
            raise EmptyText("note")
        event = Event("note", self._now(), {"text": cleaned.text})
        return Saved(self._append(incident_id, [event]), cleaned.masked)

    def escalate(self, incident_id: str, note: str, reference: str = "") -> Saved:
        """Record the call to the bank with the note that went with it.

        On an incident already escalated, the note as it was sent is saved again unchanged:
        then nothing new is recorded, or only the reference when a new one was typed. A changed
        note is another call to the bank, and the reference already given stands unless a new
        one replaces it."""
        cleaned = privacy.clean(note.strip())
        if not cleaned.text.strip():
            raise EmptyText("escalation_note")
        reference_text = privacy.clean(reference.strip())
        given = reference_text.text.strip()
        at = self._now()

        def call(incident: Incident) -> list[Event]:
            _refuse_if(incident.resolved, "resolved")
            sent = incident.escalation if incident.status == "escalated" else None
            if sent is not None and sent.note == cleaned.text:
                if given and given != sent.reference:
                    return [Event("reference", at, {"reference": given})]
                return []
            data = {"hotline": self.settings().hotline, "note": cleaned.text,
                    "reference": given or None}
            return [Event("escalated", at, data)]

        saved = self._append(incident_id, call)
        return Saved(saved, cleaned.masked + reference_text.masked)

    def set_reference(self, incident_id: str, reference: str) -> Saved:
        """The bank's reference number, given after the call."""
        cleaned = privacy.clean(reference.strip())
        if not cleaned.text.strip():
            raise EmptyText("reference")
        event = Event("reference", self._now(), {"reference": cleaned.text})
        saved = self._append(incident_id, [event], lambda incident: _refuse_if(
            incident.escalation is None, "not_escalated"))
        return Saved(saved, cleaned.masked)

    def close_by_bank(self, incident_id: str, what_the_bank_did: str) -> Saved:
        """Close an escalated incident with what the bank did (resolution bank)."""
        cleaned = privacy.clean(what_the_bank_did.strip())
        if not cleaned.text.strip():
            raise EmptyText("bank_did")
        event = Event("resolved", self._now(), {"resolution": "bank", "note": cleaned.text})
        saved = self._append(incident_id, [event], lambda incident: _refuse_if(
            incident.status != "escalated",
            "resolved" if incident.resolved else "not_escalated"))
        return Saved(saved, cleaned.masked)

    def reopen(self, incident_id: str, why: str = "") -> Saved:
        """A resolved incident is back: reopening is itself on the timeline."""
        cleaned = privacy.clean(why.strip())
        event = Event("reopened", self._now(), {"note": cleaned.text})
        saved = self._append(incident_id, [event], lambda incident: _refuse_if(
            not incident.resolved, "not_resolved"))
        return Saved(saved, cleaned.masked)

    # What the history teaches

    def insights(self, incidents: list[Incident] | None = None, weeks: int = 12) -> Insights:
        chosen = self.incidents() if incidents is None else incidents
        return insights_of(chosen, weeks, today=self._clock().date())

    def step_records(self, topic_id: str, excluding: str | None = None) -> dict[str, StepRecord]:
        """For each step of a fault, how often it fixed the fault in past incidents."""
        past = [i for i in self.incidents() if i.topic_id == topic_id and i.id != excluding]
        return step_records_of(past)

    def save_note_file(self, incident_id: str, note: str, lang: str) -> Path:
        """Keep the note for the bank as a Markdown file in the data directory's reports folder."""
        incident = self.incident(incident_id)
        cleaned = privacy.clean(note.strip())
        if not cleaned.text.strip():
            raise EmptyText("escalation_note")
        text = escalation_markdown(incident, cleaned.text, lang)
        return self.write_report(text, f"{incident.id}-bank-note.md")

    def export(self, incidents: list[Incident], fmt: str, lang: str) -> str:
        return render(incidents, fmt, lang)

    def write_report(self, text: str, name: str | None = None, path: Path | None = None) -> Path:
        """Write a report to `path`, or as `name` in the data directory's reports folder.

        A `path` that is a folder (`name` is then the example offered) or one of the database's
        own files is refused, and what the system refuses (a full disk, …) is a StoreError;
        nothing is half written."""
        if path is None:
            ensure_home(self.home)
            folder = self.home / REPORTS_FOLDER
            ensure_folder(folder)
            path = folder / (name or f"report-{self._clock():%Y%m%d-%H%M%S}.txt")
        else:
            self._check_output(path, name or "report.txt")
        atomic_write_text(path, text)
        return path

    def _append(self, incident_id: str,
                events: list[Event] | Callable[[Incident], list[Event]],
                allowed: Callable[[Incident], None] | None = None) -> Incident:
        """Add events to the incident's history: nothing already there is changed.

        `allowed` looks at the incident as it is stored, inside the lock, and raises when the
        change no longer makes sense (another window may have resolved it meanwhile). `events`
        may be worked out from the stored incident too; when there are none, nothing is written.
        No event is dated before the one it follows: with the clock set back, it takes the time
        of the last event instead, so the timeline stays in order and no duration goes below
        zero. A stored record that cannot be read raises BadRecord and is left as it is."""
        changed: list[Incident] = []

        def add(record: dict) -> dict:
            current = self._model(Incident.from_dict, record)
            if allowed:
                allowed(current)
            new = events(current) if callable(events) else events
            if not new:
                raise _Unchanged(current)
            last = current.events[-1]
            added = tuple(_not_before(event, last) for event in new)
            changed.append(replace(current, events=current.events + added))
            updated = {**record, "events": [*record["events"], *(e.to_dict() for e in added)]}
            updated["closed"] = changed[-1].resolved
            return updated

        try:
            self.store.update_incident(incident_id, add)
        except _Unchanged as unchanged:
            return unchanged.incident
        except KeyError:
            raise UnknownId(incident_id) from None
        return changed[-1]

    # Records read from the store: every one becomes a model here, and only here.

    def _model(self, build: Callable[[dict[str, Any]], Model], record: dict[str, Any],
               texts: dict[str, str] | None = None) -> Model:
        """A stored record as its model: every text in it cleaned on the way out (a restored
        or hand-edited file may hold escape sequences or a full card number), then checked by
        `build`, which raises BadRecord when the record does not have the model's shape.
        `texts` remembers texts already cleaned, for many records read at once."""
        return build(privacy.clean_stored(record, texts))

    def _models(self, source: str, build: Callable[[dict[str, Any]], Model],
                records: list[dict[str, Any]]) -> list[Model]:
        """The records of one file or table that can be read; how many could not is kept for
        unreadable_records."""
        texts: dict[str, str] = {}  # a history repeats its keys, kinds and titles many times
        found, unreadable = [], 0
        for record in records:
            try:
                found.append(self._model(build, record, texts))
            except BadRecord:
                unreadable += 1
        self._unreadable[source] = unreadable
        return found

    def unreadable_records(self) -> int:
        """How many records the latest reading of each file and table had to leave out because
        they cannot be read (`posdesk doctor` names each one)."""
        return sum(self._unreadable.copy().values())  # a worker may be reading meanwhile


class _Unchanged(Exception):
    """Nothing to add: the incident is left as it is stored, and not written again."""

    def __init__(self, incident: Incident) -> None:
        super().__init__(incident.id)
        self.incident = incident


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _opened(incident: Incident) -> datetime:
    return incident.opened_moment


def _not_before(event: Event, last: Event) -> Event:
    """`event`, dated no earlier than `last` (the clock may have been set back since)."""
    if datetime.fromisoformat(event.at) < datetime.fromisoformat(last.at):
        return replace(event, at=last.at)
    return event


def _last_done(entries: list[RoutineEntry], limit: datetime
               ) -> tuple[RoutineEntry | None, RoutineEntry | None]:
    """Of a routine's log entries in the order written: the latest done up to `limit`, and an
    entry dated after `limit` when nothing was written after it."""
    last = ahead = None
    for entry in entries:
        if entry.moment > limit:
            ahead = entry
            continue
        ahead = None  # marked done again since
        if last is None or entry.moment > last.moment:
            last = entry
    return last, ahead


def _refuse_if(condition: bool, why: str) -> None:
    if condition:
        raise NotAllowed(why)
