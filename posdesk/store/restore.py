"""Restoring a backup: every file or none, even over a database that cannot be read.

1. The backup is read and checked whole (`read_backup`); a refusal changes nothing.
2. Under the lock, the new files are written completely, and fsynced, into a staging folder in
   the data directory. If that fails (a full disk) the staging folder goes and nothing else was
   touched.
3. What can still be read of the current database is copied into a backup made before the
   restore, which the automatic rotation never removes.
4. A journal file names the switch: the copy made in 3, which damaged files move into the
   backups folder (renamed, so that it works on a full disk), which staged files replace the
   old ones, and which old files go. Then the switch is made. A crash anywhere in it is finished
   by the next start (`finish_restore`, called by `Store`), so the database is never a mix of
   old and new.

The journal is a file in the data directory and so not trusted blindly either. One that names
anything this module would not have written (a staging folder that is a link, a name outside
the data directory) is never acted on. Each step of one that is trusted is made only where a
restore's would be: a file goes, or is replaced while it can be read, only while the copy made
before the restore is in the backups folder; only a file that cannot be read is put aside,
only into a real backups folder; only a regular file in a real staging folder is placed. What
the next start cannot finish is left as it is, the journal is set aside as `RESTORE_LEFT` (never
acted on again, so that a later start never undoes a change made since) and doctor names what
was left; the records open as they are.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posdesk.i18n import phrase
from posdesk.store.backup import (
    BEFORE_RESTORE, FORMAT, SIZE_LIMIT, bundle_of, read_backup, write_bundle,
)
from posdesk.store.durable import (
    NotRegularFile, TooBig, atomic_write_json, encode_json, ensure_folder, ensure_home,
    fsync_folder, is_real_folder, kind_of, read_json_tables, read_regular, write_new_file,
)
from posdesk.store.errors import CannotUse, CannotWrite, DamagedDatabase, StoreError, os_reason
from posdesk.store.layout import (
    BACKUP_FOLDER, DAMAGED_PREFIX, DATABASE_NAME, RESTORE_JOURNAL, RESTORE_LEFT, STAGING_PREFIX,
    is_database_name,
)
from posdesk.store.lock import DirectoryLock
from posdesk.store.modes import narrow

STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"[A-Za-z0-9_]+", re.ASCII)
# The copy made before a restore, as write_bundle names it in the backups folder.
KEPT_NAME = re.compile(
    rf"{BACKUP_FOLDER}/posdesk-\d{{8}}-\d{{6}}-\d{{6}}-{BEFORE_RESTORE}\.json", re.ASCII)
JOURNAL_LIMIT = 1 << 20  # a journal names a few files: anything larger was not written here


class RestoreCutShort(StoreError):
    """The switch stopped half-way (the system refused a rename); the next start finishes it."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(phrase("backup.switch_stopped", path=path, reason=os_reason(error)))


class RestoreLeft(StoreError):
    """The switch could not replace or remove some files safely and left them as they were."""

    def __init__(self, home: Path, left: list[str]) -> None:
        super().__init__(phrase("backup.switch_left", names=", ".join(left),
                                path=home / RESTORE_LEFT))


@dataclass(frozen=True)
class Restored:
    """What a restore did besides replacing the database."""

    kept: Path | None  # the copy of what it replaced (None: there was nothing to keep)
    damaged: tuple[Path, ...] = ()  # damaged files it moved into the backups folder
    left_out: tuple[str, ...] = ()  # incidents of the replaced database the backup lacks


@dataclass(frozen=True)
class Journal:
    """A restore journal found in the data directory."""

    path: Path
    plan: dict[str, Any] | None  # the switch it names; None when it is not to be trusted

    @property
    def to_finish(self) -> bool:
        """Whether the next start finishes it: trusted, and not set aside as left."""
        return self.plan is not None and self.path.name == RESTORE_JOURNAL

    def unfinished(self) -> list[str]:
        """The files of the database the switch has not yet put aside, placed or removed."""
        if self.plan is None:
            return []
        aside, rest, left = _steps(self.path.parent, self.plan)
        return sorted({name for name, _, _ in aside + rest} | set(left))

    def would_leave(self) -> list[str]:
        """The files finishing it would leave as they are, as things stand."""
        return [] if self.plan is None else sorted(_steps(self.path.parent, self.plan)[2])


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
            plan = {"staging": staging.name,
                    "kept": f"{BACKUP_FOLDER}/{kept.name}" if kept is not None else None,
                    "place": sorted(files), "aside": _aside_names(home, damaged),
                    "remove": sorted(name for name in readable if name not in files)}
            atomic_write_json(home / RESTORE_JOURNAL, plan)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            if kept is not None:
                kept.unlink(missing_ok=True)
            raise
        left = _switch(home, plan)
        if left:  # nothing else holds the lock: only a folder changed under it does this
            _set_aside(home)
            raise RestoreLeft(home, left)
        _forget_left(home)  # a restore left earlier is replaced by this one
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


# One step of a switch: the database file it is about, what moves, and where (None: it goes).
Step = tuple[str, Path, Path | None]


def _steps(home: Path, plan: dict[str, Any]) -> tuple[list[Step], list[Step], list[str]]:
    """What the switch a journal names still has to do, each step only where a restore's would
    be (see the module's doc): the damaged files to put aside, then the staged files to place
    and the old files to remove; and the names of the files it must leave as they are."""
    staging = home / plan["staging"]
    backups_folder = is_real_folder(home / BACKUP_FOLDER)
    # What the copy made before the restore holds: only a file it holds may be replaced or
    # removed (a journal planted beside a "copy" that holds nothing removes nothing).
    kept = _held(home / plan["kept"]) if plan["kept"] is not None and backups_folder else set()
    aside: list[Step] = []
    rest: list[Step] = []
    left: list[str] = []
    for name, target in plan["aside"].items():
        if not os.path.lexists(home / name) or os.path.lexists(home / target):
            continue  # put aside already
        if backups_folder and _is_damaged(home / name):
            aside.append((name, home / name, home / target))
        else:
            left.append(name)
    going = {name for name, _, _ in aside}
    for name in plan["place"] if is_real_folder(staging) else ():
        source, target = staging / name, home / name
        if not os.path.lexists(source):
            continue  # placed already
        if kind_of(source) == stat.S_IFREG and (
                name in going or not os.path.lexists(target)
                or name in kept and not _is_damaged(target)):
            rest.append((name, source, target))
        else:
            left.append(name)
    for name in plan["remove"]:
        if not os.path.lexists(home / name):
            continue
        if name in kept and not left:  # all placed: the database is the backup's but these
            rest.append((name, home / name, None))
        else:
            left.append(name)
    return aside, rest, left


def _switch(home: Path, plan: dict[str, Any]) -> list[str]:
    """Make the switch the journal names, where it is safe (`_steps`); the names of the files
    left as they were. Each step can be done again after a crash: damaged files are put aside
    (and that made durable) before anything is placed, a staged file that is gone was placed.
    A refusal of the system is a RestoreCutShort naming the step."""
    aside, rest, left = _steps(home, plan)
    step = home
    try:
        for _, step, target in aside:
            os.rename(step, target)
        if aside:
            fsync_folder(home / BACKUP_FOLDER)
        for _, step, target in rest:
            if target is None:
                step.unlink()
            else:
                os.replace(step, target)
        fsync_folder(home)
        if left:
            return left
        step = home / plan["staging"]
        if is_real_folder(step):
            shutil.rmtree(step)
        step = home / RESTORE_JOURNAL
        step.unlink(missing_ok=True)
        fsync_folder(home)
    except OSError as error:
        raise RestoreCutShort(step, error) from None
    except CannotWrite as error:  # a folder that would not sync
        raise RestoreCutShort(error.path, OSError(error.errno, "")) from None
    return []


def _held(path: Path) -> set[str]:
    """The names of the database files a backup holds; none when it is not a backup."""
    try:
        if kind_of(path) != stat.S_IFREG:
            return set()
        bundle = json.loads(read_regular(path, SIZE_LIMIT))
    except (OSError, ValueError, RecursionError, NotRegularFile, TooBig):
        return set()
    files = bundle.get("files") if isinstance(bundle, dict) and bundle.get("format") == FORMAT \
        else None
    return {name for name in files if is_database_name(name)} if isinstance(files, dict) else set()


def _is_damaged(path: Path) -> bool:
    """Whether a database file is there and cannot be read: only such a file is put aside, and
    only what can be read is in the copy made before the restore."""
    try:
        read_json_tables(path)
    except DamagedDatabase:
        return True
    return False


def finish_restore(home: Path) -> bool:
    """Finish a restore a crash cut short; whether there was one to finish. What cannot be
    finished is left as it is and the journal set aside (doctor names what was left): the
    records open, and nothing is ever undone by a later start. Call with the lock held."""
    journal = restore_journal(home)
    if journal is None or not journal.to_finish:
        return False
    try:
        finished = not _switch(home, journal.plan)
    except RestoreCutShort:
        finished = False  # refused by the system: left, as a step not safe to make is
    if not finished:
        _set_aside(home)
    return True


def _set_aside(home: Path) -> None:
    """The journal is renamed, which needs no room on a full disk, and never acted on again."""
    try:
        os.replace(home / RESTORE_JOURNAL, home / RESTORE_LEFT)
        fsync_folder(home)
    except OSError as error:
        raise RestoreCutShort(home / RESTORE_JOURNAL, error) from None
    except CannotWrite:
        pass  # renamed; the folder's sync is the file system's to keep


def _forget_left(home: Path) -> None:
    """A restore that left files is superseded by one that finished: its journal and what it
    staged go."""
    left = restore_journal(home, RESTORE_LEFT)
    if left is None:
        return
    if left.plan is not None and is_real_folder(home / left.plan["staging"]):
        shutil.rmtree(home / left.plan["staging"], ignore_errors=True)
    try:
        left.path.unlink(missing_ok=True)
    except OSError:
        pass  # not a file posdesk wrote (a folder, say): the restore is done; doctor names it


def restore_journal(home: Path, name: str = RESTORE_JOURNAL) -> Journal | None:
    """The restore journal `name` in `home`, or None when there is none. Its plan is None when
    it names anything this module would not have written; it is then never acted on."""
    path = home / name
    if not os.path.lexists(path):
        return None
    if os.path.islink(path):
        return Journal(path, None)
    try:
        plan = json.loads(read_regular(path, JOURNAL_LIMIT))
    except (OSError, ValueError, RecursionError, NotRegularFile, TooBig):
        return Journal(path, None)
    return Journal(path, plan if _trusted_plan(home, plan) else None)


def _trusted_plan(home: Path, plan: Any) -> bool:
    if not isinstance(plan, dict) or set(plan) != {"staging", "kept", "place", "aside",
                                                     "remove"}:
        return False
    staging, kept, place, aside, remove = (
        plan[k] for k in ("staging", "kept", "place", "aside", "remove"))
    if not (isinstance(staging, str) and STAGING_NAME.fullmatch(staging)):
        return False
    if os.path.lexists(home / staging) and not is_real_folder(home / staging):
        return False  # a link (maybe out of the data directory) or a file: never a restore's
    if kept is not None and not (isinstance(kept, str) and KEPT_NAME.fullmatch(kept)):
        return False
    if not (isinstance(place, list) and isinstance(remove, list) and isinstance(aside, dict)):
        return False
    names = [*place, *remove, *aside]
    if not all(isinstance(name, str) and is_database_name(name) for name in names):
        return False
    if DATABASE_NAME not in place:  # every backup holds it, so every restore places it
        return False
    return not set(place) & set(remove) and all(
        isinstance(target, str) and re.fullmatch(
            rf"{BACKUP_FOLDER}/{DAMAGED_PREFIX}\d{{8}}-\d{{6}}(-\d+)?-{re.escape(name)}",
            target, re.ASCII)
        for name, target in aside.items())


def remove_stale_staging(home: Path) -> None:
    """Staging folders no journal names (a restore killed before it wrote its journal); call
    with the lock. While a journal that cannot be read is there, every one stays."""
    keep = set()
    for name in (RESTORE_JOURNAL, RESTORE_LEFT):
        journal = restore_journal(home, name)
        if journal is None:
            continue
        staging = _named_staging(journal.path)
        if staging is None:
            return
        keep.add(staging)
    try:
        names = os.listdir(home)
    except OSError:
        return
    for name in names:
        if STAGING_NAME.fullmatch(name) and name not in keep and is_real_folder(home / name):
            shutil.rmtree(home / name, ignore_errors=True)


def _named_staging(journal: Path) -> str | None:
    """The staging folder a journal names, trusted or not; None when it cannot be told."""
    try:
        plan = json.loads(read_regular(journal, JOURNAL_LIMIT))
    except (OSError, ValueError, RecursionError, NotRegularFile, TooBig):
        return None
    staging = plan.get("staging") if isinstance(plan, dict) else None
    return staging if isinstance(staging, str) else None


__all__ = ["Journal", "Restored", "RestoreCutShort", "RestoreLeft", "finish_restore",
           "remove_stale_staging", "restore", "restore_journal"]
