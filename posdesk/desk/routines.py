"""Routines: what is due, and proof that it was done (with what a checklist found)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from posdesk import privacy
from posdesk.desk.base import EmptyText, NotAllowed, UnknownId
from posdesk.desk.incidents import FOLLOW_UP_TOPICS, IncidentsDesk
from posdesk.desk.settings import SettingsDesk
from posdesk.desk.terminals import TerminalsDesk
from posdesk.models import SERIAL_ITEM, RoutineEntry, RoutineState, Settings
from posdesk.models.settings import SET_UP_OUTCOMES
from posdesk.schedule import BadCadence, Cadence, local_day
from posdesk.store import ROUTINE_LOG, StoreError

# A routine's log entry dated further ahead than this was made with the clock wrong: it is not
# taken as the last time the routine was done (a few hours ahead is another time zone, or a
# clock a little fast).
FUTURE_MARGIN = timedelta(days=1)


class RoutinesDesk(IncidentsDesk, TerminalsDesk, SettingsDesk):
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

    def set_up_wanted(self) -> bool:
        """Whether to offer the first-run set-up: no terminal is on record and the set-up was
        never finished or skipped."""
        return self.settings().set_up is None and not self.terminals()

    def finish_set_up(self, outcome: str) -> None:
        """Record that the first-run set-up was done or skipped, so it is not offered again
        (settings offers it on request). A shop with no routine done yet begins its routines
        today: each is first due one cadence from now (a daily one today), not all at once."""
        if outcome not in SET_UP_OUTCOMES:
            raise ValueError(f"unknown set-up outcome {outcome!r}")
        fresh = not self.store.records(ROUTINE_LOG)
        today = self._clock().date().isoformat()

        def choose(settings: Settings) -> None:
            settings.set_up = outcome
            if fresh and settings.routines_from is None:
                settings.routines_from = today

        self.store.change_settings(choose)

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
        and while nothing has been written for the routine after it, the state names it. So is
        a day routines began that lies beyond it: counting from it would do the same."""
        now = self._clock()
        zone, today = now.tzinfo, now.date()
        settings = self.settings()  # read once, not once a routine
        since = date.fromisoformat(settings.routines_from) if settings.routines_from else None
        if since is not None and since > (now + FUTURE_MARGIN).date():
            since = None  # set up under a clock that was ahead: every routine is due now
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
                next_due = (cadence.after(local_day(last.at, zone)) if last
                            else _first_due(cadence, since) if since else today)
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
            incident = self.start_incident(FOLLOW_UP_TOPICS.get(routine_id, routine_id),
                                           terminal_id=entry.terminal_id,
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


def _first_due(cadence: Cadence, since: date) -> date:
    """When a routine never done is first due, counted from the day routines began: one
    cadence on, except a daily routine, which starts that day."""
    return since if cadence == Cadence(days=1) else cadence.after(since)


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
