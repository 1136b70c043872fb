"""Syncing shops with the central database: offline work arriving whole, once, in order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from clocks import StepClock
from kb_steps import checks
from posdesk.central import CentralError
from shops import add_shops, joined_shop


def _work(desk, kb, faults: int) -> list[str]:
    """`faults` incidents: each tries the first step, then is fixed by the second."""
    network = checks(kb.topic("fault.network"))
    ids = []
    for _ in range(faults):
        incident = desk.start_incident("fault.network")
        desk.record_attempt(incident.id, network[0].id, "not_fixed", "灯不亮")
        desk.record_attempt(incident.id, network[1].id, "fixed")
        ids.append(incident.id)
    return ids


def _central_counts(cluster, chain_db) -> dict[str, tuple[int, int]]:
    rows = cluster.sql("SELECT i.shop_id, count(DISTINCT i.incident_id), count(e.seq) "
                       "FROM posdesk.incidents i JOIN posdesk.events e USING (shop_id, incident_id) "
                       "GROUP BY i.shop_id", dbname=chain_db)
    return {shop: (incidents, events) for shop, incidents, events in rows}


@pytest.fixture
def two_shops(cluster, chain_db, central, tmp_path, kb):
    roles = add_shops(cluster, chain_db, "sz-01", "gz-02")
    clock_a = StepClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    clock_b = StepClock(datetime(2026, 11, 25, 10, 0, tzinfo=timezone(timedelta(hours=8))))
    a = joined_shop(cluster, chain_db, roles["sz-01"], "sz-01", tmp_path / "a", kb, clock_a)
    b = joined_shop(cluster, chain_db, roles["gz-02"], "gz-02", tmp_path / "b", kb, clock_b)
    return a, b


def test_two_shops_work_offline_then_sync_and_the_head_office_sees_both(
        cluster, chain_db, two_shops, kb):
    a, b = two_shops
    _work(a, kb, 3)
    _work(b, kb, 2)
    assert _central_counts(cluster, chain_db) == {}  # nothing leaves a shop by itself
    report_a, report_b = a.sync_once(), b.sync_once()
    assert report_a.ok and report_a.events == 12 and report_a.incidents == 3
    assert report_b.ok and report_b.events == 8
    assert _central_counts(cluster, chain_db) == {"sz-01": (3, 12), "gz-02": (2, 8)}
    statuses = cluster.sql("SELECT shop_id, count(*) FROM posdesk.incidents "
                           "WHERE status = 'resolved' GROUP BY shop_id ORDER BY shop_id",
                           dbname=chain_db)
    assert statuses == [("gz-02", 2), ("sz-01", 3)]
    # A second pass sends nothing and changes nothing.
    again = a.sync_once()
    assert again.ok and again.events == 0 and again.waiting == 0
    assert _central_counts(cluster, chain_db) == {"sz-01": (3, 12), "gz-02": (2, 8)}
    # The chain's figures came back to each shop, kept for offline use.
    step = checks(kb.topic("fault.network"))[1].id
    figure = b.chain_figures()[step]
    assert (figure.fixed, figure.tried, figure.shops) == (5, 5, 2)  # b synced after a
    first = b.chain_figures()[checks(kb.topic("fault.network"))[0].id]
    assert (first.fixed, first.tried, first.shops) == (0, 5, 2)
    assert a.chain_figures()[step].tried == 5  # its second pass brought b's too
