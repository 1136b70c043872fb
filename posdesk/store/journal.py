"""A restore's journal, read and judged: which switch it names, whether it is to be trusted, and
what finishing it would still do, step by step (nothing here writes; `switch` acts on it).

The journal is a file in the data directory and so not trusted blindly. One that names anything
a restore would not have written (a staging folder that is a link, a name outside the data
directory) is never acted on. Each step of one that is trusted is made only where a restore's
would be: a file goes, or is replaced while it can be read, only while the copy made before the
restore is in the backups folder; only a file that cannot be read is put aside, only into a real
backups folder; only a regular file in a real staging folder is placed.
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posdesk.store.backup import BEFORE_RESTORE
from posdesk.store.bundle import FORMAT, SIZE_LIMIT
from posdesk.store.durable import is_real_folder, kind_of
from posdesk.store.reading import NotRegularFile, TooBig, read_json_tables, read_regular
from posdesk.store.errors import DamagedDatabase
from posdesk.store.layout import (
    BACKUP_FOLDER, DAMAGED_PREFIX, DATABASE_NAME, RESTORE_JOURNAL, STAGING_PREFIX,
    is_database_name,
)
from posdesk.store.locations import Locations

STAGING_NAME = re.compile(re.escape(STAGING_PREFIX) + r"[A-Za-z0-9_]+", re.ASCII)
# The copy made before a restore, as write_bundle names it in the backups folder.
KEPT_NAME = re.compile(
    rf"{BACKUP_FOLDER}/posdesk-\d{{8}}-\d{{6}}-\d{{6}}-{BEFORE_RESTORE}\.json", re.ASCII)
JOURNAL_LIMIT = 1 << 20  # a journal names a few files: anything larger was not written here
# What reading a journal or a backup can raise, for a file that is not what it should be.
READ_FAILURES = (OSError, ValueError, RecursionError, NotRegularFile, TooBig)


@dataclass(frozen=True)
class Journal:
    """A restore journal found in the data directory."""

    locations: Locations  # of the data directory it was found in
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
        aside, rest, left = steps(self.locations, self.plan)
        return sorted({name for name, _, _ in aside + rest} | set(left))

    def would_leave(self) -> list[str]:
        """The files finishing it would leave as they are, as things stand."""
        if self.plan is None:
            return []
        return sorted(steps(self.locations, self.plan)[2])


def restore_journal(locations: Locations, path: Path | None = None) -> Journal | None:
    """The restore journal at `path` (by default the one the next start finishes), or None
    when there is none. Its plan is None when it names anything a restore would not have
    written; it is then never acted on."""
    path = locations.restore_journal if path is None else path
    if not os.path.lexists(path):
        return None
    if os.path.islink(path):
        return Journal(locations, path, None)
    plan = read_plan(path)
    return Journal(locations, path, plan if _trusted_plan(locations, plan) else None)


def read_plan(path: Path) -> Any:
    """What a journal file holds, trusted or not; None when it cannot be read."""
    try:
        return json.loads(read_regular(path, JOURNAL_LIMIT))
    except READ_FAILURES:
        return None


def _trusted_plan(locations: Locations, plan: Any) -> bool:
    if not isinstance(plan, dict) or set(plan) != {"staging", "kept", "place", "aside",
                                                     "remove"}:
        return False
    staging, kept, place, aside, remove = (
        plan[k] for k in ("staging", "kept", "place", "aside", "remove"))
    if not (isinstance(staging, str) and STAGING_NAME.fullmatch(staging)):
        return False
    if os.path.lexists(locations.file(staging)) and not is_real_folder(locations.file(staging)):
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


# One step of a switch: the database file it is about, what moves, and where (None: it goes).
Step = tuple[str, Path, Path | None]


def steps(locations: Locations, plan: dict[str, Any]) -> tuple[list[Step], list[Step], list[str]]:
    """What the switch a journal names still has to do, each step only where a restore's would
    be (see the module's doc): the damaged files to put aside, then the staged files to place
    and the old files to remove; and the names of the files it must leave as they are."""
    home = locations.home
    staging = home / plan["staging"]
    backups_folder = is_real_folder(locations.backups)
    # What the copy made before the restore holds: only a file it holds may be replaced or
    # removed (a journal planted beside a "copy" that holds nothing removes nothing).
    kept = _held(home / plan["kept"]) if plan["kept"] is not None and backups_folder else set()
    aside: list[Step] = []
    rest: list[Step] = []
    left: list[str] = []
    for name, target in plan["aside"].items():
        if not os.path.lexists(home / name) or os.path.lexists(home / target):
            continue  # put aside already
        if backups_folder and is_damaged(home / name):
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
                or name in kept and not is_damaged(target)):
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


def _held(path: Path) -> set[str]:
    """The names of the database files a backup holds; none when it is not a backup."""
    try:
        if kind_of(path) != stat.S_IFREG:
            return set()
        bundle = json.loads(read_regular(path, SIZE_LIMIT))
    except READ_FAILURES:
        return set()
    files = bundle.get("files") if isinstance(bundle, dict) and bundle.get("format") == FORMAT \
        else None
    return {name for name in files if is_database_name(name)} if isinstance(files, dict) else set()


def is_damaged(path: Path) -> bool:
    """Whether a database file is there and cannot be read: only such a file is put aside, and
    only what can be read is in the copy made before the restore."""
    try:
        read_json_tables(path)
    except DamagedDatabase:
        return True
    return False
