"""Restoring a backup: every file or none, even over a database that cannot be read.

1. The backup is read and checked whole (`read_backup`); a refusal changes nothing.
2. Under the lock, the new files are written completely, and fsynced, into a staging folder in
   the data directory. If that fails (a full disk) the staging folder goes and nothing else was
   touched.
3. What can still be read of the current database is copied into a backup made before the
   restore, which the automatic rotation never removes.
4. A journal file names the switch: which damaged files move into the backups folder (renamed,
   so that it works on a full disk), which staged files replace the old ones, and which old
   files go. Then the switch is made. A crash anywhere in it is finished by the next start
   (`finish_restore`, called by `Store`), so the database is never a mix of old and new.

The journal is a file in the data directory and so not trusted blindly either: it is acted on
only if every name in it is one this module could have written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posdesk.i18n import phrase
from posdesk.store.backup import BEFORE_RESTORE, bundle_of, read_backup, write_bundle
from posdesk.store.durable import (
    atomic_write_json, encode_json, ensure_folder, ensure_home, fsync_folder, read_json_tables,
    write_new_file,
)
from posdesk.store.errors import CannotUse, CannotWrite, DamagedDatabase, StoreError, os_reason
from posdesk.store.layout import (
    BACKUP_FOLDER, DAMAGED_PREFIX, RESTORE_JOURNAL, STAGING_PREFIX, is_database_name,
)
from posdesk.store.lock import DirectoryLock
from posdesk.store.modes import narrow

STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"[A-Za-z0-9_]+", re.ASCII)


class RestoreCutShort(StoreError):
    """The switch stopped half-way (the system refused a rename); the next start finishes it."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(phrase("backup.switch_stopped", path=path, reason=os_reason(error)))


@dataclass(frozen=True)
class Restored:
    """What a restore did besides replacing the database."""

    kept: Path | None  # the copy of what it replaced (None: there was nothing to keep)
    damaged: tuple[Path, ...] = ()  # damaged files it moved into the backups folder
    left_out: tuple[str, ...] = ()  # incidents of the replaced database the backup lacks


def restore(home: Path, source: Path) -> Restored:
    """Replace the database in `home` with the backup `source`; needs no readable database."""
    files = read_backup(source)
    ensure_home(home)
    with DirectoryLock.of(home).held(write=True):
        finish_restore(home)  # one cut short comes first
        remove_stale_staging(home)
        readable, damaged = _current(home)
        staging = _stage(home, files)
        kept = None
        try:
            ensure_folder(home / BACKUP_FOLDER)
            if readable:
                kept = write_bundle(home, bundle_of(readable, BEFORE_RESTORE))
            plan = {"staging": staging.name, "place": sorted(files),
                    "aside": _aside_names(home, damaged),
                    "remove": sorted(name for name in readable if name not in files)}
            atomic_write_json(home / RESTORE_JOURNAL, plan)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        _switch(home, plan)
    narrow(home)  # the damaged files moved aside are the shop's records too
    left_out = sorted(_incident_ids(readable) - _incident_ids(files))
    return Restored(kept, tuple(home / name for name in plan["aside"].values()), tuple(left_out))


def _incident_ids(files: dict[str, dict[str, Any]]) -> set[str]:
    """The ids of the incidents in a database's files (what an older backup would take away)."""
    return {record["id"] for tables in files.values()
            for record in tables.get("incidents", {}).values()
            if isinstance(record, dict) and isinstance(record.get("id"), str)}


def _current(home: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The database files there now: the tables of those that read, the names of those not."""
    readable, damaged = {}, []
    try:
        names = sorted(os.listdir(home))
    except OSError as error:
        raise CannotUse(home, error) from None
    for name in names:
        if not is_database_name(name):
            continue
        try:
            tables = read_json_tables(home / name)
        except DamagedDatabase:
            damaged.append(name)
            continue
        if tables is not None:
            readable[name] = tables
    return readable, damaged


def _stage(home: Path, files: dict[str, dict[str, Any]]) -> Path:
    """Every new file, complete and fsynced, in a new staging folder; on failure, nothing."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=home))
    except OSError as error:
        raise CannotWrite(home, error) from None
    try:
        for name, tables in files.items():
            write_new_file(staging / name, encode_json(tables), told_as=home / name)
        fsync_folder(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _aside_names(home: Path, damaged: list[str]) -> dict[str, str]:
    """Where each damaged file goes: backups/damaged-YYYYMMDD-HHMMSS-NAME, never over another."""
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    names = {}
    for name in damaged:
        target, n = f"{DAMAGED_PREFIX}{stamp}-{name}", 1
        while (home / BACKUP_FOLDER / target).exists():
            n += 1
            target = f"{DAMAGED_PREFIX}{stamp}-{n}-{name}"
        names[name] = f"{BACKUP_FOLDER}/{target}"
    return names


def _switch(home: Path, plan: dict[str, Any]) -> None:
    """Make the switch the journal names. Each step can be done again after a crash: damaged
    files are moved aside before anything is placed, a staged file that is gone was placed."""
    staging = home / plan["staging"]
    step = home
    try:
        for name, aside in plan["aside"].items():
            step = home / name
            if os.path.lexists(step) and not os.path.lexists(home / aside):
                os.rename(step, home / aside)
        fsync_folder(home / BACKUP_FOLDER)
        for name in plan["place"]:
            step = home / name
            if os.path.lexists(staging / name):
                os.replace(staging / name, step)
        for name in plan["remove"]:
            step = home / name
            step.unlink(missing_ok=True)
        fsync_folder(home)
        step = staging
        shutil.rmtree(staging, ignore_errors=True)
        step = home / RESTORE_JOURNAL
        step.unlink(missing_ok=True)
        fsync_folder(home)
    except OSError as error:
        raise RestoreCutShort(step, error) from None
    except CannotWrite as error:  # a folder that would not sync
        raise RestoreCutShort(error.path, OSError(error.errno, "")) from None


def finish_restore(home: Path) -> bool:
    """Finish a restore a crash cut short; whether there was one. Call with the lock held."""
    plan = restore_journal(home)
    if not plan:
        return False
    _switch(home, plan)
    return True


def restore_journal(home: Path) -> dict[str, Any] | bool | None:
    """The switch a restore journal names; None when there is none, False when it names
    anything this module would not have written (it is then never acted on)."""
    journal = home / RESTORE_JOURNAL
    if not os.path.lexists(journal):
        return None
    try:
        if journal.is_symlink():
            return False
        plan = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return plan if _trusted_plan(plan) else False


def _trusted_plan(plan: Any) -> bool:
    if not isinstance(plan, dict):
        return False
    staging, place, aside, remove = (plan.get(k) for k in ("staging", "place", "aside", "remove"))
    if not (isinstance(staging, str) and STAGING_NAME.fullmatch(staging)):
        return False
    if not (isinstance(place, list) and isinstance(remove, list) and isinstance(aside, dict)):
        return False
    names = [*place, *remove, *aside]
    if not all(isinstance(name, str) and is_database_name(name) for name in names):
        return False
    return not set(place) & set(remove) and all(
        isinstance(target, str) and re.fullmatch(
            rf"{BACKUP_FOLDER}/{DAMAGED_PREFIX}\d{{8}}-\d{{6}}(-\d+)?-{re.escape(name)}",
            target, re.ASCII)
        for name, target in aside.items())


def remove_stale_staging(home: Path) -> None:
    """Staging folders a restore killed before its journal was written; call with the lock."""
    plan = restore_journal(home)
    keep = plan.get("staging") if isinstance(plan, dict) else None
    try:
        names = os.listdir(home)
    except OSError:
        return
    for name in names:
        if STAGING_NAME.fullmatch(name) and name != keep and not os.path.islink(home / name):
            shutil.rmtree(home / name, ignore_errors=True)


__all__ = ["Restored", "RestoreCutShort", "finish_restore", "remove_stale_staging", "restore",
           "restore_journal"]
