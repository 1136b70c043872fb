"""Adversary, issue 13: the tamper finding's next steps open by themselves, straight after the
enter that saved the inspection. An enter pressed twice must not close them unread."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Checkbox, Input

from pilot_helpers import open_topic, screen_text, settle, until_main, until_screen
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.dialog import SETTLE_SECONDS
from posdesk.ui.dialogs.tamper_steps import TamperSteps


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_enter_pressed_twice_leaves_the_tamper_steps_on_screen(desk, lang):
    desk.save_terminal(name="Front", serial="SN-100", bank="中国建设银行")
    app = PosdeskApp(desk, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_topic(pilot, "sec.tamper_inspection")
        await pilot.press("d")
        dialog = await until_screen(pilot, MarkDone)
        for box in dialog.query(Checkbox):
            box.value = True
        dialog.query_one("#serial-seen", Input).value = "SN-999"  # not the one on record
        dialog.query_one("#done-who", Input).value = "Li"
        dialog.query_one("#done-note", Input).focus()
        await pilot.press("enter", "enter")  # save from the last field, and once more
        await settle(pilot)
        assert isinstance(app.screen, TamperSteps), type(app.screen).__name__
        assert "95533" in screen_text(app)
        await asyncio.sleep(SETTLE_SECONDS)
        await pilot.press("enter")  # read: now enter closes them
        await until_main(pilot)
