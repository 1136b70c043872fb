"""What the screen shows when the records cannot be opened: the reason and the way out."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from posdesk.i18n import t
from posdesk.ui.widgets.bars import KeyBar


class ProblemApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    #problem { width: 80%; max-width: 100; height: auto; border: round $error; padding: 1 2; }
    #problem-title { text-style: bold; color: $error; margin-bottom: 1; }
    #problem-hint { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("q", "quit", "quit"), Binding("escape", "quit", "quit", show=False)]

    lang: reactive[str] = reactive("en", init=False)  # read by the key bar

    def __init__(self, message: str, lang: str) -> None:
        super().__init__()
        self.message = message
        self.set_reactive(ProblemApp.lang, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="problem"):
            yield Static(Text(t("problem.title", self.lang)), id="problem-title")
            yield Static(Text(self.message), id="problem-message")
            yield Static(Text(t("problem.hint", self.lang)), id="problem-hint")
        yield KeyBar()
