"""The one check of a database file's records, shared by restore (which refuses a backup at the
first fault it finds) and doctor (which names every fault in the data directory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from posdesk import privacy
from posdesk.i18n import Phrase, phrase, record_problem
from posdesk.models import (
    BadRecord, GuidanceNote, Incident, IncidentId, RoutineEntry, Settings, StepFlag, Terminal,
    own_topic,
)
from posdesk.store.layout import (
    DATABASE_NAME, GUIDANCE_FLAGS, GUIDANCE_NOTES, GUIDANCE_TOPICS, INCIDENTS, ROUTINE_LOG,
    SCHEMA_VERSION, TERMINALS, incident_file,
)

SETTINGS = "settings"
# Tables of plain records, each with the model its records must build and the kind of record
# a person is told of.
RECORD_TABLES: tuple[tuple[str, str, Callable[[dict[str, Any]], Any]], ...] = (
    (TERMINALS, "record.kind.terminal", Terminal.from_dict),
    (ROUTINE_LOG, "record.kind.routine_entry", RoutineEntry.from_dict),
    (GUIDANCE_NOTES, "record.kind.guidance_note", GuidanceNote.from_dict),
    (GUIDANCE_FLAGS, "record.kind.step_flag", StepFlag.from_dict),
    (GUIDANCE_TOPICS, "record.kind.shop_topic", lambda record: own_topic(record, "shop")),
)
INCIDENT_KIND = "record.kind.incident"
# What a model raises for a record it cannot build (BadRecord, unless a model has a gap).
BUILD_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError)

# What can be wrong with a record.
UNREADABLE = "unreadable"  # its model cannot be built from it
SETTING = "setting"  # a setting left at its default
DUPLICATE = "duplicate"  # an incident id met before, in `other`
MISPLACED = "misplaced"  # an incident in the wrong file; `other` is the right one
# An incident whose id names another day than the one it was opened (`other`): the files are
# by month of the id, and a listing reads them newest first trusting that.
OTHER_DAY = "other_day"
# An id met before in the same table: a terminal's, or a guidance note's, flag's or topic's
# (reading keeps the first; restore refuses the backup).
TERMINAL_TWICE = "terminal_twice"
ONCE_TABLES = (TERMINALS, GUIDANCE_NOTES, GUIDANCE_FLAGS, GUIDANCE_TOPICS)


@dataclass(frozen=True)
class Fault:
    """One thing wrong with one record of a database file."""

    what: str
    table: str
    key: str  # the record's key in its table
    given_id: str | None  # its id as written, when it is a text that says something
    kind: str = ""  # the kind of record, for people ("record.kind.terminal")
    problem: Phrase | None = None  # UNREADABLE and SETTING: what is wrong
    other: str = ""  # DUPLICATE: the file it was met in first; MISPLACED: where it belongs;
    # OTHER_DAY: when it was opened


def record_faults(name: str, tables: dict[str, Any], seen: dict[str, str],
                  schema: int = SCHEMA_VERSION) -> Iterator[Fault]:
    """Every fault of the records in the tables of the database file `name`, in order.

    `seen` collects incident ids with their file across the files of one database. In a schema
    1 posdesk.json every incident is in that file (the migration files them), so none is
    misplaced there."""
    for table, kind, build in RECORD_TABLES:
        ids: set[str] = set()
        for key, record in tables.get(table, {}).items():
            try:
                model = build(record)
            except BUILD_ERRORS as error:
                yield Fault(UNREADABLE, table, key, _given_id(record), kind, reason_of(error))
                continue
            if table not in ONCE_TABLES:
                continue
            if model.id in ids:
                yield Fault(TERMINAL_TWICE, table, key, model.id, kind)
            ids.add(model.id)
    for key, record in tables.get(SETTINGS, {}).items():
        for error in Settings.problems(record):
            yield Fault(SETTING, SETTINGS, key, None, problem=problem_of(error))
    for key, record in tables.get(INCIDENTS, {}).items():
        try:
            incident = Incident.from_dict(record)
        except BUILD_ERRORS as error:
            yield Fault(UNREADABLE, INCIDENTS, key, _given_id(record), INCIDENT_KIND,
                        reason_of(error))
            continue
        if incident.id in seen:
            yield Fault(DUPLICATE, INCIDENTS, key, incident.id, INCIDENT_KIND,
                        other=seen[incident.id])
        seen[incident.id] = name
        if IncidentId(incident.id).day != IncidentId.day_of(incident.opened_at):
            yield Fault(OTHER_DAY, INCIDENTS, key, incident.id, INCIDENT_KIND,
                        other=incident.opened_at)
        if name == DATABASE_NAME and schema < 2:
            continue
        expected = incident_file(incident.id, incident.resolved)
        if name != expected:
            yield Fault(MISPLACED, INCIDENTS, key, incident.id, INCIDENT_KIND, other=expected)


def _given_id(record: Any) -> str | None:
    given = record.get("id") if isinstance(record, dict) else None
    return given if isinstance(given, str) and given.strip() else None


def reason_of(error: Exception) -> Phrase:
    """What is wrong with a record its model could not be built from."""
    if isinstance(error, BadRecord):
        return problem_of(error)
    if isinstance(error, KeyError):
        return phrase("backup.reason.missing", field=privacy.clean(str(error)).text[:60])
    return phrase("backup.reason.invalid", error=privacy.clean(str(error)).text[:80])


def problem_of(error: BadRecord) -> Phrase:
    """What is wrong with a record, its field named as it may be shown."""
    return record_problem(BadRecord(shown_text(error.field), error.problem))


def shown_text(text: str) -> str:
    """Text from the file as it may be shown: cleaned, and not too long for one line."""
    cleaned = privacy.clean(text).text.replace("\n", " ")
    return cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"
