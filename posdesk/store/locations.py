"""Where the shop's records live: one place decides it."""

from __future__ import annotations

import os
from pathlib import Path

from posdesk.store.layout import BACKUP_FOLDER, OWN_NAMES, REPORTS_FOLDER, is_database_name

HOME_VARIABLE = "POSDESK_HOME"


def data_dir(home: str | Path | None = None) -> Path:
    """`--home` when given, else `$POSDESK_HOME`, else the platform's user data folder."""
    if home:
        return Path(home).expanduser()
    if os.environ.get(HOME_VARIABLE):
        return Path(os.environ[HOME_VARIABLE]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("posdesk", appauthor=False))


def is_own_file(home: Path, path: Path) -> bool:
    """Whether `path` is, or would write, one of the database's own files in `home` (its
    database files, lock or restore journal, or where its backups and reports folders go),
    however it is spelled: relative, through `..`, through a symbolic link or as a second hard
    link. Only the store may write those."""
    target = Path(os.path.realpath(path))
    own = (*OWN_NAMES, BACKUP_FOLDER, REPORTS_FOLDER)
    if target.parent == Path(os.path.realpath(home)) and (
            is_database_name(target.name) or target.name in own):
        return True
    try:
        found = os.stat(target)
    except OSError:
        return False
    for name in _names(home):
        if is_database_name(name) or name in OWN_NAMES:
            try:
                if os.path.samestat(found, os.stat(home / name)):
                    return True
            except OSError:
                continue
    return False


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
