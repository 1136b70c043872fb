"""Adversary, second round: a full or read-only disk under each of the new dialogs. What was
typed stays in the dialog, the reason is one line, the app keeps running, and once there is room
the same key saves it."""

from __future__ import annotations

from textual.widgets import Input, Select

from conftest import fill_up, read_only
from pilot_helpers import open_topic, past_today, screen_text, until, until_closed, until_screen
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.flag_step import FlagForm
from posdesk.ui.dialogs.topic_form import StepFields, TopicForm

SIZE = (100, 30)


def small_desk(tmpfs, kb, clock) -> tuple[Desk, object]:
    disk = tmpfs("1m")
    return Desk(disk / "home", kb=kb, clock=clock), disk


def notices(app) -> str:
    return "\n".join(str(n.message) for n in app._notifications)


async def test_a_new_topic_on_a_full_disk_stays_in_its_form(tmpfs, kb, clock):
    desk, disk = small_desk(tmpfs, kb, clock)
    desk.add_guidance_note("fault.print", "room then", "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        filler = fill_up(disk)
        await pilot.press("t")
        form = await until_screen(pilot, TopicForm)
        form.query_one(".pair-topic-title .en", Input).value = "Till frozen"
        form.query_one(StepFields).query_one(".title.en", Input).value = "Restart the till"
        form.query_one("#topic-who", Input).value = "Wang"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Not saved" in str(form.query_one("#topic-message").render()),
                    what="the reason told in the form")
        assert app.is_running and app.screen is form
        assert form.query_one(".pair-topic-title .en", Input).value == "Till frozen"
        assert desk.own_topics() == []
        filler.unlink()
        await pilot.press("ctrl+s")
        await until_closed(pilot, TopicForm)
    assert [t.title.en for t in desk.own_topics()] == ["Till frozen"]


async def test_a_flag_on_a_read_only_disk_stays_in_its_form(tmpfs, kb, clock):
    desk, disk = small_desk(tmpfs, kb, clock)
    desk.add_guidance_note("fault.print", "room then", "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "fault.print")
        read_only(disk)
        await pilot.press("x")
        form = await until_screen(pilot, FlagForm)
        form.query_one("#flag-reason", Select).value = "wrong"
        form.query_one("#flag-why", Input).value = "our printer has no cover"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Not saved" in str(form.query_one("#flag-message").render()),
                    what="the reason told in the form")
        assert app.is_running and app.screen is form
        assert form.query_one("#flag-why", Input).value == "our printer has no cover"
    assert desk.step_flags() == []


async def test_removing_a_topic_on_a_full_disk_keeps_it_listed(tmpfs, kb, clock):
    from posdesk.ui.dialogs.confirm import Confirm

    desk, disk = small_desk(tmpfs, kb, clock)
    topic = desk.add_own_topic("fault", "Till frozen", "", [{"title": "Restart"}], "Wang")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, topic.id)
        filler = fill_up(disk)
        await pilot.press("D")
        await until_screen(pilot, Confirm)
        await pilot.press("enter")
        await until_closed(pilot, Confirm)
        await until(pilot, lambda: "Not saved" in notices(app) or "could not" in notices(app),
                    what="the reason told")
        assert app.is_running
        assert topic.id in [t.id for t in app.default_screen.pane("fault").topics]
        filler.unlink()
    assert [t.id for t in desk.own_topics()] == [topic.id]
