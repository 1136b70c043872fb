"""What the chain teaches a shop, in the guided flow: beside how often a step fixed the fault
here, how often it did across the chain's shops; kept locally, so shown offline too. And a shop
that never joined a chain loads none of chain mode."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from central.shops import add_shops
from clocks import StepClock
from kb_steps import checks
from pilot_helpers import past_today, screen_text, start_flow, until, until_shown
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp


def fixed_by_the_cable(desk, kb, times: int, then: str = "fixed") -> None:
    """`times` network faults: the cable check (step 2) tried, with `then` as its outcome."""
    cable = checks(kb.topic("fault.network"))[0]
    for _ in range(times):
        incident = desk.start_incident("fault.network")
        desk.record_attempt(incident.id, cable.id, then)


@pytest.fixture
def chain_taught(cluster, chain_db, central, desk, kb, tmp_path):
    """Two shops: another one fixed it twice by the cable and once not; this one fixed it once.
    Both synced (this one last, so it brought back both shops' figures); then the server
    stopped, and stays stopped while the test runs."""
    roles = add_shops(cluster, chain_db, "sz-01", "gz-02")
    clock = StepClock(datetime(2026, 11, 24, 9, 0, tzinfo=timezone(timedelta(hours=8))))
    other = Desk(tmp_path / "other", kb=kb, clock=clock)
    other.join_chain("gz-02", "Shop gz-02", cluster.dsn(roles["gz-02"], chain_db))
    fixed_by_the_cable(other, kb, 2)
    fixed_by_the_cable(other, kb, 1, then="not_fixed")
    assert other.sync_once().ok
    desk.join_chain("sz-01", "Shop sz-01", cluster.dsn(roles["sz-01"], chain_db))
    fixed_by_the_cable(desk, kb, 1)
    assert desk.sync_once().ok
    cluster.stop()
    yield desk
    cluster.start()


async def open_cable_step(pilot):
    await past_today(pilot)
    flow = await start_flow(pilot)
    await pilot.press("right")  # step 2: check the cable
    return flow


async def test_the_flow_shows_the_chains_figure_beside_the_shops_own_offline_too(chain_taught):
    app = PosdeskApp(chain_taught, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "offline")  # the server is down; the figures were kept
        await open_cable_step(pilot)
        await until_shown(pilot, "In the chain: fixed it in 3 of 4 incidents, in 2 shops.")
        history = str(app.screen.query_one("#flow-history").render())
        assert history == ("Fixed it in 1 of 1 past incidents.\n"
                           "In the chain: fixed it in 3 of 4 incidents, in 2 shops.")
        await pilot.press("l")
        await until_shown(pilot, "连锁各店：这一步在 2 家店的 4 次中解决了 3 次。")
        assert "以往记录中，这一步在 1 次中解决了 1 次。" in screen_text(app)


async def test_a_step_the_chain_has_no_figure_for_shows_none(chain_taught, kb):
    app = PosdeskApp(chain_taught, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        flow = await open_cable_step(pilot)
        await until_shown(pilot, "In the chain:")
        await pilot.press("right")  # step 3: nobody in the chain tried it
        await until(pilot, lambda: flow.order == 3, what="step 3")
        assert "In the chain" not in screen_text(app) and "Fixed it in" not in screen_text(app)


def test_big_figures_read_as_numbers(chain_taught):
    """700 of 1,000 incidents in 43 shops: thousands grouped, as the chain's figures grow."""
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen
    from posdesk.models.chain import ChainFigure

    desk = chain_taught
    incident = desk.new_incident("fault.network")
    flow = TroubleshootScreen(desk, incident)
    step = flow.topic.steps[1]
    flow.chain_figures = {step.id: ChainFigure(step.id, 700, 1000, 43)}
    assert str(flow._step_history(step, "en")) == (
        "In the chain: fixed it in 700 of 1,000 incidents, in 43 shops.")
    flow.chain_figures = {step.id: ChainFigure(step.id, 1, 1, 1)}
    assert str(flow._step_history(step, "en")) == (
        "In the chain: fixed it in 1 of 1 incidents, in 1 shop.")


# A shop that never joined: the app opens, a fault is worked through (every change told to the
# app as ever), and then what was loaded is listed.
NEVER_JOINED = """
import asyncio, json, sys
sys.path.insert(0, sys.argv[2])
from pilot_helpers import past_today, start_flow, until_marked
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp

async def main():
    app = PosdeskApp(Desk(sys.argv[1]), "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("d")
        await until_marked(pilot, flow, 1)
        await pilot.pause(0.5)
        timers = [timer.name for timer in app._timers]
        said = str(app.default_screen.query_one("KeyBar").render())
        print(json.dumps({"chain_sync": app.chain_sync is not None, "timers": timers,
                          "workers": [w.group for w in app.workers], "key_bar": said,
                          "modules": sorted(m for m in sys.modules if m.startswith(
                              ("psycopg", "posdesk.central", "posdesk.ui.chain_sync")))}))

asyncio.run(main())
"""


def test_a_shop_outside_a_chain_loads_none_of_it(home, tmp_path):
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    done = subprocess.run([sys.executable, "-c", NEVER_JOINED, str(home), str(tests)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["modules"] == [] and not seen["chain_sync"]
    assert not any("sync" in (name or "") for name in seen["timers"]), seen["timers"]
    assert "chain-sync" not in seen["workers"]
    assert "sync" not in seen["key_bar"] and "offline" not in seen["key_bar"]
