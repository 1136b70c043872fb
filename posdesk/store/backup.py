"""Backups: the whole database in one JSON file, made before every migration, once a day on
start and on request; read back only when every file name, journal entry and record in it is
one posdesk could have written (restoring it is `posdesk.store.restore`)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posdesk import privacy
from posdesk.i18n import Phrase, phrase, record_problem
from posdesk.models import (
    BadRecord, Incident, IncidentId, RoutineEntry, Settings, Terminal, is_terminal_id,
)
from posdesk.store.durable import (
    NotRegularFile, TooBig, atomic_write_json, ensure_folder, ensure_home, read_json_tables,
    read_regular, shown_key,
)
from posdesk.store.errors import StoreError, os_reason
from posdesk.store.layout import (
    BACKUP_FOLDER, DATABASE_NAME, MOVE_JOURNAL, SCHEMA_VERSION, incident_file,
    is_database_name, is_document_key, trusted_move,
)

if TYPE_CHECKING:
    from posdesk.store import Store

FORMAT = "posdesk-backup"
KEEP_DAILY = 7
DAILY = "daily"
BEFORE_RESTORE = "before-restore"
INCIDENTS = "incidents"
# The record tables of posdesk.json and the model each record must build.
MODELS: dict[str, Any] = {"terminals": Terminal, "routine_log": RoutineEntry, "settings": Settings}
# What a model raises for a record it cannot build.
BUILD_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError)
# The most read of a file given to restore: a shop's years of records are a few megabytes.
SIZE_LIMIT = 1 << 30
SIZE_LIMIT_SHOWN = "1 GiB"
NAMED_DAY = re.compile(r"posdesk-(\d{8})-", re.ASCII)  # the day a backup was made, by its name


class BadBackup(StoreError):
    """A file that cannot be restored from; the message says why. Nothing was changed."""


def empty_database() -> dict[str, dict[str, Any]]:
    return {"_meta": {"1": {"schema": SCHEMA_VERSION}}}


def make_backup(store: Store, path: Path | None = None, reason: str = "manual") -> Path:
    """Copy every file of the database into one backup file; returns where it went."""
    return write_bundle(store.home, backup_bundle(store, reason), path)


def backup_bundle(store: Store, reason: str = "manual") -> dict[str, Any]:
    """Every file of the database, read under the lock, as one backup."""
    with store.reading():
        files = {p.name: read_json_tables(p) for p in store.files()}
    return bundle_of({name: tables for name, tables in files.items() if tables is not None},
                     reason)


def bundle_of(files: dict[str, dict[str, Any]], reason: str) -> dict[str, Any]:
    """A backup of `files`. It always holds a posdesk.json, so it can be restored: an empty one
    when there was none yet or it could not be read (a damaged one is kept beside it)."""
    files = {DATABASE_NAME: empty_database(), **files}
    schema = files[DATABASE_NAME].get("_meta", {}).get("1", {}).get("schema")
    return {"format": FORMAT, "schema": schema if type(schema) is int else SCHEMA_VERSION,
            "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "reason": reason, "files": files}


def write_bundle(home: Path, bundle: dict[str, Any], path: Path | None = None) -> Path:
    """Write a backup to `path`, or to the backups folder named for when and why."""
    if path is None:
        ensure_home(home)
        folder = home / BACKUP_FOLDER
        ensure_folder(folder)
        path = folder / f"posdesk-{datetime.now():%Y%m%d-%H%M%S-%f}-{bundle['reason']}.json"
    atomic_write_json(path, bundle)
    if bundle["reason"] == DAILY:
        _prune(path)
    return path


def daily_backup(store: Store) -> Path | None:
    """One automatic backup a day, made the first time posdesk starts that day; none while
    there is no database yet."""
    today = f"posdesk-{datetime.now():%Y%m%d}-"
    folder = store.home / BACKUP_FOLDER
    if not store.path.exists():
        return None
    if folder.is_dir() and any(p.name.startswith(today) for p in folder.glob("posdesk-*.json")):
        return None
    return make_backup(store, reason=DAILY)


def backups(home: Path) -> list[Path]:
    """The backups in the data directory, newest first."""
    folder = home / BACKUP_FOLDER
    return sorted(folder.glob("posdesk-*.json"), reverse=True) if folder.is_dir() else []


def backups_in_future(home: Path) -> list[Path]:
    """Backups named for a day after today, newest first: made with the clock ahead, or it is
    behind now."""
    tomorrow = f"{datetime.now() + timedelta(days=1):%Y%m%d}"
    return [p for p in backups(home)
            if (day := NAMED_DAY.match(p.name)) is not None and day[1] >= tomorrow]


def _prune(made: Path) -> None:
    """Keep the last few daily backups. Only daily ones go: the copies made before a restore or
    a migration, and the ones asked for, stay until the shop removes them. While any daily
    backup is named later than the one just made, the clock is behind (or was ahead): which
    are old cannot be told from their names, so none goes (doctor says so)."""
    others = sorted(p for p in made.parent.glob(f"posdesk-*-{DAILY}.json") if p != made)
    if any(p.name > made.name for p in others):
        return
    for old in others[:max(0, len(others) - (KEEP_DAILY - 1))]:
        try:
            old.unlink(missing_ok=True)
        except OSError:
            pass  # one left over is no reason to fail the backup just made


# Reading a backup back


def read_backup(path: Path) -> dict[str, dict[str, Any]]:
    """The files a backup holds, checked and cleaned; a bare posdesk.json is accepted as well.

    Every file name, the schema, every move journal entry and every record is checked before
    anything is returned, and every text is cleaned as if just typed (controls removed, card
    numbers masked). The move journal is settled here: a backup is restored as files that need
    nothing finished. BadBackup says, in one line, what is wrong and where.
    """
    path = Path(path)
    data = _load(path)
    if isinstance(data, dict) and data.get("format") == FORMAT:
        files = data.get("files")
    elif isinstance(data, dict) and "_meta" in data:
        files = {DATABASE_NAME: data}  # a database file copied by hand
    else:
        raise BadBackup(phrase("backup.not_posdesk", path=path))
    if not isinstance(files, dict) or DATABASE_NAME not in files:
        raise BadBackup(phrase("backup.no_database", path=path))
    for name, tables in files.items():
        if not is_database_name(name):
            raise BadBackup(phrase("backup.unknown_file", path=path,
                                   name=privacy.clean(name).text))
        if not _is_tables(tables):
            raise BadBackup(phrase("backup.bad_shape", path=path, name=name))
        for table, documents in tables.items():
            for key in documents:
                if not is_document_key(key):
                    raise BadBackup(phrase("backup.bad_key", path=path, name=name,
                                           number=shown_key(key), table=shown_key(table)))
    schema = files[DATABASE_NAME].get("_meta", {}).get("1", {}).get("schema")
    if type(schema) is not int or schema < 1:
        raise BadBackup(phrase("backup.no_schema", path=path))
    if schema > SCHEMA_VERSION:
        raise BadBackup(phrase("backup.too_new", path=path, found=schema))
    try:
        cleaned = privacy.clean_stored(files)
        _check_keys_kept(path, files, cleaned)
        files = cleaned
        _settle_moves(path, files)
        _check_records(path, files, schema)
    except RecursionError:
        raise BadBackup(phrase("backup.too_deep", path=path)) from None
    return files


def _load(path: Path) -> Any:
    try:
        raw = read_regular(path, SIZE_LIMIT)
    except FileNotFoundError:
        raise BadBackup(phrase("backup.missing", path=path)) from None
    except IsADirectoryError:
        raise BadBackup(phrase("backup.folder", path=path)) from None
    except OSError as error:
        raise BadBackup(phrase("backup.unreadable", path=path, error=os_reason(error))) from None
    except NotRegularFile:
        raise BadBackup(phrase("backup.not_regular", path=path)) from None
    except TooBig:
        raise BadBackup(phrase("backup.too_big", path=path, limit=SIZE_LIMIT_SHOWN)) from None
    if not raw.strip():
        raise BadBackup(phrase("backup.empty", path=path))
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadBackup(phrase("backup.not_utf8", path=path)) from None
    except json.JSONDecodeError as error:
        raise BadBackup(phrase("backup.not_json", path=path, line=error.lineno)) from None
    except ValueError:  # a number beyond Python's 4,300 digits, or anything else json refuses
        raise BadBackup(phrase("backup.unreadable_value", path=path)) from None
    except RecursionError:
        raise BadBackup(phrase("backup.too_deep", path=path)) from None


def _check_keys_kept(source: Path, files: dict[str, Any], cleaned: dict[str, Any]) -> None:
    """Refuse a backup in which two keys of one object become the same key once cleaned
    ("a" and "a\x00"): one of the two would be lost without a word."""
    for name, tables in files.items():
        label = _keys_lost(tables, cleaned[name], name)
        if label is not None:
            raise BadBackup(phrase("backup.keys_collide", path=source, name=name, record=label))


def _keys_lost(raw: Any, cleaned: Any, label: str) -> str | None:
    """Where, under `label`, an object lost keys in cleaning; None when none did."""
    if raw is cleaned:  # nothing in it changed
        return None
    if isinstance(raw, dict):
        if len(cleaned) != len(raw):
            return label
        for (key, item), kept in zip(raw.items(), cleaned.values()):
            found = _keys_lost(item, kept, f"{label} › {shown_key(key)}")
            if found is not None:
                return found
    elif isinstance(raw, list):
        for n, (item, kept) in enumerate(zip(raw, cleaned)):
            found = _keys_lost(item, kept, f"{label}[{n}]")
            if found is not None:
                return found
    return None


def _settle_moves(source: Path, files: dict[str, dict[str, Any]]) -> None:
    """Finish, in memory, a move the backup's journal names, and drop the journal; an entry
    that is not a move posdesk could have made refuses the whole backup."""
    journal = files[DATABASE_NAME].pop(MOVE_JOURNAL, {})
    for key, entry in journal.items():
        if not trusted_move(entry):
            raise BadBackup(phrase("backup.bad_move", path=source, name=DATABASE_NAME,
                                   record=f"{MOVE_JOURNAL} #{key}"))
    for entry in journal.values():
        arrived = files.get(entry["to"], {}).get(INCIDENTS, {})
        if any(doc.get("id") == entry["id"] for doc in arrived.values()):
            left = files.get(entry["from"], {}).get(INCIDENTS, {})
            for key in [k for k, doc in left.items() if doc.get("id") == entry["id"]]:
                del left[key]


def _check_records(source: Path, files: dict[str, dict[str, Any]], schema: int) -> None:
    """Every record builds its model; incidents have posdesk's ids, each once, each in the file
    its status belongs in; terminals have ids T1, T2, … each once."""
    seen: dict[str, str] = {}
    for name, tables in files.items():
        for key, record in tables.get(INCIDENTS, {}).items():
            _check_incident(source, name, key, record, seen, schema)
        if name != DATABASE_NAME:
            continue
        for table, model in MODELS.items():
            terminal_ids: set[str] = set()
            for key, record in tables.get(table, {}).items():
                label = f"{table} #{key}"
                _build(source, name, label, model, record)
                if table == "terminals":
                    terminal_id = record["id"]
                    if not is_terminal_id(terminal_id) or terminal_id in terminal_ids:
                        raise _bad(source, name, label, phrase("backup.reason.id"))
                    terminal_ids.add(terminal_id)


def _check_incident(source: Path, name: str, key: str, record: dict[str, Any],
                    seen: dict[str, str], schema: int) -> None:
    found_id = record.get("id")
    label = found_id[:40] if isinstance(found_id, str) and found_id else f"{INCIDENTS} #{key}"
    incident = _build(source, name, label, Incident, record)
    try:
        resolved = incident.resolved
        incident.opened_at  # noqa: B018 - an incident without events has no opening
    except BUILD_ERRORS as error:
        raise _bad(source, name, label, _reason(error)) from None
    if not IncidentId.is_valid(incident.id):
        raise _bad(source, name, label, phrase("backup.reason.id"))
    if incident.id in seen:
        raise BadBackup(phrase("backup.duplicate", path=source, record=incident.id,
                               name=seen[incident.id], other=name))
    seen[incident.id] = name
    if name == DATABASE_NAME and schema < 2:
        return  # schema 1 kept every incident here; the migration files them
    expected = incident_file(incident.id, resolved)
    if name != expected:
        raise BadBackup(phrase("backup.misplaced", path=source, record=incident.id, name=name,
                               expected=expected))
    record["closed"] = resolved  # the flag the store files it by, said again


def _build(source: Path, name: str, label: str, model: Any, record: dict[str, Any]) -> Any:
    try:
        return model.from_dict(record)
    except BUILD_ERRORS as error:
        raise _bad(source, name, label, _reason(error)) from None


def _bad(source: Path, name: str, label: str, reason: Phrase) -> BadBackup:
    return BadBackup(phrase("backup.bad_record", path=source, name=name, record=label,
                            reason=reason))


def _reason(error: Exception) -> Phrase:
    if isinstance(error, BadRecord):
        return record_problem(error)
    if isinstance(error, KeyError):
        return phrase("backup.reason.missing", field=privacy.clean(str(error)).text[:60])
    return phrase("backup.reason.invalid", error=privacy.clean(str(error)).text[:80])


def _is_tables(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values())


__all__ = ["BadBackup", "backup_bundle", "backups", "backups_in_future", "bundle_of",
           "daily_backup", "make_backup", "read_backup", "write_bundle"]
