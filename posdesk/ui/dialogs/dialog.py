"""What every dialog shares: a frame in the middle of the screen over the one underneath, a
title, a muted hint, a line for what went wrong, and one way to confirm and to go back.

The rule every dialog keeps, shown in its key bar and by its buttons:
- `esc` goes back without changing anything, as the Cancel (or Close) button does;
- a dialog that changes something has a Save button, and `ctrl+s` saves from any field;
- `enter` in a one-line field goes to the next field, and on the last field saves; in a text of
  several lines it starts a new line, in a list it chooses, on a box it ticks, on a button it
  presses it;
- `tab` goes down the fields in reading order, each under its label, and the first field to
  fill has the focus when the dialog opens.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

Result = TypeVar("Result")

# What a person fills in or chooses; the focus goes to the first of them when a dialog opens.
FIELDS = "Input, TextArea, Select, Checkbox, OptionList"
# A dialog that opens by itself, after a key meant for the screen before it, takes no typing
# this soon: the second press of a hurried double press lands nowhere.
SETTLE_SECONDS = 0.6


def field_label(text: str) -> Static:
    """The words above a field, which stay there while it is typed in (a placeholder goes)."""
    return Static(Text(text), classes="label")


class Dialog(ModalScreen[Result]):
    """A ModalScreen framed the posdesk way: its parts go in a container of class "dialog"
    ("wide" and "tall" make it larger); the screen underneath and its keys stay quiet.
    The buttons made by dialog_buttons() run the actions here that their keys run."""

    AUTO_FOCUS = f"{FIELDS}, Button"

    DEFAULT_CSS = """
    Dialog {
        align: center middle;
    }
    Dialog .dialog {
        width: 64;
        max-width: 96%;
        height: auto;
        max-height: 96%;
        padding: 0 1;
        border: round $accent;
        background: $surface;
    }
    Dialog .dialog.wide {
        width: 100;
    }
    Dialog .dialog.tall {
        height: 96%;
    }
    Dialog .dialog-title {
        text-style: bold;
        color: $accent;
        margin-bottom: 1;
    }
    Dialog .dialog .hint {
        color: $text-muted;
    }
    Dialog .dialog .lead {
        color: $warning;
    }
    Dialog .message {
        color: $warning;
        text-style: bold;
    }
    Dialog .label {
        margin-top: 1;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def opens_by_itself(self) -> Dialog[Result]:
        """Mark this dialog as one posdesk opens without being asked (after the last check,
        after a save): its first field takes the focus only once SETTLE_SECONDS have passed."""
        self.AUTO_FOCUS = ""  # this one dialog's, not its class's (None would mean the app's)
        self.set_timer(SETTLE_SECONDS, self._focus_first_field)
        return self

    def _focus_first_field(self) -> None:
        fields = [w for w in self.focus_chain if w.is_attached and w.focusable]
        if self.focused is None and fields:
            fields[0].focus()

    def on_mount(self) -> None:
        """Tab goes from field to field: the frame around them, which scrolls to the field
        with the focus, never takes the focus itself."""
        for frame in self.query(".dialog"):
            frame.can_focus = False

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        """A dialog that only shows something closes; nothing was changed to cancel."""
        self.action_cancel()


class FormDialog(Dialog[Result]):
    """A dialog with fields to fill and a Save button: `ctrl+s` saves from anywhere, `enter`
    goes down the one-line fields and saves from the last. Subclasses write action_save."""

    BINDINGS = [
        Binding("ctrl+s", "save", "save", priority=True),
        # Priority, so that the key bar shows them over the field's own enter; each is off
        # (and enter left to the widget) unless a one-line field has the focus.
        Binding("enter", "next_field", "next field", key_display="enter", priority=True),
        Binding("enter", "save_from_field", "save", key_display="enter", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def action_save(self) -> None:
        raise NotImplementedError

    def _fields(self) -> list[Widget]:
        fields = set(self.query(FIELDS))
        return [w for w in self.focus_chain if w in fields]

    def _on_last_field(self) -> bool | None:
        """Whether the focused one-line field is the last field; None when the focus is not
        in a one-line field (enter belongs to the widget then)."""
        if not isinstance(self.focused, Input):
            return None
        fields = self._fields()
        return bool(fields) and fields[-1] is self.focused

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_field":
            return self._on_last_field() is False
        if action == "save_from_field":
            return self._on_last_field() is True
        return True

    def action_next_field(self) -> None:
        self.focus_next(FIELDS)

    async def action_save_from_field(self) -> None:
        await self.run_action("save")


class ChoiceDialog(Dialog[Result]):
    """A dialog that asks to choose one of a list: `enter` chooses, `esc` or Cancel goes back."""

    BINDINGS = [
        Binding("enter", "choose", "choose", key_display="enter", priority=True),
        Binding("escape", "cancel", "cancel"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            return isinstance(self.focused, OptionList)
        return True

    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()
