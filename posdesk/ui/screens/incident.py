"""One incident's page: its whole timeline, and what can still be done with it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from posdesk.desk import Desk, Saved
from posdesk.wording import fact_lines, timeline
from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.text_prompt import TextPrompt
from posdesk.ui.start_flow import troubleshoot
from posdesk.ui.widgets.bars import KeyBar


class IncidentScreen(Screen[None]):

    DEFAULT_CSS = """
    IncidentScreen #incident-title {
        padding: 0 1;
        background: $boost;
    }
    IncidentScreen #incident-page {
        height: 1fr;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("a", "follow_up", "follow-up"),
        Binding("b", "close_by_bank", "bank fixed it"),
        Binding("o", "reopen", "reopen"),
        Binding("s", "continue_flow", "troubleshoot"),
        Binding("x", "export_incident", "export"),
        Binding("escape", "back", "back"),
    ]
    AUTO_FOCUS = "#incident-page"

    def __init__(self, desk: Desk, incident: Incident) -> None:
        super().__init__()
        self.desk = desk
        self.incident = incident

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="incident-title")
        with VerticalScroll(id="incident-page", can_focus=True):
            yield Static(id="incident-facts")
            yield Static(id="incident-timeline")
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self.show, init=False)
        self.show()

    def show(self) -> None:
        incident, lang = self.incident, self.app.lang
        self.query_one("#incident-title", Static).update(Text(
            t("report.title", lang, id=incident.id, title=incident.topic_title(lang))
            + " · " + t(f"status.{incident.status}", lang), style="bold"))
        facts = fact_lines(incident, lang)
        if incident.escalation and incident.escalation.reference:
            facts.append(t("note.reference", lang, reference=incident.escalation.reference))
        self.query_one("#incident-facts", Static).update(Text("\n".join(facts) + "\n"))
        shown = Text(t("report.timeline", lang) + "\n", style="bold")
        for event, (at, line, words) in zip(incident.events, timeline(incident, lang)):
            shown.append(f"{at}  ", style="dim")
            shown.append(line + "\n", style="bold" if event.kind != "attempt" else "")
            for written in words:
                shown.append(f"  ↳ {written}\n", style="italic")
        self.query_one("#incident-timeline", Static).update(shown)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        incident = self.incident
        if action == "close_by_bank":
            return incident.status == "escalated"
        if action == "reopen":
            return incident.resolved
        if action == "continue_flow":
            return not incident.resolved
        return True

    def _ask(self, question: str, change: Callable[[str], Saved]) -> None:
        """One line, saved by the prompt itself: a refused change leaves it open, text kept."""
        def saved(result: Saved | None) -> None:
            if result is not None:
                self.incident = result.incident
                self.show()

        self.app.push_screen(TextPrompt(t(question, self.app.lang), change), saved)

    def action_follow_up(self) -> None:
        self._ask("prompt.follow_up", lambda text: self.desk.add_note(self.incident.id, text))

    def action_close_by_bank(self) -> None:
        self._ask("prompt.close_by_bank",
                  lambda text: self.desk.close_by_bank(self.incident.id, text))

    def action_reopen(self) -> None:
        self._ask("prompt.reopen", lambda text: self.desk.reopen(self.incident.id, text))

    def action_continue_flow(self) -> None:
        troubleshoot(self, self.desk, self.incident, self._reread)

    def _reread(self) -> None:
        incident = run_change(self, lambda: self.desk.incident(self.incident.id), self.app.lang)
        if incident is not None:
            self.incident = incident
            self.show()

    def action_export_incident(self) -> None:
        text = self.desk.export([self.incident], "md", self.app.lang)
        path = run_change(self, lambda: self.desk.write_report(text, f"{self.incident.id}.md"),
                          self.app.lang)
        if path is not None:
            self.notify(t("export.saved", self.app.lang, path=path))

    def action_back(self) -> None:
        self.dismiss(None)
