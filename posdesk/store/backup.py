"""Making backups: the whole database in one file (see `bundle`), before every migration,
once a day on start and on request, and the rotation of the daily ones."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from contextlib import AbstractContextManager
from typing import Any, Protocol

from posdesk.store.bundle import BadBackup, bundle_of, read_backup
from posdesk.store.durable import atomic_write_chunks, encode_json, ensure_folder, ensure_home
from posdesk.store.reading import open_database_file, read_tables_from
from posdesk.store.layout import DATABASE_NAME
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
    return _write(store.locations, reason, backup_pieces(store, reason), path)


def backup_pieces(store: Store, reason: str = "manual", checked: bool = False) -> Iterator[bytes]:
    """A backup of the database as it was at one moment, as JSON in pieces, one file at a time:
    byte for byte `encode_json(bundle_of(...))` of every file, without ever holding them all.

    Every file is opened under one hold of the lock and read from its descriptor afterwards: a
    change replaces a file by renaming a new one over it, so what is read is the database as
    it was when the lock was held. A file that is not there is left out; a damaged one is a
    DamagedDatabase, raised as its turn comes, or before the first piece when `checked` (for
    output that cannot be taken back once given, as standard output)."""
    opened = _open_files(store)
    try:
        if checked:
            for file_path, fd in opened:
                read_tables_from(file_path, fd)
        main = {p.name: read_tables_from(p, fd) for p, fd in opened[:1] if p.name == DATABASE_NAME}
        head = bundle_of(main, reason)  # its schema is read from the main file
        files = head.pop("files")  # the last key: the files follow the head, one by one
        yield encode_json(head)[:-1] + b',"files":{'
        yield from _file_pieces(files.items())
        rest = ((p.name, read_tables_from(p, fd)) for p, fd in opened[len(main):])
        yield from _file_pieces(rest, first=False)  # each read as its turn comes
        yield b"}}"
    finally:
        for _, fd in opened:
            os.close(fd)


def _open_files(store: Store) -> list[tuple[Path, int]]:
    opened: list[tuple[Path, int]] = []
    try:
        with store.reading():
            for file_path in store.files():
                fd = open_database_file(file_path)
                if fd is not None:
                    opened.append((file_path, fd))
    except BaseException:
        for _, fd in opened:
            os.close(fd)
        raise
    return opened


def _file_pieces(files: Iterable[tuple[str, Any]], first: bool = True) -> Iterator[bytes]:
    """Each file as `encode_json` writes it within the bundle's "files" object."""
    for name, tables in files:
        yield (b"" if first else b",") + encode_json(name) + b":" + encode_json(tables)
        first = False


def write_bundle(locations: Locations, bundle: dict[str, Any], path: Path | None = None) -> Path:
    """Write a backup held whole to `path`, or to the backups folder named for when and why."""
    return _write(locations, bundle["reason"], iter((encode_json(bundle),)), path)


def _write(locations: Locations, reason: str, pieces: Iterator[bytes],
           path: Path | None = None) -> Path:
    """Write a backup's pieces to `path`, or to the backups folder named for when and why."""
    if path is None:
        ensure_home(locations.home)
        ensure_folder(locations.backups)
        made = f"posdesk-{datetime.now():%Y%m%d-%H%M%S-%f}-{reason}.json"
        path = locations.backups / made
    atomic_write_chunks(path, pieces)
    if reason == DAILY:
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
__all__ = ["BEFORE_RESTORE", "BadBackup", "backup_pieces", "backups", "backups_in_future",
           "bundle_of", "daily_backup", "make_backup", "read_backup", "write_bundle"]
