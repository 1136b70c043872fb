"""The note for the bank: written by posdesk from the record, finished by the person."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static, TextArea

from posdesk import privacy
from posdesk.desk import Desk, Saved
from posdesk.wording import escalation_note, short_time
from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.ui.changes import PROBLEMS, run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons
from posdesk.ui.widgets.safe_fields import SafeInput, SafeTextArea


# Typed words are kept as a draft once typing pauses this long (seconds): a quit or a crash in
# the middle of the call to the bank loses no more than the last moment's typing.
DRAFT_PAUSE = 0.5


class EscalationDialog(FormDialog[Saved | None]):
    """Dismisses with the saved escalation, or None when the person goes back without saving
    (what they typed is then kept as a draft, and comes back the next time).

    It may open by itself, after the last check failed, while keys meant for the flow are still
    coming: so the note opens to be read, and takes typing only after enter (or a click)."""

    DEFAULT_CSS = """
    EscalationDialog #note {
        height: 1fr;
        min-height: 5;
    }
    """

    BINDINGS = [  # ctrl+s and esc as in every dialog (FormDialog)
        Binding("ctrl+t", "copy_note", "copy", priority=True),
        Binding("ctrl+o", "save_markdown", "file", priority=True),
        # Textual lets a class's bindings of a key replace all its bases' bindings of that key:
        # the form's enter (next field, and save from the reference) is named again here.
        *(binding for binding in FormDialog.BINDINGS if binding.key == "enter"),
        Binding("enter", "write_note", "write"),
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
        # What the note and the reference open with when nobody typed anything: leaving them
        # as they are keeps no draft.
        self.written_note = self.written_reference = ""
        self.drafts = {"bank_note": "", "bank_reference": ""}
        self._draft_timer: Timer | None = None
        self.terminal, self.shop = None, ""
        try:
            self.terminal = desk.terminal_of(incident)
            self.shop = desk.settings().shop
            self.drafts = {name: desk.draft(incident, name) for name in self.drafts}
        except PROBLEMS:
            pass  # records that cannot be read: the note is written without what they hold

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        hotline = self.hotline.text(lang)
        # An incident already with the bank shows the note as it was sent, not a new draft.
        sent = self.incident.escalation if self.incident.status == "escalated" else None
        self.written_note = (sent.note if sent else
                             escalation_note(self.incident, lang, hotline, self.terminal,
                                             self.shop))
        self.written_reference = (sent.reference or "") if sent else ""
        with Vertical(id="escalation", classes="dialog wide tall"):
            yield Static(Text(t("escalate.title", lang, hotline=hotline)),
                         classes="dialog-title")
            if self.lead:
                yield Static(Text(self.lead), classes="lead")
            hint = (t("escalate.sent_hint", lang, at=short_time(sent.at)) if sent
                    else t("escalate.hint", lang))
            yield Static(Text(hint), classes="hint")
            yield Static(Text(t("escalate.draft_back" if self.drafts["bank_note"]
                                else "escalate.write_hint", lang)), id="write-hint",
                         classes="lead")
            yield SafeTextArea(self.drafts["bank_note"] or self.written_note, id="note",
                               soft_wrap=True, show_line_numbers=False, read_only=True)
            yield field_label(t("escalate.reference", lang))
            yield SafeInput(self.drafts["bank_reference"] or self.written_reference,
                            id="reference", max_length=60, compact=True)
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write_note":
            return self.query_one("#note", TextArea).read_only
        return super().check_action(action, parameters)

    def action_write_note(self) -> None:
        """From reading the note to writing in it, the cursor at its end."""
        note = self.query_one("#note", TextArea)
        note.read_only = False
        note.focus()
        note.move_cursor(note.document.end)  # where the person's own words go
        self.query_one("#write-hint").display = False
        self.refresh_bindings()

    @on(events.Click, "#note")
    def _clicked_into_note(self) -> None:
        if self.query_one("#note", TextArea).read_only:
            self.action_write_note()

    def on_paste(self, event: events.Paste) -> None:
        """A paste is meant: into the note being read, it starts the writing, at the end."""
        note = self.query_one("#note", TextArea)
        if self.focused is note and note.read_only:
            event.stop()
            self.action_write_note()
            note.insert(privacy.strip_control(event.text))

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
            if self._draft_timer is not None:
                self._draft_timer.stop()
            try:
                self.desk.drop_drafts(saved.incident, "bank_note", "bank_reference")
            except PROBLEMS:
                pass  # sent and recorded; a draft left behind only comes back once
            self.dismiss(saved)

    def action_copy_note(self) -> None:
        self.app.copy_to_clipboard(privacy.clean(self.note).text)
        self._say(t("escalate.copied", self.app.lang))

    def action_save_markdown(self) -> None:
        lang = self.app.lang
        reference = self.query_one("#reference", Input).value
        path = run_change(self, lambda: self.desk.save_note_file(
            self.recorded_id(), self.note, lang, reference), lang, say=self._say)
        if path is not None:
            self._say(t("escalate.file_saved", self.app.lang, path=path))

    @on(TextArea.Changed, "#note")
    @on(Input.Changed, "#reference")
    def _typed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_PAUSE, self._keep_quietly)

    def _keep_quietly(self) -> None:
        try:
            self._keep_drafts()
        except PROBLEMS:
            pass  # said when the person leaves, and the dialog then stays open

    def _typed_anything(self) -> tuple[bool, bool]:
        """Whether the note, and the reference, differ from what the dialog opened with."""
        reference = self.query_one("#reference", Input).value
        return (self.note.strip() != self.written_note.strip(),
                reference.strip() != self.written_reference.strip())

    def _keep_drafts(self) -> bool:
        """Keep what was typed as drafts (or drop them, where nothing is typed now). A draft
        as it was read, or last kept, is not written again: another window on the same
        records may have kept a newer one since."""
        note_typed, reference_typed = self._typed_anything()
        reference = self.query_one("#reference", Input).value
        wanted = {"bank_note": self.note if note_typed else "",
                  "bank_reference": reference if reference_typed else ""}
        for name, text in wanted.items():
            if text.rstrip() != self.drafts[name].rstrip():
                self.desk.keep_draft(self.incident, name, text)
                self.drafts[name] = text
        return True

    def action_cancel(self) -> None:
        """Back without sending: what was typed is kept as a draft (said so); when it cannot
        be kept, the dialog stays open with everything as it is."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if not run_change(self, self._keep_drafts, self.app.lang, say=self._say):
            return
        if any(self._typed_anything()):
            self.app.notify(t("escalate.draft_kept", self.app.lang))
        self.dismiss(None)
