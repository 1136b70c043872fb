"""Putting a chain's records into a test database the way shops do: each shop added with its own
role (posdesk.central.shops.add_shop), and everything it sends inserted AS THAT ROLE, in the
schema's shape, so that row-level security and the summaries' trigger do their real work.

    shops = add_shops(cluster, chain_db, central, ("sz-01", "深圳一店"), ("bj-02", "Beijing 2"))
    send_incident(cluster, chain_db, "sz-01", incident(...))
    send_status(cluster, chain_db, "sz-01", routines=[state.to_dict()], offset_seconds=90)
    hq = HeadOffice(head_office_dsn(cluster, chain_db))
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import psycopg

from posdesk.central.connection import connect
from posdesk.central.schema import Roles
from posdesk.central.shops import add_shop
from posdesk.models import Incident


def add_shops(cluster, chain_db: str, central: str, *shops: tuple[str, str]) -> None:
    with connect(central) as admin:
        for shop_id, name in shops:
            add_shop(admin, shop_id, name, None)


def head_office_dsn(cluster, chain_db: str) -> str:
    """A login role of the head office's group (made once per database)."""
    login = f"{Roles(chain_db).head_office}_reader"
    cluster.sql(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') "
                f"THEN CREATE ROLE \"{login}\" LOGIN IN ROLE \"{Roles(chain_db).head_office}\"; "
                "END IF; END $$", dbname=chain_db)
    return cluster.dsn(login, chain_db)


def as_shop(cluster, chain_db: str, shop_id: str) -> psycopg.Connection:
    return psycopg.connect(cluster.dsn(Roles(chain_db).shop(shop_id), chain_db), autocommit=True)


def incident(incident_id: str, topic_id: str, title: tuple[str, str], opened_at: str,
             *events: dict[str, Any], terminal: str | None = "T1 收银台", note: str = "",
             step_count: int = 5) -> Incident:
    """An incident as a shop keeps it: opened at `opened_at`, then `events` (each a dict with
    its kind and at, as Event.to_dict() writes it)."""
    return Incident.from_dict({
        "id": incident_id, "topic_id": topic_id, "topic_title": {"zh": title[0], "en": title[1]},
        "kb_version": "2026.11", "step_count": step_count, "terminal": terminal,
        "events": [{"kind": "opened", "at": opened_at, "note": note}, *events]})


def attempt(at: str, step_id: str, outcome: str, note: str = "", order: int = 1) -> dict:
    return {"kind": "attempt", "at": at, "step_id": step_id, "step_order": order,
            "step_title": {"zh": f"步骤 {step_id}", "en": f"Step {step_id}"},
            "outcome": outcome, "note": note}


def send_incident(cluster, chain_db: str, shop_id: str, sent: Incident) -> None:
    """The incident and its events, as the shop's own role inserts them (events in order)."""
    record = sent.to_record()
    events = record.pop("events")
    with as_shop(cluster, chain_db, shop_id) as connection:
        connection.execute(
            "INSERT INTO posdesk.incidents (shop_id, incident_id, topic_id, topic_title, "
            "kb_version, step_count, terminal, record) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
            (shop_id, sent.id, sent.topic_id, json.dumps(record["topic_title"]),
             sent.kb_version, sent.step_count, sent.terminal, json.dumps(record)))
        for seq, event in enumerate(events):
            body = {key: value for key, value in event.items() if key not in ("kind", "at")}
            connection.execute(
                "INSERT INTO posdesk.events (shop_id, incident_id, seq, kind, at_text, at, body, "
                "digest) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)",
                (shop_id, sent.id, seq, event["kind"], event["at"],
                 datetime.fromisoformat(event["at"]), json.dumps(body),
                 hashlib.sha256(json.dumps(event, sort_keys=True).encode()).hexdigest()))


def send_status(cluster, chain_db: str, shop_id: str, routines: list[dict],
                shop_time: str = "2026-11-25T09:00:00+08:00", offset_seconds: int = 0,
                waiting: int = 0) -> None:
    with as_shop(cluster, chain_db, shop_id) as connection:
        connection.execute(
            "INSERT INTO posdesk.shop_status (shop_id, shop_time, clock_offset, routines, waiting)"
            " VALUES (%s, %s, make_interval(secs => %s), %s, %s)",
            (shop_id, shop_time, offset_seconds, json.dumps(routines), waiting))


def send_routine(cluster, chain_db: str, shop_id: str, entry: dict) -> None:
    with as_shop(cluster, chain_db, shop_id) as connection:
        connection.execute(
            "INSERT INTO posdesk.routine_log (shop_id, entry_key, routine_id, at_text, at, body) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            (shop_id, hashlib.sha256(json.dumps(entry, sort_keys=True).encode()).hexdigest(),
             entry["routine_id"], entry["at"], datetime.fromisoformat(entry["at"]),
             json.dumps(entry)))


def send_terminal(cluster, chain_db: str, shop_id: str, terminal: dict,
                  on_record: bool = True) -> None:
    with as_shop(cluster, chain_db, shop_id) as connection:
        connection.execute(
            "INSERT INTO posdesk.terminals (shop_id, terminal_id, body, on_record) "
            "VALUES (%s, %s, %s, %s)", (shop_id, terminal["id"], json.dumps(terminal), on_record))
