"""The guided flow and the escalation, driven through keys alone."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from pilot_helpers import (past_today, ready, screen_text, settle, start_flow, until, until_closed, until_main,
                           until_marked, until_screen, until_shown)
from posdesk.desk import Desk
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.code_lookup import CodeLookup
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.ui.dialogs.today import TodayScreen
from kb_steps import checks

SIZE = (80, 24)


async def test_flow_fixed_at_step_two_resolves_by_the_shop(desk, kb):
    steps = kb.topic("fault.network").steps
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        assert f"Step 1 of {len(steps)}" in screen_text(app)
        assert steps[0].gathers_info  # which connection: noted, never "fixed?"
        await pilot.press("f", "n")  # not offered on a step that only finds something out
        await settle(pilot)
        assert not flow.incident.attempts and not flow.query_one("#mark-fixed").display
        await pilot.press("d")
        await until_marked(pilot, flow, 1)
        assert f"Step 2 of {len(steps)}" in screen_text(app)
        await pilot.press("f")
        await until_marked(pilot, flow, 2)
        assert "Fixed in the shop at step 2" in screen_text(app)
        incident = flow.incident
    stored = desk.incident(incident.id)
    assert stored.status == "resolved" and stored.resolution == "self"
    assert [(a.step_id, a.outcome) for a in stored.attempts] == [
        (steps[0].id, "noted"), (steps[1].id, "fixed")]


async def test_a_note_typed_with_a_mark_is_kept_with_it(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("tab")  # into the note field
        assert isinstance(app.screen.focused, Input)
        await pilot.press(*"lights ok [bold]", "escape")  # out of the field: keys mark again
        assert not isinstance(app.screen.focused, Input)
        await pilot.press("d")
        await until_marked(pilot, flow, 1)
        incident_id = flow.incident.id
    assert desk.incident(incident_id).attempts[0].note == "lights ok [bold]"


async def test_going_back_and_marking_again_keeps_both_marks(desk, kb):
    first = kb.topic("fault.network").steps[0]
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("k", "left")
        await until(pilot, lambda: flow.step is first and len(flow.incident.attempts) == 1,
                    what="back on step 1 after skipping it")
        assert flow.step is first
        assert "Marked before on this step" in screen_text(app)
        await pilot.press("d")
        await until_marked(pilot, flow, 2)
        incident_id = flow.incident.id
    assert [a.outcome for a in desk.incident(incident_id).marks_for(first.id)] == ["skipped", "noted"]


async def test_escalate_after_every_step_fails(desk, kb):
    steps = kb.topic("fault.network").steps
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        for marks, step in enumerate(steps[:-1], start=1):
            await pilot.press("d" if step.gathers_info else "n")
            await until_marked(pilot, flow, marks)
        assert isinstance(app.screen, EscalationDialog)  # offered once every check failed
        note = app.screen.query_one(TextArea).text
        for step in steps[:-1]:
            assert step.title.en in note
        assert "95533" in note and "tried, not fixed" in note
        await pilot.press("enter", *"Customer is waiting.")  # enter: write in the note
        await pilot.press("tab")
        assert app.screen.focused.id == "reference"
        await pilot.press(*"CCB-2026-7788", "ctrl+s")
        await until(pilot, lambda: flow.incident.status == "escalated" and ready(app, TroubleshootScreen),
                    what="the escalation saved, back in the flow")
        assert app.screen is flow
        assert "reference: CCB-2026-7788" in screen_text(app)
        incident_id = flow.incident.id
    stored = desk.incident(incident_id)
    assert stored.status == "escalated"
    assert stored.escalation.reference == "CCB-2026-7788"
    assert stored.escalation.note.endswith("Customer is waiting.")
    assert len(stored.attempts) == len(steps) - 1


async def test_empty_escalation_note_gets_a_message_not_a_crash(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        await until_shown(pilot, "The note is empty")
        assert isinstance(app.screen, EscalationDialog)
        assert "The note is empty" in screen_text(app)
        await pilot.press("escape")
        await until_screen(pilot, TroubleshootScreen)
        assert app.screen is flow and flow.incident.status == "open"


async def test_bank_reference_later_and_closing_by_the_bank(desk, kb):
    incident = desk.start_incident("fault.key_mac")
    desk.escalate(incident.id, "MAC error after sign-in")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("enter")
        await until_screen(pilot, TroubleshootScreen)
        assert isinstance(app.screen, TroubleshootScreen)
        await pilot.press("r")
        await pilot.press(*"REF-9", "enter")
        await pilot.press("b")
        await pilot.press("enter")  # an empty answer is refused with a message
        assert "Type something first" in screen_text(app)
        await pilot.press(*"Bank reloaded the keys", "enter")
        await until_screen(pilot, TroubleshootScreen)  # the prompt closes once it has saved
    stored = desk.incident(incident.id)
    assert stored.escalation.reference == "REF-9"
    assert stored.status == "resolved" and stored.resolution == "bank"


async def test_quit_mid_flow_and_resume_in_a_new_app(desk, kb):
    steps = kb.topic("fault.network").steps
    async with PosdeskApp(desk, "en").run_test(size=SIZE) as pilot:
        await start_flow(pilot)
        await pilot.press("d", "k")
        await until(pilot, lambda: len(pilot.app.screen.incident.attempts) == 2,
                    what="both marks recorded")
        await pilot.press("q")

    app = PosdeskApp(Desk(desk.store.home, kb=kb), "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)  # shown on start
        first = app.screen.query_one("#today-list").get_option_at_index(1)
        assert kb.topic("fault.network").title.en in str(first.prompt)
        await pilot.press("enter")
        await until_screen(pilot, TroubleshootScreen)
        flow = app.screen
        assert isinstance(flow, TroubleshootScreen)
        assert flow.step is steps[2]
        assert f"Step 3 of {len(steps)}" in screen_text(app)


async def test_code_lookup_for_a_known_code_starts_its_fault(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await until_screen(pilot, CodeLookup)
        assert isinstance(app.screen, CodeLookup)
        await pilot.press("a", "0", "enter")
        await until_shown(pilot, kb.code("A0").meaning.en)
        shown = screen_text(app)
        assert kb.code("A0").meaning.en in shown and "Retry: once" in shown
        await pilot.press("tab", "enter")  # the code field keeps the focus; tab to the button
        await until_screen(pilot, TroubleshootScreen)
        flow = app.screen
        assert isinstance(flow, TroubleshootScreen)
        assert flow.incident.topic_id == kb.code("A0").topic_id
        assert flow.incident.code == "A0"


async def test_code_lookup_for_an_unknown_code_says_so(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.press("z", "9", "enter")
        await until_shown(pilot, "“z9” is not in the code table")
        assert "“z9” is not in the code table" in screen_text(app)
        assert not app.screen.query_one("#code-start").display
        await pilot.press("escape")
        await until_closed(pilot, CodeLookup)
        assert not isinstance(app.screen, CodeLookup)
    assert desk.incidents() == []


async def test_markup_in_a_note_is_shown_exactly_as_typed(desk, kb):
    incident = desk.start_incident("fault.network")
    desk.record_attempt(incident.id, checks(kb.topic("fault.network"))[0].id, "not_fixed",
                        "[bold]x[/] [@click=app.quit]y[/]")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("left")
        await until_shown(pilot, "[bold]x[/] [@click=app.quit]y[/]")
        assert "[bold]x[/] [@click=app.quit]y[/]" in screen_text(app)
        assert app.is_running


async def test_start_key_only_works_on_the_faults_tab(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "s")
        await pilot.pause()  # nothing to wait for: a flow started wrongly would come up meanwhile
        assert not isinstance(app.screen, TroubleshootScreen)
    assert desk.incidents() == []


async def test_note_is_copied_and_saved_as_markdown(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        await pilot.press("enter", *"card 4111111111111111", "ctrl+t")
        assert "****1111" in app.clipboard and "4111111111111111" not in app.clipboard
        assert flow.incident.id in app.clipboard
        await pilot.press("ctrl+o")
        await until(pilot, lambda: any((desk.store.home / "reports").glob("*-bank-note.txt")),
                    what="the note saved")
        path = desk.store.home / "reports" / f"{flow.incident.id}-bank-note.txt"
        assert str(path) in screen_text(app)
        assert "****1111" in path.read_text(encoding="utf-8")


async def test_hotline_is_changed_in_settings_and_used_in_the_note(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        await until_screen(pilot, having="#hotline")
        field = app.screen.query_one("#hotline", Input)
        field.value = ""
        await pilot.press("ctrl+s")
        assert "cannot be empty" in screen_text(app)
        await pilot.press(*"95516", "ctrl+s")
        await until_main(pilot)  # the settings close once saved
        assert desk.settings().hotline == "95516"
        await start_flow(pilot)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        assert "Call the bank: 95516" in screen_text(app)


async def test_a_card_number_in_a_mark_note_is_masked_and_the_person_told(desk):
    app = PosdeskApp(desk, "en")
    notices = []
    async with app.run_test(size=SIZE) as pilot:
        flow = await start_flow(pilot)
        await pilot.press("tab", *"4111 1111 1111 1111", "escape", "d")
        await until_marked(pilot, flow, 1)
        notices = [n.message for n in app._notifications]
        incident_id = flow.incident.id
    assert any("last four digits" in message for message in notices)
    assert desk.incident(incident_id).attempts[0].note == "****1111"


async def test_the_flow_opens_at_once_and_tells_the_steps_history_when_it_is_read(desk, kb):
    """How often each step fixed the fault is read from the whole history: in the background,
    so that a long history never holds the flow back, and a month file that cannot be read
    only leaves the hint out."""
    cable = checks(kb.topic("fault.network"))[0]  # step 2: step 1 only finds something out
    past = desk.start_incident("fault.network")
    desk.record_attempt(past.id, cable.id, "fixed")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if isinstance(app.screen, TodayScreen):
            await pilot.press("escape")
            await until_main(pilot)
        flow = await start_flow(pilot)
        await pilot.press("right")
        await until(pilot, lambda: "Fixed it in 1 of 1" in screen_text(app),
                    what="the step's history")
        await pilot.press("escape")
        await until_main(pilot)
        # The month file of the past incident is damaged: the flow still opens, without a hint.
        month = next(desk.home.glob("incidents-20*.json"))
        month.write_text("{ not json", encoding="utf-8")
        flow = await start_flow(pilot)
        await settle(pilot)
        assert app.screen is flow and "Fixed it in" not in screen_text(app)


async def test_the_number_of_a_bank_posdesk_does_not_know_is_asked_once(desk, kb):
    """The terminal's bank is not in the table of service lines: the first call to the bank
    asks for its number, which the contact step and the note then name; the next call does not
    ask again."""
    from posdesk.ui.dialogs.text_prompt import TextPrompt

    desk.save_terminal(name="Counter", bank="Hainan Rural Credit")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        flow = await start_flow(pilot)
        assert flow.incident.terminal_id == "T1"
        await pilot.press("e")
        await until_screen(pilot, TextPrompt)
        assert "Hainan Rural Credit" in screen_text(app)
        await pilot.press(*"0898-966888", "enter")
        await until_screen(pilot, EscalationDialog)
        assert "Call the bank: 0898-966888 (Hainan Rural Credit)" in screen_text(app)
        assert "0898-966888" in app.screen.query_one(TextArea).text
        await pilot.press("escape")
        await until_closed(pilot, EscalationDialog)
        assert "0898-966888" in flow.topic.steps[-1].how("en")
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)  # not asked again
    assert desk.settings().bank_lines == {"hainanruralcredit": "0898-966888"}


async def test_a_bank_number_given_wrong_is_corrected_in_settings(desk):
    desk.save_terminal(name="Counter", bank="Hainan Rural Credit")
    desk.set_bank_line("Hainan Rural Credit", "0898-000")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        await pilot.press("comma")
        await until_screen(pilot, having="#hotline")
        assert "Hainan Rural Credit" in screen_text(app)
        field = app.screen.query_one("#bank-line-0", Input)
        assert field.value == "0898-000"
        field.value = ""
        field.focus()
        await pilot.press(*"0898-966888", "ctrl+s")
        await until_main(pilot)
    assert desk.hotline("T1").number == "0898-966888"
