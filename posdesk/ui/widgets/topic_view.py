"""The guidance of one topic: what it is about and each step with its how and why."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from posdesk.i18n import cadence_text, t
from posdesk.wording import finding_text, short_time
from posdesk.models import Checklist, RoutineEntry, RoutineState, Step, Topic
from posdesk.ui.widgets.learned import Learned, origin_text
from posdesk.ui.wrapping import wrappable


class StepCard(Static):
    """One step: its number and title, how to do it and why, then what the shop and its chain
    learned about it (their notes, its flags)."""

    DEFAULT_CSS = """
    StepCard {
        margin-top: 1;
        padding-left: 1;
        border-left: outer $primary 60%;
    }
    StepCard.contact-bank {
        border-left: outer $warning;
    }
    StepCard.found {
        background: $boost;
    }
    """

    def __init__(self, step: Step, total: int, lang: str, *, is_check: bool,
                 learned: Learned = Learned()) -> None:
        classes = "contact-bank" if step.contacts_bank else ""
        text = step_text(step, total, lang, is_check)
        if beside := learned.text_for(step.id, lang):
            text.append("\n")
            text.append_text(beside)
        super().__init__(text, id=f"step-{step.order}", classes=classes)
        self.step = step


@dataclass(frozen=True)
class TopicExtras:
    """What the shop's own records add to a topic: where its routine stands, its history."""

    states: tuple[RoutineState, ...] = ()
    log: tuple[RoutineEntry, ...] = ()
    checklist: Checklist | None = None  # whose items word what an entry found
    terminal_labels: tuple[tuple[str, str], ...] = ()  # id, label


# What a topic can offer to do, by the main screen's action that does it (and its key runs).
ACTION_LABELS = {
    "start_troubleshooting": "offer.start",
    "mark_done": "offer.mark_done",
    "checklist": "offer.checklist",
    "report_suspicious": "offer.report",
    "terminals": "offer.terminals",
}
# What every topic offers beside its own actions: the shop's words on it.
LEARNING_LABELS = {"add_note": "offer.add_note", "flag_step": "offer.flag_step"}


class TopicView(VerticalScroll, can_focus=True):
    """Shows a topic. People's words are shown as plain text, so nothing anyone typed, and
    nothing in the knowledge base, is ever read as markup.

    What comes before the steps is one text and so is what comes after: the first screen
    shows a topic, and each widget in it adds to the time it takes to appear. What the topic
    offers to do is drawn in that text as labels that run the screen's action when clicked."""

    DEFAULT_CSS = """
    TopicView {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        border: round $primary 40%;
    }
    TopicView:focus {
        border: round $primary;
    }
    TopicView > .topic-view--title {
        text-style: bold;
        color: $accent;
    }
    TopicView > .topic-view--first-action {
        background: $primary;
        color: $text;
        text-style: bold;
    }
    TopicView > .topic-view--action {
        background: $panel;
        color: $text;
    }
    TopicView > .topic-view--warning {
        color: $warning;
    }
    TopicView > .topic-view--muted, TopicView .hint {
        color: $text-muted;
    }
    TopicView .topic-head {
        link-style: none;  /* what a topic offers has a look of its own */
    }
    TopicView .topic-tail {
        margin-top: 1;
    }
    /* In a wide window keep lines short enough to read. */
    TopicView > * {
        max-width: 100;
    }
    """
    COMPONENT_CLASSES = {"topic-view--title", "topic-view--action", "topic-view--first-action",
                         "topic-view--warning", "topic-view--muted"}

    topic: reactive[Topic | None] = reactive(None, recompose=True)
    extras: reactive[TopicExtras] = reactive(TopicExtras, recompose=True)
    learned: reactive[Learned] = reactive(Learned, recompose=True)

    class Shown(Message):
        """A topic is on screen: the app may add what the shop's records say about it."""

        def __init__(self, view: TopicView, topic: Topic) -> None:
            super().__init__()
            self.view = view
            self.topic = topic

    def __init__(self, topic: Topic | None = None) -> None:
        super().__init__()
        self.set_reactive(TopicView.topic, topic)
        # A topic's guidance is nearly always taller than the view. Laid out first without
        # the scroll bar, every step would be wrapped and drawn again two columns narrower
        # once the bar appears; with it, that happens only for a topic that fits (the bar
        # then goes, as it would have stayed away).
        self.set_reactive(TopicView.show_vertical_scrollbar, topic is not None)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda: self.refresh(recompose=True), init=False)
        if self.topic is not None:
            self.post_message(self.Shown(self, self.topic))

    def watch_topic(self, topic: Topic | None) -> None:
        self.set_reactive(TopicView.extras, TopicExtras())
        self.set_reactive(TopicView.learned, Learned())
        if topic is not None:
            self.post_message(self.Shown(self, topic))

    def compose(self) -> ComposeResult:
        topic, lang = self.topic, self.app.lang
        if topic is None:
            yield Static(Text(t("guidance.choose", lang)), classes="hint")
            return
        yield Static(self._head(topic, lang), classes="topic-head")
        for step in topic.steps:
            yield StepCard(step, len(topic.steps), lang, is_check=topic.category == "fault",
                           learned=self.learned)
        if self.extras.log or topic.cadence_days:
            yield Static(self._tail(topic, lang), classes="topic-tail")

    def _head(self, topic: Topic, lang: str) -> Text:
        """The title, what the topic is about, what it offers to do, where its routine stands."""
        style = self.get_component_rich_style
        text = Text()  # Text(title, style=…) would style everything appended to it as well
        text.append(topic.title(lang), style=style("topic-view--title"))
        if whose := origin_text(topic, lang):
            text.append("\n")
            text.append_text(whose)
        text.append(f"\n{wrappable(topic.summary(lang), lang)}\n")
        if on_topic := self.learned.text_for(topic.id, lang):
            text.append_text(on_topic)
            text.append("\n")
        actions = self._actions(topic)
        for n, action in enumerate(actions):
            look = style("topic-view--first-action" if n == 0 else "topic-view--action")
            label = f" {t(ACTION_LABELS[action], lang)} "  # the label names its key
            text.append("\n" if n == 0 else "  ")
            text.append(label, style=look + Style.from_meta({"@click": f"screen.{action}"}))
        if actions:
            text.append("\n")
        for n, (action, label) in enumerate(LEARNING_LABELS.items()):  # a line of their own
            text.append("  " if n else "" if actions else "\n")
            text.append(f" {t(label, lang)} ", style=style("topic-view--action")
                        + Style.from_meta({"@click": f"screen.{action}"}))
        text.append("\n")
        if topic.cadence_days:
            text.append(f"\n{cadence_text(topic.cadence_days, lang)}\n",
                        style=style("topic-view--warning"))
            text.append(routine_text(self.extras, lang))
        intro = "guidance.steps_fault" if topic.category == "fault" else "guidance.steps_other"
        text.append(f"\n{t(intro, lang)}", style=style("topic-view--muted"))
        return text

    def _tail(self, topic: Topic, lang: str) -> Text:
        """The routine's or checklist's history. (The sources the guidance rests on are for
        `posdesk guidance show --json`, not for the clerk at the counter.)"""
        return history_text(self.extras, lang)

    def _actions(self, topic: Topic) -> list[str]:
        actions = []
        if topic.category == "fault":
            actions.append("start_troubleshooting")
        if topic.cadence_days:
            actions.append("mark_done")
        elif self.extras.checklist is not None:
            actions.append("checklist")
        if topic.category == "transaction":
            actions.append("report_suspicious")
        if topic.keeps == "terminal_list":  # the knowledge base says the list is kept here
            actions.append("terminals")
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


# A space beside a Chinese character or full-width punctuation ("POS 机", "打 95533（…）").
def step_text(step: Step, total: int, lang: str, is_check: bool) -> Text:
    """A fault's checks are counted ("Step 2 of 5"); other topics' points are just numbered."""
    if is_check:
        number = t("guidance.step_of", lang, n=step.order, total=total)
    else:
        number = f"{step.order}."
    text = Text()
    text.append(f"{number}  ", style="dim")
    text.append(wrappable(step.title(lang), lang), style="bold")
    if is_check and step.gathers_info:
        text.append(t("guidance.info_step", lang), style="dim")
    text.append(f"\n{t('guidance.how', lang)}", style="bold")
    text.append(wrappable(step.how(lang), lang))
    text.append(f"\n{t('guidance.why', lang)}", style="bold dim")
    text.append(wrappable(step.why(lang), lang), style="dim")
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
        if state.future_mark:
            text.append(t("routine.future", lang, at=short_time(state.future_mark)),
                        style="bold yellow")
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
            texts = {item.id: item.text for item in extras.checklist.items} if extras.checklist else {}
            found = t("list.separator", lang).join(
                finding_text(item, texts.get(item), entry.serial, lang) for item in entry.findings)
            text.append("  " + t("routine.findings", lang, items=found), style="bold red")
            if entry.incident_id:
                text.append("  " + t("routine.incident", lang, id=entry.incident_id), style="bold")
        elif entry.checked:
            text.append("  " + t("routine.checked", lang, items=len(entry.checked)), style="green")
        if entry.note:
            text.append("  · ")
            text.append(entry.note, style="italic")
        text.append("\n")
    return text
