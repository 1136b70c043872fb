"""Recording that a routine or a checklist was done: who, for which terminal, what was found."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Checkbox, Input, Select, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import SERIAL_ITEM, RoutineEntry, Topic
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.dialogs.findings_question import FindingsQuestion
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput
from posdesk.ui.widgets.tick_box import TickBox


class ItemBox(TickBox):
    """A checklist item whose text wraps onto more lines rather than being cut: a clerk must
    read the whole of what they confirm (Textual's Checkbox is one line high)."""

    DEFAULT_CSS = "ItemBox { width: 100%; height: auto; text-wrap: wrap; text-overflow: fold; }"

    def get_content_height(self, container, viewport, width: int) -> int:
        return self.render().get_height(self.styles, width)


class MarkDone(FormDialog[RoutineEntry | None]):
    """Dismisses with the log entry (naming the incident its findings opened), or None."""

    def __init__(self, desk: Desk, topic: Topic) -> None:
        super().__init__()
        self.desk = desk
        self.topic = topic
        self.checklist = desk.kb.checklist(topic.id)
        self.terminals = desk.terminals() if topic.per_terminal or self.checklist else []

    def compose(self) -> ComposeResult:
        lang, training = self.app.lang, self.topic.keeps == "training_log"
        title = self.checklist.title(lang) if self.checklist else self.topic.title(lang)
        with VerticalScroll(classes="dialog wide tall"):
            yield Static(Text(t("done.title", lang, title=title)), classes="dialog-title")
            if self.terminals:  # one terminal is named, not asked for
                yield Static(Text(t("done.terminal", lang)))
                yield Select([(Text(x.label()), x.id) for x in self.terminals], value=self.terminals[0].id,
                             allow_blank=False, id="done-terminal", compact=True,
                             disabled=len(self.terminals) == 1)
            if self.checklist:
                yield Static(Text(t("check.hint", lang)), classes="hint")
                for item in self.checklist.items:
                    yield ItemBox(Text(item.text(lang)), id=f"item-{item.id}", compact=True)
                if any(item.id == SERIAL_ITEM for item in self.checklist.items):
                    yield Static(id="serial-record", classes="label")
                    yield Static(Text(t("check.serial_seen", lang)))  # right under the record
                    yield SafeInput(id="serial-seen", compact=True)
            yield field_label(t("done.who_training" if training else "done.who", lang))
            yield SafeInput(id="done-who", max_length=60, compact=True)
            yield field_label(t("done.note_training" if training else "done.note", lang))
            yield SafeInput(id="done-note", compact=True)
            yield Static(Text(""), id="done-message", classes="message")
            yield save_and_cancel(lang, "done")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_serial()

    @on(Select.Changed, "#done-terminal")
    def _show_serial(self) -> None:
        if not self.query("#serial-record"):
            return
        serial = self._terminal_serial()
        self.query_one("#serial-record", Static).update(
            Text(t("check.serial_record", self.app.lang, serial=serial or "—")))

    def _terminal_id(self) -> str | None:
        if not self.terminals:
            return None
        return self.query_one("#done-terminal", Select).value

    def _terminal_serial(self) -> str:
        chosen = self._terminal_id()
        return next((x.serial for x in self.terminals if x.id == chosen), "")

    def action_save(self) -> None:
        """Unticked items are findings: a security check's always open an incident (the desk
        decides); another checklist asks first whether one should follow them up."""
        unticked = [item for item in (self.checklist.items if self.checklist else ())
                    if not self.query_one(f"#item-{item.id}", Checkbox).value]
        if not self.query_one("#done-who", Input).value.strip():  # before asking about findings
            self._say(t("empty.who", self.app.lang))
            self.query_one("#done-who").focus()
            return
        if unticked and self.topic.category != "security":
            def answered(open_incident: bool | None) -> None:
                if open_incident is not None:
                    self._save(open_incident)

            lines = [t("finding.not_confirmed", self.app.lang, item=item.text(self.app.lang))
                     for item in unticked]
            self.app.push_screen(FindingsQuestion(lines), answered)
            return
        self._save(open_incident=False)

    def _save(self, open_incident: bool) -> None:
        checked = {item.id: self.query_one(f"#item-{item.id}", Checkbox).value
                   for item in (self.checklist.items if self.checklist else ())}
        seen = self.query_one("#serial-seen", Input).value if self.query("#serial-seen") else ""
        who = self.query_one("#done-who", Input).value
        note = self.query_one("#done-note", Input).value
        entry = run_change(self, lambda: self.desk.mark_done(
            self.topic.id, who, note, self._terminal_id(), checked, serial_seen=seen,
            open_incident=open_incident), self.app.lang, say=self._say, typed=(who, note, seen))
        if entry is not None:
            self._tell(entry)
            self.dismiss(entry)

    def _tell(self, entry: RoutineEntry) -> None:
        """What was recorded: an incident opened, findings kept, or when the routine is next due."""
        lang = self.app.lang
        if entry.incident_id and self.topic.category == "security":
            self._show_next_steps(entry)
        elif entry.incident_id:
            self.notify(t("done.finding_opened", lang, id=entry.incident_id),
                        severity="warning")
        elif entry.findings:
            count = len(entry.findings)
            self.notify(t("done.findings_recorded_one" if count == 1 else "done.findings_recorded",
                          lang, count=count), severity="warning")
        elif self.topic.cadence_days:
            states = run_change(self, lambda: self.desk.routine_states(self.topic.id), lang,
                                failed="screen.read_failed") or []
            due = next((s for s in states if (s.terminal.id if s.terminal else None)
                        in (entry.terminal_id, None)), None)
            if due is not None:
                self.notify(t("done.saved", lang, next=due.next_due))
        else:
            self.notify(t("done.checklist_saved", lang))

    def _show_next_steps(self, entry: RoutineEntry) -> None:
        """A security finding is not a toast: what to do now (stop using the terminal, leave it
        as it is, call its bank) stays on screen until read, the bank's number asked for first
        when nobody gave it yet."""
        from posdesk.ui.dialogs.bank_line import ask_bank_line
        from posdesk.ui.dialogs.tamper_steps import TamperSteps

        app, desk = self.app, self.desk
        incident = run_change(app, lambda: desk.incident(entry.incident_id), app.lang,
                              failed="screen.read_failed")
        if incident is None:
            return
        def show() -> None:
            # Straight after the enter that saved the inspection: an enter pressed twice must
            # not close the steps before they could be read.
            app.open_screen(lambda: TamperSteps(
                desk.topic(incident.topic_id, incident.terminal_id), incident.id).opens_by_itself())

        # Once this dialog has closed (it closes as soon as it has told what was saved).
        app.call_later(ask_bank_line, app, desk, incident.terminal_id, show)

    def _say(self, message: str) -> None:
        self.query_one("#done-message", Static).update(Text(message))
