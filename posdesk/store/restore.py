"""Restoring a backup: every file or none, even over a database that cannot be read.

1. The backup is read and checked whole (`read_backup`); a refusal changes nothing.
2. Under the lock, the new files are written completely, and fsynced, into a staging folder in
   the data directory. If that fails (a full disk) the staging folder goes and nothing else was
   touched.
3. What can still be read of the current database is copied into a backup made before the
   restore, which the automatic rotation never removes.
4. A journal file names the switch: the copy made in 3, which damaged files move into the
   backups folder (renamed, so that it works on a full disk), which staged files replace the
   old ones, and which old files go. Then the switch is made (`switch`). A crash anywhere in it
   is finished by the next start (`finish_restore`, called by `Store`), so the database is never
   a mix of old and new; the journal is not trusted blindly either (see `journal`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posdesk.store.backup import BEFORE_RESTORE, bundle_of, read_backup, write_bundle
from posdesk.store.durable import (
    atomic_write_json, encode_json, ensure_folder, ensure_home, fsync_folder, write_new_file,
)
from posdesk.store.reading import read_json_tables
from posdesk.store.errors import CannotUse, CannotWrite, DamagedDatabase
from posdesk.store.journal import Journal, restore_journal
from posdesk.store.layout import BACKUP_FOLDER, DAMAGED_PREFIX, STAGING_PREFIX, is_database_name
from posdesk.store.locations import Locations
from posdesk.store.lock import DirectoryLock
from posdesk.store.modes import narrow
from posdesk.store.switch import (
    RestoreCutShort, RestoreLeft, finish_restore, forget_left, remove_stale_staging, set_aside,
    switch,
)


@dataclass(frozen=True)
class Restored:
    """What a restore did besides replacing the database."""

    kept: Path | None  # the copy of what it replaced (None: there was nothing to keep)
    damaged: tuple[Path, ...] = ()  # damaged files it moved into the backups folder
    left_out: tuple[str, ...] = ()  # incidents of the replaced database the backup lacks


def restore(locations: Locations, source: Path) -> Restored:
    """Replace the database with the backup `source`; needs no readable database."""
    files = read_backup(source)
    ensure_home(locations.home)
    with DirectoryLock.of(locations).held(write=True):
        finish_restore(locations)  # one cut short comes first
        remove_stale_staging(locations)
        readable, damaged = _current(locations)
        staging = _stage(locations, files)
        kept = None
        try:
            ensure_folder(locations.backups)
            if readable:
                kept = write_bundle(locations, bundle_of(readable, BEFORE_RESTORE))
            plan = {"staging": staging.name,
                    "kept": f"{BACKUP_FOLDER}/{kept.name}" if kept is not None else None,
                    "place": sorted(files), "aside": _aside_names(locations, damaged),
                    "remove": sorted(name for name in readable if name not in files)}
            atomic_write_json(locations.restore_journal, plan)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        left = switch(locations, plan)
        if left:  # nothing else holds the lock: only a folder changed under it does this
            set_aside(locations)
            raise RestoreLeft(locations, left)
        forget_left(locations)  # a restore left earlier is replaced by this one
    narrow(locations)  # the damaged files moved aside are the shop's records too
    left_out = sorted(_incident_ids(readable) - _incident_ids(files))
    return Restored(kept, tuple(locations.file(name) for name in plan["aside"].values()),
                    tuple(left_out))


def _incident_ids(files: dict[str, dict[str, Any]]) -> set[str]:
    """The ids of the incidents in a database's files (what an older backup would take away)."""
    return {record["id"] for tables in files.values()
            for record in tables.get("incidents", {}).values()
            if isinstance(record, dict) and isinstance(record.get("id"), str)}


def _current(locations: Locations) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The database files there now: the tables of those that read, the names of those not."""
    readable, damaged = {}, []
    try:
        names = sorted(os.listdir(locations.home))
    except OSError as error:
        raise CannotUse(locations.home, error) from None
    for name in names:
        if not is_database_name(name):
            continue
        try:
            tables = read_json_tables(locations.file(name))
        except DamagedDatabase:
            damaged.append(name)
            continue
        if tables is not None:
            readable[name] = tables
    return readable, damaged


def _stage(locations: Locations, files: dict[str, dict[str, Any]]) -> Path:
    """Every new file, complete and fsynced, in a new staging folder; on failure, nothing."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=locations.home))
    except OSError as error:
        raise CannotWrite(locations.home, error) from None
    try:
        for name, tables in files.items():
            write_new_file(staging / name, encode_json(tables), told_as=locations.file(name))
        fsync_folder(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _aside_names(locations: Locations, damaged: list[str]) -> dict[str, str]:
    """Where each damaged file goes: backups/damaged-YYYYMMDD-HHMMSS-NAME, never over another."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    names = {}
    for name in damaged:
        target, n = f"{DAMAGED_PREFIX}{stamp}-{name}", 1
        while (locations.backups / target).exists():
            n += 1
            target = f"{DAMAGED_PREFIX}{stamp}-{n}-{name}"
        names[name] = f"{BACKUP_FOLDER}/{target}"
    return names


__all__ = ["Journal", "Restored", "RestoreCutShort", "RestoreLeft", "finish_restore",
           "remove_stale_staging", "restore", "restore_journal"]
