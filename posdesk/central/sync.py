"""One sync pass: what the shop recorded goes to the central database, the chain's figures per
step come back.

The shop's incidents are append-only lists of events, so they are their own outbox: nothing is
copied aside when a step is recorded (a write with chain mode costs what it costs without). A
pass asks the database how many events of each incident it holds, and sends the rest, in
order, in batches of one transaction each. Every row is keyed (shop, incident, number; shop,
digest of a routine entry; shop, terminal), so sending twice changes nothing; the database
refuses an event whose predecessor it does not hold, so an incident there is always the first N
events the shop recorded. A pass cut anywhere, by a crash, a kill or the network, loses nothing:
the next one asks again and sends what is missing.

An incident whose record no longer starts with what the database holds (a restored older
backup, a hand-edited file) is not sent: the pass names it as diverged, and nothing already in
the database is changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from posdesk.central import CentralError
from posdesk.central.connection import database_error
from posdesk.central.schema import SCHEMA, check_version
from posdesk.models.chain import ChainFigure

BATCH_EVENTS = 500  # events per transaction: a cut pass redoes at most this many


def digest(record: Any) -> str:
    """A record's digest: the same JSON always gives the same one."""
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outgoing:
    """What the shop holds, read from its records for one pass (as the desk cleaned them)."""

    shop_id: str
    incidents: list[dict[str, Any]]  # Incident.to_record() each
    routine_entries: list[dict[str, Any]]  # RoutineEntry.to_dict() each
    terminals: list[dict[str, Any]]  # Terminal.to_dict() each, those on record
    routine_states: list[dict[str, Any]]  # RoutineState.to_dict() each, as of now
    shop_now: Callable[[], str]  # the shop's clock, ISO with its offset
    # Events of the incidents left out of `incidents` because the database held them whole at
    # the last pass and their files have not changed since; checked against the database.
    settled_events: int = 0


@dataclass
class Sent:
    """What a pass did, and what the database holds of the shop's incidents after it."""

    events: int = 0
    incidents: int = 0
    routines: int = 0
    terminals: int = 0
    held_events: dict[str, int] = field(default_factory=dict)
    held_routines: int = 0
    held_terminals: dict[str, str] = field(default_factory=dict)
    diverged: list[str] = field(default_factory=list)
    figures: list[ChainFigure] = field(default_factory=list)
    outgoing: Outgoing | None = None  # what was read for the pass (all of it, when re-read)


def terminal_digests(outgoing: Outgoing) -> dict[str, str]:
    return {terminal["id"]: digest(terminal) for terminal in outgoing.terminals}


def waiting_count(outgoing: Outgoing, held_events: dict[str, int], held_routines: int,
                  held_terminals: dict[str, str]) -> int:
    """How many of the shop's events, routine entries and terminal changes the database does
    not hold, by what the shop last heard from it."""
    events = sum(max(0, len(r["events"]) - held_events.get(r["id"], 0)) for r in outgoing.incidents)
    terminals = terminal_digests(outgoing)
    changed = sum(held_terminals.get(t) != d for t, d in terminals.items())
    gone = sum(t not in terminals for t in held_terminals)
    return events + max(0, len(outgoing.routine_entries) - held_routines) + changed + gone


def send(connection: Any, outgoing: Outgoing, batch_events: int = BATCH_EVENTS,
         after_batch: Callable[[int], None] | None = None,
         read_all: Callable[[], Outgoing] | None = None) -> Sent:
    """One pass over an open connection as the shop's own role. CentralError when the database
    cannot take it (one line). When the database does not hold what the shop believes settled
    (it was restored from an older backup, say), `read_all` gives every incident to send."""
    import psycopg

    try:
        return _send(connection, outgoing, batch_events, after_batch, read_all)
    except psycopg.Error as error:
        raise database_error(error) from None


def _send(connection: Any, outgoing: Outgoing, batch_events: int,
          after_batch: Callable[[int], None] | None,
          read_all: Callable[[], Outgoing] | None) -> Sent:
    check_version(connection)
    mine = connection.execute(f"SELECT {SCHEMA}.my_shop()").fetchone()[0]
    connection.commit()
    if mine != outgoing.shop_id:
        user = connection.info.user
        raise CentralError("not_this_shop", shop=outgoing.shop_id, role=user)
    sent = Sent()
    held = {incident: (count, last) for incident, count, last in connection.execute(
        f"SELECT incident_id, event_count, last_digest FROM {SCHEMA}.incidents "
        "WHERE shop_id = %s", (mine,))}
    connection.commit()
    read = {record["id"] for record in outgoing.incidents}
    unread_held = sum(count for incident, (count, _) in held.items() if incident not in read)
    if unread_held != outgoing.settled_events and read_all is not None:
        outgoing = read_all()
    pending: list[tuple[dict[str, Any], int]] = []  # (incident, events the database holds)
    for record in outgoing.incidents:
        count, last = held.get(record["id"], (0, None))
        events = record["events"]
        if count > len(events) or (count and digest(events[count - 1]) != last):
            sent.diverged.append(record["id"])
            sent.held_events[record["id"]] = count
            continue
        sent.held_events[record["id"]] = count
        if count < len(events):
            pending.append((record, count))
    _send_incidents(connection, outgoing, pending, held, batch_events, sent, after_batch)
    sent.outgoing = outgoing
    _send_routines(connection, outgoing, sent)
    _send_terminals(connection, outgoing, sent)
    _send_status(connection, outgoing, sent)
    sent.figures = [ChainFigure(step, fixed, tried, shops) for step, fixed, tried, shops in
                    connection.execute(f"SELECT step_id, fixed, tried, shops "
                                       f"FROM {SCHEMA}.chain_step_figures")]
    connection.commit()
    return sent


def _moment(text: str) -> datetime:
    """A time as the shop's records hold it (ISO 8601 with its offset, as Python reads it), in
    UTC: PostgreSQL does not read every form Python does (a week date, a decimal comma, an
    offset beyond 15:59), and one event it refused would stop every later pass."""
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def _offset(connection: Any, outgoing: Outgoing) -> Any:
    """The shop's clock minus the server's, now (an interval)."""
    return connection.execute("SELECT %s - now()",
                              (_moment(outgoing.shop_now()),)).fetchone()[0]


INSERT_INCIDENT = (
    f"INSERT INTO {SCHEMA}.incidents (shop_id, incident_id, topic_id, topic_title, kb_version, "
    "step_count, terminal, record) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT DO NOTHING")
INSERT_EVENT = (
    f"INSERT INTO {SCHEMA}.events (shop_id, incident_id, seq, kind, at_text, at, body, digest, "
    "clock_offset) VALUES (%s, %s, %s, %s, %s, %s::timestamptz, %s, %s, %s) ON CONFLICT DO NOTHING")


def _send_incidents(connection: Any, outgoing: Outgoing,
                    pending: list[tuple[dict[str, Any], int]], held: dict[str, Any],
                    batch_events: int, sent: Sent,
                    after_batch: Callable[[int], None] | None) -> None:
    """Each incident's missing events, in order, `batch_events` to a transaction."""
    from psycopg.types.json import Jsonb

    def batches() -> Iterable[tuple[list[tuple], list[tuple], dict[str, int]]]:
        headers: list[tuple] = []
        rows: list[tuple] = []
        reached: dict[str, int] = {}
        for record, count in pending:
            if record["id"] not in held:
                header = {k: v for k, v in record.items() if k != "events"}
                headers.append((outgoing.shop_id, record["id"], record["topic_id"],
                                Jsonb(record["topic_title"]), record["kb_version"],
                                record["step_count"], record.get("terminal"), Jsonb(header)))
            for seq in range(count, len(record["events"])):
                event = record["events"][seq]
                rows.append((outgoing.shop_id, record["id"], seq, event["kind"], event["at"],
                             _moment(event["at"]), Jsonb(event), digest(event)))
                reached[record["id"]] = seq + 1
                if len(rows) >= batch_events:
                    yield headers, rows, reached
                    headers, rows, reached = [], [], {}
        if rows or headers:
            yield headers, rows, reached

    for number, (headers, rows, reached) in enumerate(batches()):
        with connection.transaction():
            offset = _offset(connection, outgoing)
            with connection.cursor() as cursor:
                if headers:
                    cursor.executemany(INSERT_INCIDENT, headers)
                cursor.executemany(INSERT_EVENT, [(*row, offset) for row in rows])
        sent.incidents += len(headers)
        sent.events += len(rows)
        sent.held_events.update(reached)
        for header in headers:
            held[header[1]] = (0, None)
        if after_batch is not None:
            after_batch(number)


def _send_routines(connection: Any, outgoing: Outgoing, sent: Sent) -> None:
    from psycopg.types.json import Jsonb

    keyed = {digest(entry): entry for entry in outgoing.routine_entries}
    with connection.transaction():
        known = {key for (key,) in connection.execute(
            f"SELECT entry_key FROM {SCHEMA}.routine_log WHERE shop_id = %s", (outgoing.shop_id,))}
        missing = [(key, entry) for key, entry in keyed.items() if key not in known]
        if missing:
            offset = _offset(connection, outgoing)
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {SCHEMA}.routine_log (shop_id, entry_key, routine_id, at_text, "
                    "at, body, clock_offset) VALUES (%s, %s, %s, %s, %s::timestamptz, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    [(outgoing.shop_id, key, entry["routine_id"], entry["at"], _moment(entry["at"]),
                      Jsonb(entry), offset) for key, entry in missing])
    sent.routines = len(missing)
    sent.held_routines = len(keyed)


def _send_terminals(connection: Any, outgoing: Outgoing, sent: Sent) -> None:
    """The terminals on record as they are now; one no longer on record stays, marked so."""
    from psycopg.types.json import Jsonb

    with connection.transaction():
        held = {terminal: (body, on) for terminal, body, on in connection.execute(
            f"SELECT terminal_id, body, on_record FROM {SCHEMA}.terminals WHERE shop_id = %s",
            (outgoing.shop_id,))}
        changed = [t for t in outgoing.terminals if held.get(t["id"]) != (t, True)]
        gone = [t for t, (_, on) in held.items() if on and t not in {x["id"] for x in outgoing.terminals}]
        with connection.cursor() as cursor:
            if changed:
                cursor.executemany(
                    f"INSERT INTO {SCHEMA}.terminals (shop_id, terminal_id, body) "
                    "VALUES (%s, %s, %s) ON CONFLICT (shop_id, terminal_id) DO UPDATE "
                    "SET body = excluded.body, on_record = true, updated_at = now()",
                    [(outgoing.shop_id, t["id"], Jsonb(t)) for t in changed])
            if gone:
                cursor.execute(
                    f"UPDATE {SCHEMA}.terminals SET on_record = false, updated_at = now() "
                    "WHERE shop_id = %s AND terminal_id = ANY(%s)", (outgoing.shop_id, gone))
    sent.terminals = len(changed) + len(gone)
    sent.held_terminals = terminal_digests(outgoing)


def _send_status(connection: Any, outgoing: Outgoing, sent: Sent) -> None:
    """What the shop says of itself: its routines as its posdesk worked them out, its clock,
    and how much it could not send (diverged incidents)."""
    from psycopg.types.json import Jsonb

    shop_time = outgoing.shop_now()
    waiting = sum(len(r["events"]) - sent.held_events.get(r["id"], 0)
                  for r in outgoing.incidents if r["id"] in sent.diverged)
    with connection.transaction():
        connection.execute(
            f"INSERT INTO {SCHEMA}.shop_status (shop_id, synced_at, shop_time, clock_offset, "
            "routines, waiting) VALUES (%s, now(), %s, %s - now(), %s, %s) "
            "ON CONFLICT (shop_id) DO UPDATE SET synced_at = excluded.synced_at, "
            "shop_time = excluded.shop_time, clock_offset = excluded.clock_offset, "
            "routines = excluded.routines, waiting = excluded.waiting",
            (outgoing.shop_id, shop_time, _moment(shop_time), Jsonb(outgoing.routine_states), max(0, waiting)))
