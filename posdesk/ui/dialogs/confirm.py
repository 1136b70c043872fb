"""Asked before something is taken away (a note, the shop's own topic): one question, then
enter or `y` to go ahead, esc to go back with everything kept."""

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
    """Dismisses with True when the person confirms (enter, `y`, or the button naming what is
    done: its action is named after the button's label), False when they go back (esc)."""

    CANCELLED = False
    BINDINGS = [
        Binding("enter", "confirm_remove", "remove", key_display="enter", priority=True),
        Binding("y", "confirm_remove", "yes", show=False),
        Binding("escape", "cancel", "cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="dialog-title")
            yield dialog_buttons(self.app.lang, ("confirm-yes", "key.confirm_remove", "enter"),
                                 ("confirm-cancel", "key.cancel", "esc"))
        yield KeyBar()

    def action_confirm_remove(self) -> None:
        self.dismiss(True)
