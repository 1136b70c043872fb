"""The form to add a terminal or change one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Terminal
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput


class TerminalForm(FormDialog[Terminal | None]):
    """Add a terminal, or edit one: its name, model, serial number and where it is."""

    def __init__(self, desk: Desk, terminal: Terminal | None, title: str = "") -> None:
        super().__init__()
        self.desk = desk
        self.terminal = terminal
        self.title_shown = title  # the set-up names its own step

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog tall"):
            title = self.title_shown or (self.terminal.label() if self.terminal
                                         else t("key.add_terminal", self.app.lang))
            yield Static(Text(title), classes="dialog-title")
            for field in Terminal.FIELDS:
                value = getattr(self.terminal, field) if self.terminal else ""
                required = t("terminal.required", self.app.lang) if field == "name" else ""
                yield field_label(t(f"terminal.{field}", self.app.lang) + required)
                yield SafeInput(value, id=f"field-{field}", max_length=80, compact=True)
            yield Static(Text(""), id="terminal-message", classes="message")
            yield save_and_cancel(self.app.lang, "terminal")
        yield KeyBar()

    def action_save(self) -> None:
        fields = {f: self.query_one(f"#field-{f}", Input).value for f in Terminal.FIELDS}
        saved = run_change(
            self, lambda: self.desk.save_terminal(self.terminal.id if self.terminal else None, **fields),
            self.app.lang, typed=fields.values(),
            say=lambda message: self.query_one("#terminal-message", Static).update(Text(message)))
        if saved is None:
            if not fields["name"].strip():
                self.query_one("#field-name").focus()
            return
        self.dismiss(saved)
