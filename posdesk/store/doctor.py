"""Checking a data directory without changing it: what is wrong, and where."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posdesk import privacy
from posdesk.i18n import Phrase, phrase, record_problem
from posdesk.models import BadRecord, Incident, RoutineEntry, Settings, Terminal
from posdesk.store.backup import backups_in_future
from posdesk.store.durable import kind_of, read_json_tables
from posdesk.store.errors import DamagedDatabase
from posdesk.store.layout import (
    BACKUP_FOLDER, CLOSED_PATTERN, DATABASE_NAME, LOCK_NAME, MOVE_JOURNAL, OPEN_INCIDENTS,
    REPORTS_FOLDER, RESTORE_JOURNAL, RESTORE_LEFT, SCHEMA_VERSION, incident_file, trusted_move,
)
from posdesk.store.modes import too_open
from posdesk.store.restore import restore_journal


@dataclass
class Checkup:
    problems: list[Phrase] = field(default_factory=list)
    incidents: int = 0
    files: int = 0

    @property
    def healthy(self) -> bool:
        return not self.problems


def examine(home: Path) -> Checkup:
    """Read every file of the database and say what is wrong; nothing is written."""
    checkup = Checkup()
    checkup.problems += (_open_to_others(home) + _in_the_way(home) + _restore_problems(home)
                         + _dated_ahead(home))
    main = home / DATABASE_NAME
    try:
        tables = read_json_tables(main)
    except DamagedDatabase as error:
        checkup.problems.append(error.phrase)
        tables = None
    if tables is None and not checkup.problems:
        return checkup  # a data directory posdesk has not used yet
    checkup.files += 1
    if tables is not None:
        schema = tables.get("_meta", {}).get("1", {}).get("schema")
        if not isinstance(schema, int):
            checkup.problems.append(phrase("doctor.no_schema", path=main))
        elif schema > SCHEMA_VERSION:
            checkup.problems.append(phrase("doctor.too_new", path=main, found=schema))
        checkup.problems += _journal_problems(main, tables)
        checkup.problems += record_problems(main, tables)
    seen: dict[str, str] = {}
    for path in sorted(home.glob("incidents-*.json")):
        if path.name != OPEN_INCIDENTS and not CLOSED_PATTERN.match(path.name):
            continue
        checkup.files += 1
        try:
            incident_tables = read_json_tables(path) or {}
        except DamagedDatabase as error:
            checkup.problems.append(error.phrase)
            continue
        checkup.problems += record_problems(path, incident_tables, seen)
        checkup.incidents += len(incident_tables.get("incidents", {}))
    return checkup


# Each record of a file, checked against its model. Tables of posdesk.json and of the incident
# files, and which model each one's records build.
RECORD_TABLES: tuple[tuple[str, str, Callable[[dict[str, Any]], object]], ...] = (
    ("terminals", "record.kind.terminal", Terminal.from_dict),
    ("routine_log", "record.kind.routine_entry", RoutineEntry.from_dict),
)
SETTINGS_TABLE = "settings"
INCIDENTS_TABLE = "incidents"


def record_problems(path: Path, tables: dict[str, Any],
                    seen: dict[str, str] | None = None) -> list[Phrase]:
    """One line for each record in a database file's `tables` that cannot be read: the file,
    what kind of record, its id (or its place in the table) and what is wrong. Settings that
    are left at their default are named too. `seen` collects incident ids across files."""
    problems: list[Phrase] = []
    for table, kind, build in RECORD_TABLES:
        for key, record in tables.get(table, {}).items():
            try:
                build(record)
            except BadRecord as error:
                problems.append(_unreadable(path, kind, key, record, error))
    for record in tables.get(SETTINGS_TABLE, {}).values():
        problems += [phrase("doctor.bad_setting", path=path, problem=problem_of(error))
                     for error in Settings.problems(record)]
    seen = {} if seen is None else seen
    for key, record in tables.get(INCIDENTS_TABLE, {}).items():
        problems += _check_record(path, key, record, seen)
    return problems


def _unreadable(path: Path, kind: str, key: str, record: Any, error: BadRecord) -> Phrase:
    """"…/posdesk.json: terminal T2 cannot be read: name is not text."."""
    given = record.get("id") if isinstance(record, dict) else None
    if isinstance(given, str) and given.strip():
        return phrase("doctor.bad_record", path=path, kind=phrase(kind), id=shown_text(given),
                      problem=problem_of(error))
    return phrase("doctor.bad_record_at", path=path, kind=phrase(kind), n=shown_text(key),
                  problem=problem_of(error))


def problem_of(error: BadRecord) -> Phrase:
    """What is wrong with a record, its field named as it may be shown."""
    return record_problem(BadRecord(shown_text(error.field), error.problem))


def shown_text(text: str) -> str:
    """Text from the file as it may be shown: cleaned, and not too long for one line."""
    cleaned = privacy.clean(text).text.replace("\n", " ")
    return cleaned if len(cleaned) <= 40 else cleaned[:39] + "…"


def _check_record(path: Path, key: str, record: dict, seen: dict[str, str]) -> list[Phrase]:
    try:
        incident = Incident.from_dict(record)
    except BadRecord as error:
        return [_unreadable(path, "record.kind.incident", key, record, error)]
    problems = []
    if incident.id in seen:
        problems.append(phrase("doctor.duplicate", path=path, id=incident.id, other=seen[incident.id]))
    seen[incident.id] = path.name
    expected = incident_file(incident.id, incident.resolved)
    if path.name != expected:
        problems.append(phrase("doctor.misplaced", path=path, id=incident.id, expected=expected))
    return problems


def _journal_problems(main: Path, tables: dict) -> list[Phrase]:
    """A move cut short (finished on the next start), and in one line the entries that name
    a move posdesk would never make (never acted on)."""
    entries = list(tables.get(MOVE_JOURNAL, {}).values())
    untrusted = [entry for entry in entries if not trusted_move(entry)]
    problems = []
    if len(untrusted) < len(entries):
        problems.append(phrase("doctor.move_cut_short", path=main))
    if untrusted:
        problems.append(phrase("doctor.untrusted_move", path=main, count=len(untrusted)))
    return problems


def _restore_problems(home: Path) -> list[Phrase]:
    """A restore journal: one the next start finishes, one never acted on, or one a start
    could not finish, with the files it left as they were."""
    problems = []
    for name in (RESTORE_JOURNAL, RESTORE_LEFT):
        journal = restore_journal(home, name)
        if journal is None:
            continue
        if journal.plan is None:
            problems.append(phrase("doctor.untrusted_restore", path=journal.path))
        elif journal.to_finish and not journal.would_leave():
            problems.append(phrase("doctor.restore_cut_short", path=journal.path))
        elif journal.to_finish:
            problems.append(phrase("doctor.restore_would_leave", path=journal.path,
                                   names=", ".join(journal.would_leave())))
        else:
            problems.append(phrase("doctor.restore_left", path=journal.path,
                                   names=", ".join(journal.unfinished()) or "—"))
    return problems


def _in_the_way(home: Path) -> list[Phrase]:
    """What is in posdesk's way though every file reads: a lock file it cannot use (a link, a
    folder: every change stops), a backups or reports folder that is a link or no folder."""
    problems = []
    for name, wanted, key in ((LOCK_NAME, stat.S_IFREG, "doctor.lock_in_the_way"),
                              (BACKUP_FOLDER, stat.S_IFDIR, "doctor.folder_in_the_way"),
                              (REPORTS_FOLDER, stat.S_IFDIR, "doctor.folder_in_the_way")):
        found = kind_of(home / name)
        if found and found != wanted:
            problems.append(phrase(key, path=home / name))
    return problems


def _dated_ahead(home: Path) -> list[Phrase]:
    ahead = backups_in_future(home)
    if not ahead:
        return []
    return [phrase("doctor.backups_ahead", folder=home / BACKUP_FOLDER, count=len(ahead),
                   name=ahead[0].name)]


def _open_to_others(home: Path) -> list[Phrase]:
    return [phrase("doctor.readable_by_others", path=path, mode=f"{mode:04o}")
            for path, mode, _ in too_open(home)]
