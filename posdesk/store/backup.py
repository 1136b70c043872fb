"""Backups: the whole database in one JSON file, made before every migration, once a day on
start and on request; restored only from a file that is a valid posdesk database."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posdesk.i18n import ToldError, phrase
from posdesk.store.durable import atomic_write_json, read_json_tables
from posdesk.store.layout import (
    BACKUP_FOLDER, CLOSED_PATTERN, DATABASE_NAME, OPEN_INCIDENTS, SCHEMA_VERSION,
)

if TYPE_CHECKING:
    from posdesk.store import Store

FORMAT = "posdesk-backup"
KEEP_AUTOMATIC = 7


class BadBackup(ToldError):
    """A file that cannot be restored from; the message says why. Nothing was changed."""


def make_backup(store: Store, path: Path | None = None, reason: str = "manual") -> Path:
    """Copy every file of the database into one backup file; returns where it went."""
    with store.transaction():
        files = {p.name: read_json_tables(p) for p in store.files()}
        schema = (files.get(store.path.name) or {}).get("_meta", {}).get("1", {}).get("schema")
    bundle = {"format": FORMAT, "schema": schema or SCHEMA_VERSION,
              "made_at": datetime.now().astimezone().isoformat(timespec="seconds"),
              "reason": reason, "files": {k: v for k, v in files.items() if v is not None}}
    if path is None:
        folder = store.home / BACKUP_FOLDER
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / f"posdesk-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.json"
    atomic_write_json(path, bundle)
    if reason != "manual":
        _prune(store.home / BACKUP_FOLDER)
    return path


def daily_backup(store: Store) -> Path | None:
    """One automatic backup a day, made the first time posdesk starts that day."""
    today = f"posdesk-{datetime.now():%Y%m%d}-"
    folder = store.home / BACKUP_FOLDER
    if folder.is_dir() and any(p.name.startswith(today) for p in folder.glob("posdesk-*.json")):
        return None
    return make_backup(store, reason="daily")


def backups(home: Path) -> list[Path]:
    """The backups in the data directory, newest first."""
    folder = home / BACKUP_FOLDER
    return sorted(folder.glob("posdesk-*.json"), reverse=True) if folder.is_dir() else []


def _prune(folder: Path) -> None:
    """Keep the last few automatic backups; the ones asked for by name are never removed."""
    automatic = sorted(p for p in folder.glob("posdesk-*.json") if not p.stem.endswith("-manual"))
    for old in automatic[:-KEEP_AUTOMATIC]:
        old.unlink(missing_ok=True)


def read_backup(path: Path) -> dict[str, dict[str, Any]]:
    """The files a backup holds, checked; a bare posdesk.json is accepted as well."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadBackup(phrase("backup.missing", path=path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadBackup(phrase("backup.unreadable", path=path, error=error)) from None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        files = data.get("files")
    elif isinstance(data, dict) and "_meta" in data:
        files = {DATABASE_NAME: data}  # a database file copied by hand
    else:
        raise BadBackup(phrase("backup.not_posdesk", path=path))
    if not isinstance(files, dict) or DATABASE_NAME not in files:
        raise BadBackup(phrase("backup.no_database", path=path))
    for name, tables in files.items():
        if name != DATABASE_NAME and name != OPEN_INCIDENTS and not CLOSED_PATTERN.match(name):
            raise BadBackup(phrase("backup.unknown_file", path=path, name=name))
        if not _is_tables(tables):
            raise BadBackup(phrase("backup.bad_shape", path=path, name=name))
    schema = files[DATABASE_NAME].get("_meta", {}).get("1", {}).get("schema")
    if not isinstance(schema, int):
        raise BadBackup(phrase("backup.no_schema", path=path))
    if schema > SCHEMA_VERSION:
        raise BadBackup(phrase("backup.too_new", path=path, found=schema))
    return files


def restore(store: Store, path: Path) -> Path:
    """Replace the database with a backup; returns the backup of what was replaced."""
    files = read_backup(path)
    kept = make_backup(store, reason="before-restore")
    with store.transaction():
        for name, tables in files.items():
            atomic_write_json(store.home / name, tables)
        for existing in store.files():
            if existing.name not in files:
                existing.unlink()
    return kept


def _is_tables(data: Any) -> bool:
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values())


__all__ = ["BadBackup", "backups", "daily_backup", "make_backup",
           "read_backup", "restore"]
