"""Syncing shops with the central database: offline work arriving whole, once, in order."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from clocks import StepClock
from kb_steps import checks
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


def test_an_incident_restored_from_an_older_backup_is_named_not_sent_and_nothing_central_changes(
        cluster, chain_db, two_shops, kb):
    a, _ = two_shops
    network = checks(kb.topic("fault.network"))
    incident = a.start_incident("fault.network")
    older = a.backup()
    a.record_attempt(incident.id, network[0].id, "not_fixed", "first try")
    assert a.sync_once().ok
    before = cluster.sql("SELECT seq, digest FROM posdesk.events ORDER BY seq", dbname=chain_db)
    a.restore(older)  # the record goes back to its opening alone…
    a.record_attempt(incident.id, network[0].id, "fixed", "a different second event")
    report = a.sync_once()  # …so its second event is not the one the database holds
    assert report.diverged == (incident.id,)
    assert cluster.sql("SELECT seq, digest FROM posdesk.events ORDER BY seq", dbname=chain_db) == before
    assert report.waiting == 1  # told as waiting, never dropped


def test_two_passes_at_once_one_runs_the_other_says_busy(two_shops, kb):
    from posdesk.store.lock import DirectoryLock

    a, _ = two_shops
    _work(a, kb, 1)
    held = DirectoryLock(a.locations.sync_lock, 0)
    held.acquire()  # as another process's pass would hold it
    try:
        import os
        child = os.fork()
        if child == 0:
            os._exit(0 if a.sync_once().busy else 1)
        _, status = os.waitpid(child, 0)
        assert os.WEXITSTATUS(status) == 0
    finally:
        held.release()
    assert a.sync_once().ok


def test_a_restored_backup_never_changes_which_chain_the_shop_sends_to(cluster, chain_db,
                                                                       two_shops, kb, tmp_path):
    a, b = two_shops
    _work(b, kb, 1)
    from_b = b.backup()  # b's backup, as a crafted one from elsewhere would be
    a.restore(from_b)
    assert a.chain_link().shop_id == "sz-01"  # still a's own link
    assert a.sync_once().ok
    assert cluster.sql("SELECT DISTINCT shop_id FROM posdesk.incidents", dbname=chain_db) == [
        ("sz-01",)]


def test_a_damaged_link_file_is_one_line_and_the_status_says_so(two_shops, capsys):
    from posdesk.cli import main

    a, _ = two_shops
    a.locations.chain_link.write_text("{not json")
    status = a.sync_status()
    assert status.joined and "cannot be read" in status.error
    assert main(["sync", "--home", str(a.home)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "central join" in err


def test_a_pass_reads_only_the_files_changed_since_and_rereads_all_when_the_database_lost_some(
        cluster, chain_db, central, two_shops, kb):
    a, _ = two_shops
    _work(a, kb, 3)  # resolved: kept in their month's file
    assert a.sync_once().ok
    link = a.chain_link()
    settled = a._sync_state().settled_files
    assert a._outgoing(link, settled).outgoing.incidents == []  # nothing changed: nothing read
    a.start_incident("fault.print")
    assert [r["topic_id"] for r in a._outgoing(link, settled).outgoing.incidents] == ["fault.print"]
    assert a.sync_once().events == 1
    # The central database loses this shop's incidents (restored from an older backup of its own).
    with psycopg.connect(central) as admin:
        admin.execute("DELETE FROM posdesk.step_outcomes WHERE shop_id = 'sz-01'")
        admin.execute("DELETE FROM posdesk.events WHERE shop_id = 'sz-01'")
        admin.execute("DELETE FROM posdesk.incidents WHERE shop_id = 'sz-01'")
    again = a.sync_once()
    assert again.ok and again.events == 13 and again.waiting == 0
    assert _central_counts(cluster, chain_db)["sz-01"] == (4, 13)
