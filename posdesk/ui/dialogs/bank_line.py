"""Asking once for the number of a bank posdesk's service-line table does not know."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.text_prompt import TextPrompt


def ask_bank_line(app: App, desk: Desk, terminal_id: str | None,
                  then: Callable[[], None] = lambda: None) -> None:
    """When nobody has given the number of the terminal's bank yet, ask for it (the answer is
    kept, so this is asked once per bank); then go on, whether it was given or not."""
    line = run_change(app, lambda: desk.hotline(terminal_id), app.lang,
                      failed="screen.read_failed")
    if line is None:  # the records cannot be read: said in one line, and we stay where we are
        return
    bank = line.unknown_bank
    if bank is None:
        then()
        return
    question = t("prompt.bank_line", app.lang, bank=line.bank_name(app.lang))
    # Always after something else (a save, the last check): a key pressed once too often is
    # not the number's first digit.
    prompt = TextPrompt(question, lambda number: desk.set_bank_line(bank, number))
    app.push_screen(prompt.opens_by_itself(), lambda _: then())
