"""Adversary, issue 13: the first-run set-up under a wrong clock. The set-up records the day
routines began by the computer's clock; a clock years ahead must not silence every routine
once it is put right."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from clocks import FixedClock
from pilot_helpers import settle, until_main, until_shown
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp

CHINA = timezone(timedelta(hours=8))


async def test_a_set_up_under_a_clock_years_ahead_does_not_silence_the_routines(home, kb):
    clock = FixedClock(datetime(2099, 1, 1, 9, 0, tzinfo=CHINA))  # a flat CMOS battery, say
    desk = Desk(home, kb=kb, clock=clock)
    app = PosdeskApp(desk, "en", offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_shown(pilot, "Shop name")
        await pilot.press("escape")  # skip all: routines begin "today", 2099-01-01
        await until_main(pilot)
        await settle(pilot)
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=CHINA)  # the clock is put right
    assert desk.due(), "no routine would be due before 2099"
    clock.now = datetime(2027, 11, 25, 9, 0, tzinfo=CHINA)  # a year on, nothing done
    assert any(state.every != "1d" for state in desk.due()), [s.every for s in desk.due()]


def test_a_clock_a_little_ahead_at_set_up_keeps_the_calm_start(home, kb):
    clock = FixedClock(datetime(2026, 11, 26, 9, 0, tzinfo=CHINA))  # a day fast
    desk = Desk(home, kb=kb, clock=clock)
    desk.finish_set_up("skipped")
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=CHINA)
    assert all(state.every == "1d" for state in desk.due())
