"""The record says exactly what happened: what the bank was told, what an inspection found, and
no incident that nobody opened. Each test here was seen failing before the change it covers."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, TextArea

from pilot_helpers import (open_topic, past_today, screen_text, settle, start_flow, until,
                           until_closed, until_marked, until_opened, until_screen, until_shown,
                           until_told)
from posdesk.cli import main
from posdesk.export import incident_markdown
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.code_lookup import CodeLookup
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from kb_steps import checks

SIZE = (100, 32)
TAMPER = "sec.tamper_inspection"


# --- the note for the bank ------------------------------------------------------------------


def test_saving_the_same_note_for_the_bank_again_records_nothing_new(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead", "REF-1")
    again = desk.escalate(incident.id, "Printer dead", "REF-1").incident
    assert [e.kind for e in again.events] == ["opened", "escalated"]
    assert again.escalation.reference == "REF-1"


def test_a_new_reference_with_the_same_note_is_a_reference_not_a_second_call(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead", "REF-1")
    changed = desk.escalate(incident.id, "Printer dead", "REF-2").incident
    assert [e.kind for e in changed.events] == ["opened", "escalated", "reference"]
    assert changed.escalation.reference == "REF-2"


def test_calling_the_bank_again_keeps_the_reference_it_gave(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead", "REF-1")
    again = desk.escalate(incident.id, "Printer dead; called again at 15:00").incident
    assert [e.kind for e in again.events] == ["opened", "escalated", "escalated"]
    assert again.escalation.note == "Printer dead; called again at 15:00"
    assert again.escalation.reference == "REF-1"  # not lost because none was given this time


async def test_reopening_the_note_for_the_bank_shows_what_was_sent(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead, slip feeds but prints nothing", "REF-77")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the open incident offered on start
        await until_screen(pilot, TroubleshootScreen)
        assert isinstance(app.screen, TroubleshootScreen)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        dialog = app.screen
        assert isinstance(dialog, EscalationDialog)
        assert dialog.query_one(TextArea).text == "Printer dead, slip feeds but prints nothing"
        assert dialog.query_one("#reference", Input).value == "REF-77"
        await pilot.press("ctrl+s")
        await until_closed(pilot, EscalationDialog)  # saved before it closes
    stored = desk.incident(incident.id)
    assert [e.kind for e in stored.events] == ["opened", "escalated"]
    assert stored.escalation.reference == "REF-77"


# --- what an inspection found ----------------------------------------------------------------


def test_a_serial_mismatch_is_told_as_a_mismatch_in_either_language(desk):
    terminal = desk.save_terminal(name="Front", serial="SN-100")
    checked = {item.id: True for item in desk.kb.checklist(TAMPER).items}
    entry = desk.mark_done(TAMPER, "Li", terminal_id=terminal.id, checked=checked,
                           serial_seen="SN-999")
    incident = desk.incident(entry.incident_id)
    english = incident_markdown(incident, "en")
    assert "matches the one on record" not in english
    assert "Serial number does not match: on record SN-100, on the device SN-999" in english
    chinese = incident_markdown(incident, "zh")
    assert "序列号不一致：登记为 SN-100，机身上为 SN-999" in chinese
    assert "does not match" not in chinese and "record" not in chinese.replace("记录", "")


def test_nothing_ticked_is_six_checks_not_confirmed_never_six_passing(desk):
    entry = desk.mark_done(TAMPER, "Li", checked={})
    incident = desk.incident(entry.incident_id)
    text = incident_markdown(incident, "en")
    items = desk.kb.checklist(TAMPER).items
    assert len(items) == 6
    for item in items:
        assert f"Not confirmed: {item.text.en}" in text
    assert text.count("Not confirmed:") == 6


def test_the_routine_entry_names_the_incident_it_opened(desk):
    entry = desk.mark_done(TAMPER, "Li", checked={"seals": False})
    (logged,) = desk.routine_log(TAMPER)
    assert logged.incident_id == entry.incident_id
    incident = desk.incident(entry.incident_id)
    assert incident.events[0].get("finding")["routine_id"] == TAMPER
    assert incident.events[0].get("finding")["done_at"] == logged.at


def test_incidents_show_lists_the_findings_of_an_inspection(desk, capsys):
    terminal = desk.save_terminal(name="Front", serial="SN-100")
    entry = desk.mark_done(TAMPER, "Li", terminal_id=terminal.id, checked={"seals": True},
                           serial_seen="SN-999")
    assert main(["--home", str(desk.home), "incidents", "show", entry.incident_id]) == 0
    shown = capsys.readouterr().out
    assert "No checks were done" not in shown
    assert "Serial number does not match: on record SN-100, on the device SN-999" in shown
    assert "Not confirmed: No overlay on the card slot or the PIN pad" in shown


def test_a_checklist_left_unticked_keeps_its_findings_and_can_open_an_incident(desk):
    entry = desk.mark_done("tx.void_refund", "Zhou", checked={"original_sale": True},
                           open_incident=True)
    assert set(entry.findings) == {"supervisor", "in_hand", "same_card", "receipt"}
    incident = desk.incident(entry.incident_id)
    assert incident.topic_id == "tx.void_refund"
    assert "Not confirmed: Refunded to the original card, never as cash" in incident_markdown(
        incident, "en")
    quiet = desk.mark_done("tx.void_refund", "Zhou", checked={"original_sale": True})
    assert quiet.incident_id is None and quiet.findings  # recorded, and no incident unasked


async def test_findings_are_worded_in_the_routine_history_not_shown_as_keys(desk):
    desk.mark_done("tx.void_refund", "Zhou", checked={"original_sale": True, "supervisor": True,
                                                      "in_hand": True, "receipt": True})
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.void_refund")
        shown = screen_text(app)
    assert "same_card" not in shown
    assert desk.kb.checklist("tx.void_refund").items[3].text.zh in shown


async def test_unticked_checklist_items_are_offered_as_an_incident(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.void_refund")
        await pilot.press("k")
        await until_screen(pilot, MarkDone)
        assert isinstance(app.screen, MarkDone)
        app.screen.query(Checkbox).first().value = True
        app.screen.query_one("#done-who", Input).focus()
        await pilot.press(*"Zhou", "ctrl+s")
        await until_shown(pilot, "4 items were not ticked")
        assert "4 items were not ticked" in screen_text(app)
        await pilot.press("o")  # open an incident for them
        await settle(pilot)
    (entry,) = desk.routine_log("tx.void_refund")
    (incident,) = desk.incidents()
    assert entry.incident_id == incident.id and len(entry.findings) == 4


# --- incidents nobody asked for ---------------------------------------------------------------


async def test_troubleshooting_a_fault_already_open_continues_it(desk, kb):
    first = desk.start_incident("fault.network")
    desk.record_attempt(first.id, checks(kb.topic("fault.network"))[0].id, "not_fixed")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        assert flow.incident.id == first.id
        after = checks(kb.topic("fault.network"))[0].order + 1  # the step after the last mark
        assert f"Step {after} of" in screen_text(app)
    assert [i.id for i in desk.incidents()] == [first.id]


async def test_leaving_the_flow_without_a_mark_keeps_no_incident(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await start_flow(pilot)
        await pilot.press("escape")
        await until_closed(pilot, TroubleshootScreen)
        assert not isinstance(app.screen, TroubleshootScreen)
    assert desk.incidents() == []


async def test_the_first_mark_records_the_incident_from_when_the_flow_opened(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        await pilot.press("d")
        await until_marked(pilot, flow, 1)
        incident_id = flow.incident.id
    stored = desk.incident(incident_id)
    assert [e.kind for e in stored.events] == ["opened", "attempt"]
    assert stored.opened_at < stored.events[1].at


async def test_a_second_code_lookup_starts_nothing(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("c")
        await until_screen(pilot, CodeLookup)
        await pilot.press("a", "0", "enter")
        await until_shown(pilot, desk.kb.code("A0").meaning.en)
        await pilot.press("backspace", "backspace", "5", "1", "enter")  # a second code
        await until_shown(pilot, desk.kb.code("51").meaning.en)
        assert isinstance(app.screen, CodeLookup)
        assert desk.kb.code("51").meaning.en in screen_text(app)
        await pilot.press("escape")
        await until_closed(pilot, CodeLookup)
    assert desk.incidents() == []


def test_incidents_show_tells_every_call_to_the_bank_and_every_word_written(desk, capsys):
    incident = desk.start_incident("fault.print", note="slip comes out blank")
    desk.escalate(incident.id, "First call: printer dead", "REF-1")
    desk.escalate(incident.id, "Second call: still dead")
    assert main(["--home", str(desk.home), "incidents", "show", incident.id]) == 0
    shown = capsys.readouterr().out
    for words in ("slip comes out blank", "First call: printer dead", "Second call: still dead",
                  "REF-1"):
        assert words in shown
    assert shown.count("Reported to the bank") == 2
    entry = desk.mark_done(TAMPER, "小王", note="sticker colour looks wrong", checked={"seals": False})
    assert main(["--home", str(desk.home), "--lang", "zh", "incidents", "show",
                 entry.incident_id]) == 0
    shown = capsys.readouterr().out
    assert "小王" in shown and "sticker colour looks wrong" in shown and "未确认：" in shown


async def test_a_card_number_in_a_routine_note_or_a_terminal_field_is_told(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "maint.exterior_daily")
        await pilot.press("d")
        await until_screen(pilot, MarkDone)
        app.clear_notifications()
        await pilot.press(*"Wang", "tab", *"customer card 5500 0000 0000 0004", "ctrl+s")
        await settle(pilot)
        assert any("cut to its last four" in n.message for n in app._notifications)
        await pilot.press("T", "a")
        await until_screen(pilot, having="#terminal-message")  # the form for a new terminal
        app.clear_notifications()
        await pilot.press(*"Front 4111111111111111", "ctrl+s")
        await settle(pilot)
        assert any("cut to its last four" in n.message for n in app._notifications)
    (entry,) = desk.routine_log("maint.exterior_daily")
    assert entry.note == "customer card ****0004"
    assert desk.terminals()[0].name == "Front ****1111"


# --- what a first try in a real terminal showed -----------------------------------------------


async def test_typing_another_code_hides_the_answer_for_the_last_one(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("c", "5", "1", "enter")
        await until_shown(pilot, desk.kb.code("51").meaning.en)
        assert desk.kb.code("51").meaning.en in screen_text(app)
        await pilot.press("backspace", "backspace", "a")
        await until(pilot, lambda: desk.kb.code("51").meaning.en not in screen_text(app),
                    what="the answer for 51 taken away")
        assert desk.kb.code("51").meaning.en not in screen_text(app)
        assert not app.screen.query_one("#code-start").display


async def test_a_new_reference_alone_is_told_as_a_reference(desk):
    incident = desk.start_incident("fault.print")
    desk.escalate(incident.id, "Printer dead", "REF-1")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "e")  # the incident offered on start; the note for the bank
        await until_screen(pilot, EscalationDialog)
        reference = app.screen.query_one("#reference", Input)
        reference.value = "REF-2"
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await until_told(pilot)
        assert [n.message for n in app._notifications] == ["Saved the bank's reference."]


async def test_switching_language_on_the_incidents_tab_keeps_the_table_working(desk, history):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#incidents-table")
        await pilot.press("down", "enter")
        await until_opened(pilot)
        assert app.screen.incident.id == history["c"]  # the second newest, opened in Chinese


async def test_ctrl_s_saves_a_follow_up_as_enter_does(desk):
    incident = desk.start_incident("fault.print")
    desk.record_attempt(incident.id, checks(desk.topic("fault.print"))[0].id, "not_fixed")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("enter", "a", *"called the engineer", "ctrl+s")
        await until(pilot, lambda: desk.incident(incident.id).notes, what="the follow-up saved")
    assert desk.incident(incident.id).notes[0].get("text") == "called the engineer"


async def test_a_fault_opened_before_any_terminal_was_on_record_is_carried_on(desk, kb):
    first = desk.start_incident("fault.network")  # no terminal on record yet
    desk.escalate(first.id, "No connection since morning")
    desk.save_terminal(name="Counter")  # one now: it is chosen by itself
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        assert flow.incident.id == first.id
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        app.screen.query_one(TextArea).text = "Called again at noon"
        app.clear_notifications()
        await pilot.press("ctrl+s")
        await until_told(pilot)
        assert [n.message for n in app._notifications] == ["Saved as another call to the bank."]
