"""The main screen's keys are its own: under any dialog or other screen, pressing them changes
nothing — no tab, no screen, no language. And the language key redraws every word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import Input

from pilot_helpers import past_today, screen_text, settle
from posdesk.ui.app import PosdeskApp
from posdesk.ui.widgets.bars import KeyBar, TabBar

SIZE = (80, 24)
# Every key the main screen answers (tabs and what a topic offers), as a person presses them.
MAIN_KEYS = ("1", "2", "3", "4", "5", "s", "c", "d", "k", "exclamation_mark", "i", "T",
             "comma", "l", "t", "E", "D", "a", "m", "u", "x", "X")


def topic_keys(kb, topic_id: str) -> list[str]:
    """From the main screen: the topic's tab, then down to it in the list."""
    topic = kb.topic(topic_id)
    tab = str(("fault", "maintenance", "security", "transaction").index(topic.category) + 1)
    index = [t.id for t in kb.topics(topic.category)].index(topic_id)
    return [tab, *(["down"] * index)]


# What opens each dialog and screen, from the main screen on the Faults tab, and the kind of
# screen that is then on top.
def openings(kb) -> dict[str, list[str]]:
    return {
        "HelpScreen": ["question_mark"],
        "CodeLookup": ["c"],
        "TodayScreen": ["i"],
        "SettingsScreen": ["comma"],
        "TerminalChoice": ["s"],
        "TroubleshootScreen": ["s", "enter"],
        "EscalationDialog": ["s", "enter", "e"],
        "MarkDone": [*topic_keys(kb, "maint.exterior_daily"), "d"],
        "TextPrompt": [*topic_keys(kb, "tx.fraud_awareness"), "exclamation_mark"],
        "FindingsQuestion": [*topic_keys(kb, "tx.void_refund"), "k", "tab"],
        "TerminalsScreen": ["T"],
        "TerminalForm": ["T", "a"],
        "IncidentScreen": ["5", "enter"],
        "ExportChoice": ["5", "x"],
        "CommandPalette": ["ctrl+p"],
        "SetUpStart": ["comma", "shift+tab", "enter"],
        "TamperSteps": [*topic_keys(kb, "sec.tamper_inspection"), "d", "tab"],
        "TopicForm": ["t"],
        "Confirm": ["end", "D"],  # the shop's own topic, last on the Faults tab
        "NoteForm": ["a"],
        "FlagForm": ["x"],
        "Pick": ["m"],
    }


@pytest.fixture
def shop(desk):
    """Two terminals (so starting a flow asks which) and an incident to list."""
    desk.save_terminal(name="Front counter", serial="SN-1")
    desk.save_terminal(name="Back office", serial="SN-2")
    desk.start_incident("tx.fraud_awareness", note="a caller asked for the card's PIN")
    desk.add_own_topic("fault", "Till frozen", "", [{"title": "Restart it"}], "Wang")
    desk.add_guidance_note("fault.network", "the router is in the back cupboard", "Wang")
    return desk


def state(app: PosdeskApp) -> tuple:
    return (list(app.screen_stack), app.query_one(TabBar).active, app.lang)


DIALOGS = ("HelpScreen", "CodeLookup", "TodayScreen", "SettingsScreen", "TerminalChoice",
           "TroubleshootScreen", "EscalationDialog", "MarkDone", "TextPrompt", "FindingsQuestion",
           "TerminalsScreen", "TerminalForm", "IncidentScreen", "ExportChoice", "CommandPalette",
           "SetUpStart", "TamperSteps", "TopicForm", "Confirm", "NoteForm", "FlagForm", "Pick")


def test_every_dialog_is_opened():
    """Each module of posdesk/ui/dialogs has its dialog in the list above."""
    dialogs = Path(__file__).resolve().parents[2] / "posdesk" / "ui" / "dialogs"
    classes = {match for path in dialogs.glob("*.py") if path.stem != "dialog"
               for match in re.findall(r"^class (\w+)\(Dialog\[", path.read_text(), re.M)}
    assert classes <= set(DIALOGS), classes - set(DIALOGS)


@pytest.mark.parametrize("dialog", DIALOGS)
async def test_main_screen_keys_do_nothing_over_a_dialog_or_screen(shop, kb, dialog):
    app = PosdeskApp(shop, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        for key in openings(kb)[dialog]:
            await pilot.press(key)
            await settle(pilot)
            if dialog in ("FindingsQuestion", "TamperSteps") and key == "tab":  # who did the check, then save
                app.screen.query_one("#done-who", Input).focus()
                await pilot.press(*"Zhou", "ctrl+s")
                await settle(pilot)
        assert type(app.screen).__name__ == dialog
        assert app.screen is not app.screen_stack[0]
        # Keys the dialog itself answers (the flow's s marks a step skipped) are its own.
        own = {key for key, active in app.screen.active_bindings.items()
               if active.node is not app}
        if not isinstance(app.screen, ModalScreen):
            own.add("l")  # the language switches on every full screen (issue 13)
        before = state(app)
        focus_taken = False
        for key in MAIN_KEYS:
            if key in own:
                continue
            if isinstance(app.screen.focused, Input):  # typed into a field: not a key press
                app.screen.set_focus(None)
                focus_taken = True
            # A key that acts pushes a screen, switches a tab or the language while press()
            # waits for it; anything it might have set off is waited for once, at the end.
            await pilot.press(key)
            assert state(app) == before, f"{key} acted under {dialog}"
        await settle(pilot, focus_placed=not focus_taken)
        assert state(app) == before, f"a key's work changed the screen under {dialog}"


async def test_the_guard_is_not_vacuous_the_same_keys_act_on_the_main_screen(shop, kb):
    app = PosdeskApp(shop, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        before = state(app)
        await pilot.press("3")
        await settle(pilot)
        assert app.query_one(TabBar).active == "security"
        await pilot.press("comma")
        await settle(pilot)
        assert state(app) != before and type(app.screen).__name__ == "SettingsScreen"


def words(text: str) -> set[str]:
    """The English words of a screen (two letters or more)."""
    return set(re.findall(r"[A-Za-z]{2,}", text))


async def test_the_language_key_redraws_every_text_and_key_and_the_cheat_sheet(desk, kb):
    app = PosdeskApp(desk, "en")
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)
        english = screen_text(app)
        english_keys = str(app.screen.query_one(KeyBar).render())
        await pilot.press("l")
        await settle(pilot)
        chinese = screen_text(app)
        bar = str(app.screen.query_one(KeyBar).render())
        # Nothing English is left on the main screen but what stays English in Chinese too.
        assert words(chinese) <= {"POS", "MAC", "SIM", "IP", "IC", "WiFi", "QR", "PIN", "English"}, words(chinese)
        assert "退出" in bar and "Quit" not in bar and bar != english_keys
        topic_list = app.default_screen.pane("fault").topic_list
        titles = [str(option.prompt) for option in topic_list.options]
        assert titles == [t.title.zh for t in kb.topics("fault")]
        await pilot.press("question_mark")
        await settle(pilot)
        sheet = screen_text(app)
        assert "按键一览" in sheet and "退出" in sheet and "Quit" not in sheet
        await pilot.press("escape", "l")
        await settle(pilot)
        assert screen_text(app) == english


def test_no_code_writes_textual_bindings_by_hand():
    """Key descriptions are worded as they are drawn, never by rewriting a node's bindings."""
    package = Path(__file__).resolve().parents[2] / "posdesk"
    writes = [f"{path}:{n}" for path in package.rglob("*.py")
              for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if re.search(r"\._bindings\b", line)]
    assert writes == []
