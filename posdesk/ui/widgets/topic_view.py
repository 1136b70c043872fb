"""The guidance of one topic: what it is about and each step with its how and why."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button, Static

from posdesk.i18n import cadence_text, t
from posdesk.export import short_time
from posdesk.models import RoutineEntry, RoutineState, Step, Topic


class StepCard(Static):
    """One step: its number and title, how to do it and why."""

    def __init__(self, step: Step, total: int, lang: str, *, is_check: bool) -> None:
        classes = "contact-bank" if step.contacts_bank else ""
        text = step_text(step, total, lang, is_check)
        super().__init__(text, id=f"step-{step.order}", classes=classes)
        self.step = step


@dataclass(frozen=True)
class TopicExtras:
    """What the shop's own records add to a topic: where its routine stands, its history."""

    states: tuple[RoutineState, ...] = ()
    log: tuple[RoutineEntry, ...] = ()
    has_checklist: bool = False
    terminal_labels: tuple[tuple[str, str], ...] = ()  # id, label


# The buttons a topic can offer, each with the key that does the same.
ACTION_BUTTONS = {
    "start-troubleshooting": "button.start",
    "mark-done": "button.mark_done",
    "checklist": "button.checklist",
    "report-suspicious": "button.report",
    "open-terminals": "button.terminals",
}


class TopicView(VerticalScroll, can_focus=True):
    """Shows a topic. People's words are shown as plain text, so nothing anyone typed, and
    nothing in the knowledge base, is ever read as markup."""

    topic: reactive[Topic | None] = reactive(None, recompose=True)
    lang: reactive[str] = reactive("en", recompose=True)
    extras: reactive[TopicExtras] = reactive(TopicExtras, recompose=True)

    class Shown(Message):
        """A topic is on screen: the app may add what the shop's records say about it."""

        def __init__(self, view: TopicView, topic: Topic) -> None:
            super().__init__()
            self.view = view
            self.topic = topic

    def __init__(self, topic: Topic | None = None, lang: str = "en") -> None:
        super().__init__()
        self.set_reactive(TopicView.topic, topic)
        self.set_reactive(TopicView.lang, lang)

    def on_mount(self) -> None:
        if self.topic is not None:
            self.post_message(self.Shown(self, self.topic))

    def watch_topic(self, topic: Topic | None) -> None:
        self.set_reactive(TopicView.extras, TopicExtras())
        if topic is not None:
            self.post_message(self.Shown(self, topic))

    def compose(self) -> ComposeResult:
        topic, lang = self.topic, self.lang
        if topic is None:
            yield Static(Text(t("guidance.choose", lang)), classes="hint")
            return
        yield Static(Text(topic.title(lang)), classes="topic-title")
        yield Static(Text(topic.summary(lang)), classes="topic-summary")
        buttons = [Button(t(ACTION_BUTTONS[b], lang), id=b, compact=True,
                          variant="primary" if n == 0 else "default")
                   for n, b in enumerate(self._actions(topic))]
        if buttons:
            yield Horizontal(*buttons, classes="topic-actions")
        if topic.cadence_days:
            yield Static(Text(cadence_text(topic.cadence_days, lang)), classes="cadence")
            yield Static(routine_text(self.extras, lang), classes="routine")
        is_fault = topic.category == "fault"
        intro = "guidance.steps_fault" if is_fault else "guidance.steps_other"
        yield Static(Text(t(intro, lang)), classes="intro")
        for step in topic.steps:
            yield StepCard(step, len(topic.steps), lang, is_check=is_fault)
        if self.extras.log or topic.cadence_days:
            yield Static(history_text(self.extras, lang), classes="history")
        sources = ", ".join(topic.to_dict()["sources"])
        if sources:
            yield Static(Text(t("guidance.sources", lang, sources=sources)), classes="sources")

    def _actions(self, topic: Topic) -> list[str]:
        actions = []
        if topic.category == "fault":
            actions.append("start-troubleshooting")
        if topic.cadence_days:
            actions.append("mark-done")
        elif self.extras.has_checklist:
            actions.append("checklist")
        if topic.category == "transaction":
            actions.append("report-suspicious")
        if topic.id == "sec.device_list":
            actions.append("open-terminals")
        return actions

    def show(self, topic: Topic, step_id: str | None = None) -> None:
        """Show `topic`, scrolled to the step `step_id` when one is given."""
        self.topic = topic
        self.scroll_home(animate=False)
        if step_id:
            self.call_after_refresh(self._scroll_to_step, step_id)

    def _scroll_to_step(self, step_id: str) -> None:
        for card in self.query(StepCard):
            if card.step.id == step_id:
                self.scroll_to_widget(card, animate=False, top=True)
                card.add_class("found")


def step_text(step: Step, total: int, lang: str, is_check: bool) -> Text:
    """A fault's checks are counted ("Step 2 of 5"); other topics' points are just numbered."""
    if is_check:
        number = t("guidance.step_of", lang, n=step.order, total=total)
    else:
        number = f"{step.order}."
    text = Text()
    text.append(f"{number}  ", style="dim")
    text.append(step.title(lang), style="bold")
    text.append(f"\n{t('guidance.how', lang)}", style="bold")
    text.append(step.how(lang))
    text.append(f"\n{t('guidance.why', lang)}", style="bold dim")
    text.append(step.why(lang), style="dim")
    return text


def routine_text(extras: TopicExtras, lang: str) -> Text:
    """Where the routine stands, per terminal, with anything overdue in red."""
    text = Text()
    for state in extras.states:
        where = f"{state.terminal.label()}: " if state.terminal else ""
        last = short_time(state.last_done) if state.last_done else t("due.never", lang)
        text.append(t("routine.state", lang, where=where, last=last, next=state.next_due))
        if state.overdue:
            text.append(t("routine.overdue", lang, days=state.days_late), style="bold red")
        elif state.due:
            text.append(t("routine.due_today", lang), style="bold yellow")
        text.append("\n")
    return text


def history_text(extras: TopicExtras, lang: str) -> Text:
    """Each time the routine or checklist was done: when, who, where, what it found."""
    labels = dict(extras.terminal_labels)
    text = Text(t("routine.history", lang) + "\n", style="bold")
    if not extras.log:
        text.append(t("routine.no_history", lang), style="dim")
    for entry in extras.log:
        where = f" · {labels.get(entry.terminal_id, entry.terminal_id)}" if entry.terminal_id else ""
        text.append(t("routine.entry", lang, at=short_time(entry.at), who=entry.who, where=where))
        if entry.findings:
            text.append("  " + t("routine.findings", lang, items=", ".join(entry.findings)),
                        style="bold red")
        elif entry.checked:
            text.append("  " + t("routine.checked", lang, items=len(entry.checked)), style="green")
        if entry.note:
            text.append("  ")
            text.append(entry.note, style="italic")
        text.append("\n")
    return text
