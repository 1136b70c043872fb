"""Reading the history: file by file, newest first, as much as a question needs.

The open incidents have their own small file; resolved ones a file per month. A listing for
the screen keeps an `IncidentRow` per incident (see `listing`); a listing for the command line
or an export streams whole incidents a month at a time, in the order the screen shows them."""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

from posdesk import privacy
from posdesk.desk.base import DeskBase
from posdesk.desk.listing import IncidentList, IncidentRow, RowMaker
from posdesk.desk.listing import newest_first as newest_rows
from posdesk.models import BadRecord, Incident, IncidentFilter
from posdesk.models.incidents import closes
from posdesk.store import OPEN_INCIDENTS
from posdesk.store.incident_files import newest_first
from posdesk.store.stream import IncidentFileReader, Place
from posdesk.store.layout import CLOSED_PATTERN


class HistoryReading(DeskBase):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Per incident file: its signature, its rows and how many records it holds that could
        # not be read; and the whole list, with the signatures it was made from.
        self._rows: dict[str, tuple[object, list[IncidentRow], int]] = {}
        self._listing: tuple[object, IncidentList] | None = None
        self._row = RowMaker()

    def _close_store(self) -> None:
        super()._close_store()
        self._rows.clear()
        self._listing = None

    def each_incident(self, chosen: IncidentFilter | None = None) -> Iterator[Incident]:
        """The incidents `chosen` lets through, newest first (as `find_incidents` orders them),
        read a file at a time: open and escalated ones from their own file only, resolved ones
        month by month, the latest first. Of a file, only where each record lies and when it
        opened is kept; the records are read back from it one at a time in the order they are
        given, so what is held at once is that much of a month or two and one incident,
        however long the history. Every file is opened under one hold of the lock and read
        after it: a stream may wait on its reader, and the store replaces a file whole, so
        what was opened stays as it was — one moment's history, even when another process
        moves an incident between files meanwhile."""
        if chosen == IncidentFilter():
            chosen = None  # nothing to test, not even the words each incident holds
        # Incidents not closed are kept in the file of open incidents, and only there.
        unfinished_only = chosen is not None and chosen.status is not None \
            and not closes(chosen.status)
        opened: dict[str, IncidentFileReader] = {}
        try:
            with self.store.reading():
                files = [name for name, _ in self.store.incident_files()]  # months, then open
                pending = [name for name in newest_first(files)
                           if not unfinished_only or name == OPEN_INCIDENTS]
                for name in pending:
                    opened[name] = self.store.open_incident_file(name)
        except BaseException:
            for reader in opened.values():
                reader.close()
            raise
        texts = _Texts()
        # Newest first: (-opened, the file's rank, the record's index, where it is or the
        # incident itself); equal times keep the files' order.
        waiting: list[tuple[float, int, int, Place | Incident]] = []
        readers: dict[int, tuple[IncidentFileReader, list[int]]] = {}  # by rank: places left
        try:
            while pending or waiting:
                # Note the next file before giving an incident it might hold a later one than.
                if pending and (not waiting or -waiting[0][0] <= _latest_in(pending[0])):
                    name = pending.pop(0)
                    self._note_file(name, opened.pop(name), files.index(name), texts, waiting,
                                    readers)
                    continue
                _, rank, _, held = heapq.heappop(waiting)
                incident = held if isinstance(held, Incident) else \
                    self._read_back(files[rank], readers, rank, held, texts)
                if incident is not None and (chosen is None or chosen.matches(incident)):
                    yield incident
        finally:
            for reader, _ in readers.values():
                reader.close()
            for reader in opened.values():  # files a stream stopped before
                reader.close()

    def _note_file(self, name: str, reader: IncidentFileReader, rank: int, texts: _Texts,
                   waiting: list[tuple[float, int, int, Place | Incident]],
                   readers: dict[int, tuple[IncidentFileReader, list[int]]]) -> None:
        """Put a file's records on `waiting`: of a month, where each lies and when it opened
        (the reader kept in `readers` to read them back); of the open file, which is small by
        nature, the incidents themselves, each made once."""
        self._unreadable[name] = 0
        if name == OPEN_INCIDENTS:
            with reader:
                noted = reader.note(lambda record: self._readable(record, texts.seen()))
            for index, (incident, _) in enumerate(noted):
                if incident is None:
                    self._unreadable[name] += 1
                else:
                    heapq.heappush(waiting, (-incident.opened_moment.timestamp(), rank, index,
                                             incident))
            return
        readers[rank] = (reader, [0])  # closed when its last record is read back
        for index, (opened, place) in enumerate(reader.note(texts.opening)):
            heapq.heappush(waiting, (-opened, rank, index, place))
        readers[rank][1][0] = len(reader.places)
        reader.places = []  # the heap has them
        if not readers[rank][1][0]:
            readers.pop(rank)[0].close()

    def _read_back(self, name: str, readers: dict[int, tuple[IncidentFileReader, list[int]]],
                   rank: int, place: Place, texts: _Texts) -> Incident | None:
        """The incident at `place` in a month's file, None when it cannot be read (counted)."""
        reader, left = readers[rank]
        record = reader.record(place)
        left[0] -= 1
        if not left[0]:
            readers.pop(rank)[0].close()
        incident = self._readable(record, texts.seen())
        if incident is None:
            self._unreadable[name] += 1
        return incident

    def _readable(self, record: dict, texts: dict[str, str]) -> Incident | None:
        """A record's incident, or None when it cannot be read."""
        try:
            return self._model(Incident.from_dict, record, texts)
        except BadRecord:
            return None

    def incident_list(self, on_progress: Callable[[IncidentList], None] | None = None,
                      first_page: int = 50) -> IncidentList:
        """What a listing needs of every incident, newest first; each file is read again only
        when it has changed. With `on_progress`, the newest `first_page` incidents are read
        first (the open file, then the latest months' newest records) and handed to it, then
        the list so far after each month read, the latest first. Whatever changed meanwhile is
        read again at the end under one hold of the lock, so that a move between files never
        shows half of the old history beside half of the new."""
        files = self.store.incident_files()
        if self._listing is not None and self._listing[0] == files:
            return self._listing[1]
        signatures = dict(files)
        order = newest_first(list(signatures))
        months = len(order) - (OPEN_INCIDENTS in signatures)
        early: dict[str, IncidentFileReader] = {}
        try:
            if on_progress is not None:
                on_progress(self._first_page(order, signatures, first_page, months, early))
            read: dict[str, list[IncidentRow]] = {}
            for name in order:
                read[name] = self._rows_of(name, signatures[name], early.pop(name, None))
                if on_progress is not None and name != OPEN_INCIDENTS:
                    on_progress(IncidentList(_rows_newest_first(read), len(read) - 1, months))
        finally:
            for reader in early.values():
                reader.close()
        with self.store.reading():
            files = self.store.incident_files()
            read = {name: self._rows_of(name, signature) for name, signature in files}
        listing = IncidentList(_rows_newest_first(read), months, months)
        self._listing = (files, listing)
        return listing

    def _rows_of(self, name: str, signature: object,
                 early: IncidentFileReader | None = None) -> list[IncidentRow]:
        """The rows of one incident file, read again only when its signature changed; read a
        record at a time (in a worker, the screen then gets its turns), or from `early`, the
        file as `_first_page` opened it."""
        cached = self._rows.get(name)
        if cached is None or cached[0] != signature or signature is None:
            if early is not None and early.signature != signature:
                early.close()
                early = None
            texts: dict[str, str] = {}  # a history repeats its keys, kinds and titles
            with early or self.store.open_incident_file(name) as reader:
                if early is None:
                    made = [row for row, _ in reader.note(lambda r: self._row_of(r, texts))]
                else:
                    made = [self._row_of(record, texts) for record in reader.records()]
            rows = [row for row in made if row is not None]
            cached = (reader.signature, rows, len(made) - len(rows))
            self._rows[name] = cached
        self._unreadable[name] = cached[2]
        return cached[1]

    def _row_of(self, record: dict, texts: dict[str, str]) -> IncidentRow | None:
        """A record's row, or None when it cannot be read."""
        incident = self._readable(record, texts)
        return None if incident is None else self._row(incident)

    def _first_page(self, order: list[str], signatures: dict[str, object], count: int,
                    months: int, early: dict[str, IncidentFileReader]) -> IncidentList:
        """The newest `count` incidents: of the open file, then of each month, the latest
        first, only where each record lies and when it opened is kept, and the records that
        open latest are made into rows (the whole file follows, from the file as it was opened
        here, kept in `early`)."""
        found: dict[str, list[IncidentRow]] = {}
        for name in order:
            cached = self._rows.get(name)
            if cached and cached[0] == signatures[name]:
                found[name] = self._rows_of(name, signatures[name])
            else:
                reader = early[name] = self.store.open_incident_file(name)
                newest = heapq.nlargest(count, reader.note(_recorded_opening),
                                        key=lambda noted: noted[0])
                texts: dict[str, str] = {}
                made = (self._row_of(reader.record(place), texts) for _, place in newest)
                found[name] = [row for row in made if row is not None]
            if name != OPEN_INCIDENTS and sum(map(len, found.values())) >= count:
                break
        return IncidentList(_rows_newest_first(found), 0, months)

    def find_incidents(self, chosen: IncidentFilter, sort: str = "opened",
                       descending: bool = True, lang: str = "en") -> list[IncidentRow]:
        """The incidents `chosen` lets through, as listing rows, sorted by one of SORT_KEYS as
        read in `lang` (`incident(row.id)` reads one whole)."""
        return self.incident_list().find(chosen, sort, descending, lang)


def _rows_newest_first(read: dict[str, list[IncidentRow]]) -> list[IncidentRow]:
    return newest_rows(read[name] for name in sorted(read))  # months, then open (its name)


class _Texts:
    """Texts already cleaned, shared by the records of a stream, and forgotten when they come
    to much, so that a long history's many different notes are not all kept."""

    KEPT = 50_000  # characters
    CHECKED = 32  # records between two looks at how much is kept

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}
        self._since = 0

    def seen(self) -> dict[str, str]:
        self._since += 1
        if self._since >= self.CHECKED:
            self._since = 0
            if sum(map(len, self._seen)) > self.KEPT:
                self._seen.clear()
        return self._seen

    def opening(self, record: dict) -> float:
        """When a stored record was opened, read from it as its model will read it, cleaned
        (so that the order is the models'), but only the texts on the way there are cleaned;
        a record that does not say is not one (it sorts last)."""
        try:
            seen = self.seen()
            first = _cleaned_field(record, "events", seen)[0]
            at = privacy.clean_stored(_cleaned_field(first, "at", seen), seen)
            return datetime.fromisoformat(at).timestamp()
        except Exception:  # noqa: BLE001 - any shape at all: it is found unreadable later
            return -math.inf


def _cleaned_field(value: dict, name: str, seen: dict[str, str]) -> object:
    """What `privacy.clean_stored(value)[name]` holds, before its own texts are cleaned: the
    last item whose key reads `name` once cleaned (a key may lose a control character)."""
    found = None
    for key, item in value.items():
        if key == name or privacy.clean_stored(key, seen) == name:
            found = item
    return found


def _recorded_opening(record: object) -> float:
    """When a stored record says it was opened, without reading it as a model: only to choose
    which records of a month to read first (a record that does not say sorts last)."""
    try:
        return datetime.fromisoformat(record["events"][0]["at"]).timestamp()
    except Exception:  # noqa: BLE001 - any shape at all: it is read properly later
        return -math.inf


def _latest_in(name: str) -> float:
    """The latest moment an incident in this file can have opened at: a month's file holds
    those opened in that month on the clock of where they were recorded (no zone is more than
    fourteen hours behind UTC); the open file, any."""
    found = CLOSED_PATTERN.fullmatch(name)
    if found is None:
        return math.inf
    year, month = map(int, found[1].split("-"))
    after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=timezone.utc)
    return (after + timedelta(hours=14)).timestamp()
