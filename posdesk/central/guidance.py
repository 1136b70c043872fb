"""The chain's own guidance in the central database, and the shops' flags on steps.

A shop sends its flags at each pass (`send_flags`) and pulls what the head office published
(`pull_guidance`), in the shape of `chain-guidance.json`. The head office publishes topics and
notes, revises or withdraws them, and reads which steps the shops flag.

Like the rest of `central`, nothing here cleans text or builds models: the desks do (a shop's
`keep_chain_guidance`, the head office's `HeadOffice.publish_topic`). psycopg is reached only
through the connection given.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from posdesk.central import CentralError
from posdesk.central.connection import database_error
from posdesk.central.schema import FLAG_REASONS, READ, SCHEMA, check_version
from posdesk.models.guidance import ID_PREFIXES
from posdesk.models.learning import numbered_step_ids

CHAIN_ID = re.compile(r"(fault|maint|sec|tx)\.chain-[1-9][0-9]*", re.ASCII)
NOTE_ID = re.compile(r"C[1-9][0-9]*", re.ASCII)
# What of a topic record the chain keeps; the rest (who, when, the shop's own marks) it says.
TOPIC_PARTS = ("title", "summary", "keywords")
STEP_PARTS = ("kind", "title", "how", "why")
LATEST_WHYS = 3  # the reasons a flagged step shows, newest first
# A topic record nests four deep (topic, steps, step, texts): one far deeper is not a topic,
# and every reader after (cleaning, writing the shop's file) would recurse through it.
DEEPEST = 32


def _told(connection: Any, work: Any) -> Any:
    """Run `work` in a transaction of its own (or a savepoint of the caller's) and tell any
    error of the database as one CentralError."""
    import psycopg

    try:
        with connection.transaction():
            return work()
    except psycopg.errors.InsufficientPrivilege:
        raise CentralError("not_allowed_here") from None
    except psycopg.Error as error:
        raise database_error(error) from None


# A shop's side of a pass.

def send_flags(connection: Any, shop_id: str, flags: list[dict[str, Any]]) -> int:
    """The shop's flags (StepFlag.to_dict() each, withdrawn ones too) as the database should
    hold them: new ones inserted, a withdrawal carried; how many rows changed. A flag of a
    reason the database does not know (a newer posdesk's, a hand-edited file) is left out
    rather than stopping every later pass."""
    def work() -> int:
        held = {(flag_id, step_id, at): withdrawn
                for flag_id, step_id, at, withdrawn in connection.execute(
                    f"SELECT flag_id, step_id, at_text, withdrawn_at_text "
                    f"FROM {SCHEMA}.step_flags WHERE shop_id = %s", (shop_id,)).fetchall()}
        rows = [(shop_id, flag["id"], flag["step_id"], flag["topic_id"], flag["reason"],
                 flag.get("why") or "", flag.get("who") or "", flag["at"],
                 flag.get("withdrawn_at"))
                for flag in flags if flag.get("reason") in FLAG_REASONS
                and held.get((flag["id"], flag["step_id"], flag["at"]), ...)
                != flag.get("withdrawn_at")]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {SCHEMA}.step_flags (shop_id, flag_id, step_id, topic_id, "
                    "reason, why, who, at_text, withdrawn_at_text) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) "
                    "ON CONFLICT (shop_id, flag_id, step_id, at_text) DO UPDATE "
                    "SET withdrawn_at_text = excluded.withdrawn_at_text", rows)
        return len(rows)
    return _told(connection, work)


def pull_guidance(connection: Any) -> dict[str, Any]:
    """What the chain publishes now, as chain-guidance.json holds it: every topic and note not
    withdrawn (the shop's role sees no other), oldest first."""
    def work() -> dict[str, Any]:
        now = connection.execute("SELECT now()").fetchone()[0]
        topics, notes = _published(connection, withdrawn=False)
        return {"pulled_at": _iso(now), "topics": topics, "notes": notes}
    return _told(connection, work)


# The head office's side.

def published(connection: Any) -> dict[str, Any]:
    """Everything the chain published, withdrawn ones too (with when)."""
    def work() -> dict[str, Any]:
        topics, notes = _published(connection, withdrawn=True)
        return {"topics": topics, "notes": notes}
    return _told(connection, work)


def _published(connection: Any, withdrawn: bool) -> tuple[list[dict], list[dict]]:
    only = "" if withdrawn else " WHERE withdrawn_at IS NULL"
    topics = [
        {**_record(record), "id": topic_id, "category": category, "who": who, "at": _iso(at),
         "edited_at": _iso(revised), "removed_at": None,
         **({"withdrawn_at": _iso(gone)} if withdrawn else {})}
        for topic_id, category, record, who, at, revised, gone in connection.execute(
            f"SELECT id, category, record::text, published_by, published_at, revised_at, "
            f"withdrawn_at "
            f"FROM {SCHEMA}.chain_topics{only} ORDER BY published_at, id")]
    notes = [
        {"id": note_id, "on": on, "text": text, "who": who, "at": _iso(at),
         **({"withdrawn_at": _iso(gone)} if withdrawn else {})}
        for note_id, on, text, who, at, gone in connection.execute(
            f"SELECT id, on_id, text, who, published_at, withdrawn_at "
            f"FROM {SCHEMA}.chain_notes{only} ORDER BY published_at, id")]
    return topics, notes


def chain_record(record: dict[str, Any], topic_id: str,
                 earlier: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the chain keeps of `record` (a topic record of the contract) as topic `topic_id`:
    its texts, and its steps numbered in order. A step already `<topic_id>.<n>` of the
    `earlier` revision keeps its id (notes and flags on it stay attached); any other step (new,
    or a shop's) takes the next number never used in this topic."""
    steps = [step if isinstance(step, dict) else {}
             for step in (record.get("steps") if isinstance(record.get("steps"), list) else [])]
    ids, made = numbered_step_ids(
        topic_id, [step.get("id") if isinstance(step.get("id"), str) else None for step in steps],
        earlier or {})
    numbered = [{"id": step_id, "order": order,
                 **{part: step.get(part) for part in STEP_PARTS if part in step}}
                for order, (step, step_id) in enumerate(zip(steps, ids), start=1)]
    return {**{part: record[part] for part in TOPIC_PARTS if part in record}, "steps": numbered,
            "steps_made": made}


def publish_topic(connection: Any, record: dict[str, Any], who: str,
                  check: Callable[[dict[str, Any]], Any] | None = None) -> str:
    """Publish `record` as a new chain topic, or, when its id is a chain topic's, as that
    topic's next revision (a withdrawn one published again); its id. `check` sees the topic
    as it will be kept (id, category and numbered steps given) and raises to refuse it."""
    given = record.get("id")
    def work() -> str:
        check_version(connection)
        if isinstance(given, str) and CHAIN_ID.fullmatch(given):
            return _revise(connection, given, record, who, check)
        category = record.get("category")
        if category not in ID_PREFIXES:
            raise CentralError("bad_category", category=str(category))
        number = connection.execute(
            f"SELECT nextval('{SCHEMA}.chain_topic_numbers')").fetchone()[0]
        topic_id = f"{ID_PREFIXES[category]}chain-{number}"
        kept = _checked(chain_record(record, topic_id), topic_id, category, check)
        connection.execute(
            f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, published_by) "
            "VALUES (%s, %s, %s, %s)", (topic_id, category, _jsonb(kept), who))
        return topic_id
    return _told(connection, work)


def _revise(connection: Any, topic_id: str, record: dict[str, Any], who: str,
            check: Callable[[dict[str, Any]], Any] | None) -> str:
    found = connection.execute(
        f"SELECT category, record::text FROM {SCHEMA}.chain_topics WHERE id = %s FOR UPDATE",
        (topic_id,)).fetchone()
    if found is None:
        raise CentralError("unknown_guidance", id=topic_id)
    category, earlier = found[0], _record(found[1])
    if record.get("category", category) != category:
        raise CentralError("category_kept", id=topic_id, category=category)
    kept = _checked(chain_record(record, topic_id, earlier), topic_id, category, check)
    connection.execute(
        f"UPDATE {SCHEMA}.chain_topics SET record = %s, published_by = %s, revised_at = now(), "
        "withdrawn_at = NULL WHERE id = %s", (_jsonb(kept), who, topic_id))
    return topic_id


def _checked(kept: dict[str, Any], topic_id: str, category: str,
             check: Callable[[dict[str, Any]], Any] | None) -> dict[str, Any]:
    if check is not None:
        check({**kept, "id": topic_id, "category": category})
    return kept


def publish_note(connection: Any, on: str, text: str, who: str) -> str:
    """A chain note on a topic or step id (checked by the caller); its id."""
    def work() -> str:
        check_version(connection)
        return connection.execute(
            f"INSERT INTO {SCHEMA}.chain_notes (on_id, text, who) VALUES (%s, %s, %s) "
            "RETURNING id", (on, text, who)).fetchone()[0]
    return _told(connection, work)


def withdraw(connection: Any, guidance_id: str) -> bool:
    """Withdraw a chain topic or note: the shops drop it at their next pass. False when it was
    withdrawn already; CentralError when the chain has none of that id."""
    table = "chain_topics" if CHAIN_ID.fullmatch(guidance_id) else \
        "chain_notes" if NOTE_ID.fullmatch(guidance_id) else None
    if table is None:
        raise CentralError("unknown_guidance", id=guidance_id)
    def work() -> bool:
        check_version(connection)
        found = connection.execute(
            f"SELECT withdrawn_at IS NULL FROM {SCHEMA}.{table} WHERE id = %s FOR UPDATE",
            (guidance_id,)).fetchone()
        if found is None:
            raise CentralError("unknown_guidance", id=guidance_id)
        if found[0]:
            connection.execute(f"UPDATE {SCHEMA}.{table} SET withdrawn_at = now() "
                               "WHERE id = %s", (guidance_id,))
        return bool(found[0])
    return _told(connection, work)


def chain_ids(connection: Any) -> set[str]:
    """Every chain topic id and step id the chain publishes now (what a note may be on)."""
    def work() -> set[str]:
        ids: set[str] = set()
        for topic_id, record in connection.execute(
                f"SELECT id, record::text FROM {SCHEMA}.chain_topics "
                "WHERE withdrawn_at IS NULL"):
            ids.add(topic_id)
            steps = _record(record).get("steps")
            ids.update(step.get("id") for step in (steps if isinstance(steps, list) else [])
                       if isinstance(step, dict) and isinstance(step.get("id"), str))
        return ids
    return _told(connection, work)


def flagged_steps(connection: Any, shop_id: str | None = None) -> list[dict[str, Any]]:
    """The steps flagged and not withdrawn, of one shop or the whole chain, most flagged
    first: step_id, topic_id, count, reasons {reason: n}, shops (ids), whys (the latest given,
    newest first)."""
    one = "AND shop_id = %s" if shop_id is not None else ""
    def work() -> list[dict[str, Any]]:
        rows = connection.execute(f"""
            SELECT step_id, (array_agg(topic_id ORDER BY received_at DESC))[1] AS topic_id,
                   count(*) AS count,
                   jsonb_object_agg(reason, n) AS reasons,
                   array_agg(DISTINCT shop_id ORDER BY shop_id) AS shops,
                   (array_agg(why ORDER BY received_at DESC) FILTER (WHERE why <> ''))[1:{LATEST_WHYS}]
                       AS whys
            FROM (SELECT *, count(*) OVER (PARTITION BY step_id, reason) AS n
                  FROM {READ}.step_flags WHERE withdrawn_at_text IS NULL {one}) AS f
            GROUP BY step_id ORDER BY count(*) DESC, step_id""",
                                  [shop_id] if shop_id is not None else []).fetchall()
        return [{"step_id": step, "topic_id": topic, "count": count, "reasons": reasons or {},
                 "shops": list(shops), "whys": list(whys or [])}
                for step, topic, count, reasons, shops, whys in rows]
    return _told(connection, work)


def _record(text: str) -> dict[str, Any]:
    """A topic's record as the database holds it; empty when it cannot be read here (written
    with plain SQL nested past what Python parses, say): a shop leaves it out, the head office
    still lists it, to withdraw or publish again."""
    try:
        record = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return record if isinstance(record, dict) and _depth(record) <= DEEPEST else {}


def _depth(value: Any) -> int:
    """How deep lists and objects nest in `value`, found without recursion."""
    deepest, waiting = 0, [(value, 1)]
    while waiting:
        item, depth = waiting.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            waiting.extend((inner, depth + 1)
                           for inner in (item.values() if isinstance(item, dict) else item))
    return deepest


def _jsonb(value: Any) -> Any:
    from psycopg.types.json import Jsonb

    return Jsonb(value)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")
