"""Checking a data directory without changing it: what is wrong, and where."""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from posdesk.i18n import Phrase, phrase
from posdesk.store.backup import backups_in_future
from posdesk.store.checks import (
    DUPLICATE, MISPLACED, OTHER_DAY, SETTING, UNREADABLE, Fault, problem_of, record_faults, shown_text,
)
from posdesk.store.durable import kind_of
from posdesk.store.reading import read_json_tables
from posdesk.store.errors import DamagedDatabase
from posdesk.store.journal import restore_journal
from posdesk.store.layout import (
    CLOSED_PATTERN, INCIDENTS, MOVE_JOURNAL, OPEN_INCIDENTS, SCHEMA_VERSION, trusted_move,
)
from posdesk.store.locations import Locations
from posdesk.store.modes import too_open

__all__ = ["Checkup", "examine", "problem_of", "record_problems", "shown_text"]


@dataclass
class Checkup:
    problems: list[Phrase] = field(default_factory=list)
    incidents: int = 0
    files: int = 0

    @property
    def healthy(self) -> bool:
        return not self.problems


def examine(locations: Locations) -> Checkup:
    """Read every file of the database and say what is wrong; nothing is written."""
    checkup = Checkup()
    checkup.problems += (_open_to_others(locations) + _in_the_way(locations)
                         + _restore_problems(locations) + _dated_ahead(locations))
    main = locations.database
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
        # A schema 1 database keeps its incidents here until the next start files them.
        checkup.problems += record_problems(
            main, tables, schema=schema if isinstance(schema, int) else SCHEMA_VERSION)
    seen: dict[str, str] = {}
    for path in sorted(locations.home.glob("incidents-*.json")):
        if path.name != OPEN_INCIDENTS and not CLOSED_PATTERN.match(path.name):
            continue
        checkup.files += 1
        try:
            incident_tables = read_json_tables(path) or {}
        except DamagedDatabase as error:
            checkup.problems.append(error.phrase)
            continue
        checkup.problems += record_problems(path, incident_tables, seen)
        checkup.incidents += len(incident_tables.get(INCIDENTS, {}))
    return checkup


def record_problems(path: Path, tables: dict[str, Any], seen: dict[str, str] | None = None,
                    schema: int = SCHEMA_VERSION) -> list[Phrase]:
    """One line for each record in a database file's `tables` that cannot be read: the file,
    what kind of record, its id (or its place in the table) and what is wrong. Settings that
    are left at their default are named too. `seen` collects incident ids across files."""
    seen = {} if seen is None else seen
    return [problem for fault in record_faults(path.name, tables, seen, schema)
            if (problem := _told(path, fault)) is not None]


def _told(path: Path, fault: Fault) -> Phrase | None:
    """"…/posdesk.json: terminal T2 cannot be read: name is not text."."""
    if fault.what == UNREADABLE and fault.given_id is not None:
        return phrase("doctor.bad_record", path=path, kind=phrase(fault.kind),
                      id=shown_text(fault.given_id), problem=fault.problem)
    if fault.what == UNREADABLE:
        return phrase("doctor.bad_record_at", path=path, kind=phrase(fault.kind),
                      n=shown_text(fault.key), problem=fault.problem)
    if fault.what == SETTING:
        return phrase("doctor.bad_setting", path=path, problem=fault.problem)
    if fault.what == DUPLICATE:
        return phrase("doctor.duplicate", path=path, id=fault.given_id, other=fault.other)
    if fault.what == MISPLACED:
        return phrase("doctor.misplaced", path=path, id=fault.given_id, expected=fault.other)
    if fault.what == OTHER_DAY:
        return phrase("doctor.other_day", path=path, id=fault.given_id, opened=fault.other)
    return None  # a terminal id twice: restore refuses it; reading keeps the first


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


def _restore_problems(locations: Locations) -> list[Phrase]:
    """A restore journal: one the next start finishes, one never acted on, or one a start
    could not finish, with the files it left as they were."""
    problems = []
    for path in (locations.restore_journal, locations.restore_left):
        journal = restore_journal(locations, path)
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


def _in_the_way(locations: Locations) -> list[Phrase]:
    """What is in posdesk's way though every file reads: a lock file it cannot use (a link, a
    folder: every change stops), a backups or reports folder that is a link or no folder."""
    problems = []
    for path, wanted, key in ((locations.lock, stat.S_IFREG, "doctor.lock_in_the_way"),
                              (locations.backups, stat.S_IFDIR, "doctor.folder_in_the_way"),
                              (locations.reports, stat.S_IFDIR, "doctor.folder_in_the_way")):
        found = kind_of(path)
        if found and found != wanted:
            problems.append(phrase(key, path=path))
    return problems


def _dated_ahead(locations: Locations) -> list[Phrase]:
    ahead = backups_in_future(locations)
    if not ahead:
        return []
    return [phrase("doctor.backups_ahead", folder=locations.backups, count=len(ahead),
                   name=ahead[0].name)]


def _open_to_others(locations: Locations) -> list[Phrase]:
    return [phrase("doctor.readable_by_others", path=path, mode=f"{mode:04o}")
            for path, mode, _ in too_open(locations)]
