"""The shop's note beside the guidance: added on a topic or one of its steps, changed, or
removed (after asking; `u` on the guidance tabs brings it back)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import GuidanceNote, Topic
from posdesk.models.learning import LONGEST_NAME, LONGEST_TEXT
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons
from posdesk.ui.widgets.safe_fields import SafeInput


def place_label(topic: Topic, item_id: str, lang: str) -> str:
    """Where a note or a flag is: the whole topic, or "Step 2: Check the cable"."""
    step = next((step for step in topic.steps if step.id == item_id), None)
    if step is None:
        return t("note.whole_topic", lang)
    return t("note.step", lang, n=step.order, title=step.title(lang))


def place_choices(topic: Topic, lang: str, *, with_topic: bool) -> list[tuple[Text, str]]:
    """The topic (when a note may go on it) and each of its steps, for a Select."""
    ids = [topic.id] if with_topic else []
    ids += [step.id for step in topic.steps]
    return [(Text(place_label(topic, item_id, lang)), item_id) for item_id in ids]


class NoteForm(FormDialog[GuidanceNote | None]):
    """Adds a note (on `on` when given, which is then not asked: the flow's step), or changes
    `note`. Dismisses with the note as saved — removed, when it was — or None."""

    BINDINGS = [Binding("ctrl+r", "remove_note", "remove", priority=True)]

    def __init__(self, desk: Desk, topic: Topic, *, on: str | None = None,
                 note: GuidanceNote | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.topic = topic
        self.note = note
        self.on = note.on if note is not None else on

    def compose(self) -> ComposeResult:
        lang, note = self.app.lang, self.note
        title = (t("note.title_edit", lang) if note else
                 t("note.title_add", lang, title=self.topic.title(lang)))
        with VerticalScroll(classes="dialog wide"):
            yield Static(Text(title), classes="dialog-title")
            yield Static(Text(t("note.hint", lang)), classes="hint")
            yield field_label(t("note.on", lang))
            if self.on is not None:
                yield Static(Text(place_label(self.topic, self.on, lang)), classes="place")
            else:
                yield Select(place_choices(self.topic, lang, with_topic=True), value=self.topic.id,
                             allow_blank=False, id="note-on", compact=True)
            yield field_label(t("note.text", lang))
            yield SafeInput(note.text if note else "", id="note-text", max_length=LONGEST_TEXT,
                            compact=True)
            yield field_label(t("note.who", lang))
            yield SafeInput(note.who if note else "", id="note-who", max_length=LONGEST_NAME,
                            compact=True)
            yield Static(Text(""), id="note-message", classes="message")
            buttons = [("note-save", "key.save", "^s")]
            if note is not None:
                buttons.append(("note-remove", "key.remove_note", "^r"))
            yield dialog_buttons(lang, *buttons, ("note-cancel", "key.cancel", "esc"))
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove_note":
            return self.note is not None and super().check_action(action, parameters)
        return super().check_action(action, parameters)

    def _say(self, message: str) -> None:
        self.query_one("#note-message", Static).update(Text(message))

    def action_save(self) -> None:
        text = self.query_one("#note-text", Input).value
        who = self.query_one("#note-who", Input).value
        on = self.on if self.on is not None else self.query_one("#note-on", Select).value
        if self.note is not None:
            note_id = self.note.id
            change = lambda: self.desk.edit_guidance_note(note_id, text, who)  # noqa: E731
        else:
            change = lambda: self.desk.add_guidance_note(on, text, who)  # noqa: E731
        saved = run_change(self, change, self.app.lang, say=self._say, typed=(text, who))
        if saved is None:
            self.query_one("#note-text" if not text.strip() else "#note-who").focus()
            return
        self.notify(t("note.changed" if self.note else "note.saved", self.app.lang))
        self.dismiss(saved)

    def action_remove_note(self) -> None:
        note = self.note
        if note is None:
            return
        from posdesk.ui.dialogs.confirm import Confirm

        def answered(yes: bool) -> None:
            if not yes:
                return
            removed = run_change(self, lambda: self.desk.remove_guidance_note(note.id),
                                 self.app.lang, say=self._say)
            if removed is not None:
                self.notify(t("note.removed", self.app.lang))
                self.dismiss(removed)

        self.app.push_screen(Confirm(t("note.remove_question", self.app.lang)), answered)
