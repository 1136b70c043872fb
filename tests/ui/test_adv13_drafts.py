"""Adversary, issue 13: drafts of the notes with two posdesk windows on one data directory.
A window that only showed a draft, and had nothing typed into it, must not write that draft
back over the newer one the other window kept meanwhile."""

from __future__ import annotations

from pilot_helpers import past_today, settle, start_flow, until, until_main, until_screen
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog

SIZE = (80, 24)


NEWER = "engineer comes at 9, bring a spare"


async def _bank_note_left(desk, kb, *typed: str) -> Desk:
    """The note for the bank opened on a kept draft; meanwhile another window keeps a newer
    one; here `typed` is typed (after tab, into the reference) and the dialog left with esc.
    The other window's desk, to read the drafts with."""
    unrecorded = desk.new_incident("fault.network")
    desk.keep_draft(unrecorded, "bank_note", "engineer comes at 9")
    other_window = Desk(desk.store.home, kb=kb)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("e")
        dialog = await until_screen(pilot, EscalationDialog)  # shows the draft
        await settle(pilot)
        other_window.keep_draft(unrecorded, "bank_note", NEWER)
        if typed:
            dialog.query_one("#reference").focus()
        await pilot.press(*typed, "escape")
        await until(pilot, lambda: app.screen is flow, what="back in the flow")
    return other_window


async def test_leaving_the_bank_note_untouched_keeps_the_other_windows_newer_draft(desk, kb):
    other_window = await _bank_note_left(desk, kb)  # read, nothing typed
    assert other_window.draft(desk.new_incident("fault.network"), "bank_note") == NEWER


async def test_a_reference_typed_keeps_the_other_windows_newer_note(desk, kb):
    other_window = await _bank_note_left(desk, kb, *"CCB-7")
    unrecorded = desk.new_incident("fault.network")
    assert other_window.draft(unrecorded, "bank_reference") == "CCB-7"
    assert other_window.draft(unrecorded, "bank_note") == NEWER


async def test_leaving_the_flow_untouched_keeps_the_other_windows_newer_note(desk, kb):
    unrecorded = desk.new_incident("fault.network")
    desk.keep_draft(unrecorded, "flow_note", "router light red")
    other_window = Desk(desk.store.home, kb=kb)
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)  # shows the draft in its note field
        await settle(pilot)
        other_window.keep_draft(unrecorded, "flow_note", "router light red, modem too")
        flow.query_one("#flow-step").focus()
        await pilot.press("escape")
        await until_main(pilot)
    assert other_window.draft(unrecorded, "flow_note") == "router light red, modem too"


async def test_a_draft_typed_in_the_flow_is_still_kept_and_emptied_is_dropped(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("tab", *"router light red", "escape", "escape")
        await until_main(pilot)
        assert desk.draft(flow.incident, "flow_note") == "router light red"
        flow = await start_flow(pilot)
        await settle(pilot)
        flow.query_one("#flow-note").value = ""
        flow.query_one("#flow-step").focus()
        await pilot.press("escape")
        await until_main(pilot)
        assert desk.draft(flow.incident, "flow_note") == ""
