"""A yes-or-no question before something is taken away (a note removed, say)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons


class Confirm(Dialog[bool]):
    """Dismisses with True when `y` (or its button) answers yes; esc keeps everything."""

    BINDINGS = [
        Binding("y", "confirm", "yes"),
        Binding("escape", "cancel", "cancel"),
    ]
    CANCELLED = False

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield Static(Text(""), classes="message")
            yield dialog_buttons(self.app.lang, ("confirm-yes", "key.confirm", "y"),
                                 ("confirm-cancel", "key.cancel", "esc"))
        yield KeyBar()

    def action_confirm(self) -> None:
        self.dismiss(True)
