"""What every dialog shares: a frame in the middle of the screen over the one underneath, a
title, a muted hint, a line for what went wrong, and one way to confirm and to go back.

The rule every dialog keeps, shown in its key bar and by its buttons:
- `esc` goes back without changing anything, as the Cancel (or Close) button does;
- a dialog that changes something has a Save button, and `ctrl+s` saves from any field;
- `enter` in a one-line field goes to the next field, and on the last field saves; in a text of
  several lines it starts a new line, in a list it chooses, on a box it ticks, on a button it
  presses it;
- `tab` (and `↓`, where the field does not use the arrows itself) goes down the fields in
  reading order, each under its label, and the first field to fill has the focus when the
  dialog opens, which opens showing its title;
- what was typed or ticked is not lost to one `esc`: the first says so, the second goes back.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea

from posdesk.i18n import t

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

    BINDINGS = [
        Binding("escape", "cancel", "cancel"),
        # Priority, over the scrolling of the frame around the fields; off where the focused
        # widget uses the arrows itself (a list, a text of several lines) or there is no field.
        Binding("up", "focus_previous", "previous field", show=False, priority=True),
        Binding("down", "focus_next", "next field", show=False, priority=True),
    ]

    # What a dialog gives back when left without saving.
    CANCELLED: object = None

    def __init__(self) -> None:
        super().__init__()
        self._opened_with: dict[Widget, object] = {}
        self._warned_with: dict[Widget, object] | None = None
        self._opening = True

    _settling = False

    def opens_by_itself(self) -> Dialog[Result]:
        """Mark this dialog as one posdesk opens without being asked (after the last check,
        after a save): until SETTLE_SECONDS have passed, no field has the focus and no key but
        esc does anything, so a key pressed once too often is neither typed nor taken."""
        self.AUTO_FOCUS = ""  # this one dialog's, not its class's (None would mean the app's)
        self._settling = True
        self.set_timer(SETTLE_SECONDS, self._settled)
        return self

    def _settled(self) -> None:
        self._settling = False
        fields = [w for w in self.focus_chain if w.is_attached and w.focusable]
        if self.focused is None and fields:  # where the person reads, not scrolled to it
            self.set_focus(fields[0], scroll_visible=False)
        self.refresh_bindings()

    def on_mount(self) -> None:
        """Tab goes from field to field: the frame around them, which scrolls to the field
        with the focus, never takes the focus itself."""
        for frame in self.query(".dialog"):
            frame.can_focus = False
        # Once every part has set its fields (their on_mount runs before this one's end).
        self.call_after_refresh(self._note_opened_with)

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._opened)

    def _opened(self) -> None:
        self._opening = False

    def set_focus(self, widget: Widget | None, scroll_visible: bool = True,
                  from_app_focus: bool = False) -> None:
        """A dialog opens showing its top, its title first. The focus placed as it opens
        would scroll the frame to centre the field (before the frame is laid out, so even a
        field in sight), past the title; the field is below it, or a scroll away."""
        super().set_focus(widget, scroll_visible and not self._opening, from_app_focus)

    def _note_opened_with(self) -> None:
        self._opened_with = self._values()

    def _values(self) -> dict[Widget, object]:
        """What each field holds now: its text, its tick, its choice."""
        values: dict[Widget, object] = {}
        for field in self.query(FIELDS):
            if isinstance(field, (Input, Checkbox, Select)):
                values[field] = field.value
            elif isinstance(field, TextArea):
                values[field] = field.text
        return values

    def may_leave(self) -> bool:
        """Whether going back loses nothing the person did: else the first time it says so in
        the message line and stays; asked again with nothing more typed, it lets go."""
        now = self._values()
        typed = any(field in self._opened_with and value != self._opened_with[field]
                    for field, value in now.items())
        if not typed or now == self._warned_with:
            return True
        self._warned_with = now
        self.query_one(".message", Static).update(Text(t("dialog.not_saved", self.app.lang)))
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self._settling and action not in ("cancel", "close"):
            return False
        if action in ("focus_next", "focus_previous"):
            focused = self.focused
            return (focused is not None and not isinstance(focused, (OptionList, TextArea))
                    and bool(self.query(FIELDS)))
        return True

    def action_focus_next(self) -> None:
        self.focus_next()

    def action_focus_previous(self) -> None:
        self.focus_previous()

    def action_cancel(self) -> None:
        if self.may_leave():
            self.dismiss(self.CANCELLED)

    def action_close(self) -> None:
        """A dialog that only shows something (or looks something up) closes: it has
        nothing to save."""
        self.dismiss(None)


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
        return super().check_action(action, parameters)

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
        return super().check_action(action, parameters)

    def action_choose(self) -> None:
        self.query_one(OptionList).action_select()

    def focus_first_choice(self) -> None:
        """The list focused with its first choice under the cursor, when there is one."""
        for options in self.query(OptionList).results():
            if not options.option_count:
                continue
            options.highlighted = 0
            options.focus()
            return
