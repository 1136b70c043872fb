"""Adversary, second round: the new keys pressed twice fast, on the wrong tab, in a flow with
no incident recorded yet."""

from __future__ import annotations

import pytest

from pilot_helpers import open_topic, past_today, start_flow, until_screen, open_incidents_tab
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.dialog import Dialog

SIZE = (100, 30)


def dialogs(app) -> int:
    return sum(isinstance(screen, Dialog) for screen in app.screen_stack)


@pytest.mark.parametrize("key", ["a", "x", "t", "m", "X", "o", "R", "E", "D"])
async def test_a_key_pressed_twice_fast_opens_one_dialog(desk, key):
    topic = desk.add_own_topic("fault", "Till frozen", "", [{"title": "Restart"}], "Wang")
    desk.add_guidance_note(topic.steps[0].id, "x", "Wang")
    desk.flag_step(topic.steps[0].id, "wrong")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, topic.id)
        await pilot.press(key, key)
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert dialogs(app) <= 1


@pytest.mark.parametrize("key", ["a", "x"])
async def test_the_flows_keys_twice_fast_before_anything_is_recorded(desk, key):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        flow = await start_flow(pilot)
        assert not flow.incident.id
        await pilot.press(key, key)
        await pilot.pause()
        assert app.is_running and dialogs(app) <= 1


# x, o and t are the Incidents tab's own keys (export, sort, insights).
@pytest.mark.parametrize("key", ["a", "m", "u", "X", "E", "D", "R"])
async def test_the_new_keys_on_the_incidents_tab(desk, key):
    desk.add_guidance_note("fault.print", "x", "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await open_incidents_tab(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running and dialogs(app) == 0
