"""The shop's settings: the bank's hotline (the language is switched with `l` anywhere)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static

from posdesk.desk import Desk, EmptyText
from posdesk.i18n import t
from posdesk.store import StoreError


class SettingsScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "close", "close")]

    def __init__(self, desk: Desk, lang: str) -> None:
        super().__init__()
        self.desk = desk
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(t("settings.title", self.lang)), classes="dialog-title")
            yield Static(Text(t("settings.hotline", self.lang)))
            yield Input(self.desk.settings().hotline, id="hotline", max_length=40)
            yield Static(Text(""), id="settings-message", classes="message")
        yield Footer(compact=True)

    @on(Input.Submitted, "#hotline")
    def _save(self, event: Input.Submitted) -> None:
        message = self.query_one("#settings-message", Static)
        try:
            self.desk.set_hotline(event.value)
        except EmptyText:
            message.update(Text(t("settings.empty_hotline", self.lang)))
            return
        except StoreError as error:
            message.update(Text(t("flow.save_failed", self.lang, error=error)))
            return
        self.app.notify(t("settings.saved", self.lang))
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
