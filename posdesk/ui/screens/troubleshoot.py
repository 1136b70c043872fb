"""The guided flow: one check at a time, every mark saved the moment it is made."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Header, Input, Static

from posdesk.desk import Desk, Saved
from posdesk.i18n import t
from posdesk.models import Incident, Step, StepRecord
from posdesk.ui import learning_keys
from posdesk.ui.changes import PROBLEMS, READ_FAILED, run_change
from posdesk.ui.dialogs.bank_line import ask_bank_line
from posdesk.ui.dialogs.escalation import DRAFT_PAUSE, EscalationDialog
from posdesk.ui.dialogs.text_prompt import TextPrompt
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import ButtonRow
from posdesk.ui.widgets.flow_texts import earlier_marks, flow_status, learning_keys_hint
from posdesk.ui.widgets.learned import Learned, read_learned
from posdesk.ui.widgets.safe_fields import SafeInput
from posdesk.ui.widgets.topic_view import step_text

if TYPE_CHECKING:
    from posdesk.models.chain import ChainFigure

MARK_BUTTONS = {"mark-fixed": "fixed", "mark-not-fixed": "not_fixed", "mark-noted": "noted",
                "mark-skipped": "skipped"}


class TroubleshootScreen(Screen[None]):
    """Walks one incident's steps; resumes at the step after the last mark.

    A new incident (from `Desk.new_incident`, with no id yet) is recorded by the first thing
    done here — a mark, or the note for the bank — so leaving at once leaves no record."""

    DEFAULT_CSS = """
    TroubleshootScreen #flow-header {
        padding: 0 1;
        background: $boost;
    }
    TroubleshootScreen #flow-status {
        padding: 0 1;
        height: auto;
    }
    TroubleshootScreen #flow-step {
        height: 1fr;
        padding: 0 1;
    }
    TroubleshootScreen #flow-step-card {
        padding-left: 1;
        border-left: outer $primary 60%;
        max-width: 100;
    }
    TroubleshootScreen #flow-step-card.contact-bank {
        border-left: outer $warning;
    }
    TroubleshootScreen #flow-marks {
        margin-top: 1;
    }
    TroubleshootScreen #flow-learned {
        padding-left: 2;
        max-width: 100;
    }
    TroubleshootScreen #flow-history {
        padding-left: 2;
    }
    TroubleshootScreen #flow-note {
        margin: 0 1;
    }
    TroubleshootScreen ButtonRow {
        margin: 0 1;
    }
    """

    BINDINGS = [
        Binding("f", "mark('fixed')", "fixed"),
        Binding("n", "mark('not_fixed')", "not fixed"),
        Binding("d", "mark('noted')", "noted"),
        # Not s: s opens the flow from the main screen and the incident page, and pressed twice
        # it would skip step 1 before it was read.
        Binding("k", "mark('skipped')", "skipped"),
        Binding("left", "previous_step", "back a step", key_display="←"),
        Binding("right", "next_step", "next step", key_display="→"),
        Binding("e", "escalate", "escalate"),
        Binding("r", "add_reference", "reference"),
        Binding("b", "close_by_bank", "bank fixed it"),
        # Words for the guidance itself, not for this incident: listed by ? and under the step.
        Binding("a", "note_this_step", "note on step", show=False),
        Binding("x", "flag_this_step", "flag step", show=False),
        Binding("escape", "back", "back"),
    ]
    AUTO_FOCUS = "#flow-step"  # focused as the screen opens, so tab always leads to the note

    def __init__(self, desk: Desk, incident: Incident) -> None:
        super().__init__()
        self.desk = desk
        self.incident = incident
        self.topic = desk.topic(incident.topic_id, incident.terminal_id)
        self.order = min(incident.resume_order(), len(self.topic.steps))
        self.records: dict[str, StepRecord] = {}  # read in the background: see _read_records
        self.learned = Learned()  # the shop's and the chain's notes and the flags on the steps
        self.chain_figures: dict[str, ChainFigure] = {}  # the same, from the chain (if joined)
        # The step just marked while it stays on screen: its "marked before" leaves that out.
        self.just_marked: str | None = None
        # The note field's draft as stored by this screen (read at the start, or kept since):
        # only a change from it is written, so another window's newer draft is not undone.
        self.kept_note = ""
        self._draft_timer: Timer | None = None

    @property
    def step(self) -> Step:
        return self.topic.steps[self.order - 1]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="flow-header")
        yield Static(id="flow-status")
        with VerticalScroll(id="flow-step"):
            yield Static(id="flow-step-card")
            yield Static(id="flow-learned")
            yield Static(id="flow-history")
            yield Static(id="flow-marks")
        yield SafeInput(placeholder=t("flow.note_placeholder", self.app.lang), id="flow-note")
        with ButtonRow():
            for button_id, outcome in MARK_BUTTONS.items():
                label = t(f"key.mark_{outcome}", self.app.lang)
                yield Button(label, id=button_id, compact=True,
                             variant="success" if outcome == "fixed" else "default")
            yield Button(t("key.escalate", self.app.lang), id="escalate", variant="warning",
                         compact=True)
            yield Button(t("key.add_reference", self.app.lang), id="reference", compact=True)
            yield Button(t("key.close_by_bank", self.app.lang), id="close-by-bank", compact=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._reword, init=False)
        try:
            draft = self.desk.draft(self.incident, "flow_note")
        except PROBLEMS:  # records that cannot be read: the field opens empty
            draft = ""
        if draft:
            self.query_one("#flow-note", Input).value = draft
            self.kept_note = draft
        self._read_learned()
        self.show()
        self._read_records()

    def _reword(self) -> None:
        """`l` pressed here: the labels drawn once are worded again, then the rest."""
        lang = self.app.lang
        self.query_one("#flow-note", Input).placeholder = t("flow.note_placeholder", lang)
        for button_id, outcome in MARK_BUTTONS.items():
            self.query_one(f"#{button_id}", Button).label = t(f"key.mark_{outcome}", lang)
        for button_id, key in (("escalate", "key.escalate"), ("reference", "key.add_reference"),
                               ("close-by-bank", "key.close_by_bank")):
            self.query_one(f"#{button_id}", Button).label = t(key, lang)
        for button in self.query(Button):  # as wide as the new words, not the old ones
            button.refresh(layout=True)
        self.show()

    @work(thread=True, exit_on_error=False, group="step-records")
    def _read_records(self) -> None:
        """How often each step fixed this fault before: read from the whole history, which may
        be long, so the flow does not wait for it; a history that cannot be read leaves the
        hint out and nothing else. In a chain, the chain's figures too, as the last sync
        brought them (kept here, so shown offline as well)."""
        try:
            records = self.desk.step_records(self.incident.topic_id, excluding=self.incident.id)
        except PROBLEMS:
            return
        try:
            figures = self.desk.chain_figures()  # no network; {} when the shop never joined
        except PROBLEMS:
            figures = {}
        self.app.call_from_thread(self._show_records, records, figures)

    def _show_records(self, records: dict[str, StepRecord],
                      figures: dict[str, ChainFigure]) -> None:
        self.records = records
        self.chain_figures = figures
        if self.is_mounted:
            self.show()

    # Showing

    def show(self) -> None:
        """Bring every part of the screen in line with the incident and the current step."""
        incident, lang, step = self.incident, self.app.lang, self.step
        status = t(f"status.{incident.status}", lang)
        title = incident.topic_title(lang)
        header = (t("flow.header", lang, id=incident.id, title=title, status=status) if incident.id
                  else t("flow.header_new", lang, title=title))
        self.query_one("#flow-header", Static).update(Text(header, style="bold"))
        self.query_one("#flow-status", Static).update(flow_status(incident, step, lang))
        card = self.query_one("#flow-step-card", Static)
        card.update(step_text(step, len(self.topic.steps), lang, is_check=True))
        card.set_class(step.contacts_bank, "contact-bank")
        learned = self.learned.text_for(step.id, lang)
        if learned:
            learned.append("\n")
        learned.append_text(learning_keys_hint(lang))
        self.query_one("#flow-learned", Static).update(learned)
        self.query_one("#flow-marks", Static).update(
            earlier_marks(incident, step, lang, leave_out_last=self.just_marked == step.id))
        self.query_one("#flow-history", Static).update(self._step_history(step, lang))
        resolved = incident.resolved
        for button_id, outcome in MARK_BUTTONS.items():
            self.query_one(f"#{button_id}").display = (
                not resolved and not step.contacts_bank and outcome in step.outcomes)
        self.query_one("#flow-note").display = not resolved
        self.query_one("#escalate").display = not resolved
        self.query_one("#reference").display = incident.status == "escalated"
        self.query_one("#close-by-bank").display = incident.status == "escalated"
        self.refresh_bindings()

    def _step_history(self, step: Step, lang: str) -> Text:
        """How often the step fixed this fault here, and in the chain when the shop is in one."""
        lines = []
        if record := self.records.get(step.id):
            lines.append(t("flow.history", lang, fixed=record.fixed, tried=record.tried))
        figure = self.chain_figures.get(step.id)
        if figure is not None and figure.tried:
            key = "flow.chain_history_one_shop" if figure.shops == 1 else "flow.chain_history"
            lines.append(t(key, lang, fixed=f"{figure.fixed:,}", tried=f"{figure.tried:,}",
                           shops=f"{figure.shops:,}"))
        return Text("\n".join(lines), style="green")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        incident = self.incident
        if action == "mark":
            return (not incident.resolved and not self.step.contacts_bank
                    and parameters[0] in self.step.outcomes)
        if action == "previous_step":
            return self.order > 1
        if action == "next_step":
            return self.order < len(self.topic.steps)
        if action == "escalate":
            return not incident.resolved
        if action in ("add_reference", "close_by_bank"):
            return incident.status == "escalated"
        return True

    # The guidance itself: a note on the step, a flag on it

    def _read_learned(self) -> None:
        """Notes and flags that cannot be read are left out; the flow goes on without them."""
        learned = run_change(self, lambda: read_learned(self.desk, self.topic), self.app.lang,
                             failed=READ_FAILED)
        if learned is not None:
            self.learned = learned

    def _learned_changed(self) -> None:
        self._read_learned()
        self.show()

    def action_note_this_step(self) -> None:
        learning_keys.add_note(self, self.desk, self.topic, self._learned_changed,
                               on=self.step.id)

    def action_flag_this_step(self) -> None:
        # Raised in this incident's flow; one not yet recorded (nothing done in it) has no id.
        learning_keys.flag_step(self, self.desk, self.topic, self._learned_changed,
                                step_id=self.step.id, incident_id=self.incident.id or None)

    # Marking steps

    @on(Button.Pressed, "#mark-fixed, #mark-not-fixed, #mark-noted, #mark-skipped")
    def _mark_button(self, event: Button.Pressed) -> None:
        self.action_mark(MARK_BUTTONS[event.button.id])

    @on(Input.Submitted, "#flow-note")
    def _note_done(self) -> None:
        """Enter saves the note to the incident on its own, and says so."""
        note_input = self.query_one("#flow-note", Input)
        saved = self._save(lambda: self.desk.add_note(self._recorded_id(), note_input.value))
        if saved is None:
            return
        note_input.value = ""
        self._drop_note_draft()
        self.notify(t("flow.note_saved", self.app.lang))

    @on(Input.Changed, "#flow-note")
    def _note_typed(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_PAUSE, self._keep_note_draft)

    def _keep_note_draft(self) -> None:
        """Keep the note as typed so far; quietly, as leaving keeps it again and says why not."""
        note = self.query_one("#flow-note", Input).value
        if note.rstrip() == self.kept_note.rstrip():
            return
        try:
            self.desk.keep_draft(self.incident, "flow_note", note)
        except PROBLEMS:
            return
        self.kept_note = note if note.strip() else ""

    def _drop_note_draft(self) -> None:
        """The note kept as a draft was saved: it need not come back."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.kept_note:
            self.kept_note = ""
            try:
                self.desk.drop_drafts(self.incident, "flow_note")
            except PROBLEMS:
                pass  # saved with the record; the draft would only come back once

    def on_key(self, event: events.Key) -> None:
        """f or n on a step that only finds something out is not taken as a mark, but neither
        is it met with silence: it says which key goes on."""
        hint = t("flow.info_step_keys", self.app.lang)
        if (event.key in ("f", "n") and self.step.gathers_info and not self.incident.resolved
                and not isinstance(self.focused, Input)
                and not any(n.message == hint for n in self.app._notifications)):
            self.notify(hint)  # once while it shows: pressed again, it is already there

    def action_mark(self, outcome: str) -> None:
        note_input = self.query_one("#flow-note", Input)
        marked = self.step
        saved = self._save(lambda: self.desk.record_attempt(
            self._recorded_id(), marked.id, outcome, note_input.value))
        if saved is None:
            return
        if note_input.value.strip():
            self._drop_note_draft()
        note_input.value = ""
        self.just_marked = marked.id
        self.notify(t("flow.saved", self.app.lang, outcome=t(f"outcome.{outcome}", self.app.lang)))
        if outcome != "fixed":
            if self._every_check_tried():
                self.order = len(self.topic.steps)
                self.show()
                self.action_escalate(lead=self._all_marked_lead())
                return
            self.order = min(self.order + 1, len(self.topic.steps))
        self.show()
        self.query_one("#flow-step").focus()

    def _every_check_tried(self) -> bool:
        """Time for the bank: every check was tried, and no step that only says what to find
        out or know lies ahead unread (a lost terminal has no check, only such steps)."""
        marked = self.incident.marks_for
        checks = [s for s in self.topic.steps if s.kind == "check"]
        unread = [s for s in self.topic.steps[self.order:] if s.gathers_info and not marked(s.id)]
        return self.incident.status == "open" and all(marked(s.id) for s in checks) and not unread

    def _all_marked_lead(self) -> str:
        """What the note for the bank opens with once every step is marked: a skipped check
        was not tried, and the note must not say it was."""
        if self.topic.category != "fault":  # a finding's steps are not checks that failed
            return t("flow.bank_now", self.app.lang)
        latest = [self.incident.marks_for(step.id) for step in self.topic.steps]
        skipped = sum(1 for marks in latest if marks and marks[-1].outcome == "skipped")
        if skipped:
            return t("flow.some_skipped", self.app.lang, count=skipped)
        return t("flow.all_tried", self.app.lang)

    def _recorded_id(self) -> str:
        """The incident's id, recording it first when this is the first thing done."""
        if not self.incident.id:
            self.incident = self.desk.open_incident(self.incident)
        return self.incident.id

    def _save(self, change: Callable[[], Saved]) -> Saved | None:
        """Run a desk change; on failure say so and keep what was typed."""
        saved = run_change(self, change, self.app.lang)
        if saved:
            self.incident = saved.incident
            self.show()
        return saved

    # Moving between steps

    def action_previous_step(self) -> None:
        if self.order > 1:
            self.order -= 1
            self.just_marked = None
            self.show()

    def action_next_step(self) -> None:
        if self.order < len(self.topic.steps):
            self.order += 1
            self.just_marked = None
            self.show()

    # The bank

    @on(Button.Pressed, "#escalate")
    def action_escalate(self, lead: str = "") -> None:
        def done(saved: Saved | None) -> None:
            if saved is not None:
                was_escalated = self.incident.status == "escalated"
                added = saved.incident.events[len(self.incident.events):]
                self.incident = saved.incident
                self.show()
                said = ("escalate.unchanged" if not added else
                        "escalate.reference_saved" if added[-1].kind == "reference" else
                        "escalate.saved_again" if was_escalated else "escalate.saved")
                self.notify(t(said, self.app.lang))

        def open_note() -> None:
            # The number may have just been given: the contact step names it from now on.
            self.topic = self.desk.topic(self.incident.topic_id, self.incident.terminal_id)
            self.show()
            self.app.open_screen(lambda: EscalationDialog(self.desk, self.incident, lead,
                                                          self._recorded_id), done)

        ask_bank_line(self.app, self.desk, self.incident.terminal_id, open_note)

    @on(Button.Pressed, "#reference")
    def action_add_reference(self) -> None:
        current = (self.incident.escalation.reference if self.incident.escalation else "") or ""
        self._ask("prompt.reference",
                  lambda reference: self.desk.set_reference(self._recorded_id(), reference), current)

    @on(Button.Pressed, "#close-by-bank")
    def action_close_by_bank(self) -> None:
        self._ask("prompt.close_by_bank",
                  lambda what: self.desk.close_by_bank(self._recorded_id(), what))

    def _ask(self, question: str, change: Callable[[str], Saved], value: str = "") -> None:
        """One line, saved by the prompt itself: a refused change leaves it open, text kept."""
        def saved(result: Saved | None) -> None:
            if result is not None:
                self.incident = result.incident
                self.show()

        self.app.push_screen(TextPrompt(t(question, self.app.lang), change, value), saved)

    def action_back(self) -> None:
        if self.focused is self.query_one("#flow-note"):
            self.query_one("#flow-step").focus()  # escape leaves the note field first
            return
        note = self.query_one("#flow-note", Input).value
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if note.rstrip() != self.kept_note.rstrip():
            # Words typed and not saved are kept for next time; if they cannot be, the flow
            # stays open with them (the reason said in one line).
            if run_change(self, lambda: self.desk.keep_draft(self.incident, "flow_note", note)
                          or True, self.app.lang) is None:
                return
        if note.strip():
            self.notify(t("flow.draft_kept", self.app.lang))
        self.dismiss(None)
