"""The shop's records are its owner's alone: folders 0700, files 0600.

Files made by posdesk are created so; these narrow what was made otherwise (copied in by hand,
restored by another tool, made under a loose umask by an old version).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from posdesk.store.layout import OWN_NAMES, is_database_name
from posdesk.store.locations import Locations, names_in

FILE_MODE = 0o600
FOLDER_MODE = 0o700
OTHERS = 0o077  # any right for the group or for everyone else


def narrow(locations: Locations) -> None:
    """Take away every right others have on the records; best effort, never an error (a
    read-only file system simply keeps its modes)."""
    for path, mode, wanted in too_open(locations):
        try:
            os.chmod(path, mode & ~OTHERS & wanted, follow_symlinks=False)
        except (OSError, NotImplementedError):
            pass


def too_open(locations: Locations) -> list[tuple[Path, int, int]]:
    """(path, its mode, the widest mode it should have) for what others can open."""
    found = []
    for path, wanted in _records(locations):
        try:
            info = path.lstat()
        except OSError:
            continue
        # Only what it should be: a link's own mode means nothing and its target is not ours.
        if not (stat.S_ISDIR if wanted == FOLDER_MODE else stat.S_ISREG)(info.st_mode):
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & OTHERS:
            found.append((path, mode, wanted))
    return found


def _records(locations: Locations) -> Iterator[tuple[Path, int]]:
    """The data directory, its database files and lock, and the backups and reports folders
    with what is in them."""
    if not locations.home.is_dir():
        return
    yield locations.home, FOLDER_MODE
    for name in names_in(locations.home):
        if is_database_name(name) or name in OWN_NAMES:
            yield locations.file(name), FILE_MODE
    for folder in (locations.backups, locations.reports):
        if folder.is_dir() and not folder.is_symlink():
            yield folder, FOLDER_MODE
            yield from ((folder / name, FILE_MODE) for name in names_in(folder))
