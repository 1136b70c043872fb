"""Keeping the records safe: the checkup, backups and restoring one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from posdesk.desk.base import DeskBase
from posdesk.i18n import phrase
from posdesk.store.backup import BadBackup, backup_pieces, daily_backup, make_backup
from posdesk.store.outputs import check_output

if TYPE_CHECKING:
    from posdesk.store.doctor import Checkup
    from posdesk.store.restore import Restored


class BackupsDesk(DeskBase):
    def checkup(self) -> Checkup:
        """What is wrong with the database, read without opening (or changing) it."""
        from posdesk.store.doctor import examine  # asked for now and then: not at every start

        return examine(self.locations)

    def backup(self, path: Path | None = None) -> Path:
        """A backup in the backups folder, or at `path` (a file, not one of the database's)."""
        if path is not None:
            check_output(self.locations, path, "posdesk-backup.json")
        return make_backup(self.store, path)

    def backup_text(self) -> Iterator[str]:
        """A whole backup as JSON text in pieces, one file at a time, to print (`posdesk backup
        -o -`); a damaged file is a StoreError before the first piece."""
        return (piece.decode("utf-8") for piece in backup_pieces(self.store, checked=True))

    def daily_backup(self) -> Path | None:
        return daily_backup(self.store)

    def restore(self, path: Path) -> Restored:
        """Replace the database with a backup, all files or none; what it replaced is kept in a
        backup the rotation never removes, and damaged files are moved into the backups folder.
        Works without opening the database, so a damaged one is no obstacle."""
        if self.locations.is_own_file(Path(path)):
            raise BadBackup(phrase("backup.own_file", path=path, backups=self.locations.backups))
        from posdesk.store.restore import restore  # as doctor: not at every start

        self._close_store()  # opened again on next use: the backup may need a migration
        return restore(self.locations, Path(path))
