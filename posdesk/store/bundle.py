"""The backup file: the whole database in one JSON object, and reading one back, which returns
its files only when every file name, journal entry and record in it is one posdesk could have
written (making backups is `posdesk.store.backup`; restoring one, `posdesk.store.restore`)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from posdesk import privacy
from posdesk.i18n import phrase
from posdesk.store.checks import (
    DUPLICATE, MISPLACED, OTHER_DAY, SETTING, TERMINAL_TWICE, Fault, record_faults,
)
from posdesk.store.reading import NotRegularFile, TooBig, read_regular, shown_key
from posdesk.store.errors import StoreError, os_reason
from posdesk.store.layout import (
    DATABASE_NAME, INCIDENTS, MOVE_JOURNAL, OPEN_INCIDENTS, SCHEMA_VERSION, is_database_name,
    is_document_key, trusted_move,
)

FORMAT = "posdesk-backup"
# The most read of a file given to restore: a shop's years of records are a few megabytes.
SIZE_LIMIT = 1 << 30
SIZE_LIMIT_SHOWN = "1 GiB"


class BadBackup(StoreError):
    """A file that cannot be restored from; the message says why. Nothing was changed."""


def empty_database() -> dict[str, dict[str, Any]]:
    return {"_meta": {"1": {"schema": SCHEMA_VERSION}}}


def bundle_of(files: dict[str, dict[str, Any]], reason: str) -> dict[str, Any]:
    """A backup of `files`. It always holds a posdesk.json, so it can be restored: an empty one
    when there was none yet or it could not be read (a damaged one is kept beside it)."""
    files = {DATABASE_NAME: empty_database(), **files}
    schema = files[DATABASE_NAME].get("_meta", {}).get("1", {}).get("schema")
    return {"format": FORMAT, "schema": schema if type(schema) is int else SCHEMA_VERSION,
            "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "reason": reason, "files": files}


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
    its status belongs in; terminals have ids T1, T2, … each once (`checks`). A setting that
    is not what it should be is no refusal: it is left at its default, as on any start."""
    seen: dict[str, str] = {}
    for name, tables in files.items():
        for fault in record_faults(name, tables, seen, schema):
            if fault.what != SETTING:
                raise _refusal(source, name, fault)
        if name != DATABASE_NAME:  # the flag the store files incidents by, said again
            for record in tables.get(INCIDENTS, {}).values():
                record["closed"] = name != OPEN_INCIDENTS


def _refusal(source: Path, name: str, fault: Fault) -> BadBackup:
    if fault.what == DUPLICATE:
        return BadBackup(phrase("backup.duplicate", path=source, record=fault.given_id,
                                name=fault.other, other=name))
    if fault.what == MISPLACED:
        return BadBackup(phrase("backup.misplaced", path=source, record=fault.given_id,
                                name=name, expected=fault.other))
    if fault.what == OTHER_DAY:
        return BadBackup(phrase("backup.other_day", path=source, record=fault.given_id,
                                name=name, opened=fault.other))
    if fault.table == INCIDENTS and fault.given_id is not None:
        label = fault.given_id[:40]
    else:
        label = f"{fault.table} #{fault.key}"
    reason = phrase("backup.reason.id") if fault.what == TERMINAL_TWICE else fault.problem
    return BadBackup(phrase("backup.bad_record", path=source, name=name, record=label,
                            reason=reason))


def _is_tables(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values())
