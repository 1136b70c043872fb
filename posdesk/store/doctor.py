"""Checking a data directory without changing it: what is wrong, and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from posdesk.i18n import Phrase, phrase
from posdesk.models import Incident
from posdesk.store.durable import read_json_tables
from posdesk.store.errors import DamagedDatabase
from posdesk.store.layout import (
    CLOSED_PATTERN, DATABASE_NAME, MOVE_JOURNAL, OPEN_INCIDENTS, RESTORE_JOURNAL, SCHEMA_VERSION,
    closed_file, trusted_move,
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
    checkup.problems += _open_to_others(home) + _restore_problems(home)
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
        for record in incident_tables.get("incidents", {}).values():
            checkup.problems += _check_record(path, record, seen)
            checkup.incidents += 1
    return checkup


def _check_record(path: Path, record: dict, seen: dict[str, str]) -> list[Phrase]:
    try:
        incident = Incident.from_dict(record)
    except (KeyError, TypeError, ValueError, IndexError) as error:
        return [phrase("doctor.unreadable_incident", path=path, missing=error)]
    problems = []
    if incident.id in seen:
        problems.append(phrase("doctor.duplicate", path=path, id=incident.id, other=seen[incident.id]))
    seen[incident.id] = path.name
    resolved = incident.status == "resolved"
    expected = closed_file(incident.id) if resolved else OPEN_INCIDENTS
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
    plan = restore_journal(home)
    if plan is None:
        return []
    key = "doctor.restore_cut_short" if plan else "doctor.untrusted_restore"
    return [phrase(key, path=home / RESTORE_JOURNAL)]


def _open_to_others(home: Path) -> list[Phrase]:
    return [phrase("doctor.readable_by_others", path=path, mode=f"{mode:04o}")
            for path, mode, _ in too_open(home)]
