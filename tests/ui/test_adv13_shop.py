"""Adversary, issue 13: the shop's name the first-run set-up asks for ("fill them in now and the
note for the bank has them") reaches the note for the bank and its saved file, as typed, even
when it looks like markup."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from pilot_helpers import past_today, settle, start_flow, until, until_main, until_screen, until_shown
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog

SIZE = (80, 24)
SHOP = "[bold]Lucky[/] Mart 好运来"


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_shop_named_at_the_set_up_is_in_the_note_for_the_bank(desk, lang):
    app = PosdeskApp(desk, lang, offer_set_up=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.query("#set-up-shop"), what="the set-up")
        await pilot.press(*SHOP, "ctrl+s")  # the shop, then the terminal form left out
        await until(pilot, lambda: app.screen.query("#field-name"), what="the terminal form")
        await pilot.press("escape")
        await until_main(pilot)
        await past_today(pilot)
        await start_flow(pilot)
        await pilot.press("e")
        dialog = await until_screen(pilot, EscalationDialog)
        await settle(pilot)
        note = dialog.query_one("#note", TextArea).text
        assert SHOP in note, note
        await pilot.press("ctrl+o")  # kept as a file, the shop named there too
        await until(pilot, lambda: list((desk.home / "reports").glob("*bank-note.txt")),
                    what="the note's file")
    (saved,) = (desk.home / "reports").glob("*bank-note.txt")
    assert SHOP in saved.read_text(encoding="utf-8")
