"""A hurried clerk, or someone worse, types card numbers and terminal escape sequences into every
field posdesk has, in every form a keyboard or a paste can give them; then every file under the
data directory — the database, backups, reports and exports — is searched, byte by byte, for a
full card number or a control character. None may be there."""

from __future__ import annotations

import asyncio
import re
import unicodedata
from pathlib import Path

from textual import events
from textual.widgets import Checkbox, Input, TextArea

from pilot_helpers import (open_incidents_tab, past_today, ready, settle, start_flow, until,
                           until_closed, until_main, until_marked, until_screen)
from posdesk.cli import main
from posdesk.models import Terminal
from posdesk.privacy import luhn_valid
from posdesk.ui.app import PosdeskApp
from posdesk.ui.dialogs.escalation import EscalationDialog
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.dialogs.mark_done import MarkDone
from posdesk.ui.dialogs.terminal_form import TerminalForm
from posdesk.ui.screens.terminals import TerminalsScreen
from posdesk.ui.dialogs.dialog import SETTLE_SECONDS
from posdesk.ui.dialogs.tamper_steps import TamperSteps
from posdesk.ui.dialogs.text_prompt import TextPrompt

SIZE = (120, 40)

# Each a real (Luhn-valid) card number, as it may reach a field.
CARDS = {
    "4111111111111111": "4111 1111 1111 1111",
    "6212345678901234569": "６２１２３４５６７８９０１２３４５６９",  # full-width, from a Chinese IME
    "5500005555555559": "5500.0055.5555.5559",
    "378282246310005": "3782/822463/10005",
    "4222222222222": "4222_2222_22222",
    "6250946000000016": "6250\u00a09460\u00a00000\u00a00016",  # no-break spaces
    "5105105105105100": "5105\u200b1051\u200b0510\u200b5100",  # zero-width spaces
    "4012888888881881": "94012888888881881",  # a digit typed straight in front
}
ESCAPES = "\x1b]52;c;aGk=\x07\x1b[2J\x9b31m\x9d0;pwned\x07\x1bP+q\x1b\\\x00\x7f\x85"
STRAY_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
ESCAPED_CONTROL = re.compile(r"\\u00(?:[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])")
SEPARATORS = re.compile(r"[\s\-./_\u00ad\u200b-\u200d\u2060\ufeff\uff0d\uff0e\uff0f\uff3f]")


def hostile(n: int) -> str:
    """Text for one field: words, escape sequences and one card number after another."""
    written = list(CARDS.values())
    return f"卡号 {written[n % len(written)]} {ESCAPES} [bold]x[/] 顾客在等"


def paste(pilot, text: str) -> None:
    pilot.app.post_message(events.Paste(text))


async def paste_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector)
    before = field.value
    field.focus()
    paste(pilot, text)  # the app takes it after the focus, which it was asked for first
    await until(pilot, lambda: field.value != before, what=f"the paste into {selector}")


async def answer(pilot, text: str) -> None:
    assert isinstance(pilot.app.screen, TextPrompt)
    await paste_into(pilot, "#answer", text)
    await pilot.press("enter")
    await until_closed(pilot, TextPrompt)  # saved before it closes


def skeleton(text: str) -> str:
    """The text with every digit as an ASCII digit and every separator a card may hide behind
    taken out, so that a card number written any way shows as its plain digits."""
    digits = "".join(str(unicodedata.digit(c)) if c.isdecimal() else c for c in text)
    return SEPARATORS.sub("", digits)


def assert_nothing_hostile_in(home: Path) -> int:
    files = [path for path in home.rglob("*") if path.is_file()]
    for path in files:
        raw = path.read_bytes()
        assert b"\x1b" not in raw, f"a raw escape byte in {path}"
        text = raw.decode("utf-8")
        found = STRAY_CONTROL.search(text)
        assert not found, f"a control character {found.group()!r} in {path}"
        assert not ESCAPED_CONTROL.search(text), f"an escaped control character in {path}"
        plain = skeleton(text)
        for card in CARDS:
            assert card not in plain, f"the card number {card} in {path}"
        for run in re.findall(r"[2-9][0-9]{12,18}", plain):
            assert not (luhn_valid(run) and run in CARDS), f"a card number {run} in {path}"
    return len(files)


async def test_hostile_text_in_every_field_leaves_no_card_number_or_escape_in_any_file(desk, kb):
    app = PosdeskApp(desk, "en")
    n = iter(range(100))
    async with app.run_test(size=SIZE) as pilot:
        await past_today(pilot)

        # A terminal, every field hostile; then the hotline in settings.
        await pilot.press("T")
        await until_screen(pilot, TerminalsScreen)
        assert isinstance(app.screen, TerminalsScreen)
        await pilot.press("a")
        await until_screen(pilot, TerminalForm)
        assert isinstance(app.screen, TerminalForm)
        for field in Terminal.FIELDS:
            await paste_into(pilot, f"#field-{field}", hostile(next(n)))
        await pilot.press("ctrl+s")
        # Its bank is not one posdesk knows: its number is asked for, once.
        await until_screen(pilot, TextPrompt)
        await paste_into(pilot, "#answer", hostile(next(n)))
        await pilot.press("enter")
        await until_screen(pilot, TerminalsScreen)
        assert isinstance(app.screen, TerminalsScreen), "the terminal was not saved"
        await pilot.press("escape", "comma")
        await until_screen(pilot, having="#hotline")
        app.screen.query_one("#hotline", Input).value = ""
        await paste_into(pilot, "#hotline", hostile(next(n)))
        await pilot.press("ctrl+s")
        await until_main(pilot)  # the settings close once saved

        # A fault: a note with a mark, the note for the bank with a reference, a later
        # reference, the bank's fix, saved as a file too.
        await pilot.press("1")
        flow = await start_flow(pilot)
        await paste_into(pilot, "#flow-note", hostile(next(n)))
        await pilot.press("escape", "d")  # escape leaves the note field; d marks with the note
        await until_marked(pilot, flow, 1)
        await pilot.press("e")
        await until_screen(pilot, EscalationDialog)
        assert isinstance(app.screen, EscalationDialog)
        note = app.screen.query_one(TextArea)
        note.focus()
        paste(pilot, hostile(next(n)))
        await paste_into(pilot, "#reference", hostile(next(n)))
        await pilot.press("ctrl+o", "ctrl+s")
        await until(pilot, lambda: app.screen is flow and ready(app), what="back in the flow")
        assert app.screen is flow and flow.incident.status == "escalated"
        await pilot.press("r")
        await until_screen(pilot, TextPrompt)
        await answer(pilot, hostile(next(n)))
        await pilot.press("b")
        await until_screen(pilot, TextPrompt)
        await answer(pilot, hostile(next(n)))
        await pilot.press("escape")
        await until_main(pilot)

        # The incident page: a follow-up, reopening, an export of it.
        table = await open_incidents_tab(pilot)
        table.focus()
        await pilot.press("enter")
        await until_screen(pilot, IncidentScreen)
        assert isinstance(app.screen, IncidentScreen)
        await pilot.press("a")
        await until_screen(pilot, TextPrompt)
        await answer(pilot, hostile(next(n)))
        await pilot.press("o")
        await until_screen(pilot, TextPrompt)
        await answer(pilot, hostile(next(n)))
        await pilot.press("x", "escape")
        await until_main(pilot)  # the page exported before escape closed it

        # A tamper inspection with a hostile serial, who and note; a suspicious event.
        await app.default_screen.open_guidance("sec.tamper_inspection")
        await settle(pilot)
        await pilot.press("d")
        await until_screen(pilot, MarkDone)
        assert isinstance(app.screen, MarkDone)
        for box in app.screen.query(Checkbox):
            box.value = True
        await paste_into(pilot, "#serial-seen", hostile(next(n)))
        await paste_into(pilot, "#done-who", hostile(next(n)))
        await paste_into(pilot, "#done-note", hostile(next(n)))
        await pilot.press("ctrl+s")
        # A finding: what to do now is shown (the bank's number is on record), then read.
        await until_screen(pilot, TamperSteps)
        await asyncio.sleep(SETTLE_SECONDS)  # enter closes them once they have been up a moment
        await pilot.press("enter")
        await until_main(pilot)
        await app.default_screen.open_guidance("tx.fake_bank_staff")
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await until_screen(pilot, TextPrompt)
        await answer(pilot, hostile(next(n)))

        # Every listed incident exported in each format.
        await open_incidents_tab(pilot)
        for fmt in ("csv", "json", "md"):
            await pilot.press("x")
            await until_screen(pilot, having="#export-formats")
            formats = app.screen.query_one("#export-formats")
            formats.highlighted = [option.id for option in formats.options].index(fmt)
            await pilot.press("enter")
            await until(pilot, lambda: any((desk.home / "reports").glob(f"incidents-*.{fmt}")),
                        what=f"the {fmt} listing written")

    written = [hostile(k) for k in range(next(n))]
    assert all(any(c in text for text in written) for c in CARDS.values())
    assert main(["--home", str(desk.home), "backup"]) == 0
    for fmt in ("md", "csv", "json"):
        assert main(["--home", str(desk.home), "incidents", "export", "--format", fmt,
                     "-o", str(desk.home / "reports" / f"all.{fmt}")]) == 0
    assert main(["--home", str(desk.home), "incidents", "show", desk.incidents()[0].id]) == 0
    files = assert_nothing_hostile_in(desk.home)
    assert files >= 10  # the database, a backup, the bank note, three exports and more
