"""Adversarial checks of knowledge base v2 in the guided flow: information steps, the bank's
number asked once, and incidents recorded under the previous base."""

from __future__ import annotations

from pilot_helpers import past_today, screen_text, until, until_marked, until_screen
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.screens.troubleshoot import TroubleshootScreen

SIZE = (80, 24)


async def open_flow(pilot, desk, incident):
    await past_today(pilot)
    pilot.app.push_screen(TroubleshootScreen(desk, incident))
    return await until_screen(pilot, TroubleshootScreen)


async def test_information_steps_after_the_last_check_are_shown_before_the_bank(desk, kb):
    """A lost terminal has no check at all: noting its first step ("where was it last") must
    lead on to the police report, not straight to the note for the bank."""
    topic = kb.topic("fault.lost_stolen")
    assert not [s for s in topic.steps if s.kind == "check"]
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await open_flow(pilot, desk, desk.new_incident(topic.id))
        await pilot.press("d")
        await until_marked(pilot, flow, 1)
        assert not isinstance(app.screen, EscalationDialog), "went to the bank at step 1 of 4"
        assert flow.step.id == topic.steps[1].id
        assert f"Step 2 of {len(topic.steps)}" in screen_text(app)


async def test_a_payout_fault_shows_its_last_information_steps_before_the_bank(desk, kb):
    """Money not arrived: its checks are steps 3 and 4; steps 5 and 6 (the settlement account,
    a payout held for review — with its warning about paid 'unfreezing') come before the bank."""
    topic = kb.topic("fault.money_not_arrived")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await open_flow(pilot, desk, desk.new_incident(topic.id))
        for marks, step in enumerate(topic.steps[:4], start=1):
            await pilot.press("d" if step.gathers_info else "n")
            await until_marked(pilot, flow, marks)
        assert not isinstance(app.screen, EscalationDialog)
        assert flow.step.id == topic.steps[4].id
        for marks, step in enumerate(topic.steps[4:6], start=5):
            await pilot.press("d")
            await until_marked(pilot, flow, marks)
        await until_screen(pilot, EscalationDialog)  # every step read: now the bank


async def test_the_note_for_the_bank_when_the_records_cannot_be_read_is_one_line(desk, home):
    """The flow is open; meanwhile posdesk.json is damaged (or another process holds it). "e"
    must say why in one line and keep the app running, as before the bank's line was asked."""
    desk.save_terminal(name="Till", bank="某某农商银行")
    incident = desk.start_incident("fault.network", terminal_id="T1")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await open_flow(pilot, desk, incident)
        (home / "posdesk.json").write_text('{"terminals": {', encoding="utf-8")
        await pilot.press("e")
        await until(pilot, lambda: app._notifications, what="a line saying why")
        assert app.is_running and app.screen is flow


async def test_a_bank_number_refused_by_a_read_only_disk_is_kept_and_the_flow_goes_on(
        tmpfs, kb, clock):
    """The bank's number is asked before the note for the bank; the disk has gone read-only.
    What was typed stays in the field with one line saying why; escape (twice, since what was
    typed is dropped) goes on to the note."""
    from conftest import read_only
    from textual.widgets import Input

    from posdesk.desk import Desk
    from posdesk.ui.dialogs.text_prompt import TextPrompt

    disk = tmpfs("1m")
    desk = Desk(disk / "home", kb=kb, clock=clock)
    desk.save_terminal(name="Till", bank="某某农商银行")
    incident = desk.start_incident("fault.network", terminal_id="T1")
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_flow(pilot, desk, incident)
        read_only(disk)
        await pilot.press("e")
        prompt = await until_screen(pilot, TextPrompt)
        assert "某某农商银行" in screen_text(app)
        await pilot.press(*"0898-1234", "enter")
        await until(pilot, lambda: str(prompt.query_one("#prompt-message").render()),
                    what="the prompt to say the number was not saved")
        assert app.screen is prompt and prompt.query_one("#answer", Input).value == "0898-1234"
        await pilot.press("escape")
        await until(pilot, lambda: "还没保存" in str(prompt.query_one("#prompt-message").render()),
                    what="the prompt to say what one more esc drops")
        await pilot.press("escape")
        await until_screen(pilot, EscalationDialog)
        assert app.is_running


def _recorded_under_the_old_base(desk, topic_id, marks):
    """An incident as knowledge base 2026.11.1 recorded it: its step ids, orders and outcomes
    (steps since removed, checks that are now information steps marked not fixed)."""
    incident = desk.start_incident(topic_id)
    import json

    path = desk.store.home / "incidents-open.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    record = next(iter(data["incidents"].values()))
    record["kb_version"] = "2026.11.1"
    record["step_count"] = 6
    at = record["events"][0]["at"]
    for step_id, order, outcome in marks:
        record["events"].append({"kind": "attempt", "at": at, "step_id": step_id,
                                 "step_order": order, "outcome": outcome, "note": "",
                                 "step_title": {"zh": f"旧步骤{order}", "en": f"Old step {order}"}})
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return desk.incident(incident.id)


async def test_an_incident_from_the_old_base_is_resumed_and_finished(desk, kb):
    topic = kb.topic("fault.signin_settlement")
    incident = _recorded_under_the_old_base(desk, topic.id, [
        ("fault.signin_settlement.daily_sign_in", 1, "not_fixed"),  # removed since
        ("fault.signin_settlement.code_77_22", 2, "not_fixed"),
        ("fault.signin_settlement.mismatch", 5, "not_fixed"),  # an information step now
    ])
    assert len(incident.attempts) == 3
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        flow = await open_flow(pilot, desk, incident)
        assert flow.step.id == topic.steps[-1].id  # after the last mark: the bank
        await pilot.press("left")  # the step that is now information, marked not fixed before
        await until(pilot, lambda: flow.step.id == topic.steps[4].id, what="back on step 5")
        assert "tried, not fixed" in screen_text(app)
        assert not flow.query_one("#mark-not-fixed").display
        await pilot.press("d")
        await until_marked(pilot, flow, 4)
        for _ in range(6):
            await pilot.press("left")
        await until(pilot, lambda: flow.step.id == topic.steps[0].id, what="back on step 1")
        await pilot.press("f")  # the new first check fixed it
        await until_marked(pilot, flow, 5)
        assert app.is_running
    stored = desk.incident(incident.id)
    assert stored.status == "resolved" and stored.kb_version == "2026.11.1"


def _on_screen(app, widget) -> bool:
    region = widget.region
    width, height = app.size
    return region.height > 0 and region.y >= 0 and region.bottom <= height


async def test_a_very_long_bank_name_leaves_the_answer_and_the_note_on_screen(desk):
    """A terminal's bank name of thousands of characters (restored, hand-edited, or typed
    through the desk) filled the question and the note for the bank at 80x24: the field to
    type the number in, and the note, were pushed off the screen."""
    from textual.widgets import TextArea

    from posdesk.ui.dialogs.text_prompt import TextPrompt

    desk.save_terminal(name="Till", bank="某某农商银行" * 1700)
    incident = desk.start_incident("fault.network", terminal_id="T1")
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=SIZE) as pilot:
        await open_flow(pilot, desk, incident)
        await pilot.press("e")
        prompt = await until_screen(pilot, TextPrompt)
        await pilot.pause()
        assert _on_screen(app, prompt.query_one("#answer")), "the field for the number"
        await pilot.press("escape")
        dialog = await until_screen(pilot, EscalationDialog)
        await pilot.pause()
        assert _on_screen(app, dialog.query_one(TextArea)), "the note for the bank"


async def test_a_very_long_number_given_for_a_bank_leaves_the_note_on_screen(desk):
    """The question for the bank's number takes any length (a page pasted by mistake); the
    number then filled the title of the note for the bank."""
    from textual.widgets import TextArea

    desk.save_terminal(name="Till", bank="某某农商银行")
    desk.set_bank_line("某某农商银行", "0898-" + "1234567" * 1500)
    incident = desk.start_incident("fault.network", terminal_id="T1")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_flow(pilot, desk, incident)
        await pilot.press("e")
        dialog = await until_screen(pilot, EscalationDialog)
        await pilot.pause()
        assert _on_screen(app, dialog.query_one(TextArea)), "the note for the bank"
