"""Chain mode for a shop: joining a chain's central database, syncing with it, and what the
shop knows of it without the network (its last sync, what waits, the chain's figures).

posdesk.central (and psycopg with it) is imported only inside the methods that use the network,
so a shop that never joined a chain never loads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posdesk import privacy
from posdesk.desk.routines import RoutinesDesk
from posdesk.i18n import phrase
from posdesk.models import BadRecord, Incident
from posdesk.models.chain import ChainFigure, ChainLink, SyncState, SyncStatus
from posdesk.store.durable import atomic_write_json, ensure_home
from posdesk.store.errors import CannotWrite
from posdesk.store.lock import DirectoryLock, LockTimeout
from posdesk.store.reading import NotRegularFile, TooBig, read_regular

if TYPE_CHECKING:
    from posdesk.central import CentralError

LEAVE_WAIT_SECONDS = 30  # for a pass under way to finish before the shop leaves the chain


# A link is four short lines of text: anything larger was not written by posdesk.
LINK_LIMIT = 64 * 1024


def _refused(key: str, **values: object) -> CentralError:
    from posdesk.central import CentralError

    return CentralError(key, **values)



@dataclass(frozen=True)
class SyncReport:
    """One pass, as the person or a scheduled job is told it."""

    events: int = 0
    incidents: int = 0
    routines: int = 0
    terminals: int = 0
    waiting: int = 0
    diverged: tuple[str, ...] = ()
    busy: bool = False  # another pass was running: this one did nothing
    error: CentralError | None = None
    finished_at: str | None = None
    flags: int = 0  # the shop's flags sent (new, or newly withdrawn)
    chain_topics: int = 0  # the chain's guidance as pulled: topics and notes published now
    chain_notes: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None and not self.busy

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "busy": self.busy, "sent": {
                    "events": self.events, "incidents": self.incidents,
                    "routines": self.routines, "terminals": self.terminals,
                    "flags": self.flags},
                "chain_guidance": {"topics": self.chain_topics, "notes": self.chain_notes},
                "waiting": self.waiting, "diverged": list(self.diverged),
                "error": str(self.error) if self.error else None,
                "detail": self.error.detail if self.error else None,
                "finished_at": self.finished_at}


class ChainDesk(RoutinesDesk):
    def chain_link(self) -> ChainLink | None:
        """The chain this installation joined (None when it joined none); no network. A link
        file that cannot be read is a CentralError: the shop must not stop syncing unheard."""
        try:
            raw = read_regular(self.locations.chain_link, LINK_LIMIT)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise _refused("link_unreadable", path=self.locations.chain_link,
                           reason=error.strerror or str(error)) from None
        except (NotRegularFile, TooBig):  # a pipe would wait for ever, /dev/zero never end
            raise _refused("link_unreadable", path=self.locations.chain_link,
                           reason="not a chain link") from None
        try:
            return self._model(ChainLink.from_dict, json.loads(raw))
        except (ValueError, RecursionError, BadRecord):
            raise _refused("link_unreadable", path=self.locations.chain_link,
                           reason="not a chain link") from None

    def join_chain(self, shop_id: str, name: str, dsn: str) -> ChainLink:
        """Join the chain's central database as `shop_id`: checked first by connecting as the
        shop's role, then kept in chain.json beside the database. The password is never kept
        (see parse_dsn). What the shop knew of a chain it joined before is forgotten: the next
        pass asks this one."""
        from posdesk.central.connection import opened, parse_dsn
        from posdesk.central.schema import SCHEMA, check_version
        from posdesk.central.shops import check_shop_id, check_shop_name

        check_shop_id(shop_id)
        name = check_shop_name(privacy.clean(name).text)
        dsn = dsn.strip()
        if not dsn:  # kept for every later pass: the environment of that moment may differ
            raise _refused("empty_dsn")
        parse_dsn(dsn)
        with opened(dsn) as connection:
            check_version(connection)
            mine = connection.execute(f"SELECT {SCHEMA}.my_shop()").fetchone()[0]
            if mine != shop_id:
                raise _refused("not_this_shop", shop=shop_id, role=connection.info.user)
        link = ChainLink(shop_id, name, dsn, self._now())
        self._keep(self.locations.chain_link, link.to_dict())
        self.locations.sync_state.unlink(missing_ok=True)
        self.locations.chain_guidance.unlink(missing_ok=True)
        return link

    def leave_chain(self) -> None:
        """Stop syncing: the link and what the shop knew of the chain (its figures, notes and
        topics) go; the shop's records and the central database's rows stay."""
        if not self.locations.chain_link.exists():
            raise _refused("not_joined")
        # A pass running now (the app's, or cron's) finishes first: it would write its state
        # back after the shop left.
        lock = DirectoryLock(self.locations.sync_lock, LEAVE_WAIT_SECONDS)
        try:
            lock.acquire()
        except LockTimeout:
            raise _refused("sync_running") from None
        try:
            self.locations.chain_link.unlink()
            self.locations.sync_state.unlink(missing_ok=True)
            # The chain's notes and topics are the chain's: the shop's notes on them stay,
            # listed as orphaned.
            self.locations.chain_guidance.unlink(missing_ok=True)
        finally:
            lock.release()

    # What the shop knows without the network

    def _sync_state(self) -> SyncState:
        try:
            raw = json.loads(read_regular(self.locations.sync_state))
        except (OSError, ValueError, RecursionError, NotRegularFile):
            return SyncState()  # none yet, or damaged: the next pass asks the database
        return SyncState.from_dict(raw)

    def _keep(self, path: Path, data: Any) -> None:
        """Chain mode's own files, beside the database: written whole or not at all."""
        try:
            ensure_home(self.home)
            atomic_write_json(path, data)
        except OSError as error:
            raise CannotWrite(path, error) from None

    def keep_chain_guidance(self, data: dict[str, Any]) -> None:
        """The chain's notes and topics as a pass pulled them, written whole (desk.learning
        reads them), every text cleaned: rows written to the central database by other means
        than posdesk may hold a full card number or a control sequence. A topic or note
        nested too deep to clean is left out."""
        kept: dict[str, Any] = {"pulled_at": data.get("pulled_at")}
        for part in ("topics", "notes"):
            kept[part] = [cleaned for item in data.get(part) or []
                          if (cleaned := _cleaned_guidance(item)) is not None]
        self._keep(self.locations.chain_guidance, kept)

    def _keep_sync_state(self, state: SyncState) -> None:
        self._keep(self.locations.sync_state, state.to_dict())

    def sync_status(self) -> SyncStatus:
        """Never raises: a link that cannot be read is told as the status's error."""
        from posdesk.central import CentralError

        try:
            link = self.chain_link()
        except CentralError as error:
            return SyncStatus(True, None, None, None, str(error), error.phrase)
        if link is None:
            return SyncStatus(joined=False)
        state = self._sync_state()
        said = (phrase(f"central.{state.last_error_key}", **state.last_error_values)
                if state.last_error_key else None)
        return SyncStatus(True, link.shop_id, state.last_synced, state.waiting,
                          state.last_error, said)

    def chain_figures(self) -> dict[str, ChainFigure]:
        """The chain's figure per step as the last sync brought it; kept for working offline."""
        return self._sync_state().figures if self.chain_link() is not None else {}

    # The network

    def sync_once(self, batch_events: int | None = None,
                  after_batch: Any = None) -> SyncReport:
        """One pass (see posdesk.central.sync): what the database lacks goes out, the chain's
        figures come back. A failure is in the report, not raised: the records are untouched
        and the next pass picks up where this one stopped."""
        link = self.chain_link()
        if link is None:
            raise _refused("not_joined")
        lock = DirectoryLock(self.locations.sync_lock, 0)
        try:
            lock.acquire()
        except LockTimeout:
            return SyncReport(busy=True)
        try:
            return self._sync_holding_lock(link, batch_events, after_batch)
        finally:
            lock.release()

    def _sync_holding_lock(self, link: ChainLink, batch_events: int | None,
                           after_batch: Any) -> SyncReport:
        from posdesk.central import CentralError
        from posdesk.central.connection import opened
        from posdesk.central.guidance import pull_guidance, send_flags
        from posdesk.central.sync import BATCH_EVENTS, send, waiting_count

        state = self._sync_state()
        read = self._outgoing(link, state.settled_files)
        outgoing = read.outgoing
        state.last_tried = self._now()
        try:
            with opened(link.dsn) as connection:
                sent = send(connection, outgoing, batch_events or BATCH_EVENTS, after_batch,
                            read_all=lambda: self._outgoing(link, {}, into=read).outgoing)
                # The shop's flags out (withdrawals too), the chain's guidance back.
                flags = send_flags(connection, link.shop_id,
                                   [flag.to_dict() for flag in self.step_flags(withdrawn=True)])
                guidance = pull_guidance(connection)
        except CentralError as error:
            state.last_error, state.last_error_key = str(error), error.key
            state.last_error_values = {k: str(v) for k, v in error.phrase.values.items()}
            state.waiting = waiting_count(outgoing, state.held_events, state.held_routines,
                                          state.held_terminals)
            self._keep_sync_state(state)
            return SyncReport(waiting=state.waiting, error=error)
        outgoing = sent.outgoing or outgoing
        # Incidents of files left unread keep what the last pass learnt of them.
        state.held_events = {**state.held_events, **sent.held_events}
        state.held_routines, state.held_terminals = sent.held_routines, sent.held_terminals
        state.settled_files = read.settled(state.settled_files, sent.held_events, sent.diverged)
        state.waiting = waiting_count(outgoing, sent.held_events, sent.held_routines,
                                      sent.held_terminals)
        state.last_error = state.last_error_key = None
        state.last_error_values = {}
        state.figures = {f.step_id: f for f in sent.figures}
        state.last_synced = state.figures_as_of = self._now()
        self._keep_sync_state(state)
        self.keep_chain_guidance(guidance)
        return SyncReport(sent.events, sent.incidents, sent.routines, sent.terminals,
                          state.waiting, tuple(sent.diverged), finished_at=state.last_synced,
                          flags=flags, chain_topics=len(guidance["topics"]),
                          chain_notes=len(guidance["notes"]))

    def _outgoing(self, link: ChainLink, settled: dict[str, dict[str, Any]],
                  into: _Read | None = None) -> _Read:
        """The shop's records as one pass sends them: the readable incidents of every incident
        file changed since the database last held it whole (all of them when `settled` is
        empty), cleaned as every read is, the routine log, the terminals on record and the
        routines as of now. Read under one hold of the lock, so that an incident moving
        between files meanwhile is seen once."""
        from posdesk.central.sync import Outgoing

        read = into or _Read()
        read.file_of.clear()
        read.signatures.clear()
        incidents: list[Incident] = []
        settled_events = 0
        with self.store.reading():
            for name, signature in self.store.incident_files():
                known = settled.get(name)
                if known is not None and signature is not None \
                        and known["signature"] == list(signature):
                    settled_events += known["events"]
                    read.left_unread.add(name)
                    continue
                signature, records = self.store.read_incident_file(name)
                read.signatures[name] = signature
                for incident in self._models(name, Incident.from_dict, records):
                    incidents.append(incident)
                    read.file_of[incident.id] = name
            entries = [entry.to_dict() for entry in self._routine_entries()]
            terminals = [terminal.to_dict() for terminal in self.terminals()]
        incidents.sort(key=lambda i: (i.opened_moment, i.id))
        read.outgoing = Outgoing(
            shop_id=link.shop_id,
            incidents=[incident.to_record() for incident in incidents],
            routine_entries=entries,
            terminals=terminals,
            routine_states=[state.to_dict() for state in self.routine_states()],
            shop_now=self._now,
            settled_events=settled_events,
        )
        if not settled:
            read.left_unread.clear()
        return read


@dataclass
class _Read:
    """What a pass read of the shop's incident files, to know afterwards which files the
    database then held whole."""

    outgoing: Any = None
    file_of: dict[str, str] = field(default_factory=dict)  # incident id -> its file
    signatures: dict[str, Any] = field(default_factory=dict)  # file read -> its signature
    left_unread: set[str] = field(default_factory=set)  # settled files not read

    def settled(self, before: dict[str, dict[str, Any]], held: dict[str, int],
                diverged: list[str]) -> dict[str, dict[str, Any]]:
        """The files the database holds whole now: those left unread, and those read whose
        every incident it holds to the last event."""
        counts: dict[str, int] = {}
        whole: dict[str, bool] = {}
        for record in self.outgoing.incidents:
            name = self.file_of[record["id"]]
            counts[name] = counts.get(name, 0) + len(record["events"])
            whole[name] = whole.get(name, True) and record["id"] not in diverged \
                and held.get(record["id"], 0) == len(record["events"])
        now = {name: before[name] for name in self.left_unread if name in before}
        for name, signature in self.signatures.items():
            if signature is not None and whole.get(name, True):
                now[name] = {"signature": list(signature), "events": counts.get(name, 0)}
        return now


def _cleaned_guidance(item: Any) -> Any:
    try:
        cleaned = privacy.clean_stored(item)
        json.dumps(cleaned)  # what is kept can be written
    except (RecursionError, ValueError):
        return None
    return cleaned
