"""What to do at once when an inspection finds the terminal may have been tampered with: the
steps of the incident it opened, with the line of that terminal's bank written in."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from posdesk.i18n import t
from posdesk.models import Topic
from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons
from posdesk.ui.wrapping import wrappable


class TamperSteps(Dialog[None]):
    """Read, then closed: the steps stay on the incident it names."""

    BINDINGS = [Binding("enter", "understood", "understood"), Binding("escape", "close", "close")]

    def __init__(self, topic: Topic, incident_id: str) -> None:
        super().__init__()
        self.topic = topic
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(classes="dialog wide tall"):
            yield Static(Text(t("tamper.title", lang)), classes="dialog-title")
            for number, step in enumerate(self.topic.steps, start=1):
                yield Static(Text(f"{number}. {wrappable(step.title(lang), lang)}", style="bold"),
                             classes="lead")
                yield Static(Text(wrappable(step.how(lang), lang)))
            yield Static(Text(t("tamper.opened", lang, id=self.incident_id)), classes="label hint")
            yield dialog_buttons(lang, ("tamper-ok", "key.understood", "enter"))
        yield KeyBar()

    def action_understood(self) -> None:
        self.dismiss(None)
