"""The operating system says no — a full disk — while someone works in the TUI: the app stays up,
tells the person in their language in one line, and keeps what they typed."""

from __future__ import annotations

import re

from textual.widgets import Input

from conftest import fill_up, read_only
from pilot_helpers import past_today, settle, start_flow, until_marked, until_told
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp

SIZE = (100, 30)
LATIN_WORDS = re.compile(r"[A-Za-z]{3,}")


async def test_a_full_disk_during_a_mark_is_told_in_chinese_and_loses_nothing_typed(
        tmpfs, kb, clock):
    small_disk = tmpfs("1m")
    desk = Desk(small_disk / "home", kb=kb, clock=clock)
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("d")  # recorded while there is room
        await until_marked(pilot, flow, 1)
        incident_id = flow.incident.id
        filler = fill_up(small_disk)
        await pilot.press("tab", *"顾客在等", "escape")  # out of the field, to mark with it
        app.clear_notifications()
        await pilot.press("n")
        await until_told(pilot)
        assert app.is_running and app.screen is flow
        assert flow.query_one("#flow-note", Input).value == "顾客在等"  # still there
        (told,) = [n.message for n in app._notifications]
        assert told.startswith("没有保存：") and "\n" not in told
        assert not LATIN_WORDS.search(re.sub(r"/\S+", "", told)), told  # no English but paths
        assert len(desk.incident(incident_id).attempts) == 1  # nothing half-written

        filler.unlink()  # room again: the same key saves what was typed
        await pilot.press("n")
        await until_marked(pilot, flow, 2)
    attempts = desk.incident(incident_id).attempts
    assert [a.note for a in attempts] == ["", "顾客在等"]


async def test_records_damaged_while_the_app_runs_are_told_not_a_crash(desk):
    desk.start_incident("fault.print")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        (desk.home / "incidents-open.json").write_text("{not json", encoding="utf-8")
        app.clear_notifications()
        await pilot.press("i")  # today: reads the open incidents
        await until_told(pilot, 1)
        await pilot.press("s")  # troubleshoot: reads them too
        await until_told(pilot, 2)
        assert app.is_running and app.screen is app.screen_stack[0]
        told = [n.message for n in app._notifications]
        assert told and all(message.startswith("The records could not be read") for message in told)
        assert all("incidents-open.json" in message for message in told)


async def test_a_read_only_data_directory_opens_lists_and_refuses_a_change_in_one_line(
        tmpfs, kb, clock):
    disk = tmpfs("1m")
    desk = Desk(disk / "home", kb=kb, clock=clock)
    incident = desk.start_incident("fault.print")
    read_only(disk)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (disk / "home").rglob("*"))
    app = PosdeskApp(Desk(disk / "home", kb=kb, clock=clock), "zh")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # the day's backup cannot be made: a notice, not a crash
        if app.screen is not app.screen_stack[0]:
            await pilot.press("escape")  # the open incident offered on start
        await pilot.press("5")
        await settle(pilot)
        assert incident.id in str(app.screen.query_one("#incidents-table").rows)
        app.clear_notifications()
        await pilot.press("1")
        flow = await start_flow(pilot)
        await pilot.press("d")
        await until_told(pilot)
        assert app.is_running and app.screen is flow
        (told,) = [n.message for n in app._notifications]
        assert told.startswith("没有保存：") and "只读" in told, told
    after = sorted((p.name, p.stat().st_mtime_ns) for p in (disk / "home").rglob("*"))
    assert after == before
