"""The head office's questions to the central database, read-only, answered as plain rows.

Every shop's incidents at once: filtered by status, shop, words and days, sorted, a page at a
time with the total; one incident with its events; the shops' own reports of their routines,
terminals and clocks; the figures the insights are made of. Each query leans on an index of
migration 2 (`incidents_by_status`, `incidents_by_shop`, `incidents_by_opening` and the trigram
index on `words`), so a filter stays quick over a million incidents.

Nothing here cleans text or builds models: `posdesk.desk.head_office` does, from these rows.
psycopg is imported only when a `Reader` first connects (through `connection.connect`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from posdesk.central import CentralError
from posdesk.central.connection import connect, database_error, is_database_error
from posdesk.central.schema import READ, SCHEMA, check_version

Result = TypeVar("Result")
# A head office's screen must not hang on one question: a query this slow is refused.
STATEMENT_SECONDS = 60
# Beyond this many, a filtered list's total is given as "more than": see `Reader._count`.
COUNT_CAP = 1_000

# How a list can be sorted: the Incidents tab's columns, and the shop. Equal ones stay newest
# first, as in the shop's own list. `fault` sorts by the title in the language shown.
SORTS = {
    "opened": "i.opened_at",
    "id": "i.incident_id",
    "shop": "i.shop_id",
    "terminal": "lower(coalesce(i.terminal, ''))",
    "status": "array_position(ARRAY['open', 'escalated', 'resolved'], i.status)",
    "tried": "i.attempts",
    # Resolved ones by the time it took; the others after them (before them, descending).
    "resolve": "CASE WHEN i.status = 'resolved' THEN i.resolved_at - i.opened_at END",
}
# What the column `pairs` (migration 3) holds: two characters, neither ASCII nor a space.
PAIRED = re.compile(r"[^\x00-\x7f\s]{2}")
TIE_BREAK = "i.opened_at DESC, i.shop_id, i.incident_id"

ROW_COLUMNS = """i.shop_id, s.name AS shop_name, i.incident_id, i.topic_id, i.topic_title,
    i.status, i.opened_text, i.opened_at, i.terminal, i.attempts, i.resolution,
    CASE WHEN i.status = 'resolved' THEN
        greatest(extract(epoch FROM i.resolved_at - i.opened_at) / 60, 0) END AS minutes,
    i.escalated_to"""


@dataclass(frozen=True)
class Where:
    """Which incidents: each part left empty lets everything through. `words` are lower-cased
    already (as the database keeps them); `since` and `until` are instants, `until` excluded."""

    status: str | None = None
    shop: str | None = None
    topic_id: str | None = None
    words: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    @property
    def narrows(self) -> bool:
        """Whether it chooses by more than status and shop (whose counts are kept)."""
        return bool(self.words or self.topic_id or self.since or self.until)

    def sql(self) -> tuple[str, list[Any]]:
        """The WHERE clause (or nothing) and its values."""
        parts: list[str] = []
        values: list[Any] = []
        for column, value in (("i.status", self.status), ("i.shop_id", self.shop),
                              ("i.topic_id", self.topic_id)):
            if value is not None:
                parts.append(f"{column} = %s")
                values.append(value)
        for word in self.words:
            if self.shop is not None:
                # A shop holds a few thousand incidents: looked through along its own index,
                # rather than the word's index over the whole chain joined to it.
                parts.append("strpos(i.words, %s) > 0")
                values.append(word)
            elif len(word) >= 3:  # the trigram index finds it
                parts.append(r"i.words LIKE %s ESCAPE '\'")
                values.append(f"%{like_escaped(word)}%")
            elif len(word) == 2 and PAIRED.fullmatch(word):  # two Chinese characters, say
                parts.append("i.pairs @> %s::text[]")
                values.append([word])
            else:
                # Too short for either index; asked as LIKE, the trigram index would be read
                # whole. strpos is looked for in the newest incidents first instead.
                parts.append("strpos(i.words, %s) > 0")
                values.append(word)
        if self.since is not None:
            parts.append("i.opened_at >= %s")
            values.append(self.since)
        if self.until is not None:
            parts.append("i.opened_at < %s")
            values.append(self.until)
        return (" WHERE " + " AND ".join(parts) if parts else ""), values


def like_escaped(word: str) -> str:
    """A word as a LIKE pattern that matches it literally (its %, _ and \\ taken as typed)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class Reader:
    """One read-only connection to the central database, made on first use and made again
    after the server went away; every failure becomes a one-line CentralError. Safe to share
    between threads (psycopg runs one query at a time on a connection)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._connection: Any = None
        self._opening = threading.Lock()

    def close(self) -> None:
        with self._opening:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _connected(self) -> Any:
        with self._opening:
            if self._connection is None or self._connection.closed:
                connection = connect(self.dsn, autocommit=True, application="posdesk head office")
                try:
                    with _told():
                        connection.execute("SET default_transaction_read_only = on")
                        connection.execute(
                            f"SET statement_timeout = '{STATEMENT_SECONDS}s'")
                        check_version(connection)
                except BaseException:
                    connection.close()
                    raise
                self._connection = connection
            return self._connection

    def check(self) -> None:
        """Connect now (when not connected yet): a CentralError says why it cannot."""
        self._connected()

    def _ask(self, question: Callable[[Any], Result]) -> Result:
        connection = self._connected()
        try:
            with _told():
                return question(connection)
        except CentralError:
            if connection.broken or connection.closed:
                self.close()  # the next question connects again: the server may be back
            raise

    def _rows(self, sql: str, values: Any = ()) -> list[dict[str, Any]]:
        def question(connection: Any) -> list[dict[str, Any]]:
            cursor = connection.execute(sql, values)
            names = [column.name for column in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]
        return self._ask(question)

    # What the head office asks.

    def shops(self) -> list[dict[str, Any]]:
        """Every shop, with what it last said of itself (nothing when it never synced)."""
        return self._rows(f"""
            SELECT s.shop_id, s.name, st.synced_at,
                   extract(epoch FROM st.clock_offset)::float8 AS clock_offset, st.waiting
            FROM {READ}.shops s LEFT JOIN {READ}.shop_status st USING (shop_id)
            ORDER BY s.shop_id""")

    def shop_known(self, shop_id: str) -> bool:
        return bool(self._rows(f"SELECT 1 FROM {READ}.shops WHERE shop_id = %s", (shop_id,)))

    def find_incidents(self, where: Where, sort: str = "opened", descending: bool = True,
                       limit: int = 200, offset: int = 0,
                       lang: str = "en") -> tuple[list[dict[str, Any]], int, bool]:
        """A page of incidents as rows, how many `where` lets through in all, and whether that
        count is exact (see `_count`).

        Counted first, since the count tells how to read the page: of a few thousand
        incidents, all of them through the indexes and then sorted; of many, the newest first
        along `incidents_by_opening` until the page is full. (Left to guess, the planner walks
        a million incidents for a word that is in none.)"""
        total, exact = self._count(where)
        clause, values = where.sql()
        order = _order(sort, descending, lang)
        source = f"{READ}.incidents"
        if where.narrows and exact:
            source = f"""(WITH found AS MATERIALIZED (
                SELECT * FROM {READ}.incidents i {clause}) SELECT * FROM found)"""
            clause = ""
        rows = self._rows(f"""
            SELECT {ROW_COLUMNS}
            FROM {source} i JOIN {READ}.shops s USING (shop_id)
            {clause} ORDER BY {order} LIMIT %s OFFSET %s""",
                          [*values, max(limit, 0), max(offset, 0)])
        return rows, total, exact

    def _count(self, where: Where) -> tuple[int, bool]:
        """How many incidents `where` lets through, and whether that is exact: read from the
        counts kept per shop and status when only those are chosen, else counted up to
        COUNT_CAP: counting a common word through a million incidents would take most of a second,
        and a page of 200 needs only to say "more than 1,000"."""
        if not where.narrows:
            clause, values = where.sql()
            kept = self._rows(f"""SELECT coalesce(sum(i.incidents), 0)::bigint AS n
                FROM {READ}.incident_counts i {clause}""", values)
            return kept[0]["n"], True
        clause, values = where.sql()
        counted = self._rows(f"""SELECT count(*) AS n FROM (
            SELECT 1 FROM {READ}.incidents i {clause} LIMIT %s) AS found""",
                             [*values, COUNT_CAP + 1])[0]["n"]
        return min(counted, COUNT_CAP), counted <= COUNT_CAP

    def each_incident(self, where: Where, page: int = 500) -> Iterator[dict[str, Any]]:
        """Every incident `where` lets through, newest first, whole (its record and events),
        read a page at a time from where the last page ended."""
        clause, values = where.sql()
        after: tuple[Any, ...] | None = None
        while True:
            keyset = ""
            more = list(values)
            if after is not None:
                keyset = (" AND " if clause else " WHERE ") + \
                    "(i.opened_at, i.shop_id, i.incident_id) < (%s, %s, %s)"
                more += after
            # Ordered so that the keyset comparison holds: ids of equal times in descending order.
            heads = self._rows(f"""
                SELECT {ROW_COLUMNS}, i.kb_version, i.step_count, i.record
                FROM {READ}.incidents i JOIN {READ}.shops s USING (shop_id)
                {clause}{keyset}
                ORDER BY i.opened_at DESC, i.shop_id DESC, i.incident_id DESC LIMIT %s""",
                               [*more, page])
            if not heads:
                return
            events = self._events_of([(h["shop_id"], h["incident_id"]) for h in heads])
            for head in heads:
                head["events"] = events.get((head["shop_id"], head["incident_id"]), [])
                yield head
            last = heads[-1]
            after = (last["opened_at"], last["shop_id"], last["incident_id"])
            if len(heads) < page:
                return

    def incident(self, shop_id: str, incident_id: str) -> dict[str, Any] | None:
        """One incident, whole; None when the chain holds no such one."""
        found = self._rows(f"""
            SELECT {ROW_COLUMNS}, i.kb_version, i.step_count, i.record
            FROM {READ}.incidents i JOIN {READ}.shops s USING (shop_id)
            WHERE i.shop_id = %s AND i.incident_id = %s""", (shop_id, incident_id))
        if not found:
            return None
        head = found[0]
        head["events"] = self._events_of([(shop_id, incident_id)]).get((shop_id, incident_id), [])
        return head

    def _events_of(self, keys: list[tuple[str, str]]) -> dict[tuple[str, str], list[dict]]:
        """The events of these incidents, each list in the order the shop recorded them."""
        rows = self._rows(f"""
            SELECT e.shop_id, e.incident_id, e.kind, e.at_text, e.body
            FROM {READ}.events e
            JOIN unnest(%s::text[], %s::text[]) AS k(shop_id, incident_id)
              ON e.shop_id = k.shop_id AND e.incident_id = k.incident_id
            ORDER BY e.shop_id, e.incident_id, e.seq""",
                          ([shop for shop, _ in keys], [incident for _, incident in keys]))
        found: dict[tuple[str, str], list[dict]] = {}
        for row in rows:
            found.setdefault((row["shop_id"], row["incident_id"]), []).append(row)
        return found

    def open_escalations(self) -> list[dict[str, Any]]:
        """Every incident waiting on the bank, the longest waiting first."""
        return self._rows(f"""
            SELECT {ROW_COLUMNS}
            FROM {READ}.incidents i JOIN {READ}.shops s USING (shop_id)
            WHERE i.status = 'escalated' ORDER BY i.opened_at, i.shop_id, i.incident_id""")

    def compliance(self, tamper_routine: str) -> list[dict[str, Any]]:
        """Per shop: its routines as it last reported them, its latest tamper inspection (as
        the shop wrote its time), its terminals on record, when it last synced."""
        return self._rows(f"""
            SELECT s.shop_id, s.name, st.routines, st.synced_at,
                   extract(epoch FROM st.clock_offset)::float8 AS clock_offset,
                   (SELECT count(*) FROM {READ}.terminals t
                     WHERE t.shop_id = s.shop_id AND t.on_record) AS terminals,
                   (SELECT r.at_text FROM {READ}.routine_log r
                     WHERE r.shop_id = s.shop_id AND r.routine_id = %s
                     ORDER BY r.at DESC LIMIT 1) AS last_tamper_check
            FROM {READ}.shops s LEFT JOIN {READ}.shop_status st USING (shop_id)
            ORDER BY s.shop_id""", (tamper_routine,))

    def insight_figures(self, shop: str | None, week_starts: list[datetime]) -> dict[str, Any]:
        """What the insights are made of, for one shop or the whole chain: the count, per
        fault, per week (incidents opened from each of `week_starts` to the next), resolved,
        resolved in the shop, the median minutes to resolve, and per fault each step's
        (fixed, tried) with an `example`: [shop, incident] of one incident that tried it."""
        one = "WHERE i.shop_id = %s" if shop is not None else ""
        chosen = [shop] if shop is not None else []
        totals = self._rows(f"""
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE i.status = 'resolved') AS resolved,
                   count(*) FILTER (WHERE i.status = 'resolved' AND i.resolution = 'self')
                       AS resolved_in_shop,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY greatest(
                       extract(epoch FROM i.resolved_at - i.opened_at) / 60, 0))
                       FILTER (WHERE i.status = 'resolved') AS median_minutes
            FROM {READ}.incidents i {one}""", chosen)[0]
        per_fault = self._rows(f"""
            SELECT i.topic_id, (array_agg(i.topic_title ORDER BY i.opened_at DESC))[1] AS title,
                   count(*) AS n
            FROM {READ}.incidents i {one} GROUP BY i.topic_id""", chosen)
        per_week = self._rows(f"""
            SELECT width_bucket(i.opened_at, %s::timestamptz[]) AS week, count(*) AS n
            FROM {READ}.incidents i
            WHERE i.opened_at >= %s AND i.opened_at < %s {"AND i.shop_id = %s" if shop else ""}
            GROUP BY 1""", [week_starts, week_starts[0], week_starts[-1], *chosen])
        steps = self._rows(f"""
            SELECT i.topic_id, o.step_id, count(*) FILTER (WHERE o.fixed) AS fixed,
                   count(*) AS tried, min(ARRAY[o.shop_id, o.incident_id]) AS example
            FROM {READ}.step_outcomes o JOIN {READ}.incidents i USING (shop_id, incident_id)
            {one.replace("i.shop_id", "o.shop_id")}
            GROUP BY i.topic_id, o.step_id""", chosen)
        return {**totals, "per_fault": per_fault, "per_week": per_week, "steps": steps}

    def step_titles(self, steps: list[tuple[str, str, str]]) -> dict[str, Any]:
        """The title each step was recorded under, read from one incident that tried it
        (an `example` of `insight_figures`): (step id, shop, incident) each."""
        if not steps:
            return {}
        rows = self._rows(f"""
            SELECT DISTINCT ON (k.step_id) k.step_id, e.body->'step_title' AS title
            FROM unnest(%s::text[], %s::text[], %s::text[]) AS k(step_id, shop_id, incident_id)
            JOIN {READ}.events e ON e.shop_id = k.shop_id AND e.incident_id = k.incident_id
                 AND e.kind = 'attempt' AND e.body->>'step_id' = k.step_id
            ORDER BY k.step_id, e.seq DESC""",
                          ([s for s, _, _ in steps], [s for _, s, _ in steps],
                           [i for _, _, i in steps]))
        return {row["step_id"]: row["title"] for row in rows}

    def guidance(self) -> dict[str, Any]:
        """Everything the chain published (central.guidance.published)."""
        from posdesk.central.guidance import published

        return self._ask(published)

    def flagged_steps(self, shop: str | None) -> list[dict[str, Any]]:
        from posdesk.central.guidance import flagged_steps

        return self._ask(lambda connection: flagged_steps(connection, shop))

    def step_figures(self) -> list[dict[str, Any]]:
        return self._rows(f"SELECT step_id, fixed, tried, shops FROM {SCHEMA}.chain_step_figures "
                          "ORDER BY step_id")


def _order(sort: str, descending: bool, lang: str) -> str:
    if sort == "fault":
        key = "lower(i.topic_title->>%s)" % ("'zh'" if lang == "zh" else "'en'")
    elif sort in SORTS:
        key = SORTS[sort]
    else:
        raise ValueError(f"unknown sort {sort!r}")
    if sort == "opened":
        return TIE_BREAK if descending else "i.opened_at, i.shop_id, i.incident_id"
    return f"{key} {'DESC' if descending else 'ASC'}, {TIE_BREAK}"


@contextmanager
def _told() -> Iterator[None]:
    """A database error, or a connection lost, as one line."""
    try:
        yield
    except Exception as error:
        if not is_database_error(error):
            raise
        raise database_error(error) from None
