"""Where the shop's records live: decided once, at the edge, and handed down as `Locations`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from posdesk.store.layout import (
    BACKUP_FOLDER, DATABASE_NAME, LOCK_NAME, OWN_NAMES, REPORTS_FOLDER, RESTORE_JOURNAL,
    CHAIN_GUIDANCE, CHAIN_LINK, RESTORE_LEFT, SYNC_LOCK, SYNC_STATE, is_database_name,
)

HOME_VARIABLE = "POSDESK_HOME"


def data_dir(home: str | Path | None = None) -> Path:
    """`--home` when given, else `$POSDESK_HOME`, else the platform's user data folder; made
    absolute, so that a later change of the working folder does not move it."""
    if home:
        return Path(home).expanduser().absolute()
    if os.environ.get(HOME_VARIABLE):
        return Path(os.environ[HOME_VARIABLE]).expanduser().absolute()
    from platformdirs import user_data_dir  # only when needed: it is not free to import

    return Path(user_data_dir("posdesk", appauthor=False))


@dataclass(frozen=True)
class Locations:
    """The data directory and every path derived from it (the names are in `layout`)."""

    home: Path

    @classmethod
    def resolve(cls, given: Locations | str | Path | None = None) -> Locations:
        """The locations `given` names: itself when already resolved, else those of the data
        directory `data_dir` finds for it (the option, the environment, the platform)."""
        return given if isinstance(given, Locations) else cls(data_dir(given))

    def file(self, name: str) -> Path:
        """A file of the database (or of its own: lock, journals) by its name."""
        return self.home / name

    @property
    def database(self) -> Path:
        return self.home / DATABASE_NAME

    @property
    def backups(self) -> Path:
        return self.home / BACKUP_FOLDER

    @property
    def reports(self) -> Path:
        return self.home / REPORTS_FOLDER

    @property
    def lock(self) -> Path:
        return self.home / LOCK_NAME

    @property
    def restore_journal(self) -> Path:
        return self.home / RESTORE_JOURNAL

    @property
    def restore_left(self) -> Path:
        return self.home / RESTORE_LEFT

    @property
    def chain_link(self) -> Path:
        return self.home / CHAIN_LINK

    @property
    def sync_state(self) -> Path:
        return self.home / SYNC_STATE

    @property
    def chain_guidance(self) -> Path:
        return self.home / CHAIN_GUIDANCE

    @property
    def sync_lock(self) -> Path:
        return self.home / SYNC_LOCK

    def is_own_file(self, path: Path) -> bool:
        """Whether `path` is, or would write, one of the database's own files (its database
        files, lock or restore journal, or where its backups and reports folders go), however
        it is spelled: relative, through `..`, through a symbolic link or as a second hard
        link. Only the store may write those."""
        target = Path(os.path.realpath(path))
        own = (*OWN_NAMES, BACKUP_FOLDER, REPORTS_FOLDER)
        if target.parent == Path(os.path.realpath(self.home)) and (
                is_database_name(target.name) or target.name in own):
            return True
        try:
            found = os.stat(target)
        except OSError:
            return False
        for name in names_in(self.home):
            if is_database_name(name) or name in OWN_NAMES:
                try:
                    if os.path.samestat(found, os.stat(self.file(name))):
                        return True
                except OSError:
                    continue
        return False


def names_in(folder: Path) -> list[str]:
    """The names in a folder, sorted; none when it cannot be listed (or is not there)."""
    try:
        return sorted(os.listdir(folder))
    except OSError:
        return []
