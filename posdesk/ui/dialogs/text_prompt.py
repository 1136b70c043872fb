"""A one-line question, answered as in every dialog (enter or ctrl+s saves, esc cancels).
Empty answers are refused kindly."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from posdesk.i18n import t
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput

Result = TypeVar("Result")


class TextPrompt(FormDialog[Result | None]):
    """Asks for one line of text and saves it with `change`, dismissing with what the change
    returned, or with None when cancelled. When the change fails, the prompt stays open with
    what was typed and says why, so the words are never lost."""

    def __init__(self, question: str, change: Callable[[str], Result],
                 value: str = "") -> None:
        super().__init__()
        self.question = question
        self.change = change
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield SafeInput(self.value, id="answer")
            yield Static(Text(""), id="prompt-message", classes="message")
            yield save_and_cancel(self.app.lang, "prompt")
        yield KeyBar()

    def _say(self, message: str) -> None:
        self.query_one("#prompt-message", Static).update(Text(message))

    def action_save(self) -> None:
        answer = self.query_one("#answer", Input).value
        if not answer.strip():
            self._say(t("prompt.empty", self.app.lang))
            return
        result = run_change(self, lambda: self.change(answer), self.app.lang, say=self._say,
                            typed=(answer,))
        if result is not None:
            self.dismiss(result)
