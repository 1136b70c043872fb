"""Sync under failure: the server stopped while the shop works, the sync process killed at random
moments, a shop's clock wrong. Nothing lost, nothing duplicated, times kept as recorded."""

from __future__ import annotations

import os
import random
import signal
import time
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from clocks import StepClock
from kb_steps import checks
from pg import Cluster
from posdesk.central.connection import connect
from posdesk.central.schema import migrate
from posdesk.central.sync import digest
from shops import add_shops, joined_shop


def _work(desk, kb, faults: int, escalate: bool = False) -> None:
    printing = checks(kb.topic("fault.print"))
    for _ in range(faults):
        incident = desk.start_incident("fault.print")
        desk.record_attempt(incident.id, printing[0].id, "not_fixed", "纸卷装反了？")
        if escalate:
            desk.escalate(incident.id, "打印机不出纸")
        else:
            desk.record_attempt(incident.id, printing[1].id, "fixed")


def _central_events(dsn: str) -> dict[str, list[tuple[int, str]]]:
    with psycopg.connect(dsn) as connection:
        rows = connection.execute(
            "SELECT incident_id, seq, digest FROM posdesk.events ORDER BY incident_id, seq")
        found: dict[str, list[tuple[int, str]]] = {}
        for incident, seq, event_digest in rows:
            found.setdefault(incident, []).append((seq, event_digest))
    return found


def _local_events(desk) -> dict[str, list[tuple[int, str]]]:
    return {incident.id: [(seq, digest(event)) for seq, event in
                          enumerate(incident.to_record()["events"])]
            for incident in desk.each_incident()}


def _assert_a_prefix_of(central: dict, local: dict) -> None:
    """What the database holds of each incident is the first N events the shop recorded."""
    for incident, events in central.items():
        assert events == local[incident][:len(events)], incident


@pytest.fixture
def own_cluster():
    server = Cluster()
    server.start()
    yield server
    server.remove()


def test_a_backlog_made_while_the_server_was_down_arrives_whole(own_cluster, tmp_path, kb):
    own_cluster.sql("CREATE DATABASE chain")
    with connect(own_cluster.dsn(dbname="chain")) as admin:
        migrate(admin)
    role = add_shops(own_cluster, "chain", "sh-01")["sh-01"]
    clock = StepClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    shop = joined_shop(own_cluster, "chain", role, "sh-01", tmp_path / "shop", kb, clock)
    _work(shop, kb, 2)
    assert shop.sync_once().ok
    own_cluster.stop()
    started = time.monotonic()
    _work(shop, kb, 5, escalate=True)  # the shop goes on working, at its own speed
    shop.save_terminal(name="收银台 1", bank="建设银行", serial="N6S123")
    shop.mark_done("maint.exterior_daily", "小李")
    assert time.monotonic() - started < 5
    failed = shop.sync_once()
    assert failed.error is not None and "Cannot reach" in str(failed.error)
    assert failed.waiting == 5 * 3 + 1 + 1  # 5 incidents of 3 events, a routine, a terminal
    status = shop.sync_status()
    assert status.waiting == 17 and status.error_phrase is not None
    own_cluster.start()
    report = shop.sync_once()
    assert report.ok and report.events == 15 and report.routines == 1 and report.terminals == 1
    assert report.waiting == 0 and shop.sync_status().waiting == 0
    central = _central_events(own_cluster.dsn(dbname="chain"))
    assert central == _local_events(shop)
    assert own_cluster.sql("SELECT count(*) FROM posdesk.incidents WHERE status = 'escalated'",
                           dbname="chain") == [(5,)]


def _noted_incident(desk, kb, notes: int, escalate: bool) -> None:
    """An incident of many events: a step tried, notes, then the bank called or the fault fixed."""
    printing = checks(kb.topic("fault.print"))
    incident = desk.start_incident("fault.print")
    desk.record_attempt(incident.id, printing[0].id, "not_fixed")
    for number in range(notes):
        desk.add_note(incident.id, f"第 {number + 1} 次试纸卷")
    if escalate:
        desk.escalate(incident.id, "打印机不出纸")
    else:
        desk.record_attempt(incident.id, printing[1].id, "fixed")


def test_sync_killed_at_random_moments_a_hundred_times_loses_and_doubles_nothing(
        cluster, chain_db, central, tmp_path, kb):
    role = add_shops(cluster, chain_db, "bj-07")["bj-07"]
    clock = StepClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    shop = joined_shop(cluster, chain_db, role, "bj-07", tmp_path / "shop", kb, clock)
    chance = random.Random(1407)
    landed_mid_pass = cut_between_batches = 0
    for round_number in range(100):
        _noted_incident(shop, kb, chance.randint(0, 8), escalate=round_number % 3 == 0)
        held_before = sum(map(len, _central_events(central).values()))
        recorded = sum(map(len, _local_events(shop).values()))
        # A pass reads the shop's records, then sends; a moment anywhere in it, the sending
        # (a few milliseconds a batch) included, whatever the history's size by then.
        started = time.monotonic()
        shop._outgoing(shop.chain_link(), shop._sync_state().settled_files)
        reading = time.monotonic() - started
        child = os.fork()
        if child == 0:  # the sync process: one pass in batches of two events, until killed
            try:
                shop.sync_once(batch_events=2)
            finally:
                os._exit(0)
        time.sleep(chance.uniform(0, reading + 0.06))
        os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        landed_mid_pass += os.WIFSIGNALED(status)
        held = _central_events(central)
        _assert_a_prefix_of(held, _local_events(shop))
        cut_between_batches += held_before < sum(map(len, held.values())) < recorded
    assert landed_mid_pass >= 50  # most kills cut a pass somewhere…
    assert cut_between_batches >= 10  # …and many after some batches went, before the rest
    final = shop.sync_once()
    assert final.ok and final.waiting == 0
    assert _central_events(central) == _local_events(shop)
    counted = cluster.sql("SELECT count(*), count(DISTINCT (incident_id, seq)) FROM posdesk.events",
                          dbname=chain_db)[0]
    assert counted[0] == counted[1] == sum(len(e) for e in _local_events(shop).values())
    print(f"killed mid-pass {landed_mid_pass}, between batches {cut_between_batches}")


def test_a_shop_whose_clock_is_wrong_keeps_its_times_as_recorded_with_their_offset(
        cluster, chain_db, central, tmp_path, kb):
    role = add_shops(cluster, chain_db, "wz-03")["wz-03"]
    ahead = StepClock(datetime(2031, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8))))
    shop = joined_shop(cluster, chain_db, role, "wz-03", tmp_path / "shop", kb, ahead)
    _work(shop, kb, 1)
    assert shop.sync_once().ok
    recorded = [e["at"] for i in shop.each_incident() for e in i.to_record()["events"]]
    rows = cluster.sql("SELECT at_text, extract(epoch FROM clock_offset) FROM posdesk.events "
                       "ORDER BY seq", dbname=chain_db)
    assert [at for at, _ in rows] == recorded
    assert recorded[0].startswith("2031-03-01T08:3") and recorded[0].endswith("+08:00")
    for _, offset in rows:  # the shop's clock against the server's, about four years ahead
        assert 4 * 365 * 86400 < offset < 5 * 365 * 86400
    status = cluster.sql("SELECT shop_time, extract(epoch FROM clock_offset) FROM posdesk.shop_status",
                         dbname=chain_db)[0]
    assert status[0].startswith("2031-03-01") and status[1] > 4 * 365 * 86400
