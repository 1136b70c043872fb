"""Reading a database file strictly: a regular file, whole, UTF-8 JSON of TinyDB tables with
whole-number keys; anything else is DamagedDatabase naming the file and what is wrong."""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from posdesk import privacy
from posdesk.i18n import phrase
from posdesk.store.errors import DamagedDatabase, os_reason
from posdesk.store.layout import is_document_key

NON_BLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a pipe to read waits for a writer without it
CLOSE_ON_EXEC = getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(Exception):
    """A pipe, a device or a socket where a file was to be read: never read, as /dev/zero
    would be read without end and a pipe would wait for ever."""


class TooBig(Exception):
    """A file larger than what posdesk reads of that kind."""


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
