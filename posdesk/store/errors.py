"""Why the shop's records cannot be used, told in the person's language (see i18n.ToldError)."""

from __future__ import annotations

from pathlib import Path

from posdesk.i18n import Phrase, ToldError, phrase
from posdesk.store.layout import BACKUP_FOLDER


class StoreError(ToldError):
    """The data directory cannot be used; the message says why and what to do."""


class DamagedDatabase(StoreError):
    """A database file exists but cannot be read; it is never written over."""

    def __init__(self, path: Path, reason: Phrase) -> None:
        self.path = path
        self.reason = reason
        super().__init__(phrase("store.damaged", path=path, reason=reason,
                                backups=path.parent / BACKUP_FOLDER))
