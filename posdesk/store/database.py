"""The Store: every read and write of the shop's records (the files it keeps them in are
described in posdesk.store)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB, where
from tinydb.table import Document, Table

from posdesk.i18n import Phrase, phrase
from posdesk.models import BadRecord, Incident, Settings
from posdesk.store.modes import narrow
from posdesk.store.backup import make_backup
from posdesk.store.checks import problem_of, shown_text
from posdesk.store.durable import TEMP_SUFFIX, DurableStorage, ensure_home, is_real_folder
from posdesk.store.errors import (
    CannotWrite, DamagedDatabase, NeedsWriting, StoreError,
)
from posdesk.store.journal import restore_journal
from posdesk.store.layout import (
    DATABASE_NAME, INCIDENTS, MOVE_JOURNAL, OPEN_INCIDENTS, OWN_NAMES, SCHEMA_VERSION,
    closed_file, incident_file, is_database_name, trusted_move,
)
from posdesk.store.incident_files import IncidentFiles
from posdesk.store.locations import Locations
from posdesk.store.lock import DirectoryLock
from posdesk.store.switch import finish_restore, remove_stale_staging

MOVING = MOVE_JOURNAL
# A temp file of atomic_write_bytes: ".NAME.RANDOM.tmp" (mkstemp's random part has no dot).
TEMP_NAME = re.compile(r"\.(?P<name>.+)\.[^.]+" + re.escape(TEMP_SUFFIX))
# A temp file in the backups or reports folder, written without the lock, is stale when it was
# not touched for this long: a write in progress touches its own all the time.
STALE_SECONDS = 3600


class SchemaTooNew(StoreError):
    def __init__(self, path: Path, found: int) -> None:
        self.path = path
        super().__init__(phrase("store.too_new", path=path, found=found, known=SCHEMA_VERSION))


class Store(IncidentFiles):
    """The shop's database in one data directory."""

    def __init__(self, locations: Locations | str | Path | None = None) -> None:
        self.locations = Locations.resolve(locations)  # a path or None: resolved here, once
        self.home = self.locations.home
        self.path = self.locations.database
        self._lock = DirectoryLock.of(self.locations)
        self._files: dict[str, TinyDB] = {}
        self._db = self._file(DATABASE_NAME)
        self._ready = False  # ready for writing: leftovers gone, schema current, moves done
        self._unsure = False  # a write failed half-way: finish any move before the next one
        narrow(self.locations)
        with self.reading() as db:
            task = self._pending_task(db)
        if task is not None:
            try:
                with self.transaction():
                    pass  # getting ready for writing does it
            except CannotWrite as error:
                raise NeedsWriting(self.home, task, error) from None

    def _pending_task(self, db: TinyDB) -> str | None:
        """What must be written before the records can be read; None when nothing."""
        journal = restore_journal(self.locations)
        if journal is not None and journal.to_finish:
            return "store.task.finish_restore"
        if self._check_schema(db) < SCHEMA_VERSION:
            return "store.task.migrate"
        if any(trusted_move(move) for move in db.table(MOVING).all()):
            return "store.task.finish_move"
        return None

    def _file(self, name: str) -> TinyDB:
        if name not in self._files:
            self._files[name] = TinyDB(self.locations.file(name), storage=DurableStorage)
        return self._files[name]

    def _table(self, file_name: str, table: str = INCIDENTS) -> Table:
        return self._file(file_name).table(table)

    @contextmanager
    def reading(self) -> Iterator[TinyDB]:
        """Hold the lock, with every table re-read from disk, to read; nothing is written."""
        with self._lock.held(write=False):
            self._forget_what_was_read()
            yield self._db

    @contextmanager
    def transaction(self) -> Iterator[TinyDB]:
        """Hold the lock, with every table re-read from disk, for one read-modify-write.

        The first one makes the data directory if need be and gets it ready for writing. A
        refusal of the operating system is a CannotWrite; what was there is kept.
        """
        if not self._ready:
            ensure_home(self.home)
        with self._lock.held(write=True):
            self._forget_what_was_read()
            try:
                self._get_ready(self._db)
                yield self._db
            except (StoreError, OSError):
                self._unsure = True
                raise

    def _forget_what_was_read(self) -> None:
        for database in self._files.values():
            for table in database._tables.values():
                table.clear_cache()
                table._next_id = None  # another process may have inserted since

    def _get_ready(self, db: TinyDB) -> None:
        """Before the first change: finish what a crash cut short, clear what it left, bring
        the schema up to date, and say in a new database which schema it is written in."""
        if self._ready and not self._unsure:
            return
        if not self._ready:
            finish_restore(self.locations)
            remove_stale_staging(self.locations)
            self._remove_stale_temp_files()
            found = self._check_schema(db)
            if found < SCHEMA_VERSION:
                filing = self._schema_1_filing(db) if found < 2 else []  # checked first
                make_backup(self, reason=f"before-schema-{SCHEMA_VERSION}")
                self._migrate(db, found, filing)
            elif db.table("_meta").get(doc_id=1) is None:
                db.table("_meta").insert({"schema": SCHEMA_VERSION})
        self._finish_moves(db)
        self._ready, self._unsure = True, False

    # The schema

    def _check_schema(self, db: TinyDB) -> int:
        """The schema the database is written in; a new (empty) one is in the current one."""
        record = db.table("_meta").get(doc_id=1)
        if record is None:
            if db.tables() - {"_meta"}:
                raise DamagedDatabase(self.path, phrase("store.reason.no_schema"))
            return SCHEMA_VERSION
        found = record.get("schema")
        if type(found) is not int:
            raise DamagedDatabase(self.path, phrase("store.reason.no_schema"))
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(self.path, found)
        return found

    def _migrate(self, db: TinyDB, found: int, filing: list[tuple[str, dict[str, Any]]]) -> None:
        if found < 2:
            # Schema 1 kept every incident in posdesk.json; a write then rewrote the whole
            # history. Each goes to its file first; only then are they dropped from here.
            for name, record in filing:
                self._table(name).insert(record)
            db.drop_table(INCIDENTS)
        db.table("_meta").update({"schema": SCHEMA_VERSION}, doc_ids=[1])

    def _schema_1_filing(self, db: TinyDB) -> list[tuple[str, dict[str, Any]]]:
        """Each incident of a schema 1 posdesk.json with the file it goes in, leaving out those
        a migration cut short has filed already. Nothing is ever written over: a record that
        does not read, or one whose id is filed with other contents, is a DamagedDatabase
        naming it, before anything is written."""
        filing: dict[str, tuple[str, dict[str, Any]]] = {}
        for document in db.table(INCIDENTS).all():
            record = dict(document)
            try:
                closed = Incident.from_dict(record).resolved
            except BadRecord as error:
                raise DamagedDatabase(self.path, _unreadable(document.doc_id, record, error)) \
                    from None
            incident_id = record["id"]
            filed = {**record, "closed": closed}
            name = incident_file(incident_id, closed)
            there = [(other, dict(doc)) for other in (OPEN_INCIDENTS, closed_file(incident_id))
                     for doc in self._table(other).search(where("id") == incident_id)]
            if incident_id in filing:
                there.append(filing[incident_id])
            if any(found != filed for _, found in there):
                other = next(other for other, found in there if found != filed)
                raise DamagedDatabase(self.path, phrase("store.reason.filed_twice",
                                                        id=incident_id, other=other))
            if not there:
                filing[incident_id] = (name, filed)
        return list(filing.values())

    @property
    def schema_version(self) -> int:
        with self.reading() as db:
            return self._check_schema(db)

    def _remove_stale_temp_files(self) -> None:
        """Temp files a killed process left behind. Those of the database's own files are
        written only under the lock, which we hold: they go at once. Backups, reports and
        output written elsewhere are written without it: theirs go once untouched for an hour."""
        now = time.time()
        for folder in (self.home, self.locations.backups, self.locations.reports):
            if folder != self.home and not is_real_folder(folder):
                continue
            for leftover in folder.glob(f".*{TEMP_SUFFIX}"):
                found = TEMP_NAME.fullmatch(leftover.name)
                if found is None:
                    continue
                ours = folder == self.home and (
                    is_database_name(found["name"]) or found["name"] in OWN_NAMES)
                try:
                    if ours or abs(now - leftover.lstat().st_mtime) > STALE_SECONDS:
                        leftover.unlink()
                except OSError:
                    pass  # in the way of nothing: the next writer tries again

    def files(self) -> list[Path]:
        """Every file of the database, the main one first."""
        incident_files = sorted(p for p in self.home.glob("incidents-*.json")
                                if is_database_name(p.name))
        return [self.path, *incident_files]

    # Settings

    def settings(self) -> Settings:
        with self.reading() as db:
            record = db.table("settings").get(doc_id=1)
        return Settings.from_dict(dict(record) if record else {})

    def change_settings(self, change: Callable[[Settings], None]) -> Settings:
        """Read the settings, let `change` change them, write them back: one step under the
        lock, so that two processes changing different settings keep both changes."""
        with self.transaction() as db:
            record = db.table("settings").get(doc_id=1)
            settings = Settings.from_dict(dict(record) if record else {})
            change(settings)
            db.table("settings").upsert(Document(settings.to_dict(), doc_id=1))
        return settings

    # Plain record tables in posdesk.json: terminals, the routine log, …

    def records(self, table: str) -> list[dict[str, Any]]:
        with self.reading() as db:
            return [dict(doc) for doc in db.table(table).all()]

    def add_record(self, table: str, record: dict[str, Any]) -> None:
        with self.transaction() as db:
            db.table(table).insert(record)

    def change_record(self, table: str, key: str,
                      change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any] | None:
        """Read the record whose "id" is `key`, let `change` make the new one, write it back:
        one step under the lock, so that two processes changing different fields of one record
        keep both changes. None when there is no such record; what `change` raises leaves the
        record as it was."""
        with self.transaction() as db:
            found = db.table(table).get(where("id") == key)
            if found is None:
                return None
            changed = change(dict(found))
            db.table(table).update(changed, doc_ids=[found.doc_id])
        return changed

    def add_numbered(self, table: str, record: dict[str, Any], prefix: str,
                     is_id: Callable[[object], bool]) -> dict[str, Any]:
        """Store `record` under the next free id `prefix`1, `prefix`2, … worked out inside the
        lock, so that two processes adding at once never take the same one. Only ids `is_id`
        accepts count (a hand-edited one of thousands of digits is no number to go on from)."""
        def number_of(given: object) -> int | None:
            return int(given[len(prefix):]) if is_id(given) and given.startswith(prefix) else None

        return self.add_numbered_by(table, number_of, lambda n: {**record, "id": f"{prefix}{n}"})

    def add_numbered_by(self, table: str, number_of: Callable[[object], int | None],
                        make: Callable[[int], dict[str, Any]]) -> dict[str, Any]:
        """Store the record `make` writes for the next free number: one more than the highest
        `number_of` finds in the ids of the table, worked out inside the lock."""
        with self.transaction() as db:
            taken = [n for doc in db.table(table).all() if (n := number_of(doc.get("id")))]
            stored = make(1 + max(taken, default=0))
            db.table(table).insert(stored)
        return stored

    def close(self) -> None:
        for database in self._files.values():
            database.close()


def _unreadable(key: int, record: dict[str, Any], error: BadRecord) -> Phrase:
    """Why an incident cannot be read, naming it by its id (or its number in the table)."""
    given = record.get("id")
    name = shown_text(given) if isinstance(given, str) and given.strip() else f"#{key}"
    return phrase("store.reason.bad_record", id=name, problem=problem_of(error))
