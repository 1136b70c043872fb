"""Flagging a step that did not help: which step, what is wrong with it, why, who. The next
person on the step is told; the insights count it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Select, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import FLAG_REASONS, StepFlag, Topic
from posdesk.models.learning import LONGEST_NAME, LONGEST_TEXT
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.dialogs.guidance_note import place_choices, place_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.wording import flag_reason_text
from posdesk.ui.widgets.safe_fields import SafeInput


class FlagForm(FormDialog[StepFlag | None]):
    """Flags `step_id` when given (the flow's step, then not asked), else the step chosen;
    `incident_id` names the flow it was raised in. Dismisses with the flag, or None."""

    def __init__(self, desk: Desk, topic: Topic, *, step_id: str | None = None,
                 incident_id: str | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.topic = topic
        self.step_id = step_id
        self.incident_id = incident_id

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(classes="dialog wide"):
            yield Static(Text(t("flag.title", lang, title=self.topic.title(lang))),
                         classes="dialog-title")
            yield Static(Text(t("flag.hint", lang)), classes="hint")
            yield field_label(t("flag.step", lang))
            if self.step_id is not None:
                yield Static(Text(place_label(self.topic, self.step_id, lang)), classes="place")
            else:
                yield Select(place_choices(self.topic, lang, with_topic=False),
                             value=self.topic.steps[0].id, allow_blank=False, id="flag-on",
                             compact=True)
            yield field_label(t("flag.reason", lang))
            # No reason chosen for the person: a flag says what they found.
            yield Select([(Text(flag_reason_text(reason, lang)), reason) for reason in FLAG_REASONS],
                         prompt=t("flag.choose_reason", lang), id="flag-reason", compact=True)
            yield field_label(t("flag.why", lang))
            yield SafeInput(id="flag-why", max_length=LONGEST_TEXT, compact=True)
            yield field_label(t("flag.who", lang))
            yield SafeInput(id="flag-who", max_length=LONGEST_NAME, compact=True)
            yield Static(Text(""), id="flag-message", classes="message")
            yield save_and_cancel(lang, "flag")
        yield KeyBar()

    def _say(self, message: str) -> None:
        self.query_one("#flag-message", Static).update(Text(message))

    def action_save(self) -> None:
        reason = self.query_one("#flag-reason", Select).value
        if reason is Select.NULL:
            self._say(t("flag.choose_reason", self.app.lang))
            self.query_one("#flag-reason").focus()
            return
        step_id = self.step_id or self.query_one("#flag-on", Select).value
        why = self.query_one("#flag-why", Input).value
        who = self.query_one("#flag-who", Input).value
        flag = run_change(self, lambda: self.desk.flag_step(
            step_id, reason, why, who, incident_id=self.incident_id), self.app.lang,
            say=self._say, typed=(why, who))
        if flag is not None:
            self.notify(t("flag.saved", self.app.lang))
            self.dismiss(flag)
