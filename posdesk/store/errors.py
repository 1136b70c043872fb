"""Why the shop's records cannot be used, told in the person's language (see i18n.ToldError)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

from posdesk.i18n import Phrase, ToldError, phrase
from posdesk.store.locations import Locations


class StoreError(ToldError):
    """The data directory cannot be used; the message says why and what to do."""


class DamagedDatabase(StoreError):
    """A database file exists but cannot be read; it is never written over."""

    def __init__(self, path: Path, reason: Phrase) -> None:
        self.path = path
        self.reason = reason
        super().__init__(phrase("store.damaged", path=path, reason=reason,
                                backups=Locations(path.parent).backups))


class CannotWrite(StoreError):
    """The operating system refused a write (disk full, read-only, …); what was there is kept."""

    def __init__(self, path: Path, error: OSError, said: Phrase | None = None) -> None:
        self.path = path
        self.errno = error.errno
        super().__init__(said or phrase("store.cannot_write", path=path, reason=os_reason(error)))


class CannotUse(StoreError):
    """The operating system refused to open a file posdesk needs only to read."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        super().__init__(phrase("store.cannot_use", path=path, reason=os_reason(error)))


class NeedsWriting(StoreError):
    """Opening the records needs a write first (a migration, a move or a restore to finish)
    and the data directory cannot be written; nothing was changed."""

    def __init__(self, home: Path, task: str, cause: CannotWrite) -> None:
        super().__init__(phrase("store.needs_writing", home=home, task=phrase(task),
                                reason=cause.phrase.values["reason"]))


class StoreBusy(StoreError):
    def __init__(self, lock: Path, seconds: float) -> None:
        super().__init__(phrase("store.busy", lock=lock, seconds=seconds))


class NotAFile(StoreError):
    """A file was asked for and a folder given."""

    def __init__(self, path: Path, example: Path) -> None:
        super().__init__(phrase("store.is_folder", path=path, example=example))


class NotRegular(StoreError):
    """Output aimed at a device, a pipe or a link: writing a file there would replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(phrase("store.not_regular", path=path))


class InDataFolder(StoreError):
    """Output aimed inside the data directory, anywhere but its reports folder."""

    def __init__(self, path: Path, reports: Path) -> None:
        super().__init__(phrase("store.in_data_folder", path=path, reports=reports))


class OwnFile(StoreError):
    """Output aimed at one of the database's own files, which only the store may write."""

    def __init__(self, path: Path) -> None:
        super().__init__(phrase("store.own_file", path=path))


# What each error number means, in words a shop owner can act on.
_REASONS = {
    errno.ENOSPC: "store.os.no_space",
    errno.EDQUOT: "store.os.quota",
    errno.EACCES: "store.os.permission",
    errno.EPERM: "store.os.permission",
    errno.EROFS: "store.os.read_only",
    errno.EIO: "store.os.io",
    errno.ELOOP: "store.os.symlink",
    errno.EISDIR: "store.os.folder",
    errno.ENOTDIR: "store.os.not_folder",
    errno.ENOENT: "store.os.missing",
    errno.EMFILE: "store.os.too_many_files",
    errno.ENFILE: "store.os.too_many_files",
    errno.ENAMETOOLONG: "store.os.name_too_long",
    errno.EBUSY: "store.os.busy",
    errno.ETXTBSY: "store.os.busy",
    errno.EEXIST: "store.os.exists",
    errno.EFBIG: "store.os.too_large",
    errno.EXDEV: "store.os.other_disk",
    errno.ENOTEMPTY: "store.os.not_empty",
    errno.ENXIO: "store.os.no_device",
    errno.ENODEV: "store.os.no_device",
    errno.ENOLCK: "store.os.no_locks",
    errno.EOPNOTSUPP: "store.os.not_supported",
    errno.ENOTSUP: "store.os.not_supported",
    errno.ESTALE: "store.os.unreachable",
    errno.ENOTCONN: "store.os.unreachable",
    errno.ETIMEDOUT: "store.os.unreachable",
    errno.EHOSTDOWN: "store.os.unreachable",
    errno.EILSEQ: "store.os.bad_characters",
    errno.EINVAL: "store.os.invalid",
    errno.ENOMEM: "store.os.no_memory",
    errno.EAGAIN: "store.os.try_again",
    errno.EINTR: "store.os.try_again",
}


def os_reason(error: OSError) -> Phrase:
    """What an operating-system error means; the system's own words for one we have none for."""
    key = _REASONS.get(error.errno or 0)
    if key:
        return phrase(key)
    said = os.strerror(error.errno) if error.errno else (error.strerror or str(error))
    return phrase("store.reason.os", error=said)
