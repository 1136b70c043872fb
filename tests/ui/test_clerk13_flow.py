"""Issue 13, the guided flow and the note for the bank, as a hurried clerk meets them: what
the note says, what a saved note reads like pasted into a chat, typed words never lost, keys
that never land where they were not meant, a timeline without noise."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from pilot_helpers import (ready, screen_text, settle, start_flow, until, until_closed,
                           until_main, until_marked, until_screen, until_shown)
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.dialogs.today import TodayScreen
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.screens.troubleshoot import TroubleshootScreen

SIZE = (80, 24)
MERCHANT, SERIAL = "105584012345678", "N7-000123456"


def _counter(desk: Desk):
    return desk.save_terminal(name="Front counter", bank="CCB", merchant_no=MERCHANT,
                              terminal_no="12345678", serial=SERIAL)


async def _every_check_failed(pilot, flow) -> EscalationDialog:
    """Mark every step of the flow's fault tried: the note for the bank opens by itself."""
    for marks, step in enumerate(flow.topic.steps[:-1], start=1):
        await pilot.press("d" if step.gathers_info else "n")
        await until_marked(pilot, flow, marks)
    return await until_screen(pilot, EscalationDialog)


async def _open_note(pilot) -> EscalationDialog:
    await pilot.press("e")
    return await until_screen(pilot, EscalationDialog)


async def test_the_note_for_the_bank_names_the_merchant_and_serial_numbers(desk):
    _counter(desk)
    for lang, merchant, serial in (("en", "Merchant number", "Serial number"),
                                   ("zh", "商户号", "序列号")):
        app = PosdeskApp(desk, lang)
        async with app.run_test(size=SIZE) as pilot:
            await start_flow(pilot)
            dialog = await _open_note(pilot)
            note = dialog.query_one(TextArea).text
        assert f"{merchant}" in note and MERCHANT in note, note
        assert f"{serial}" in note and SERIAL in note, note


async def test_the_saved_note_carries_the_reference_and_pastes_as_plain_text(desk):
    _counter(desk)
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        dialog = await _open_note(pilot)
        dialog.query_one("#reference", Input).value = "CCB-77"
        await pilot.press("ctrl+o")
        path = desk.store.home / "reports" / f"{flow.incident.id}-bank-note.txt"
        await until(pilot, path.exists, what="the note saved as a file")
    text = path.read_text(encoding="utf-8")
    assert "CCB-77" in text
    assert "```" not in text and "\\" not in text
    assert not any(line.startswith("#") for line in text.splitlines())  # no "# " in a chat
    assert MERCHANT in text


async def test_escape_in_the_note_for_the_bank_keeps_the_draft_even_after_a_restart(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        dialog = await _open_note(pilot)
        await pilot.press("enter")  # start writing in the note
        await pilot.press(*"Bank says: engineer tomorrow 9am")
        dialog.query_one("#reference", Input).value = "CCB-5"
        await pilot.press("escape")
        await until_screen(pilot, TroubleshootScreen)
        assert "kept" in " ".join(n.message for n in app._notifications).lower()
        dialog = await _open_note(pilot)
        assert dialog.query_one(TextArea).text.endswith("Bank says: engineer tomorrow 9am")
        assert dialog.query_one("#reference", Input).value == "CCB-5"
        await pilot.press("escape")
        await until_screen(pilot, TroubleshootScreen)
        assert not flow.incident.id  # a draft records nothing: leaving leaves no incident
    again = PosdeskApp(Desk(desk.store.home, kb=kb), "en")
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        flow = await start_flow(pilot)  # the same fault taken up again after a restart
        dialog = await _open_note(pilot)
        assert dialog.query_one(TextArea).text.endswith("Bank says: engineer tomorrow 9am")
        assert dialog.query_one("#reference", Input).value == "CCB-5"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: flow.incident.status == "escalated" and ready(again),
                    what="the escalation saved")
        incident_id = flow.incident.id
    stored = desk.incident(incident_id)
    assert stored.escalation.note.endswith("engineer tomorrow 9am")
    assert stored.escalation.reference == "CCB-5"
    # Sent: the draft is gone.
    assert Desk(desk.store.home, kb=kb).draft(stored, "bank_note") == ""


async def test_leaving_the_flow_with_a_note_typed_keeps_it_for_next_time(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start_flow(pilot)
        await pilot.press("tab", *"router light red")
        await pilot.press("escape", "escape")
        await until_main(pilot)
        assert "kept" in " ".join(n.message for n in app._notifications).lower()
        flow = await start_flow(pilot)
        assert flow.query_one("#flow-note", Input).value == "router light red"
        await pilot.press("d")  # the note goes with the mark, and the draft is used up
        await until_marked(pilot, flow, 1)
        assert flow.incident.attempts[0].note == "router light red"
        await pilot.press("escape")
        await until_main(pilot)
        flow = await start_flow(pilot)
        assert flow.query_one("#flow-note", Input).value == ""


async def test_pressing_n_once_more_as_the_note_opens_by_itself_types_nothing(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        dialog = await _every_check_failed(pilot, flow)
        before = dialog.query_one(TextArea).text
        await pilot.press("n", "n", "enter")  # hurried: n again, then enter
        await pilot.pause()
        assert isinstance(app.screen, EscalationDialog)
        assert dialog.query_one(TextArea).text == before
        assert flow.incident.status == "open"  # nothing was sent by the stray keys


async def test_s_twice_from_the_main_screen_does_not_skip_step_one(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "s")
        flow = await until_screen(pilot, TroubleshootScreen)
        await settle(pilot)
        assert not flow.incident.attempts and flow.order == 1


async def test_s_twice_from_the_incident_page_does_not_skip_a_step(desk, kb):
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, kb.topic("fault.network").steps[0].id, "noted")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if isinstance(app.screen, TodayScreen):
            await pilot.press("escape")
            await until_closed(pilot, TodayScreen)
        app.push_screen(IncidentScreen(desk, desk.incident(incident.id)))
        await until_screen(pilot, IncidentScreen)
        await pilot.press("s", "s")
        flow = await until_screen(pilot, TroubleshootScreen)
        await settle(pilot)
    assert len(desk.incident(incident.id).attempts) == 1


async def test_skip_has_its_own_key_in_the_key_bar(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("k")
        await until_marked(pilot, flow, 1)
        assert flow.incident.attempts[0].outcome == "skipped"


async def test_the_timeline_says_escalated_to_whom_without_repeating_the_steps(desk, kb):
    steps = kb.topic("fault.network").steps
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await _every_check_failed(pilot, flow)
        dialog = app.screen
        await pilot.press("enter", *"Customer waiting")
        dialog.query_one("#reference", Input).value = "CCB-9"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: flow.incident.status == "escalated" and ready(app),
                    what="the escalation saved")
        incident_id = flow.incident.id
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(80, 60)) as pilot:
        await settle(pilot)
        if isinstance(app.screen, TodayScreen):
            await pilot.press("escape")
            await until_closed(pilot, TodayScreen)
        app.push_screen(IncidentScreen(desk, desk.incident(incident_id)))
        await until_screen(pilot, IncidentScreen)
        shown = str(app.screen.query_one("#incident-timeline").render())
    assert "95533" in shown and "CCB-9" in shown
    assert shown.count(steps[1].title.en) == 1, shown  # its mark, and nothing more
    assert "Customer waiting" in shown  # the words the person added are kept


async def test_marked_before_lists_only_earlier_marks(desk, kb):
    incident = desk.start_incident("sec.placement")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("enter")
        flow = await until_screen(pilot, TroubleshootScreen)
        await pilot.press("right", "right", "right")
        await until(pilot, lambda: flow.order == len(flow.topic.steps), what="the last step")
        await pilot.press("n")  # the last step stays on screen after its mark
        await until_marked(pilot, flow, 1)
        assert "Marked before on this step" not in screen_text(app)
        await pilot.press("left", "right")  # come back to it: now that mark is an earlier one
        await until_shown(pilot, "Marked before on this step")
    assert desk.incident(incident.id).attempts[0].outcome == "not_fixed"


async def test_enter_in_the_note_field_saves_the_note_and_says_so(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("tab", *"shop wifi was down", "enter")
        await until(pilot, lambda: flow.incident.id and flow.incident.notes,
                    what="the note saved")
        assert flow.query_one("#flow-note", Input).value == ""
        assert any("Note saved" in n.message for n in app._notifications)
        await pilot.press("enter")  # again, on an empty field: nothing recorded twice
        await pilot.pause()
        incident_id = flow.incident.id
    assert [n.get("text") for n in desk.incident(incident_id).notes] == ["shop wifi was down"]


async def test_words_typed_are_kept_as_they_are_typed_so_quitting_loses_none(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("tab", *"router light red")
        await until(pilot, lambda: desk.draft(flow.incident, "flow_note") == "router light red",
                    what="the flow's note kept while typing")
        await pilot.press("escape")  # out of the field
        await _open_note(pilot)
        await pilot.press("enter", *"engineer at 9")
        await until(pilot, lambda: desk.draft(flow.incident, "bank_note").endswith("at 9"),
                    what="the bank note kept while typing")
        await pilot.press("ctrl+q")  # straight out of the app, no escape first
    again = Desk(desk.store.home, kb=kb)
    unrecorded = again.new_incident("fault.network")
    assert again.draft(unrecorded, "flow_note") == "router light red"
    assert again.draft(unrecorded, "bank_note").endswith("engineer at 9")


async def test_a_click_into_the_note_starts_the_writing(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await start_flow(pilot)
        dialog = await _open_note(pilot)
        note = dialog.query_one(TextArea)
        assert note.read_only
        await pilot.click("#note")
        await until(pilot, lambda: not note.read_only, what="the note open for writing")
        await pilot.press(*"abc")
        assert note.text.endswith("abc")


async def test_the_note_for_the_bank_names_the_shop_the_set_up_asked_for(desk):
    """The set-up says the note will carry the shop's name: it must."""
    _counter(desk)
    desk.set_shop_name("张记便利店 Zhang's")
    for lang in ("en", "zh"):
        app = PosdeskApp(desk, lang)
        async with app.run_test(size=SIZE) as pilot:
            await start_flow(pilot)
            dialog = await _open_note(pilot)
            note = dialog.query_one(TextArea).text
        assert "张记便利店 Zhang's" in note, note


async def test_an_incident_page_names_a_finding_as_a_finding_not_a_fault(desk):
    terminal = desk.save_terminal(name="Front", serial="SN-1")
    checked = {item.id: True for item in desk.kb.checklist("sec.tamper_inspection").items}
    entry = desk.mark_done("sec.tamper_inspection", "Li", terminal_id=terminal.id,
                           checked=checked, serial_seen="SN-9")
    suspicious = desk.start_incident("tx.cash_out", note="asked for cash back")
    for incident_id, zh, en in ((entry.incident_id, "安全检查发现：", "Security finding: "),
                                (suspicious.id, "可疑情况：", "Suspicious event: ")):
        for lang, named in (("zh", zh), ("en", en)):
            app = PosdeskApp(desk, lang)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                app.push_screen(IncidentScreen(desk, desk.incident(incident_id)))
                await until(pilot, lambda: isinstance(app.screen, IncidentScreen),
                            what="the incident page")
                await settle(pilot)
                shown = screen_text(app)
            assert named in shown and "Fault:" not in shown and "故障：" not in shown, shown
