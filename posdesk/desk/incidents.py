"""Incidents: opened, worked through step by step, taken to the bank, closed and reopened.
Every change adds events to an incident's history; nothing recorded is ever changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from posdesk import privacy
from posdesk.desk.base import EmptyText, NotAllowed, Saved, UnknownId, refuse_if
from posdesk.desk.learning import LearningDesk
from posdesk.desk.settings import SettingsDesk
from posdesk.desk.terminals import TerminalsDesk
from posdesk.desk.history import HistoryReading
from posdesk.models import (
    OUTCOMES, STATUSES, Event, Incident, IncidentFilter, IncidentId, Settings, Terminal, Topic,
)
from posdesk.store import OPEN_INCIDENTS

INCIDENT_CATEGORIES = ("fault", "security", "transaction")
# Words typed but not yet saved, kept per incident so that leaving (or a restart) loses none:
# the note in the guided flow, and the note for the bank with its reference.
DRAFTS = ("flow_note", "bank_note", "bank_reference")


# A check whose findings open an incident on another topic: a tamper inspection's findings are
# followed up by what to do about a tampered terminal (stop, leave it as it is, call the bank),
# not by the inspection's own steps (photos to compare, a serial to read) again.
TAMPER_INSPECTION = "sec.tamper_inspection"  # PCI DSS 9.5.1 asks for it on every device
FOLLOW_UP_TOPICS = {TAMPER_INSPECTION: "sec.tamper_found"}


class IncidentsDesk(HistoryReading, LearningDesk, TerminalsDesk, SettingsDesk):
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

    def incident_topics(self) -> list[Topic]:
        """What an incident can be about, to choose from: every fault, every security check
        whose findings open one (on itself in older records, on its follow-up topic now), and
        every transaction topic (a suspicious event is reported on it), a category after
        another in the knowledge base's order."""
        return [topic for category in INCIDENT_CATEGORIES for topic in self.topics(category)
                if category != "security" or self.kb.checklist(topic.id) is not None
                or topic.id in FOLLOW_UP_TOPICS.values()]

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
        """Newest first; only those with `status` when it is given (open and escalated ones are
        read from their own small file only). Whole incidents: a long history is better
        streamed with `each_incident`, or listed with `incident_list`."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        # each_incident opens every file under one hold of the lock: a restore or a move never
        # shows half of each history, and writers need not wait while the files are read.
        return list(self.each_incident(IncidentFilter(status=status)))

    def unfinished_incidents(self) -> list[Incident]:
        """Open and escalated incidents: the ones nobody may forget. Only their own small file
        is read, so this stays quick however long the history grows."""
        found = self._models(OPEN_INCIDENTS, Incident.from_dict,
                             self.store.incident_records(OPEN_INCIDENTS))
        return sorted(found, key=_opened, reverse=True)

    def record_attempt(self, incident_id: str, step_id: str, outcome: str, note: str = "") -> Saved:
        """Mark a check fixed, not fixed or skipped, or a step that finds something out noted
        or skipped. Fixed resolves the incident (resolution self)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        step = self.kb.step(step_id)
        if step is None:
            raise UnknownId(step_id)
        if outcome not in step.outcomes:
            raise ValueError(f"step {step_id} cannot be marked {outcome!r}")

        def allowed(incident: Incident) -> None:
            refuse_if(incident.resolved, "resolved")
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
            refuse_if(incident.resolved, "resolved")
            sent = incident.escalation if incident.status == "escalated" else None
            if sent is not None and sent.note == cleaned.text:
                if given and given != sent.reference:
                    return [Event("reference", at, {"reference": given})]
                return []
            line = self.hotline(incident.terminal_id)
            # The number called, or the bank's name when nobody gave its number: data, worded
            # only when shown, so the record reads right in either language.
            data = {"hotline": line.number or line.unknown_bank or "", "note": cleaned.text,
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
        saved = self._append(incident_id, [event], lambda incident: refuse_if(
            incident.escalation is None, "not_escalated"))
        return Saved(saved, cleaned.masked)

    def close_by_bank(self, incident_id: str, what_the_bank_did: str) -> Saved:
        """Close an escalated incident with what the bank did (resolution bank)."""
        cleaned = privacy.clean(what_the_bank_did.strip())
        if not cleaned.text.strip():
            raise EmptyText("bank_did")
        event = Event("resolved", self._now(), {"resolution": "bank", "note": cleaned.text})
        saved = self._append(incident_id, [event], lambda incident: refuse_if(
            incident.status != "escalated",
            "resolved" if incident.resolved else "not_escalated"))
        return Saved(saved, cleaned.masked)

    def reopen(self, incident_id: str, why: str = "") -> Saved:
        """A resolved incident is back: reopening is itself on the timeline."""
        cleaned = privacy.clean(why.strip())
        event = Event("reopened", self._now(), {"note": cleaned.text})
        saved = self._append(incident_id, [event], lambda incident: refuse_if(
            not incident.resolved, "not_resolved"))
        return Saved(saved, cleaned.masked)

    def terminal_of(self, incident: Incident) -> Terminal | None:
        """The terminal on record that the incident is about, None when it names none or the
        terminal has been removed since."""
        if not incident.terminal_id:
            return None
        return next((terminal for terminal in self.terminals()
                     if terminal.id == incident.terminal_id), None)

    # Drafts: typed words not yet saved, kept in the settings (they are no history).

    def draft(self, incident: Incident, name: str) -> str:
        """The draft `name` (one of DRAFTS) kept for this incident, "" when there is none."""
        kept = self.settings().extra.get("drafts")
        if not isinstance(kept, dict):
            return ""
        for key in _draft_keys(incident):
            text = (kept.get(key) or {}).get(name) if isinstance(kept.get(key), dict) else None
            if isinstance(text, str) and text.strip():
                return text
        return ""

    def keep_draft(self, incident: Incident, name: str, text: str) -> bool:
        """Keep what was typed (card numbers masked) until it is saved or dropped; empty text
        drops the draft. Whether a card number was masked."""
        if name not in DRAFTS:
            raise ValueError(f"unknown draft {name!r}")
        cleaned = privacy.clean(text.rstrip())

        def change(settings: Settings) -> None:
            drafts = settings.extra.get("drafts")
            drafts = dict(drafts) if isinstance(drafts, dict) else {}
            for key in _draft_keys(incident):
                kept = drafts.get(key)
                kept = dict(kept) if isinstance(kept, dict) else {}
                kept.pop(name, None)
                if kept:
                    drafts[key] = kept
                else:
                    drafts.pop(key, None)
            if cleaned.text.strip():
                key = _draft_keys(incident)[0]
                drafts[key] = {**drafts.get(key, {}), name: cleaned.text}
            settings.extra["drafts"] = drafts

        self.store.change_settings(change)
        return cleaned.masked

    def drop_drafts(self, incident: Incident, *names: str) -> None:
        """Forget the drafts `names`: what they held was saved."""
        for name in names:
            self.keep_draft(incident, name, "")

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


class _Unchanged(Exception):
    """Nothing to add: the incident is left as it is stored, and not written again."""

    def __init__(self, incident: Incident) -> None:
        super().__init__(incident.id)
        self.incident = incident


def _draft_keys(incident: Incident) -> list[str]:
    """Where an incident's drafts are kept: under its id, and before it is recorded under its
    fault and terminal (a draft left then comes back when that fault is taken up again)."""
    unrecorded = f"new:{incident.topic_id}:{incident.terminal_id or ''}"
    return [incident.id, unrecorded] if incident.id else [unrecorded]


def _opened(incident: Incident) -> datetime:
    return incident.opened_moment


def _not_before(event: Event, last: Event) -> Event:
    """`event`, dated no earlier than `last` (the clock may have been set back since)."""
    if datetime.fromisoformat(event.at) < datetime.fromisoformat(last.at):
        return replace(event, at=last.at)
    return event
