"""The shop's own records, in TinyDB files in the data directory.

Every change happens inside `Store.transaction()`: a lock file keeps two posdesk processes from
losing each other's writes, and the database is re-read inside the lock before it is changed.
Every write is atomic and fsynced (see `durable`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from tinydb import TinyDB, where
from tinydb.table import Document

from posdesk.models import Settings
from posdesk.store.durable import TEMP_SUFFIX, DamagedDatabase, DurableStorage
from posdesk.store.locations import data_dir

SCHEMA_VERSION = 1
DATABASE_NAME = "posdesk.json"
LOCK_NAME = ".posdesk.lock"
LOCK_TIMEOUT_SECONDS = 15
INCIDENTS = "incidents"
TERMINALS = "terminals"
ROUTINE_LOG = "routine_log"

__all__ = ["DamagedDatabase", "SchemaTooNew", "Store", "StoreBusy", "StoreError", "data_dir"]


class StoreError(Exception):
    """The data directory cannot be used; the message says why and what to do."""


class SchemaTooNew(StoreError):
    def __init__(self, path: Path, found: int) -> None:
        self.path = path
        super().__init__(
            f"The database {path} was written by a newer posdesk (schema {found}, this one "
            f"knows {SCHEMA_VERSION}). It was left as it is: upgrade posdesk to open it."
        )


class StoreBusy(StoreError):
    def __init__(self, lock: Path) -> None:
        super().__init__(
            f"Another posdesk is holding {lock} for more than {LOCK_TIMEOUT_SECONDS} s; "
            "close it or try again."
        )


class Store:
    """The shop's database in one data directory."""

    def __init__(self, home: str | Path | None = None) -> None:
        self.home = data_dir(home)
        try:
            self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise StoreError(f"Cannot use the data folder {self.home}: {error.strerror}.") from None
        self.path = self.home / DATABASE_NAME
        self._lock = FileLock(self.home / LOCK_NAME, timeout=LOCK_TIMEOUT_SECONDS, mode=0o600)
        self._db = TinyDB(self.path, storage=DurableStorage)
        with self.transaction() as db:
            self._remove_stale_temp_files()
            self._check_schema(db)

    @contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """Hold the lock, with every table re-read from disk, for one read-modify-write."""
        try:
            self._lock.acquire()
        except Timeout:
            raise StoreBusy(self._lock.lock_file) from None
        try:
            for table in self._db._tables.values():
                table.clear_cache()
                table._next_id = None  # another process may have inserted since
            yield self._db
        finally:
            self._lock.release()

    def _check_schema(self, db: TinyDB) -> None:
        meta = db.table("_meta")
        record = meta.get(doc_id=1)
        if record is None:
            if db.tables() - {"_meta"}:
                raise DamagedDatabase(self.path, "it has no posdesk schema version")
            meta.insert({"schema": SCHEMA_VERSION})
            return
        found = record.get("schema")
        if not isinstance(found, int):
            raise DamagedDatabase(self.path, "its schema version is missing")
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(self.path, found)

    def _remove_stale_temp_files(self) -> None:
        """Temp files a killed process left behind; safe to remove while we hold the lock."""
        for leftover in self.home.glob(f".*{TEMP_SUFFIX}"):
            leftover.unlink(missing_ok=True)

    @property
    def schema_version(self) -> int:
        with self.transaction() as db:
            return db.table("_meta").get(doc_id=1)["schema"]

    # Settings

    def settings(self) -> Settings:
        with self.transaction() as db:
            record = db.table("settings").get(doc_id=1)
        return Settings.from_dict(dict(record) if record else {})

    def save_settings(self, settings: Settings) -> None:
        with self.transaction() as db:
            db.table("settings").upsert(Document(settings.to_dict(), doc_id=1))

    # Incidents, kept as plain records; `desk` turns them into models.

    def add_incident(self, record: dict[str, Any], day: str) -> dict[str, Any]:
        """Store a new incident under the next free id of `day` ("20261125-001")."""
        with self.transaction() as db:
            table = db.table(INCIDENTS)
            taken = [doc["id"] for doc in table.search(where("id").test(_of_day, day))]
            number = 1 + max((int(i.rsplit("-", 1)[1]) for i in taken), default=0)
            stored = {**record, "id": f"{day}-{number:03d}"}
            table.insert(stored)
        return stored

    def update_incident(
        self, incident_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Read the incident, apply `change`, write it back: one step under the lock."""
        with self.transaction() as db:
            table = db.table(INCIDENTS)
            found = table.get(where("id") == incident_id)
            if found is None:
                raise KeyError(incident_id)
            updated = change(dict(found))
            table.update(updated, doc_ids=[found.doc_id])
        return updated

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        with self.transaction() as db:
            found = db.table(INCIDENTS).get(where("id") == incident_id)
        return dict(found) if found else None

    def signature(self) -> tuple[int, int, int] | None:
        """Changes whenever the database file is written, by this process or another."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return (stat.st_mtime_ns, stat.st_size, stat.st_ino)

    def incidents(self) -> list[dict[str, Any]]:
        with self.transaction() as db:
            return [dict(doc) for doc in db.table(INCIDENTS).all()]

    # Plain record tables: terminals, the routine log, …

    def records(self, table: str) -> list[dict[str, Any]]:
        with self.transaction() as db:
            return [dict(doc) for doc in db.table(table).all()]

    def add_record(self, table: str, record: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.table(table).insert(record)

    def put_record(self, table: str, key: str, record: dict[str, Any]) -> None:
        """Insert or replace the record whose "id" is `key`."""
        with self.transaction() as db:
            db.table(table).upsert(record, where("id") == key)

    def close(self) -> None:
        self._db.close()


def _of_day(incident_id: str, day: str) -> bool:
    return incident_id.startswith(f"{day}-")
