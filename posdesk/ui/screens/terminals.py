"""The terminals on record: the list; a terminal is added or changed in TerminalForm."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Terminal
from posdesk.ui.dialogs.bank_line import ask_bank_line
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.terminal_form import TerminalForm
from posdesk.ui.widgets.bars import KeyBar


class TerminalsScreen(Screen[None]):
    """The terminals on record, in a table: add one, or edit the one chosen."""

    DEFAULT_CSS = """
    TerminalsScreen .screen-title {
        padding: 0 1;
        background: $boost;
        text-style: bold;
    }
    TerminalsScreen #terminals-table {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("a", "add_terminal", "add"),
        Binding("e", "edit_terminal", "edit"),
        Binding("escape", "back", "back"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(classes="screen-title")
        yield DataTable(id="terminals-table", cursor_type="row")
        yield Static(id="terminals-message", classes="hint")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self.show, init=False)
        self.show()
        self.query_one(DataTable).focus()

    def show(self) -> None:
        self.query_one(".screen-title", Static).update(Text(t("terminals.title", self.app.lang)))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(t("terminal.id", self.app.lang), key="id")
        for field in Terminal.FIELDS:
            table.add_column(t(f"terminal.{field}", self.app.lang), key=field)
        terminals = run_change(self, self.desk.terminals, self.app.lang) or []
        for terminal in terminals:
            table.add_row(*(Text(v) for v in terminal.to_dict().values()), key=terminal.id)
        self.query_one("#terminals-message", Static).update(
            Text("" if terminals else t("terminals.none", self.app.lang)))

    def action_add_terminal(self) -> None:
        self.app.push_screen(TerminalForm(self.desk, None), self._saved)

    @on(DataTable.RowSelected)
    def action_edit_terminal(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            self.app.open_screen(lambda: TerminalForm(self.desk, self.desk.terminal(key)),
                                 self._saved)

    def _saved(self, terminal: Terminal | None) -> None:
        if terminal:
            self.notify(t("terminal.saved", self.app.lang, name=terminal.name))
            self.show()
            ask_bank_line(self.app, self.desk, terminal.id)

    def action_back(self) -> None:
        self.dismiss(None)
