"""Adversary tests for a shop's sync (issue 14): records the shop accepts must never stop the
shop's sync for good, and what the shop keeps locally must never make it crash."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from clocks import StepClock
from kb_steps import checks
from shops import add_shops, joined_shop

OPEN_FILE = "incidents-open.json"


@pytest.fixture
def shop(cluster, chain_db, central, tmp_path, kb):
    roles = add_shops(cluster, chain_db, "sz-01")
    clock = StepClock(datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    return joined_shop(cluster, chain_db, roles["sz-01"], "sz-01", tmp_path / "a", kb, clock)


def _rewrite_event_time(home, incident_id: str, seq: int, at: str) -> None:
    """Hand-edit (or restore) the open incidents' file so one event's time reads `at`."""
    path = home / OPEN_FILE
    tables = json.loads(path.read_text(encoding="utf-8"))
    for record in tables["incidents"].values():
        if record["id"] == incident_id:
            record["events"][seq]["at"] = at
    path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("at", [
    "2026-W48-3T09:05:00+08:00",   # an ISO week date: Python reads it, PostgreSQL does not
    "2026-11-25T09:05:00,5+08:00",  # a decimal comma
    "2026-11-25T09:05:00+16:00",   # an offset PostgreSQL holds out of range
])
def test_a_time_the_shop_accepts_never_stops_every_later_pass(shop, kb, cluster, chain_db, at):
    network = checks(kb.topic("fault.network"))
    odd = shop.start_incident("fault.network")
    shop.record_attempt(odd.id, network[0].id, "not_fixed")
    _rewrite_event_time(shop.home, odd.id, 1, at)
    assert shop.incident(odd.id).events[1].at == at  # the shop reads it as a good time
    later = shop.start_incident("fault.network")
    report = shop.sync_once()
    assert report.error is None, report.error
    held = dict(cluster.sql("SELECT incident_id, event_count FROM posdesk.incidents",
                            dbname=chain_db))
    assert held == {odd.id: 2, later.id: 1}
    # Kept as the shop wrote it, read as the same instant.
    (at_text, moment), = cluster.sql(
        "SELECT at_text, at FROM posdesk.events WHERE seq = 1", dbname=chain_db)
    assert at_text == at and moment == datetime.fromisoformat(at)


def test_a_deeply_nested_link_file_is_one_line_and_the_status_never_raises(shop):
    from posdesk.central import CentralError

    shop.locations.chain_link.write_text("[" * 200_000)
    status = shop.sync_status()  # never raises
    assert status.joined and status.error and "\n" not in status.error
    with pytest.raises(CentralError):
        shop.chain_link()


def test_a_deeply_nested_sync_state_is_taken_as_none(shop, kb):
    shop.start_incident("fault.network")
    shop.locations.sync_state.write_text('{"held_events": ' + "[" * 200_000)
    assert shop.sync_status().joined
    assert shop.chain_figures() == {}
    report = shop.sync_once()
    assert report.ok and report.events == 1


def _within(seconds: float, work):
    """`work()`'s result, or a failure when it has not returned in `seconds` (a read that waits
    for ever on a pipe)."""
    import threading

    found: list = []
    worker = threading.Thread(target=lambda: found.append(work()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "still waiting"
    return found[0]


@pytest.mark.parametrize("kind", ["pipe", "huge"])
def test_a_link_file_that_is_a_pipe_or_huge_is_one_line_at_once(shop, kind):
    import os

    path = shop.locations.chain_link
    path.unlink()
    if kind == "pipe":
        os.mkfifo(path)
    else:
        with open(path, "wb") as huge:
            huge.truncate(2 << 30)  # 2 GiB of zeros, sparse: never to be read whole
    status = _within(5, shop.sync_status)
    assert status.joined and status.error and "\n" not in status.error


def test_a_sync_state_that_is_a_pipe_is_taken_as_none(shop):
    import os

    os.mkfifo(shop.locations.sync_state)
    status = _within(5, shop.sync_status)
    assert status.joined and status.error is None
