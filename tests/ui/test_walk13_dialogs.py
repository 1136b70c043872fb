"""Issue 13, a new user's walk through the dialogs: what was typed is not lost to one esc, the
arrows go from field to field, every dialog opens showing its title, enter in the bank's
reference saves, and the Incidents tab's status filter shows its whole label."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.errors import NoWidget
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from pilot_helpers import (open_incidents_tab, open_topic, ready, settle, until,
                           until_closed, until_main, until_screen)
from posdesk.i18n import t
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.dialogs.help import HelpScreen
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.set_up import SetUpStart
from posdesk.ui.dialogs.settings import SettingsScreen
from posdesk.ui.dialogs.tamper_steps import TamperSteps
from posdesk.ui.dialogs.terminal_form import TerminalForm
from posdesk.ui.dialogs.text_prompt import TextPrompt

TAMPER = "sec.tamper_inspection"
NOT_SAVED = {"en": "Not saved yet", "zh": "还没保存"}


def message(app) -> str:
    return str(app.screen.query_one(".message", Static).render())


async def esc_twice(pilot, kind, lang: str = "en") -> None:
    """The first esc only warns, in the dialog's message line; the second closes."""
    app = pilot.app
    await pilot.press("escape")
    await until(pilot, lambda: NOT_SAVED[lang] in message(app), what="the warning")
    assert isinstance(app.screen, kind)
    await pilot.press("escape")
    await until_closed(pilot, kind)


# 1. Typed text is not lost to one esc

@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_checklist_asks_before_esc_drops_what_was_ticked_and_typed(desk, lang):
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_topic(pilot, TAMPER)
        await pilot.press("d")
        dialog = await until_screen(pilot, MarkDone)
        await pilot.press("space")  # the first box, ticked
        dialog.query_one("#done-who", Input).focus()
        await pilot.press(*"Wang")
        await pilot.press("escape")
        await until(pilot, lambda: NOT_SAVED[lang] in message(app), what="the warning")
        assert app.screen is dialog and dialog.query_one("#done-who", Input).value == "Wang"
        assert "ctrl+s" in message(app)
        await pilot.press(*" Li")  # typing again: the next esc warns again
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape")
        await until_closed(pilot, MarkDone)
    assert desk.routine_log(TAMPER) == []


async def test_a_dialog_with_nothing_typed_closes_at_the_first_esc(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T", "a")
        await until_screen(pilot, TerminalForm)
        await pilot.press("escape")
        await until_closed(pilot, TerminalForm)
        await pilot.press(*"a", "backspace")  # typed and taken back: nothing differs
        await until_screen(pilot, TerminalForm)
        await pilot.press("escape")
        await until_closed(pilot, TerminalForm)


async def test_the_terminal_form_and_the_settings_ask_before_esc_and_cancel(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("T", "a")
        form = await until_screen(pilot, TerminalForm)
        await pilot.press(*"Front")
        await pilot.click(form.query_one("#terminal-cancel"))  # the button, as esc
        await until(pilot, lambda: NOT_SAVED["en"] in message(app), what="the warning")
        await pilot.press("escape")
        await until_closed(pilot, TerminalForm)
        assert desk.terminals() == []
        await pilot.press("escape")
        await until_main(pilot)
        await pilot.press("comma")
        await until_screen(pilot, SettingsScreen)
        await pilot.press(*"123")
        await esc_twice(pilot, SettingsScreen)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_one_line_prompt_asks_before_esc_drops_the_words(desk, lang):
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_topic(pilot, "tx.fake_bank_staff")
        await pilot.press("exclamation_mark")
        await until_screen(pilot, TextPrompt)
        await pilot.press(*"Caller wanted our password")
        await esc_twice(pilot, TextPrompt, lang)
    assert desk.incidents() == []


async def test_the_follow_up_note_on_an_incident_page_asks_before_esc(desk):
    desk.start_incident("fault.print")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_incidents_tab(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: ready(app) and app.screen is not app.screen_stack[0],
                    what="the incident page")
        await pilot.press("a")
        await until_screen(pilot, TextPrompt)
        await pilot.press(*"Called back")
        await esc_twice(pilot, TextPrompt)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_set_up_asks_before_skip_drops_a_typed_shop_name(desk, lang):
    app = PosdeskApp(desk, lang, offer_set_up=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_screen(pilot, SetUpStart)
        await pilot.press(*"Lucky")
        await esc_twice(pilot, SetUpStart, lang)
        await until_main(pilot)
    assert desk.settings().set_up == "skipped"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_set_up_whose_terminal_was_dropped_does_not_say_it_was_saved(desk, lang):
    app = PosdeskApp(desk, lang, offer_set_up=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until_screen(pilot, SetUpStart)
        await pilot.press(*"Lucky Mart", "ctrl+s")
        await until_screen(pilot, TerminalForm)
        await pilot.press(*"Front")
        await esc_twice(pilot, TerminalForm, lang)
        await until_main(pilot)
        await until(pilot, lambda: app._notifications, what="the set-up's notice")
        told = " ".join(str(n.message) for n in app._notifications)
    assert desk.terminals() == [] and desk.settings().shop == "Lucky Mart"
    first_words = t("set_up.saved", lang, first="").split("。" if lang == "zh" else ".")[0]
    assert first_words not in told, told
    assert t("set_up.no_terminal", lang, first="—").split("：" if lang == "zh" else ":")[0] in told


# 2. The arrows go from field to field

async def test_down_goes_to_the_next_box_of_the_checklist_and_up_comes_back(desk):
    desk.save_terminal(name="Front", serial="SN-100")
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await open_topic(pilot, TAMPER)
        await pilot.press("d")
        dialog = await until_screen(pilot, MarkDone)
        first, second = list(dialog.query(Checkbox))[:2]
        assert app.focused is first
        await pilot.press("space", "down", "space")
        await settle(pilot)
        assert app.focused is second and first.value and second.value
        await pilot.press("up")
        await settle(pilot)
        assert app.focused is first and first.value


async def test_the_note_for_the_bank_keeps_its_arrows_for_the_text(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await bank_note(pilot)
        note = app.screen.query_one("#note", TextArea)
        assert app.focused is note
        row = note.cursor_location[0]
        await pilot.press("up")
        await settle(pilot)
        assert app.focused is note and note.cursor_location[0] == row - 1


# 3. Every dialog opens showing its title

def title_on_screen(app) -> bool:
    title = app.screen.query(".dialog-title, #help-title").first()
    region = title.region
    try:
        return bool(region) and app.screen.get_widget_at(region.x, region.y)[0] is title
    except NoWidget:  # above the top of the screen
        return False


async def checklist(pilot):
    await open_topic(pilot, TAMPER)
    await pilot.press("d")
    await until_screen(pilot, MarkDone)


async def terminal_form(pilot):
    await settle(pilot)
    await pilot.press("T", "a")
    await until_screen(pilot, TerminalForm)


async def keys_list(pilot):
    await settle(pilot)
    await pilot.press("question_mark")
    await until_screen(pilot, HelpScreen)


async def tamper_steps(pilot):
    await checklist(pilot)
    dialog = pilot.app.screen
    for box in dialog.query(Checkbox):
        box.value = True
    dialog.query_one("#serial-seen", Input).value = "SN-999"
    dialog.query_one("#done-who", Input).focus()
    await pilot.press(*"Li", "ctrl+s")
    await until_screen(pilot, TamperSteps)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("opening", [checklist, terminal_form, keys_list, tamper_steps],
                         ids=lambda opening: opening.__name__)
async def test_a_dialog_opens_showing_its_title(desk, size, lang, opening):
    desk.save_terminal(name="Front", serial="SN-100", bank="中国建设银行")
    desk.set_hotline("95533")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=size) as pilot:
        await opening(pilot)
        await settle(pilot)
        assert title_on_screen(app), (opening.__name__, app.screen.focused)


# 4. Enter in the bank's reference saves

async def bank_note(pilot) -> None:
    await settle(pilot)
    await pilot.press("1", "s")
    flow = await until_screen(pilot, having="#flow-step")
    await pilot.press("d")
    await until(pilot, lambda: len(flow.incident.attempts) == 1 and ready(pilot.app),
                what="the first step marked")
    await pilot.press("e")
    await until_screen(pilot, EscalationDialog)


async def test_enter_in_the_banks_reference_saves_the_note(desk):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=(100, 32)) as pilot:
        await bank_note(pilot)
        note = app.screen.query_one("#note", TextArea)
        await pilot.press("enter")  # on the note being read: writing starts
        await until(pilot, lambda: not note.read_only, what="the note open for writing")
        app.screen.query_one("#reference", Input).focus()
        await pilot.press(*"REF-42", "enter")
        await until_closed(pilot, EscalationDialog)
    (incident,) = desk.incidents()
    assert incident.status == "escalated" and incident.escalation.reference == "REF-42"


# 5. The status filter shows its whole label

@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_status_filter_shows_its_longest_label_whole(desk, lang):
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(160, 32)) as pilot:
        await open_incidents_tab(pilot)
        status = app.screen.query_one("#filter-status", Select)
        labels = [t(f"status.{s}", lang) for s in ("open", "escalated", "resolved")]
        labels.append(t("filter.any_status", lang))
        for label in labels:
            status.value = next((v for text, v in status._options if text == label),
                                Select.NULL)
            await settle(pilot)
            shown = status.query_one("#label", Static)
            assert label in str(shown.render()) and shown.size.width >= cell_len(label), (
                label, shown.size.width)
