"""Durable JSON files: a write that returns is on disk, and a crash never leaves half a file."""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from posdesk.i18n import phrase
from posdesk.store.errors import CannotWrite, os_reason
from posdesk.store.reading import parse_tables, read_raw

FILE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".tmp"
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, which has no symbolic links to plant


def encode_json(data: Any) -> bytes:
    """UTF-8 JSON with Chinese written as Chinese, as every posdesk file holds it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def atomic_write_json(path: Path, data: Any) -> bytes:
    """Write `data` as JSON with `atomic_write_bytes`; the bytes written are returned."""
    raw = encode_json(data)
    atomic_write_bytes(path, raw)
    return raw


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, raw: bytes) -> None:
    atomic_write_chunks(path, (raw,))


def atomic_write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Write `chunks` to `path` so that the file is either the old one or the new one, whole
    (a report made as it is written: what `chunks` raises leaves the old file as it was).

    The bytes go to a new temporary file in the same folder, are flushed and fsynced, and only
    then replace the old file; the folder is fsynced so the rename itself survives a crash. The
    temporary file has a name nobody can guess, is created only if nothing is there (a link
    planted in its place is never followed) and is readable by its owner only. Any refusal of
    the operating system is a CannotWrite naming `path`; the old file is then as it was.
    """
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    except OSError as error:
        raise CannotWrite(path, error) from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            for raw in chunks:
                handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CannotWrite(path, error) from None
        raise
    fsync_folder(path.parent)


def write_new_file(path: Path, raw: bytes, told_as: Path | None = None) -> None:
    """Create `path`, which must not exist yet (nor be a link), with `raw`, fsynced; a
    refusal names `told_as` (the file the person knows) when given."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise CannotWrite(told_as or path, error) from None


def kind_of(path: Path) -> int:
    """What is at `path` itself, a link being a link: stat.S_IFREG, S_IFDIR, S_IFLNK, …; 0 when
    nothing is there (or it cannot be looked at)."""
    try:
        return stat.S_IFMT(os.lstat(path).st_mode)
    except OSError:
        return 0


def is_real_folder(path: Path) -> bool:
    """A folder itself, not a link to one (which could lead out of the data directory)."""
    return kind_of(path) == stat.S_IFDIR


def ensure_folder(folder: Path) -> None:
    """Make `folder` (owner only) unless it is there; a refusal is a CannotWrite."""
    try:
        folder.mkdir(mode=FOLDER_MODE, exist_ok=True)
    except OSError as error:
        raise CannotWrite(folder, error) from None


def ensure_home(home: Path) -> None:
    """Make the data directory (owner only), and the folders above it, unless it is there."""
    try:
        home.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as error:
        said = phrase("store.folder", home=home, error=os_reason(error))
        raise CannotWrite(home, error, said) from None


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder to fsync it
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        if error.errno != errno.EINVAL:  # a file system that cannot sync folders syncs renames
            raise CannotWrite(folder, error) from None


class DurableStorage(Storage):
    """TinyDB storage that reads strictly and writes with `atomic_write_json`.

    What it wrote last is handed to the next read without parsing the file again, if the file
    still holds exactly the bytes it wrote: recording one step after another then parses
    nothing, however many incidents are open, while anything another process wrote is parsed
    as usual. Comparing the bytes costs a read and a memcmp; comparing inode and times instead
    could be fooled by an inode reused within one tick of the file system's clock. A read hands
    that data over for good (TinyDB changes what it reads in place). Callers do not change data
    after writing it; the store never does.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._written: tuple[bytes, dict[str, dict[str, Any]]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        written, self._written = self._written, None
        raw = read_raw(self.path)
        if raw is None:
            return None
        if written is not None and written[0] == raw:
            return written[1]
        return parse_tables(self.path, raw)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._written = None
        self._written = (atomic_write_json(self.path, data), data)

    def close(self) -> None:
        pass
