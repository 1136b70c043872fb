"""A one-line question: enter answers it, escape cancels. Empty answers are refused kindly."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from posdesk.i18n import t
from posdesk.ui.screens import SCREENS_CSS
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.safe_fields import SafeInput


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with it, or with None when cancelled."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("ctrl+s", "save", "save", priority=True),
                Binding("escape", "cancel", "cancel")]

    def __init__(self, question: str, lang: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.lang = lang
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield SafeInput(self.value, id="answer")
            yield Static(Text(""), id="prompt-message", classes="message")
        yield KeyBar()

    @on(Input.Submitted)
    def action_save(self) -> None:
        """Enter or ctrl+s, as in every other dialog."""
        answer = self.query_one("#answer", Input).value
        if not answer.strip():
            self.query_one("#prompt-message", Static).update(Text(t("prompt.empty", self.lang)))
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
