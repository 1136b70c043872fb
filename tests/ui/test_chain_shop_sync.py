"""A shop in a chain, as its people see it: the records go to the central database in the
background, and the key bar says how that stands, in either language, offline too."""

from __future__ import annotations

import re
import subprocess
import sys
from time import monotonic, sleep

import psycopg
import pytest

from central.shops import add_shops
from pilot_helpers import start_flow, until, until_marked
from posdesk.ui import chain_sync
from posdesk.ui.app import PosdeskApp
from posdesk.ui.widgets.bars import KeyBar


SHOP = "sz-01"


@pytest.fixture
def joined(cluster, chain_db, central, desk):
    """The test's desk, joined to a fresh chain database as shop sz-01."""
    role = add_shops(cluster, chain_db, SHOP)[SHOP]
    desk.join_chain(SHOP, "Shop sz-01", cluster.dsn(role, chain_db))
    return desk


@pytest.fixture
def server_back(cluster):
    """Tests that stop the server leave it running for the next one."""
    yield cluster
    if not cluster.running:
        cluster.start()


@pytest.fixture(autouse=True)
def quick_passes(monkeypatch):
    """A pass a moment after a change, rather than a few seconds (the timer is the same)."""
    monkeypatch.setattr(chain_sync, "SYNC_AFTER_CHANGE", 0.2)


def key_bar(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


def held_centrally(cluster, chain_db) -> dict[str, int]:
    """Each of the shop's incidents in the central database, with the events it holds."""
    return dict(cluster.sql(
        f"SELECT incident_id, count(*) FROM posdesk.events WHERE shop_id = '{SHOP}' "
        "GROUP BY incident_id", dbname=chain_db))


async def until_bar_says(pilot, text: str) -> None:
    await until(pilot, lambda: text in key_bar(pilot.app), what=f"{text!r} in the key bar")


def says_synced(app) -> bool:
    """The bar says when the shop last synced ("synced 14:02"), and no pass is running."""
    return bool(re.search(r"synced \d\d:\d\d", key_bar(app))) and not app.chain_sync.sending


async def until_synced(pilot) -> None:
    await until(pilot, lambda: says_synced(pilot.app), what="'synced' and the time in the key bar")


async def record_two_marks(pilot):
    """Open the flow on the first fault and mark two steps: the incident, recorded."""
    flow = await start_flow(pilot)
    await pilot.press("d")  # step 1 only finds something out: noted
    await until_marked(pilot, flow, 1)
    await pilot.press("n")
    await until_marked(pilot, flow, 2)
    return flow


async def test_a_joined_shop_says_synced_and_the_chain_holds_what_was_recorded(
        joined, cluster, chain_db):
    app = PosdeskApp(joined, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_synced(pilot)  # the pass at start: nothing to send yet
        flow = await record_two_marks(pilot)
        incident = flow.incident
        # A moment after the change, a pass sends it.
        await until(pilot, lambda: held_centrally(cluster, chain_db).get(incident.id)
                    == len(joined.incident(incident.id).events), what="the incident sent")
        await until_synced(pilot)
        assert "waiting" not in key_bar(app)
    assert joined.sync_status().waiting == 0


async def test_offline_the_shop_records_at_once_and_says_what_waits_then_sends_it(
        joined, cluster, chain_db, server_back, monkeypatch):
    monkeypatch.setattr(chain_sync, "SYNC_EVERY", 1.0)  # the pass after the server is back
    app = PosdeskApp(joined, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_synced(pilot)
        cluster.stop()
        flow = await record_two_marks(pilot)  # every mark is saved as ever
        incident = joined.incident(flow.incident.id)
        assert len(incident.attempts) == 2
        waiting = len(incident.events)
        await until_bar_says(pilot, f"offline: {waiting} waiting")
        cluster.start()
        # The server is back: the next pass sends the backlog whole, and says so.
        await until(pilot, lambda: held_centrally(cluster, chain_db) == {incident.id: waiting},
                    what="the backlog sent")
        await until_synced(pilot)
        assert "offline" not in key_bar(app)


async def test_l_rewords_the_sync_status(joined, cluster, chain_db, server_back):
    app = PosdeskApp(joined, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_synced(pilot)
        await pilot.press("l")
        await until_bar_says(pilot, "已同步 ")
        cluster.stop()
        app.chain_sync.sync_now()
        await until_bar_says(pilot, "离线")  # nothing waits: offline, no count
        assert "0 条" not in key_bar(app)
        await pilot.press("l")
        await until_bar_says(pilot, "offline")
        assert "0 waiting" not in key_bar(app)
        # The reason is one line, in the bar's tooltip, never a traceback or a dialog.
        bar = app.screen.query_one(KeyBar)
        assert "Cannot reach the central database" in bar.tooltip
        assert "\n" not in bar.tooltip and len(app.screen_stack) == 1


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_status_fits_a_60_by_20_window_beside_quit_and_the_keys(
        joined, cluster, chain_db, server_back, lang):
    cluster.stop()  # the longest thing it says: offline, with a count
    app = PosdeskApp(joined, lang)
    async with app.run_test(size=(60, 20)) as pilot:
        said = "离线" if lang == "zh" else "offline"
        await until_bar_says(pilot, said)
        for screen in ("main", "flow"):
            if screen == "flow":
                await start_flow(pilot)
                await until_bar_says(pilot, said)
            bar = app.screen.query_one(KeyBar)
            drawn = key_bar(app)
            assert bar.render().cell_len <= 60, drawn
            assert drawn.rstrip().endswith(said), drawn
            assert " q " in drawn and " ? " in drawn, drawn


async def test_a_pass_that_hangs_delays_no_mark_and_loses_nothing(joined, cluster, chain_db):
    """The central database stalls (a table locked by someone else): marks are saved at once
    all the same, and q closes the app; nothing is lost, the next pass sends it all."""
    app = PosdeskApp(joined, "en")
    stall = psycopg.connect(cluster.dsn(dbname=chain_db))
    try:
        stall.execute("LOCK TABLE posdesk.incidents IN ACCESS EXCLUSIVE MODE")
        async with app.run_test(size=(80, 24)) as pilot:
            await until_bar_says(pilot, "syncing…")  # the pass at start, stuck
            started = monotonic()
            flow = await record_two_marks(pilot)
            assert monotonic() - started < 5  # the UI never waited for the pass
            assert app.chain_sync.sending  # still stuck
            incident_id = flow.incident.id
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.screen_stack[0], what="the main screen")
            quitting = monotonic()
            await pilot.press("q")
        assert monotonic() - quitting < 3
        assert len(joined.incident(incident_id).attempts) == 2
    finally:
        stall.rollback()  # the stalled pass goes on now, in its thread
        stall.close()
    deadline = monotonic() + 30
    while (report := joined.sync_once()).busy and monotonic() < deadline:
        sleep(0.1)  # the pass cut loose by quitting still holds the sync's lock
    assert report.ok, report
    recorded = joined.incident(incident_id)
    assert held_centrally(cluster, chain_db) == {incident_id: len(recorded.events)}


# posdesk in a process of its own, as `posdesk` runs it (launch, so asyncio.run and the
# interpreter's exit, which wait for the threads of every worker); it quits while the pass at
# start is stuck, and says when it pressed q.
QUIT_WHILE_SENDING = """
import sys, time
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp, launch

async def quit_while_sending(pilot):
    app = pilot.app
    while app.chain_sync is None or not app.chain_sync.sending:
        await pilot.pause(0.05)
    await pilot.pause(0.5)
    print("quitting", flush=True)
    await pilot.press("q")

launch(PosdeskApp(Desk(sys.argv[1]), "en"), headless=True, auto_pilot=quit_while_sending)
"""


def test_posdesk_quits_at_once_while_a_pass_is_stuck(joined, cluster, chain_db):
    """Quitting never waits for the network: the process ends at once, the pass cut (which
    the sync survives: the next pass sends what is missing)."""
    stall = psycopg.connect(cluster.dsn(dbname=chain_db))
    try:
        stall.execute("LOCK TABLE posdesk.incidents IN ACCESS EXCLUSIVE MODE")
        posdesk = subprocess.Popen([sys.executable, "-c", QUIT_WHILE_SENDING, str(joined.home)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert posdesk.stdout.readline().strip() == "quitting", posdesk.stderr.read()
            quitting = monotonic()
            posdesk.wait(timeout=20)
            assert monotonic() - quitting < 3
        finally:
            posdesk.kill()
            posdesk.wait()
        assert posdesk.returncode == 0, posdesk.stderr.read()
    finally:
        stall.rollback()
        stall.close()
    assert joined.sync_once().ok  # the cut pass left nothing in the way


async def test_a_damaged_link_to_the_chain_is_said_in_the_key_bar_not_hidden(joined):
    joined.locations.chain_link.write_text("{ not json", encoding="utf-8")
    app = PosdeskApp(joined, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_bar_says(pilot, "not synced")
        await until(pilot, lambda: not app.chain_sync.sending, what="the pass to end")
        bar = app.screen.query_one(KeyBar)
        assert "cannot be read" in bar.tooltip and "posdesk central join" in bar.tooltip
