"""Which format to export the listed incidents in."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.i18n import t
from posdesk.ui.screens import SCREENS_CSS
from posdesk.ui.widgets.bars import KeyBar


class ExportChoice(ModalScreen[str | None]):
    """Dismisses with "csv", "json" or "md", or None."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape", "close", "close")]

    def __init__(self, count: int, lang: str) -> None:
        super().__init__()
        self.count = count
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(t("export.title", self.lang, count=self.count)), classes="dialog-title")
            yield OptionList(*(Option(Text(t(f"export.{fmt}", self.lang)), id=fmt)
                               for fmt in ("csv", "json", "md")), id="export-formats")
        yield KeyBar()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
