"""Durable JSON files: a write that returns is on disk, and a crash never leaves half a file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

FILE_MODE = 0o600
TEMP_SUFFIX = ".tmp"


class DamagedDatabase(Exception):
    """A database file exists but cannot be read; it is never written over."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(
            f"The database {path} cannot be read ({reason}). It was left as it is: restore a "
            f"backup with posdesk restore FILE (automatic ones are in {path.parent / 'backups'}) "
            f"or move the file aside, then start posdesk again."
        )


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))


def atomic_write_text(path: Path, text: str) -> None:
    """Write `text` to `path` so that the file is either the old one or the new one, whole.

    The text goes to a temporary file in the same folder, is flushed and fsynced, and only
    then replaces the old file; the folder is fsynced so the rename itself survives a crash.
    """
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, FILE_MODE)  # O_CREAT's mode is ignored when the file already existed
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder to fsync it
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_json_tables(path: Path) -> dict[str, dict[str, Any]] | None:
    """The tables in a database file; None when there is no file yet.

    Anything else that is not a TinyDB database of tables raises DamagedDatabase.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise DamagedDatabase(path, error.strerror or str(error)) from None
    if not raw.strip():
        raise DamagedDatabase(path, "the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise DamagedDatabase(path, "the file is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise DamagedDatabase(path, f"not valid JSON at line {error.lineno}") from None
    tables = data.values() if isinstance(data, dict) else None
    if tables is None or not all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in tables
    ):
        raise DamagedDatabase(path, "the JSON is not a posdesk database")
    return data


class DurableStorage(Storage):
    """TinyDB storage that reads strictly and writes with `atomic_write_json`.

    What it wrote last is handed to the next read without parsing the file again, if the file
    is still the very one it wrote (see `_identity`): recording one step after another then
    parses nothing, however many incidents are open. A read hands that data over for good
    (TinyDB changes what it reads in place), and anything another process wrote is read from
    the file as usual. Callers do not change data after writing it; the store never does.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._written: tuple[tuple[int, ...], dict[str, dict[str, Any]]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        written, self._written = self._written, None
        if written is not None and written[0] == _identity(self.path):
            return written[1]
        return read_json_tables(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._written = None
        atomic_write_json(self.path, data)
        if (identity := _identity(self.path)) is not None:
            self._written = (identity, data)

    def close(self) -> None:
        pass


def _identity(path: Path) -> tuple[int, ...] | None:
    """What tells one version of a file from another: each write replaces the file, so a new
    one has a new inode, and its change time in nanoseconds as well."""
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
