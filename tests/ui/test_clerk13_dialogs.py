"""Issue 13, dialogs and notices: a clerk sees whether a box is ticked without colour, every
field keeps its label while typed in and the focus goes down the form, every dialog confirms
by one rule shown in its key bar, and a notice never hides a dialog's buttons."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox, Input, Select, Static, TextArea

from kb_steps import tried
from pilot_helpers import (open_topic, ready, screen_text, settle, until, until_closed,
                           until_screen, until_told)
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.code_lookup import CodeLookup
from posdesk.ui.dialogs.export_choice import ExportChoice
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.settings import SettingsScreen
from posdesk.ui.dialogs.terminal_choice import TerminalChoice
from posdesk.ui.dialogs.terminal_form import TerminalForm
from posdesk.ui.dialogs.text_prompt import TextPrompt
from posdesk.ui.widgets.bars import KeyBar

SIZE = (100, 32)
TAMPER = "sec.tamper_inspection"


def key_bar(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


def buttons(app) -> list[str]:
    return [str(button.label) for button in app.screen.query(Button) if button.display]


def label_of(screen, field) -> str:
    """The words shown right above the field, or on its row to its left: its label."""
    box = field.region
    for shown in screen.query(Static):
        if shown is field or not shown.region or not str(shown.render()).strip():
            continue
        spot = shown.region
        above = spot.bottom == box.y and spot.x <= box.x < spot.right
        beside = spot.y == box.y and spot.right <= box.x
        if above or beside:
            return str(shown.render())
    return ""


async def tamper_dialog(pilot) -> MarkDone:
    await open_topic(pilot, TAMPER)
    await pilot.press("d")
    return await until_screen(pilot, MarkDone)


# 1. Checkboxes

@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_ticked_box_reads_differently_from_an_unticked_one(desk, lang):
    """Without colour (a screen reader, a monochrome SSH terminal), ticked and not ticked differ
    in their characters."""
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await tamper_dialog(pilot)
        first = dialog.query(Checkbox).first()
        assert app.focused is first
        unticked = first.render().plain
        await pilot.press("space")
        await until(pilot, lambda: first.value, what="the box ticked")
        ticked = first.render().plain
        assert "[ ]" in unticked and "[x]" in ticked
        assert unticked.replace("[ ]", "[x]") == ticked


# 2. Labels that stay, and the order of the fields

async def test_every_field_of_the_checklist_keeps_a_label_as_it_is_typed_in(desk):
    desk.save_terminal(name="Front", serial="SN-100")
    desk.save_terminal(name="Back", serial="SN-200")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await tamper_dialog(pilot)
        for field in dialog.query(Input):
            field.focus()
            await pilot.press(*"SN-1")
            await settle(pilot)
        for field in (*dialog.query(Input), *dialog.query(Select)):
            assert label_of(dialog, field), f"{field.id} has no label once typed in"
        assert "Serial number you see" in label_of(dialog, dialog.query_one("#serial-seen"))
        assert "Who did it" in label_of(dialog, dialog.query_one("#done-who"))


async def test_the_checklist_is_filled_top_to_bottom_and_enter_goes_down(desk):
    """The serial number typed lands in the serial field, the name in "Who did it": tab and
    enter go down in reading order; enter on the last field saves."""
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        dialog = await tamper_dialog(pilot)
        chain = dialog.focus_chain
        rows = [(w.region.y, w.region.x) for w in chain]
        assert rows == sorted(rows), "focus does not follow reading order"
        assert app.focused is chain[0]
        for box in dialog.query(Checkbox):
            await pilot.press("space", "tab")
        assert app.focused.id == "serial-seen"
        await pilot.press(*"SN-100", "enter", *"Li", "enter", *"all good", "enter")
        await until_closed(pilot, MarkDone)
    (entry,) = desk.routine_log(TAMPER)
    assert (entry.who, entry.note, entry.findings) == ("Li", "all good", [])


async def test_code_lookup_and_the_terminal_form_label_their_fields(desk):
    app = PosdeskApp(desk, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        dialog = await until_screen(pilot, CodeLookup)
        await pilot.press(*"51")
        assert "代码" in label_of(dialog, dialog.query_one("#code"))
        await pilot.press("escape")
        await until_closed(pilot, CodeLookup)
        await pilot.press("T", "a")
        form = await until_screen(pilot, TerminalForm)
        for field in form.query(Input):
            assert label_of(form, field), f"{field.id} has no label"


# 3. One rule for every dialog, shown in the key bar

async def test_who_did_it_takes_enter_to_the_note_and_saves_from_the_note(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "sec.malware")
        await pilot.press("d")
        await until_screen(pilot, MarkDone)
        assert "enter Next field" in key_bar(app)
        await pilot.press(*"Wang", "enter")
        assert app.focused.id == "done-note"
        assert "enter Save" in key_bar(app)
        await pilot.press(*"scan clean", "enter")
        await until_closed(pilot, MarkDone)
    (entry,) = desk.routine_log("sec.malware")
    assert (entry.who, entry.note) == ("Wang", "scan clean")


@pytest.mark.parametrize("lang, save, cancel", [("en", "Save", "Cancel"), ("zh", "保存", "取消")])
async def test_every_dialog_that_changes_something_shows_save_and_cancel(desk, lang, save, cancel):
    """Terminal form, mark done, settings and the one-line prompt: Save and Cancel buttons,
    and the key bar names ctrl+s and esc for them."""
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.void_refund")
        opened = [("k", MarkDone), ("comma", SettingsScreen)]
        for key, kind in opened:
            await pilot.press(key)
            await until_screen(pilot, kind)
            shown, keys = buttons(app), key_bar(app)
            assert f"{save} ^s" in shown and f"{cancel} esc" in shown, (kind, shown)
            assert f"^s {save}" in keys and f"esc {cancel}" in keys, (kind, keys)
            await pilot.press("escape")
            await until_closed(pilot, kind)
        await open_topic(pilot, "tx.fake_bank_staff")
        await pilot.press("exclamation_mark")
        await until_screen(pilot, TextPrompt)
        assert f"^s {save}" in key_bar(app) and f"{cancel} esc" in buttons(app)
        await pilot.press("escape")
        await until_closed(pilot, TextPrompt)
        await pilot.press("T", "a")
        await until_screen(pilot, TerminalForm)
        assert f"^s {save}" in key_bar(app) and f"{cancel} esc" in buttons(app)


async def test_a_one_line_prompt_saves_with_its_save_button(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, "tx.fake_bank_staff")
        await pilot.press("exclamation_mark")
        prompt = await until_screen(pilot, TextPrompt)
        await pilot.press(*"Caller wanted our password")
        await pilot.click(prompt.query_one("#prompt-save"))
        await until_closed(pilot, TextPrompt)
    (incident,) = desk.incidents()
    assert incident.events[0].get("note") == "Caller wanted our password"


async def test_choices_and_lookups_name_enter_and_offer_a_way_out(desk):
    """A list of choices: enter chooses, a Cancel button; the code lookup: enter looks up, a
    Close button. The key bar says so."""
    desk.save_terminal(name="Front", terminal_no="1001")
    desk.save_terminal(name="Back", terminal_no="1002")
    fixed = desk.start_incident("fault.print", terminal_id="T1")  # something to export
    first, second = desk.topic("fault.print").steps[:2]
    desk.record_attempt(fixed.id, first.id, tried(first))
    desk.record_attempt(fixed.id, second.id, "fixed")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await until_screen(pilot, CodeLookup)
        assert "enter Look up" in key_bar(app) and "esc Close" in key_bar(app)
        assert "Close esc" in buttons(app)
        await pilot.press("escape")
        await until_closed(pilot, CodeLookup)
        await pilot.press("s")
        await until_screen(pilot, TerminalChoice)
        assert "enter Choose" in key_bar(app) and "esc Cancel" in key_bar(app)
        assert "Cancel esc" in buttons(app)
        await pilot.click(app.screen.query_one("#choice-cancel"))
        await until_closed(pilot, TerminalChoice)
        await pilot.press("5")
        await settle(pilot)
        await pilot.press("x")
        await until_screen(pilot, ExportChoice)
        assert "enter Choose" in key_bar(app) and "Cancel esc" in buttons(app)


# 4. Notices

def covered(app) -> list[str]:
    """The dialog's buttons a notice lies over."""
    toasts = [toast.region for toast in app.screen.query("Toast")]
    return [str(button.label) for button in app.screen.query(Button)
            if button.display and any(toast.overlaps(button.region) for toast in toasts)]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_routines_notice_leaves_a_dialogs_buttons_in_sight(desk, size, lang):
    """A fresh shop: every routine is due, said in a notice as the app starts; the settings and
    the checklist, the terminal form and the note for the bank opened while it shows keep
    their buttons uncovered."""
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=size, notifications=True) as pilot:
        await until_told(pilot)
        await open_topic(pilot, "sec.malware")
        for keys, kind in (("comma",), SettingsScreen), (("d",), MarkDone), (("T", "a"), TerminalForm):
            await pilot.press(*keys)
            await until_screen(pilot, kind)
            await until(pilot, lambda: app.screen.query("Toast"), what="the notice shown")
            assert covered(app) == []
            await pilot.press("escape")
            await until_closed(pilot, kind)
            if kind is TerminalForm:
                await pilot.press("escape")
        await pilot.press("1", "s")  # the bank note, with four buttons, from the guided flow
        flow = await until_screen(pilot, having="#flow-step")
        await pilot.press("d")
        await until(pilot, lambda: len(flow.incident.attempts) == 1 and ready(app),
                    what="the first step marked")
        await pilot.press("e")
        await until_screen(pilot, having="#reference")
        await until(pilot, lambda: app.screen.query("Toast"), what="the notice shown")
        assert covered(app) == []


async def test_a_confirmation_goes_soon_and_a_warning_stays_longer(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.clear_notifications()
        app.notify("Saved.")
        app.notify("Findings recorded; incident 7 opened.", severity="warning", timeout=30)
        app.notify("The records could not be written.", severity="error")
        await until_told(pilot, 3)
        confirmation, warning, error = app._notifications
        assert 2 <= confirmation.timeout <= 4
        assert confirmation.timeout < warning.timeout <= 10
        assert warning.timeout <= error.timeout <= 12
