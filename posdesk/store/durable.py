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

from posdesk import privacy
from posdesk.i18n import phrase
from posdesk.store.errors import CannotWrite, DamagedDatabase, os_reason
from posdesk.store.layout import is_document_key

FILE_MODE = 0o600
FOLDER_MODE = 0o700
TEMP_SUFFIX = ".tmp"
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, which has no symbolic links to plant
NON_BLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe to read waits for a writer without it
CLOSE_ON_EXEC = getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(Exception):
    """A pipe, a device or a socket where a file was to be read: never read, as /dev/zero
    would be read without end and a pipe would wait for ever."""


class TooBig(Exception):
    """A file larger than what posdesk reads of that kind."""


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


def read_json_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    """The tables in a database file; None when there is no file yet.

    Anything else that is not a TinyDB database of tables raises DamagedDatabase.
    """
    raw = read_raw(path)
    return None if raw is None else parse_tables(path, raw)


def read_raw(path: Path) -> bytes | None:
    """The bytes of a database file; None when there is no file yet."""
    fd = open_database_file(path)
    if fd is None:
        return None
    try:
        return _database_bytes(path, fd)
    finally:
        os.close(fd)


def open_database_file(path: Path) -> int | None:
    """A descriptor to read a database file (`read_tables_from`); None when there is no file
    yet. What is read from it later is the file as it was when opened, as every write replaces
    a file whole by renaming a new one over it."""
    try:
        return open_regular(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DamagedDatabase(path, os_reason(error)) from None
    except NotRegularFile:
        raise DamagedDatabase(path, phrase("store.reason.not_regular")) from None


def read_tables_from(path: Path, fd: int) -> dict[str, dict[str, Any]]:
    """The tables in the database file `path` opened as `fd` (`open_database_file`)."""
    return parse_tables(path, _database_bytes(path, fd))


def _database_bytes(path: Path, fd: int) -> bytes:
    try:
        return read_from(fd)
    except OSError as error:
        raise DamagedDatabase(path, os_reason(error)) from None


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (a link to one is followed).

    A folder is an IsADirectoryError; a pipe, a device or a socket is a NotRegularFile, told
    before a byte is read; more than `limit` bytes is TooBig. The system's refusals are the
    OSError it gave.
    """
    fd = open_regular(path)
    try:
        if limit is not None and os.fstat(fd).st_size > limit:
            raise TooBig(path)
        raw = read_from(fd, limit)
    finally:
        os.close(fd)
    if limit is not None and len(raw) > limit:
        raise TooBig(path)
    return raw


def open_regular(path: Path) -> int:
    """A descriptor to read the regular file at `path`, refused as `read_regular` refuses."""
    seen = os.stat(path)  # a pipe or device is refused without opening it
    if not stat.S_ISREG(seen.st_mode):
        _refuse_kind(path, seen)
    fd = os.open(path, os.O_RDONLY | NON_BLOCK | CLOSE_ON_EXEC)
    try:
        info = os.fstat(fd)  # what was opened, which may not be what was looked at
        if not stat.S_ISREG(info.st_mode):
            _refuse_kind(path, info)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_from(fd: int, limit: int | None = None) -> bytes:
    """The bytes of the open file `fd` from its start (at most `limit` + 1 of them)."""
    os.lseek(fd, 0, os.SEEK_SET)
    with os.fdopen(fd, "rb", closefd=False) as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def _refuse_kind(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    raise NotRegularFile(path)


def shown_key(key: str) -> str:
    """A key read from a file as it may be shown in one line: quoted, every control character
    escaped, card numbers masked, and short."""
    return privacy.clean(json.dumps(key[:30])).text


def parse_tables(path: Path, raw: bytes) -> dict[str, dict[str, Any]]:
    """The tables in the bytes `raw` read from `path`, or DamagedDatabase naming that file."""
    if not raw.strip():
        raise DamagedDatabase(path, phrase("store.reason.empty"))
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DamagedDatabase(path, phrase("store.reason.not_utf8")) from None
    except json.JSONDecodeError as error:
        raise DamagedDatabase(path, phrase("store.reason.not_json", line=error.lineno)) from None
    except ValueError:  # a number beyond Python's 4,300 digits, or anything else json refuses
        raise DamagedDatabase(path, phrase("store.reason.unreadable_value")) from None
    except RecursionError:
        raise DamagedDatabase(path, phrase("store.reason.too_deep")) from None
    tables = data.values() if isinstance(data, dict) else None
    if tables is None or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in tables
    ):
        raise DamagedDatabase(path, phrase("store.reason.not_posdesk"))
    for table in tables:
        if not all(map(is_document_key, table)):
            key = next(key for key in table if not is_document_key(key))
            raise DamagedDatabase(path, phrase("store.reason.bad_key", number=shown_key(key)))
    return data


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
