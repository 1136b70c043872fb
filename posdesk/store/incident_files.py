"""The incident files of the store: open incidents in one small file, resolved ones in a file
per month they were opened (see posdesk.store). Incidents are kept as plain records; `desk`
turns them into models. A record's "closed" flag says which file it belongs in.

Reading goes file by file, so that a question about open incidents reads only their file and a
long history can be read a month at a time, the newest first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB, where
from tinydb.table import Document

from posdesk.models import IncidentId
from posdesk.store.layout import (
    CLOSED_PATTERN, INCIDENTS, MOVE_JOURNAL, OPEN_INCIDENTS, closed_file, incident_file,
    trusted_move,
)
from posdesk.store.stream import IncidentFileReader, Signature


class IncidentFiles:
    """The Store's incidents (a part of the Store: it uses its files, lock and transactions)."""

    _files: dict[str, TinyDB]

    def add_incident(self, record: dict[str, Any], day: str) -> dict[str, Any]:
        """Store a new incident under the next free id of `day` ("20261125-001")."""
        with self.transaction():
            of_day = where("id").test(IncidentId.belongs_to, day)
            taken = [doc["id"] for name in (OPEN_INCIDENTS, closed_file(day))
                     for doc in self._table(name).search(of_day)]
            stored = {**record, "id": str(IncidentId.next_of_day(day, taken))}
            self._table(incident_file(stored["id"], stored.get("closed"))).insert(stored)
        return stored

    def add_incidents(self, records: list[dict[str, Any]]) -> None:
        """Many incidents with their ids already given, in one write per file (for imports)."""
        by_file: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            name = incident_file(record["id"], record.get("closed"))
            by_file.setdefault(name, []).append(record)
        with self.transaction():
            for name, batch in by_file.items():
                self._table(name).insert_multiple(batch)

    def update_incident(
        self, incident_id: str, change: Callable[[dict[str, Any]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Read the incident, apply `change`, write it back: one step under the lock.

        The guided flow's hot path: the small file of open incidents is read once and written
        once. When the change resolves or reopens the incident, it moves file: the journal in
        posdesk.json names the move, the new file gets it, the old one loses it, the journal is
        cleared. A crash anywhere in between is finished on the next start.
        """
        with self.transaction() as db:
            for source in (OPEN_INCIDENTS, closed_file(incident_id)):
                storage = self._file(source).storage
                data = storage.read() or {}
                documents = data.setdefault(INCIDENTS, {})
                key = next((k for k, doc in documents.items() if doc.get("id") == incident_id),
                           None)
                if key is not None:
                    break
            else:
                raise KeyError(incident_id)
            updated = change(dict(documents[key]))
            target = incident_file(incident_id, updated.get("closed"))
            if target == source:
                documents[key] = updated
                storage.write(data)
                return updated
            db.table(MOVE_JOURNAL).insert({"id": incident_id, "from": source, "to": target})
            self._table(target).insert(updated)
            del documents[key]
            storage.write(data)
            db.table(MOVE_JOURNAL).truncate()
        return updated

    def take_back_incident(self, incident_id: str) -> None:
        """Remove an open incident that was just added, because what had to be written with it
        could not be (a full disk): the only way an incident ever leaves the record."""
        with self.transaction():
            self._table(OPEN_INCIDENTS).remove(where("id") == incident_id)

    def _finish_moves(self, db: TinyDB) -> None:
        """Complete a move a crash interrupted: where the new file has it, the old one must not.

        Only entries naming a move the store could have made are acted on (a journal restored
        or edited by hand may name any file); the others wait for doctor to name them, and go
        when the journal is next cleared.
        """
        moves = [move for move in db.table(MOVE_JOURNAL).all() if trusted_move(move)]
        if not moves:
            return
        for move in moves:
            arrived = self._table(move["to"]).get(where("id") == move["id"])
            if arrived is not None:
                self._table(move["from"]).remove(where("id") == move["id"])
        db.table(MOVE_JOURNAL).truncate()

    def _find(self, incident_id: str) -> tuple[str, Document | None]:
        for name in (OPEN_INCIDENTS, closed_file(incident_id)):
            found = self._table(name).get(where("id") == incident_id)
            if found is not None:
                return name, found
        return OPEN_INCIDENTS, None

    def incident(self, incident_id: str) -> dict[str, Any] | None:
        if not IncidentId.is_valid(incident_id):
            return None
        with self.reading():
            return _plain(self._find(incident_id)[1])

    def incident_files(self) -> list[tuple[str, Signature]]:
        """Each incident file with its signature, which changes whenever it is written."""
        return [(path.name, _signature(path)) for path in self.files()[1:]]

    def open_incident_file(self, file_name: str) -> IncidentFileReader:
        """One incident file opened under the lock, to be read after it (`note`, `record`): the
        store replaces a file whole, so what was opened stays as it was. Close it once read."""
        with self.reading():
            return IncidentFileReader(self.locations.file(file_name))

    def incident_records(self, file_name: str) -> list[dict[str, Any]]:
        return self.read_incident_file(file_name)[1]

    def read_incident_file(self, file_name: str) -> tuple[Signature, list[dict[str, Any]]]:
        """The records of one incident file, with the signature it had when they were read."""
        with self.reading():
            signature = _signature(self.locations.file(file_name))
            data = self._file(file_name).storage.read() or {}  # TinyDB's copies cost a third
            return signature, list(data.get(INCIDENTS, {}).values())


def newest_first(names: list[str]) -> list[str]:
    """Incident files in the order a listing reads them: the open incidents first (they may be
    of any month), then the months, the latest first."""
    months = sorted((name for name in names if CLOSED_PATTERN.fullmatch(name)), reverse=True)
    return [name for name in names if name == OPEN_INCIDENTS] + months


def _plain(document: Document | None) -> dict[str, Any] | None:
    return dict(document) if document is not None else None


def _signature(path: Path) -> Signature:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)
