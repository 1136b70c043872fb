"""The guidance of one topic: what it is about and each step with its how and why."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Static

from posdesk.i18n import cadence_text, t
from posdesk.models import Step, Topic


class StepCard(Static):
    """One step: its number and title, how to do it and why."""

    def __init__(self, step: Step, total: int, lang: str, *, is_check: bool) -> None:
        classes = "contact-bank" if step.contacts_bank else ""
        text = step_text(step, total, lang, is_check)
        super().__init__(text, id=f"step-{step.order}", classes=classes)
        self.step = step


class TopicView(VerticalScroll, can_focus=True):
    """Shows a topic. People's words never pass through here, but every text is still shown
    as plain text, so nothing in the knowledge base is ever read as markup."""

    topic: reactive[Topic | None] = reactive(None, recompose=True)
    lang: reactive[str] = reactive("en", recompose=True)

    def compose(self) -> ComposeResult:
        topic, lang = self.topic, self.lang
        if topic is None:
            yield Static(Text(t("guidance.choose", lang)), classes="hint")
            return
        yield Static(Text(topic.title(lang)), classes="topic-title")
        yield Static(Text(topic.summary(lang)), classes="topic-summary")
        if topic.category == "fault":
            yield Button(t("button.start", lang), id="start-troubleshooting", variant="primary",
                         compact=True)
        if topic.cadence_days:
            yield Static(Text(cadence_text(topic.cadence_days, lang)), classes="cadence")
        is_fault = topic.category == "fault"
        intro = "guidance.steps_fault" if is_fault else "guidance.steps_other"
        yield Static(Text(t(intro, lang)), classes="intro")
        for step in topic.steps:
            yield StepCard(step, len(topic.steps), lang, is_check=is_fault)
        sources = ", ".join(topic.to_dict()["sources"])
        if sources:
            yield Static(Text(t("guidance.sources", lang, sources=sources)), classes="sources")

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
