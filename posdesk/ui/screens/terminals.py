"""The terminals on record: the list, and the form to add or change one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Terminal
from posdesk.ui.changes import run_change
from posdesk.ui.screens import SCREENS_CSS
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput


class TerminalsScreen(Screen[None]):
    """The terminals on record, in a table: add one, or edit the one chosen."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("a", "add_terminal", "add"),
        Binding("e", "edit_terminal", "edit"),
        Binding("escape", "back", "back"),
    ]

    def __init__(self, desk: Desk, lang: str) -> None:
        super().__init__()
        self.desk = desk
        self.lang = lang

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(t("terminals.title", self.lang)), classes="screen-title")
        yield DataTable(id="terminals-table", cursor_type="row")
        yield Static(id="terminals-message", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show()
        self.query_one(DataTable).focus()

    def show(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("ID", key="id")
        for field in Terminal.FIELDS:
            table.add_column(t(f"terminal.{field}", self.lang), key=field)
        terminals = run_change(self, self.desk.terminals, self.lang) or []
        for terminal in terminals:
            table.add_row(*(Text(v) for v in terminal.to_dict().values()), key=terminal.id)
        self.query_one("#terminals-message", Static).update(
            Text("" if terminals else t("terminals.none", self.lang)))

    def action_add_terminal(self) -> None:
        self.app.push_screen(TerminalForm(self.desk, None, self.lang), self._saved)

    @on(DataTable.RowSelected)
    def action_edit_terminal(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.open_screen(lambda: TerminalForm(self.desk, self.desk.terminal(key), self.lang),
                                 self._saved)

    def _saved(self, terminal: Terminal | None) -> None:
        if terminal:
            self.notify(t("terminal.saved", self.lang, name=terminal.name))
            self.show()

    def action_back(self) -> None:
        self.dismiss(None)


class TerminalForm(ModalScreen[Terminal | None]):
    """Add a terminal, or edit one: its name, model, serial number and where it is."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("ctrl+s", "save", "save", priority=True), Binding("escape", "cancel", "cancel")]

    def __init__(self, desk: Desk, terminal: Terminal | None, lang: str) -> None:
        super().__init__()
        self.desk = desk
        self.terminal = terminal
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog tall"):
            title = self.terminal.label() if self.terminal else t("key.add_terminal", self.lang)
            yield Static(Text(title), classes="dialog-title")
            for field in Terminal.FIELDS:
                value = getattr(self.terminal, field) if self.terminal else ""
                required = t("terminal.required", self.lang) if field == "name" else ""
                yield Static(Text(t(f"terminal.{field}", self.lang) + required), classes="label")
                yield SafeInput(value, id=f"field-{field}", max_length=80, compact=True)
            yield Static(Text(""), id="terminal-message", classes="message")
            yield save_and_cancel(self.lang, "terminal")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    @on(Input.Submitted)
    def _next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#terminal-save")
    def action_save(self) -> None:
        fields = {f: self.query_one(f"#field-{f}", Input).value for f in Terminal.FIELDS}
        saved = run_change(
            self, lambda: self.desk.save_terminal(self.terminal.id if self.terminal else None, **fields),
            self.lang, say=lambda message: self.query_one("#terminal-message", Static).update(Text(message)),
            typed=fields.values())
        if saved is None:
            if not fields["name"].strip():
                self.query_one("#field-name").focus()
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#terminal-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class TerminalChoice(ModalScreen[str | None]):
    """Which terminal an incident is about; dismisses with its id, or "" when unsure."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, terminals: list[Terminal], lang: str) -> None:
        super().__init__()
        self.terminals = terminals
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(t("terminal.choose", self.lang)), classes="dialog-title")
            options = [Option(Text(x.label() + (f" · {x.location}" if x.location else "")), id=x.id)
                       for x in self.terminals]
            options.append(Option(Text(t("terminal.unsure", self.lang)), id="-"))
            yield OptionList(*options, id="terminal-options")
        yield KeyBar()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == "-" else event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
