"""The note for the bank: written by posdesk from the record, finished by the person."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static, TextArea

from posdesk import privacy
from posdesk.desk import Desk, Saved
from posdesk.wording import escalation_note, short_time
from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons
from posdesk.ui.widgets.safe_fields import SafeInput, SafeTextArea


class EscalationDialog(FormDialog[Saved | None]):
    """Dismisses with the saved escalation, or None when the person goes back without saving."""

    DEFAULT_CSS = """
    EscalationDialog #note {
        height: 1fr;
        min-height: 5;
    }
    """

    BINDINGS = [  # ctrl+s, enter and esc as in every dialog (FormDialog)
        Binding("ctrl+t", "copy_note", "copy", priority=True),
        Binding("ctrl+o", "save_markdown", "file", priority=True),
    ]

    def __init__(self, desk: Desk, incident: Incident, lead: str = "",
                 recorded_id: Callable[[], str] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.incident = incident
        self.lead = lead
        # The incident's id, recording it first when the note is the first thing done with it.
        self.recorded_id = recorded_id or (lambda: incident.id)
        self.hotline = desk.hotline(incident.terminal_id)

    def compose(self) -> ComposeResult:
        hotline = self.hotline.text(self.app.lang)
        # An incident already with the bank shows the note as it was sent, not a new draft.
        sent = self.incident.escalation if self.incident.status == "escalated" else None
        with Vertical(id="escalation", classes="dialog wide tall"):
            yield Static(Text(t("escalate.title", self.app.lang, hotline=hotline)),
                         classes="dialog-title")
            if self.lead:
                yield Static(Text(self.lead), classes="lead")
            hint = (t("escalate.sent_hint", self.app.lang, at=short_time(sent.at)) if sent
                    else t("escalate.hint", self.app.lang))
            yield Static(Text(hint), classes="hint")
            note = sent.note if sent else escalation_note(self.incident, self.app.lang, hotline)
            yield SafeTextArea(note, id="note", soft_wrap=True, show_line_numbers=False)
            yield field_label(t("escalate.reference", self.app.lang))
            yield SafeInput(sent.reference or "" if sent else "", id="reference", max_length=60,
                            compact=True)
            yield Static(Text(""), id="escalation-message", classes="message")
            yield dialog_buttons(self.app.lang, ("save", "key.save", "^s"),
                                 ("copy", "key.copy_note", "^t"),
                                 ("markdown", "key.save_markdown", "^o"),
                                 ("cancel", "key.cancel", "esc"))
        yield KeyBar()

    def on_mount(self) -> None:
        note = self.query_one("#note", TextArea)
        note.focus()
        note.move_cursor(note.document.end)

    @property
    def note(self) -> str:
        return self.query_one("#note", TextArea).text

    def _say(self, message: str) -> None:
        self.query_one("#escalation-message", Static).update(Text(message))

    def action_save(self) -> None:
        if not privacy.clean(self.note).text.strip():  # before anything is recorded
            self._say(t("empty.escalation_note", self.app.lang))
            return
        reference = self.query_one("#reference", Input).value
        saved = run_change(self, lambda: self.desk.escalate(self.recorded_id(), self.note, reference),
                           self.app.lang, say=self._say)
        if saved:
            self.dismiss(saved)

    def action_copy_note(self) -> None:
        self.app.copy_to_clipboard(privacy.clean(self.note).text)
        self._say(t("escalate.copied", self.app.lang))

    def action_save_markdown(self) -> None:
        lang = self.app.lang
        path = run_change(self, lambda: self.desk.save_note_file(self.recorded_id(), self.note,
                                                                 lang), lang, say=self._say)
        if path is not None:
            self._say(t("escalate.file_saved", self.app.lang, path=path))
