"""Asked before something is taken away: one question, the thing to do, or go back."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from posdesk.i18n import t
from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons


class ConfirmRemove(Dialog[bool]):
    """Dismisses with True when the person confirms (enter, or the Remove button), False
    when they go back (esc)."""

    CANCELLED = False
    BINDINGS = [
        Binding("enter", "confirm_remove", "remove", key_display="enter", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield dialog_buttons(lang, ("confirm-remove", "key.confirm_remove", "enter"),
                                 ("confirm-cancel", "key.cancel", "esc"))
        yield KeyBar()

    def action_confirm_remove(self) -> None:
        self.dismiss(True)
