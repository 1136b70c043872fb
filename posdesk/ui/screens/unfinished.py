"""The incidents still open or waiting on the bank, shown at start so none is forgotten."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from posdesk.export import short_time
from posdesk.i18n import t
from posdesk.models import Incident


class UnfinishedIncidents(ModalScreen[str | None]):
    """Dismisses with the id of the incident to pick up, or None."""

    BINDINGS = [Binding("escape", "close", "close")]

    def __init__(self, incidents: list[Incident], lang: str) -> None:
        super().__init__()
        self.incidents = incidents
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(t("unfinished.title", self.lang)), classes="dialog-title")
            if self.incidents:
                yield OptionList(*(Option(Text(self._line(i)), id=i.id) for i in self.incidents),
                                 id="unfinished-list")
                yield Static(Text(t("unfinished.hint", self.lang)), classes="hint")
            else:
                yield Static(Text(t("unfinished.none", self.lang)))
        yield Footer(compact=True)

    def _line(self, incident: Incident) -> str:
        return t("unfinished.line", self.lang, id=incident.id, title=incident.topic_title(self.lang),
                 status=t(f"status.{incident.status}", self.lang), step=incident.resume_order(),
                 total=incident.step_count, at=short_time(incident.opened_at))

    @on(OptionList.OptionSelected)
    def _pick(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
