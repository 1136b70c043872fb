"""Shown on start: incidents still open, and routines due or overdue, so none is forgotten."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.wording import due_line, short_time
from posdesk.i18n import t
from posdesk.models import Incident, RoutineState
from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import close_only


class TodayScreen(ChoiceDialog[tuple[str, str] | None]):
    """Dismisses with ("incident", id) to pick one up, ("routine", id) to open one, or None."""

    BINDINGS = [Binding("escape", "close", "close")]  # nothing to cancel: it only shows

    def __init__(self, incidents: list[Incident], due: list[RoutineState]) -> None:
        super().__init__()
        self.incidents = incidents
        self.due = due

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog wide"):
            yield Static(Text(t("today.title", lang)), classes="dialog-title")
            options: list[Option | None] = []
            if self.incidents:
                options.append(Option(Text(t("today.incidents", lang), style="bold"), disabled=True))
                options += [Option(Text(self._line(i)), id=f"incident:{i.id}") for i in self.incidents]
            if self.due:
                options.append(Option(Text(t("today.due", lang), style="bold"), disabled=True))
                options += [Option(Text(due_line(s, lang), style="bold red" if s.overdue else ""),
                                   id=f"routine:{s.routine_id}:{n}")
                            for n, s in enumerate(self.due)]
            if options:
                yield OptionList(*options, id="today-list")
                yield Static(Text(t("unfinished.hint", lang)), classes="hint")
            else:
                yield Static(Text(t("unfinished.none", lang)))
            yield close_only(lang, "today")
        yield KeyBar()

    def on_mount(self) -> None:
        if self.query("#today-list"):
            options = self.query_one("#today-list", OptionList)
            options.highlighted = 1  # the first item under the first heading

    def _line(self, incident: Incident) -> str:
        lang = self.app.lang
        title, status = incident.topic_title(lang), t(f"status.{incident.status}", lang)
        finding = incident.events[0].get("finding")
        if finding and not incident.attempts:  # opened by a check: what it found, not steps
            count = len(finding.get("items", ()))
            return t("unfinished.line_finding_one" if count == 1 else "unfinished.line_finding",
                     lang, id=incident.id, title=title, status=status, count=count,
                     at=short_time(incident.opened_at))
        return t("unfinished.line", lang, id=incident.id, title=title, status=status,
                 step=incident.resume_order(), total=incident.step_count,
                 at=short_time(incident.opened_at))

    @on(OptionList.OptionSelected)
    def _pick(self, event: OptionList.OptionSelected) -> None:
        kind, item_id = event.option.id.split(":")[:2]
        self.dismiss((kind, item_id))
