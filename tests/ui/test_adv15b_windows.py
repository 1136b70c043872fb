"""Adversary, second round: two app windows on one data directory. What one window writes the
other does not hear of; the other must still never end on it."""

from __future__ import annotations

from textual.command import CommandPalette

from pilot_helpers import past_today, screen_text, until, until_main, until_screen
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp

SIZE = (80, 24)

STEPS = [{"title": "重启收银机", "how": "长按电源键十秒", "why": "多数卡住重启就好"}]


async def test_a_topic_another_window_wrote_opens_from_the_palette(desk, home, clock):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        # The other window, on the same data directory, writes a topic of the shop's.
        other = Desk(home, clock=clock)
        topic = other.add_own_topic("fault", "收银机卡住", "", STEPS, "老王")
        await pilot.press("ctrl+p")
        palette = await until_screen(pilot, CommandPalette)
        await pilot.press(*"收银机卡住")
        await until(pilot, lambda: any("收银机卡住" in str(o.prompt) for o in
                                       palette.query_one("CommandList").options),
                    what="the palette to find the other window's topic")
        await pilot.press("enter")
        await until_main(pilot)
        pane = app.default_screen.pane("fault")
        await until(pilot, lambda: pane.view.topic and pane.view.topic.id == topic.id,
                    what="the topic shown")
        assert "重启收银机" in screen_text(app)


async def test_a_topic_another_window_removed_while_the_palette_showed_it(desk, home, clock):
    topic = desk.add_own_topic("fault", "收银机卡住", "", STEPS, "老王")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("ctrl+p")
        palette = await until_screen(pilot, CommandPalette)
        await pilot.press(*"收银机卡住")
        await until(pilot, lambda: any("收银机卡住" in str(o.prompt) for o in
                                       palette.query_one("CommandList").options),
                    what="the palette to find the topic")
        Desk(home, clock=clock).remove_own_topic(topic.id)  # the other window, meanwhile
        await pilot.press("enter")
        await until_main(pilot)
        await pilot.pause()
        assert app.is_running
        assert app.default_screen.pane("fault").view.topic.id != topic.id
        told = [str(n.message) for n in app._notifications]
        assert any("nothing has the id fault.shop-1" in line for line in told), told
        # The tab no longer lists it.
        assert topic.id not in [t.id for t in app.default_screen.pane("fault").topics]


async def test_a_topic_another_window_removes_while_it_is_troubleshot(desk, home, clock):
    from posdesk.ui.screens.troubleshoot import TroubleshootScreen

    topic = desk.add_own_topic("fault", "收银机卡住", "", STEPS * 3, "老王")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await app.default_screen.open_guidance(topic.id)
        await pilot.pause()
        await pilot.press("s")
        flow = await until_screen(pilot, TroubleshootScreen)
        await pilot.press("n")
        await pilot.pause()
        Desk(home, clock=clock).remove_own_topic(topic.id)  # the other window, meanwhile
        for key in ("n", "a", "escape", "x", "escape", "left", "right", "f"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running, key
        await pilot.pause()
        assert app.is_running
    kept = desk.incident(flow.incident.id)
    assert kept.topic_id == topic.id


async def test_changing_a_topic_another_window_removed_is_said(desk, home, clock):
    topic = desk.add_own_topic("fault", "收银机卡住", "", STEPS, "老王")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await app.default_screen.open_guidance(topic.id)
        await pilot.pause()
        Desk(home, clock=clock).remove_own_topic(topic.id)  # the other window, meanwhile
        await pilot.press("E")
        await until(pilot, lambda: any(topic.id in str(n.message) for n in app._notifications),
                    what="the person told why nothing opened")
        assert topic.id not in [t.id for t in app.default_screen.pane("fault").topics]
