"""Making backups: the whole database in one file (see `bundle`), before every migration,
once a day on start and on request, and the rotation of the daily ones."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from contextlib import AbstractContextManager
from typing import Any, Protocol

from posdesk.store.bundle import BadBackup, bundle_of, read_backup
from posdesk.store.durable import atomic_write_json, ensure_folder, ensure_home, read_json_tables
from posdesk.store.locations import Locations

KEEP_DAILY = 7
DAILY = "daily"
BEFORE_RESTORE = "before-restore"
NAMED_DAY = re.compile(r"posdesk-(\d{8})-", re.ASCII)  # the day a backup was made, by its name


class Store(Protocol):
    """What a backup needs of the Store (which makes one before it migrates, so this module
    does not import it)."""

    locations: Locations
    path: Path

    def reading(self) -> AbstractContextManager[Any]: ...

    def files(self) -> list[Path]: ...


def make_backup(store: Store, path: Path | None = None, reason: str = "manual") -> Path:
    """Copy every file of the database into one backup file; returns where it went."""
    return write_bundle(store.locations, backup_bundle(store, reason), path)


def backup_bundle(store: Store, reason: str = "manual") -> dict[str, Any]:
    """Every file of the database, read under the lock, as one backup."""
    with store.reading():
        files = {p.name: read_json_tables(p) for p in store.files()}
    return bundle_of({name: tables for name, tables in files.items() if tables is not None},
                     reason)


def write_bundle(locations: Locations, bundle: dict[str, Any], path: Path | None = None) -> Path:
    """Write a backup to `path`, or to the backups folder named for when and why."""
    if path is None:
        ensure_home(locations.home)
        ensure_folder(locations.backups)
        made = f"posdesk-{datetime.now():%Y%m%d-%H%M%S-%f}-{bundle['reason']}.json"
        path = locations.backups / made
    atomic_write_json(path, bundle)
    if bundle["reason"] == DAILY:
        _prune(path)
    return path


def daily_backup(store: Store) -> Path | None:
    """One automatic backup a day, made the first time posdesk starts that day; none while
    there is no database yet."""
    today = f"posdesk-{datetime.now():%Y%m%d}-"
    folder = store.locations.backups
    if not store.path.exists():
        return None
    if folder.is_dir() and any(p.name.startswith(today) for p in folder.glob("posdesk-*.json")):
        return None
    return make_backup(store, reason=DAILY)


def backups(locations: Locations) -> list[Path]:
    """The backups in the data directory, newest first."""
    folder = locations.backups
    return sorted(folder.glob("posdesk-*.json"), reverse=True) if folder.is_dir() else []


def backups_in_future(locations: Locations) -> list[Path]:
    """Backups named for a day after today, newest first: made with the clock ahead, or it is
    behind now."""
    tomorrow = f"{datetime.now() + timedelta(days=1):%Y%m%d}"
    return [p for p in backups(locations)
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


# The backup file's format is in `bundle`; these come with it for those who make and read one.
__all__ = ["BEFORE_RESTORE", "BadBackup", "backup_bundle", "backups", "backups_in_future",
           "bundle_of", "daily_backup", "make_backup", "read_backup", "write_bundle"]
