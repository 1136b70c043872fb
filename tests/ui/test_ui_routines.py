"""Routines in the TUI: terminals, marking done, overdue, inspections, transaction checklists."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual.widgets import Checkbox, DataTable, Input

from clocks import FixedClock
from pilot_helpers import (open_topic, ready, screen_text, settle, until, until_main, until_screen,
                           until_shown)
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.terminal_choice import TerminalChoice
from posdesk.ui.screens.terminals import TerminalsScreen
from posdesk.ui.screens.troubleshoot import TroubleshootScreen

SIZE = (100, 32)
SHANGHAI = timezone(timedelta(hours=8))


async def test_adding_a_terminal(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await until_screen(pilot, TerminalsScreen)
        assert isinstance(app.screen, TerminalsScreen)
        assert "No terminal on record yet" in screen_text(app)
        await pilot.press("a")
        await until_screen(pilot, having="#terminal-message")  # the form for a new terminal
        await pilot.press("ctrl+s")  # no name yet
        assert "Give the terminal a name" in screen_text(app)
        await pilot.press(*"Front counter", "enter", *"by the till", "enter", *"CCB", "enter",
                          *"105000012345", "enter", *"10012345", "enter", *"SN-778", "ctrl+s")
        await until(pilot, lambda: ready(app, TerminalsScreen)
                    and app.screen.query_one(DataTable).row_count,
                    what="the terminal listed")
        assert isinstance(app.screen, TerminalsScreen)
        assert app.screen.query_one(DataTable).row_count == 1
    (terminal,) = desk.terminals()
    assert (terminal.name, terminal.location, terminal.merchant_no, terminal.serial) == (
        "Front counter", "by the till", "105000012345", "SN-778")


async def test_marking_a_routine_done_moves_its_next_due_date(home, kb):
    clock = FixedClock(datetime(2026, 1, 31, 9, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_topic(pilot, "sec.malware")
        assert "next due 2026-01-31  due today" in screen_text(app)
        await pilot.press("d")
        await until_screen(pilot, MarkDone)
        assert isinstance(app.screen, MarkDone)
        await pilot.press("ctrl+s")
        assert "Say who did it" in screen_text(app)
        await pilot.press(*"Wang", "enter", *"scan clean", "ctrl+s")
        await settle(pilot)
        assert view.extras.states[0].next_due == "2026-02-28"
        text = screen_text(app)
        assert "next due 2026-02-28" in text and "Wang" in text and "scan clean" in text


async def test_an_overdue_routine_is_flagged(home, kb):
    clock = FixedClock(datetime(2026, 1, 1, 9, 0, tzinfo=SHANGHAI))
    desk = Desk(home, kb=kb, clock=clock)
    desk.mark_done("maint.interior_dust_weekly", "Li")
    clock.now = datetime(2026, 1, 11, 9, 0, tzinfo=SHANGHAI)
    app = PosdeskApp(desk, "en")
    notices = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notices = [n.message for n in app._notifications]
        await open_topic(pilot, "maint.interior_dust_weekly")
        assert "OVERDUE by 3 days" in screen_text(app)
    assert any("overdue" in message for message in notices)


async def test_inspection_with_a_finding_opens_an_incident(desk):
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "sec.tamper_inspection")
        await pilot.press("d")
        await until_screen(pilot, MarkDone)
        dialog = app.screen
        assert isinstance(dialog, MarkDone)
        assert "Serial number on record: SN-100" in screen_text(app)
        for box in dialog.query(Checkbox):  # everything looks fine…
            box.value = True
        dialog.query_one("#serial-seen", Input).value = "SN-999"  # …but the serial is not ours
        dialog.query_one("#done-who", Input).focus()
        await pilot.press(*"Li", "ctrl+s")
        await settle(pilot)
    (incident,) = desk.incidents()
    assert incident.topic_id == "sec.tamper_found" and incident.terminal_id == "T1"
    assert incident.events[0].get("finding")["serial"] == {"record": "SN-100", "seen": "SN-999"}
    (entry,) = desk.routine_log("sec.tamper_inspection")
    assert entry.findings == ["serial"] and entry.incident_id == incident.id


async def test_transactions_checklist_records_what_was_checked(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.void_refund")
        await pilot.press("k")
        await until_screen(pilot, MarkDone)
        assert isinstance(app.screen, MarkDone)
        await pilot.press("space", "tab", "space")  # the first two items
        app.screen.query_one("#done-who", Input).focus()
        await pilot.press(*"Supervisor Zhou", "ctrl+s")
        await until_shown(pilot, "3 items were not ticked")
        assert "3 items were not ticked" in screen_text(app)
        await pilot.press("r")  # record them as findings, without an incident
        await settle(pilot)
        assert "Supervisor Zhou" in screen_text(app)
    (entry,) = desk.routine_log("tx.void_refund")
    items = [item.id for item in kb.checklist("tx.void_refund").items]
    assert entry.checked == {item: index < 2 for index, item in enumerate(items)}
    assert desk.incidents() == []  # recorded only, as asked


async def test_report_a_suspicious_event(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.fake_bank_staff")
        await pilot.press("exclamation_mark", *"Caller wanted our terminal password", "enter")
        await settle(pilot)
    (incident,) = desk.incidents()
    assert incident.topic_id == "tx.fake_bank_staff"
    assert incident.events[0].get("note") == "Caller wanted our terminal password"


async def test_troubleshooting_asks_which_terminal_when_there_are_several(desk):
    desk.save_terminal(name="Front", terminal_no="1001")
    desk.save_terminal(name="Back", terminal_no="1002")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await until_screen(pilot, TerminalChoice)
        assert isinstance(app.screen, TerminalChoice)
        await pilot.press("down", "enter")
        await until_screen(pilot, TroubleshootScreen)
        assert isinstance(app.screen, TroubleshootScreen)
        assert app.screen.incident.terminal == "Back (1002)"
        await pilot.press("e")
        await until_screen(pilot, having="#reference")  # the note for the bank
        assert "Terminal: Back (1002)" in app.screen.note


async def test_cadence_is_changed_in_settings(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await until_screen(pilot, having="#cadence-maint-ventilation")
        field = app.screen.query_one("#cadence-maint-ventilation", Input)
        field.value = "often"
        await pilot.press("ctrl+s")
        assert "does not read: often" in screen_text(app)
        field.value = "14d"
        await pilot.press("ctrl+s")
        await until_main(pilot)  # the settings close once saved
    assert str(desk.cadence("maint.ventilation")) == "14d"
