"""Which terminal an incident is about, asked when the shop has more than one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.i18n import t
from posdesk.models import Terminal
from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import cancel_only


class TerminalChoice(ChoiceDialog[str | None]):
    """Which terminal an incident is about; dismisses with its id, or "" when unsure."""

    def __init__(self, terminals: list[Terminal]) -> None:
        super().__init__()
        self.terminals = terminals

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(t("terminal.choose", self.app.lang)), classes="dialog-title")
            options = [Option(Text(x.label() + (f" · {x.location}" if x.location else "")), id=x.id)
                       for x in self.terminals]
            options.append(Option(Text(t("terminal.unsure", self.app.lang)), id="-"))
            yield OptionList(*options, id="terminal-options")
            yield cancel_only(self.app.lang, "choice")
        yield KeyBar()

    def on_mount(self) -> None:
        self.focus_first_choice()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss("" if event.option.id == "-" else event.option.id)
