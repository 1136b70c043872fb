"""Files a person asks posdesk to write beside the database: reports, notes for the bank, and
backups to a place of their choosing."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from posdesk.store.durable import atomic_write_chunks, ensure_folder, ensure_home
from posdesk.store.errors import InDataFolder, NotAFile, NotRegular, OwnFile
from posdesk.store.locations import Locations


def check_output(locations: Locations, path: Path, example: str) -> None:
    """A file a person asked for must be a file, and never one of the database's own: a file
    is written whole and renamed into place, which would replace a device, a pipe or a link
    that stood there. `example` names the file offered when `path` is a folder."""
    if path.is_dir():
        raise NotAFile(path, path / example)
    if locations.is_own_file(path):
        raise OwnFile(path)
    target, real_home = Path(os.path.realpath(path)), Path(os.path.realpath(locations.home))
    if real_home in target.parents and real_home / locations.reports.name not in target.parents:
        # The backups folder holds the copies made before restores and the damaged files set
        # aside: a report must never land on one of them.
        raise InDataFolder(path, locations.reports)
    try:
        found = os.lstat(path)
    except OSError:
        return  # nothing there yet, or its folder is missing: the write will say
    if not stat.S_ISREG(found.st_mode):
        raise NotRegular(path)


def write_report(locations: Locations, text: str | Iterable[str], name: str,
                 path: Path | None = None) -> Path:
    """Write `text` (or its parts, as they are made) to `path`, or as `name` in the reports
    folder.

    A `path` that is a folder (`name` is then the example offered) or one of the database's
    own files is refused, and what the system refuses (a full disk, …) is a StoreError;
    nothing is half written."""
    if path is None:
        ensure_home(locations.home)
        ensure_folder(locations.reports)
        path = locations.reports / name
    else:
        check_output(locations, path, name)
    parts = (text,) if isinstance(text, str) else text
    atomic_write_chunks(path, (part.encode("utf-8") for part in parts))
    return path
