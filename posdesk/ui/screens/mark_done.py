"""Recording that a routine or a checklist was done: who, for which terminal, what was found."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, Static

from posdesk.desk import Desk, EmptyText, NotAllowed
from posdesk.i18n import t, told
from posdesk.models import Incident, RoutineEntry, Topic
from posdesk.store import StoreError
from posdesk.ui.screens import SCREENS_CSS
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput

SERIAL_ITEM = "serial"


class MarkDone(ModalScreen[tuple[RoutineEntry, Incident | None] | None]):
    """Dismisses with the log entry (and the incident its findings opened), or None."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("ctrl+s", "save", "save", priority=True), Binding("escape", "cancel", "cancel")]

    def __init__(self, desk: Desk, topic: Topic, lang: str) -> None:
        super().__init__()
        self.desk = desk
        self.topic = topic
        self.lang = lang
        self.checklist = desk.kb.checklist(topic.id)
        self.terminals = desk.terminals() if topic.per_terminal or self.checklist else []

    def compose(self) -> ComposeResult:
        lang, training = self.lang, self.topic.id == "sec.training"
        title = self.checklist.title(lang) if self.checklist else self.topic.title(lang)
        with VerticalScroll(classes="dialog wide tall"):
            yield Static(Text(t("done.title", lang, title=title)), classes="dialog-title")
            if self.terminals:
                yield Static(Text(t("done.terminal", lang)))
                yield Select([(x.label(), x.id) for x in self.terminals], value=self.terminals[0].id,
                             allow_blank=False, id="done-terminal", compact=True)
            if self.checklist:
                yield Static(Text(t("check.hint", lang)), classes="hint")
                for item in self.checklist.items:
                    yield Checkbox(Text(item.text(lang)), id=f"item-{item.id}", compact=True)
                if any(item.id == SERIAL_ITEM for item in self.checklist.items):
                    yield Static(id="serial-record")
                    yield SafeInput(placeholder=t("check.serial_seen", lang), id="serial-seen")
            yield SafeInput(placeholder=t("done.who_training" if training else "done.who", lang),
                        id="done-who", max_length=60)
            yield SafeInput(placeholder=t("done.note_training" if training else "done.note", lang),
                        id="done-note")
            yield Static(Text(""), id="done-message", classes="message")
            yield save_and_cancel(lang, "done")
        yield KeyBar()

    def on_mount(self) -> None:
        self._show_serial()
        first = self.query(Checkbox).first() if self.checklist else self.query_one("#done-who")
        first.focus()

    @on(Select.Changed, "#done-terminal")
    def _show_serial(self) -> None:
        if not self.query("#serial-record"):
            return
        serial = self._terminal_serial()
        self.query_one("#serial-record", Static).update(
            Text(t("check.serial_record", self.lang, serial=serial or "—")))

    def _terminal_id(self) -> str | None:
        if not self.terminals:
            return None
        return self.query_one("#done-terminal", Select).value

    def _terminal_serial(self) -> str:
        chosen = self._terminal_id()
        return next((x.serial for x in self.terminals if x.id == chosen), "")

    @on(Button.Pressed, "#done-save")
    def action_save(self) -> None:
        who = self.query_one("#done-who", Input).value
        note = self.query_one("#done-note", Input).value
        checked = {item.id: self.query_one(f"#item-{item.id}", Checkbox).value
                   for item in (self.checklist.items if self.checklist else ())}
        seen = self.query_one("#serial-seen", Input).value.strip() if self.query("#serial-seen") else ""
        record = self._terminal_serial()
        if seen and record:
            # The serial typed from the device decides this item: a mismatch is itself a finding.
            checked[SERIAL_ITEM] = seen.casefold() == record.casefold()
            if not checked[SERIAL_ITEM]:
                mismatch = t("check.serial_mismatch", self.lang, record=record, seen=seen)
                note = f"{mismatch}. {note}".strip()
        try:
            entry = self.desk.mark_done(self.topic.id, who, note, self._terminal_id(), checked)
            incident = None
            if entry.findings and self.topic.category == "security":
                incident = self.desk.open_finding(entry, self.lang)
        except EmptyText:
            self.query_one("#done-message", Static).update(Text(t("done.need_who", self.lang)))
            self.query_one("#done-who").focus()
            return
        except (NotAllowed, StoreError) as error:
            self.query_one("#done-message", Static).update(
                Text(t("flow.save_failed", self.lang, error=told(error, self.lang))))
            return
        self.dismiss((entry, incident))

    @on(Button.Pressed, "#done-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
