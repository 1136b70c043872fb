"""Data for the benchmark's chain section (item 6 of bench.py).

- `load_chain`: a chain's central database filled with COPY, the way an administrator would
  bulk-load it: shops, incidents with their summary columns worked out here exactly as the
  schema's trigger works them out, and the events of some of the shops;
- `fill_busy_shop`: one shop's 30 days of work, recorded through the public `Desk` API.

Both take their incidents' shapes (which fault, which checks, marked how, with what notes,
escalated and closed by the bank or not, and how many minutes apart) from `generate.py`, so the
chain's incidents read like the shop benchmark's.
"""

from __future__ import annotations

import gzip
import json
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from generate import make_incidents  # beside this file

from posdesk.central.schema import SCHEMA, Roles, migrate
from posdesk.central.sync import digest
from posdesk.desk import Desk
from posdesk.kb import KnowledgeBase

END = datetime(2026, 11, 25, 18, 0, tzinfo=timezone(timedelta(hours=8)))
YEAR_MINUTES = 365 * 24 * 60
SHAPES = 4_400                 # distinct incidents to take shapes from (200 per fault)
SETTLED_AFTER = timedelta(days=14)  # older incidents are all resolved, as generate.py has it;
STILL_WAITING = 0.2                 # this share of the newer escalated ones wait on the bank
STILL_OPEN = timedelta(days=1)      # within a day, some are still being worked on…
STILL_OPEN_SHARE = 0.3              # …this share of them
LOADED_SCHEMA = 2  # the schema whose tables the rows are made for; later migrations run over them
CITIES = ("sz", "gz", "sh", "bj", "cd", "hz", "wh", "xa", "nj", "cq")


def shop_ids(count: int) -> list[str]:
    return [f"{CITIES[n % len(CITIES)]}-{n + 1:03d}" for n in range(count)]


def shop_terminals(rng: random.Random) -> list[tuple[str, str]]:
    """A shop's terminals, (id, label as an incident keeps it): one to four counters."""
    return [(f"T{k}", f"收银台 {k} ({rng.randrange(10**7, 10**8)})")
            for k in range(1, rng.randint(1, 4) + 1)]


@dataclass(frozen=True)
class Shape:
    """One incident's course, without its times: its events as (minutes after opening,
    the event less its time)."""

    topic_id: str
    topic_title: dict[str, str]
    kb_version: str
    step_count: int
    events: tuple[tuple[int, dict[str, Any]], ...]


def shapes(kb: KnowledgeBase, seed: int) -> list[Shape]:
    made = []
    for incident in make_incidents(SHAPES, kb, seed, END):
        opened = datetime.fromisoformat(incident.events[0].at)
        events = []
        for event in incident.events:
            minutes = int((datetime.fromisoformat(event.at) - opened).total_seconds() // 60)
            events.append((minutes, {k: v for k, v in event.to_dict().items() if k != "at"}))
        made.append(Shape(incident.topic_id, incident.topic_title.to_dict(), incident.kb_version,
                          incident.step_count, tuple(events)))
    return made


def still_open(events: tuple) -> tuple:
    """The first part of an incident still being worked on: opened, and the checks tried so
    far that did not fix it."""
    kept = [events[0]]
    for minutes, event in events[1:]:
        if event["kind"] != "attempt" or event["outcome"] == "fixed":
            break
        kept.append((minutes, event))
    return tuple(kept[:2])


def waiting_on_bank(events: tuple) -> tuple:
    """An escalated incident's course up to the call to the bank; () when it has none."""
    for index, (_, event) in enumerate(events):
        if event["kind"] == "escalated":
            return events[:index + 1]
    return ()


def summary(events: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """An incident's summary columns from its events ((time as written, event) each, the event
    without its time), as the schema's trigger `event_arrived` keeps them."""
    found: dict[str, Any] = {"status": "open", "resolved_at": None, "resolution": None,
                             "escalated_to": None, "attempts": 0, "words": ""}
    for at, event in events:
        kind = event["kind"]
        if kind in ("opened", "reopened"):
            found["status"] = "open"
        elif kind in ("escalated", "resolved"):
            found["status"] = kind
        if kind == "resolved":
            found["resolved_at"], found["resolution"] = at, event.get("resolution")
        elif kind == "reopened":
            found["resolved_at"] = found["resolution"] = None
        if kind == "escalated":
            found["escalated_to"] = event.get("hotline")
        found["attempts"] += kind == "attempt"
        # concat_ws skips what is missing (NULL), not what is empty
        said = [event[key] for key in ("note", "text", "reference", "code")
                if event.get(key) is not None]
        found["words"] += " " + " ".join(said).lower()
    return found


@dataclass
class Loaded:
    shops: int = 0
    incidents: int = 0
    events: int = 0
    event_shops: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    copy_seconds: float = 0.0
    index_seconds: float = 0.0
    migrate_seconds: float = 0.0
    analyze_seconds: float = 0.0
    migrated: tuple[int, int] = (0, 0)


INCIDENT_COLUMNS = ("shop_id", "incident_id", "topic_id", "topic_title", "kb_version",
                    "step_count", "terminal", "record", "status", "event_count", "last_digest",
                    "opened_at", "opened_text", "last_at", "resolved_at", "resolution",
                    "attempts", "escalated_to", "words")
EVENT_COLUMNS = ("shop_id", "incident_id", "seq", "kind", "at_text", "at", "body", "digest")


@dataclass(frozen=True)
class Course:
    """A shape made ready for many incidents: what does not depend on its times worked out
    once. Times are minutes after opening."""

    shape: Shape
    events: tuple[tuple[int, dict[str, Any]], ...]
    summary: dict[str, Any]  # from `summary`, its times as minutes
    title_json: str
    header_tail: str  # the record's JSON after its id, terminal and terminal id
    words_head: str  # the topic's part of the words, after the id

    @classmethod
    def of(cls, shape: Shape, events: tuple) -> Course:
        found = summary([(minutes, event) for minutes, event in events])
        rest = {"topic_id": shape.topic_id, "topic_title": shape.topic_title,
                "kb_version": shape.kb_version, "step_count": shape.step_count, "code": None}
        return cls(shape, events, found, json.dumps(shape.topic_title, ensure_ascii=False),
                   json.dumps(rest, ensure_ascii=False)[1:],
                   f"{shape.topic_id} {shape.topic_title['zh']} {shape.topic_title['en']}".lower())


def chain_rows(shops: list[str], per_shop: int, event_shops: int, kb: KnowledgeBase,
               seed: int) -> Iterator[tuple[str, tuple, list[tuple]]]:
    """Per incident: its shop, its row of posdesk.incidents, and its rows of posdesk.events
    (empty but for the first `event_shops` shops)."""
    rng = random.Random(seed)
    settled = [Course.of(shape, shape.events) for shape in shapes(kb, seed)
               if shape.events[-1][1]["kind"] == "resolved"]
    unfinished = {id(c): Course.of(c.shape, still_open(c.events)) for c in settled}
    waiting = {id(c): Course.of(c.shape, waiting_on_bank(c.events)) for c in settled
               if waiting_on_bank(c.events)}
    iso = datetime.isoformat
    minute = timedelta(minutes=1)
    for number, shop in enumerate(shops):
        terminals = shop_terminals(rng)
        per_day: dict[str, int] = {}
        with_events = number < event_shops
        for _ in range(per_shop):
            opened = END - rng.randrange(YEAR_MINUTES) * minute
            age = END - opened
            course = rng.choice(settled)
            if age < STILL_OPEN and rng.random() < STILL_OPEN_SHARE:
                course = unfinished[id(course)]
            elif age < SETTLED_AFTER and id(course) in waiting and rng.random() < STILL_WAITING:
                course = waiting[id(course)]
            day = f"{opened.year:04d}{opened.month:02d}{opened.day:02d}"
            per_day[day] = per_day.get(day, 0) + 1
            incident_id = f"{day}-{per_day[day]:03d}"
            terminal_id, terminal = rng.choice(terminals) if rng.random() < 0.8 else (None, None)
            found = course.summary
            opened_text = iso(opened)
            last_minutes, last = course.events[-1]
            last_text = iso(opened + last_minutes * minute) if last_minutes else opened_text
            resolved = found["resolved_at"]
            resolved_text = (None if resolved is None else last_text if resolved == last_minutes
                             else iso(opened + resolved * minute))
            header = (f'{{"id": "{incident_id}", "terminal": {json.dumps(terminal, ensure_ascii=False)}, '
                      f'"terminal_id": {json.dumps(terminal_id)}, {course.header_tail}')
            words = (f"{incident_id} {course.words_head} {terminal.lower()}" if terminal
                     else f"{incident_id} {course.words_head}") + found["words"]
            row = (shop, incident_id, course.shape.topic_id, course.title_json,
                   course.shape.kb_version, course.shape.step_count, terminal, header,
                   found["status"], len(course.events),
                   digest({"kind": last["kind"], "at": last_text, **last}),
                   opened_text, opened_text, last_text, resolved_text, found["resolution"],
                   found["attempts"], found["escalated_to"], words)
            events = []
            if with_events:
                for seq, (minutes, event) in enumerate(course.events):
                    at = iso(opened + minutes * minute)
                    whole = {"kind": event["kind"], "at": at, **event}
                    events.append((shop, incident_id, seq, event["kind"], at, at,
                                   json.dumps(whole, ensure_ascii=False), digest(whole)))
            yield shop, row, events


def _secondary_indexes(connection: Any, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes other than its primary key, as the
    migrations made them, so that a bulk load can drop them and make them again after."""
    return connection.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
        "WHERE indrelid = %s::regclass AND NOT indisprimary", (f"{SCHEMA}.{table}",)).fetchall()


def copy_line(row: tuple) -> str:
    """A row in COPY's text format: tab between fields, \\N for NULL, backslashes doubled."""
    return "\t".join("\\N" if value is None else str(value).replace("\\", "\\\\")
                     .replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
                     for value in row) + "\n"


def write_chain_files(folder: Path, shops: int, incidents: int, event_shops: int,
                      seed: int = 14) -> None:
    """The chain's rows as COPY text, gzipped, with what they hold (chain.json): made once and
    kept, so that a run times the database's load and not this generator."""
    kb = KnowledgeBase.open()
    loaded = Loaded(shops=shops, event_shops=event_shops)
    with gzip.open(folder / "incidents.copy.gz", "wt", compresslevel=1, encoding="utf-8") as heads, \
            gzip.open(folder / "events.copy.gz", "wt", compresslevel=1, encoding="utf-8") as rest:
        for _, row, events in chain_rows(shop_ids(shops), incidents // shops, event_shops, kb,
                                         seed):
            heads.write(copy_line(row))
            rest.writelines(copy_line(event) for event in events)
            loaded.incidents += 1
            loaded.events += len(events)
            loaded.statuses[row[8]] = loaded.statuses.get(row[8], 0) + 1
    (folder / "chain.json").write_text(json.dumps(asdict(loaded)), encoding="utf-8")


def _copy_file(cursor: Any, table: str, columns: tuple[str, ...], path: Path) -> None:
    with cursor.copy(f"COPY {SCHEMA}.{table} ({', '.join(columns)}) FROM STDIN") as copy, \
            gzip.open(path, "rb") as source:
        while block := source.read(1 << 20):
            copy.write(block)


def load_chain(connection: Any, folder: Path) -> Loaded:
    """Fill a new chain database (`connection`: its superuser) from `write_chain_files`.

    The rows are made for the schema at LOADED_SCHEMA; the database is migrated that far,
    loaded with its triggers off (`session_replication_role = replica`: the summary columns
    come filled, as the trigger fills them) and its secondary indexes dropped, those made again
    after, and then migrated the rest of the way, as a chain's database with rows in it is."""
    loaded = Loaded(**{**json.loads((folder / "chain.json").read_text(encoding="utf-8")),
                       "migrated": (0, 0)})
    connection.autocommit = True
    migrate(connection, upto=LOADED_SCHEMA)
    roles = Roles(connection.execute("SELECT current_database()").fetchone()[0])
    connection.execute("SET maintenance_work_mem = '512MB'")
    indexes = [found for table in ("incidents", "events")
               for found in _secondary_indexes(connection, table)]
    started = time.perf_counter()
    connection.execute("SET session_replication_role = replica")
    for name, _ in indexes:
        connection.execute(f"DROP INDEX {name}")
    with connection.transaction(), connection.cursor() as cursor:
        with cursor.copy(f"COPY {SCHEMA}.shops (shop_id, name, role_name) FROM STDIN") as copy:
            for shop in shop_ids(loaded.shops):
                copy.write_row((shop, f"{shop.upper()} 店", roles.shop(shop)))
        _copy_file(cursor, "incidents", INCIDENT_COLUMNS, folder / "incidents.copy.gz")
        _copy_file(cursor, "events", EVENT_COLUMNS, folder / "events.copy.gz")
    loaded.copy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _, definition in indexes:
        connection.execute(definition)
    connection.execute("RESET session_replication_role")
    loaded.index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    loaded.migrated = migrate(connection)
    loaded.migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    # What autovacuum would have done by the time anyone asks: statistics for the planner,
    # and the visibility map that lets a count be answered from an index.
    connection.execute(f"VACUUM ANALYZE {SCHEMA}.shops, {SCHEMA}.incidents, {SCHEMA}.events")
    loaded.analyze_seconds = time.perf_counter() - started
    return loaded


# One busy shop's month, through the Desk

class SetClock:
    """The shop's clock, set to each event's time before the Desk records it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Month:
    incidents: int
    events: int
    routine_entries: int
    terminals: int


def fill_busy_shop(home: Path, days: int, per_day: int, seed: int = 30) -> Month:
    """`days` of a busy shop's work, `per_day` incidents a day, ending at END: each incident's
    course replayed through the Desk as a person would record it (opened, checks marked with
    their notes, the bank called and its closing recorded), its daily routines marked done,
    three terminals on record."""
    kb = KnowledgeBase.open()
    clock = SetClock(END - timedelta(days=days))
    desk = Desk(home, kb=kb, clock=clock)
    terminals = [desk.save_terminal(name=f"收银台 {k}", bank="建设银行",
                                    terminal_no=f"1020{k:04d}", serial=f"N6S{k:06d}").id
                 for k in (1, 2, 3)]
    rng = random.Random(seed)
    # generate.py may mark a step that only finds something out "fixed", which the Desk refuses
    # (it is noted): such incidents would never close, so their shapes are left out.
    course = [shape for shape in shapes(kb, seed) if all(
        event["outcome"] in kb.step(event["step_id"]).outcomes
        for _, event in shape.events if event["kind"] == "attempt" and event["outcome"] == "fixed")]
    start = END - timedelta(days=days)
    openings = sorted(start + timedelta(minutes=rng.randrange(days * 24 * 60))
                      for _ in range(days * per_day))
    routine_entries = 0
    for opened in openings:
        shape = rng.choice(course)
        clock.now = opened
        incident = desk.start_incident(shape.topic_id, terminal_id=rng.choice(terminals))
        for minutes, event in shape.events[1:]:
            clock.now = opened + timedelta(minutes=minutes)
            kind = event["kind"]
            if kind == "attempt":
                # generate.py marks every check; a step that only finds something out is noted
                outcome = event["outcome"]
                if outcome not in kb.step(event["step_id"]).outcomes:
                    outcome = "noted"
                desk.record_attempt(incident.id, event["step_id"], outcome, event["note"])
            elif kind == "escalated":
                desk.escalate(incident.id, event["note"], event.get("reference") or "")
            elif kind == "resolved" and event.get("resolution") == "bank":
                desk.close_by_bank(incident.id, event["note"])
    for day in range(days):
        for routine in ("maint.daily_signin_settlement", "maint.exterior_daily"):
            clock.now = start + timedelta(days=day, hours=9)
            desk.mark_done(routine, "小李")
            routine_entries += 1
    events = sum(len(incident.events) for incident in desk.each_incident())
    return Month(len(openings), events, routine_entries, len(terminals))
