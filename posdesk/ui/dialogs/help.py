"""The cheat sheet: every key of the screen underneath, in the current language."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from posdesk.i18n import t
from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import close_only


class HelpScreen(Dialog[None]):
    """Lists the keys of the screen it was opened over; any of escape, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen #help-box {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        padding: 1 2;
        border: round $accent;
        background: $surface;
    }
    HelpScreen #help-title {
        text-style: bold;
        margin-bottom: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "close"),
        Binding("question_mark", "close", "close", show=False),
        Binding("q", "close", "close", show=False),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        width = max((len(key) for key, _ in self.rows), default=0)
        sheet = Text()
        for key, description in self.rows:
            sheet.append(f"{key:>{width}}  ", style="bold")
            sheet.append(f"{description}\n")
        sheet.append(f"\n{t('help.everywhere', self.app.lang)}", style="dim")
        with VerticalScroll(id="help-box"):
            yield Static(Text(t("help.title", self.app.lang)), id="help-title")
            yield Static(sheet)
            yield close_only(self.app.lang, "help")
        yield KeyBar()
