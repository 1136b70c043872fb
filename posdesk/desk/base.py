"""What every part of the desk shares: the shop's store, the knowledge base, the clock, the
refusals a person is told, and the one place where a stored record becomes a model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from posdesk import privacy
from posdesk.i18n import ToldError, phrase
from posdesk.kb import KnowledgeBase
from posdesk.models import BadRecord, Incident
from posdesk.store import Store
from posdesk.store.locations import Locations

Clock = Callable[[], datetime]
Model = TypeVar("Model")


def local_now() -> datetime:
    return datetime.now().astimezone()


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class UnknownId(LookupError):
    """No topic, step or record has this id."""


class NotAllowed(ToldError, ValueError):
    """The change makes no sense for this incident or topic now; the message says why."""

    def __init__(self, reason: str, **values: object) -> None:
        self.reason = reason
        super().__init__(phrase(f"refused.{reason}", **values))


class EmptyText(ToldError, ValueError):
    """A text that must say something was empty; the message says which."""

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(phrase(f"empty.{field}"))


def refuse_if(condition: bool, why: str) -> None:
    if condition:
        raise NotAllowed(why)


@dataclass(frozen=True)
class Saved:
    """An incident after a change, and how many card numbers were masked in what was typed."""

    incident: Incident
    masked: int = 0


class DeskBase:
    """The shop's records for one data directory, and the shipped knowledge base."""

    def __init__(self, locations: Locations | str | Path | None = None,
                 kb: KnowledgeBase | None = None, clock: Clock = local_now) -> None:
        # Resolved once (a path or None, here): the store, backups and reports use these.
        self.locations = Locations.resolve(locations)
        self.home = self.locations.home
        self._kb = kb
        self._clock = clock
        self._store: Store | None = None
        self._unreadable: dict[str, int] = {}  # per file or table, as last read

    @property
    def shipped_kb(self) -> KnowledgeBase:
        """The knowledge base as shipped with posdesk."""
        if self._kb is None:
            self._kb = KnowledgeBase.open()
        return self._kb

    @property
    def kb(self) -> KnowledgeBase:
        """The guidance the desk works from (the shop's own is added in desk.learning)."""
        return self.shipped_kb

    @property
    def store(self) -> Store:
        """Opened on first use, so reading guidance never touches the shop's records; opening
        it writes nothing (see posdesk.store)."""
        if self._store is None:
            self._store = Store(self.locations)
        return self._store

    def _close_store(self) -> None:
        """Let go of the store, to be opened again on next use (after a restore, which may
        have brought an older schema that opening migrates)."""
        if self._store is not None:
            self._store.close()
            self._store = None
        self._unreadable.clear()

    def now(self) -> datetime:
        """The desk's clock: the local time now (a fixed one in tests)."""
        return self._clock()

    def _now(self) -> str:
        return iso(self._clock())

    # Records read from the store: every one becomes a model here, and only here.

    def _model(self, build: Callable[[dict[str, Any]], Model], record: dict[str, Any],
               texts: dict[str, str] | None = None) -> Model:
        """A stored record as its model: every text in it cleaned on the way out (a restored
        or hand-edited file may hold escape sequences or a full card number), then checked by
        `build`, which raises BadRecord when the record does not have the model's shape.
        `texts` remembers texts already cleaned, for many records read at once."""
        return build(privacy.clean_stored(record, texts))

    def _models(self, source: str, build: Callable[[dict[str, Any]], Model],
                records: list[dict[str, Any]]) -> list[Model]:
        """The records of one file or table that can be read; how many could not is kept for
        unreadable_records."""
        return list(self._each_model(source, build, records))

    def _each_model(self, source: str, build: Callable[[dict[str, Any]], Model],
                    records: Iterable[dict[str, Any]]) -> Iterator[Model]:
        """`_models` one at a time, for a file read by a listing that keeps only what it needs
        of each; the count of those that could not be read is kept once all were read."""
        texts: dict[str, str] = {}  # a history repeats its keys, kinds and titles many times
        unreadable = 0
        for record in records:
            try:
                model = self._model(build, record, texts)
            except BadRecord:
                unreadable += 1
                continue
            yield model
        self._unreadable[source] = unreadable

    def unreadable_records(self) -> int:
        """How many records the latest reading of each file and table had to leave out because
        they cannot be read (`posdesk doctor` names each one)."""
        return sum(self._unreadable.copy().values())  # a worker may be reading meanwhile
