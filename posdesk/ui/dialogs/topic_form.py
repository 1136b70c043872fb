"""The form to write one of the shop's own topics, or change one: its title, what it is about,
and its steps in order (what to do, how, why), each in Chinese, English or both."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text as RichText
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import CHINESE_WIDE, Step, Text, Topic
from posdesk.models.learning import LONGEST_TEXT
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput
from posdesk.ui.widgets.tick_box import TickBox

# The texts of a step, as the desk names them, with the label of each.
STEP_TEXTS = (("title", "topic_form.step_title"), ("how", "topic_form.step_how"),
              ("why", "topic_form.step_why"))
_CHINESE = re.compile(f"[{CHINESE_WIDE}]")


def _side(text: Text | None) -> tuple[str, str]:
    """What goes in the Chinese and the English box. A text typed in one language is stored
    in both: it goes back in the box of its script, so saving it again changes nothing."""
    if text is None:
        return "", ""
    if text.zh != text.en:
        return text.zh, text.en
    if _CHINESE.search(text.zh):
        return text.zh, ""
    return "", text.en


def _typed(zh: str, en: str) -> Text | str:
    """Both languages as a Text; one alone as a str (the desk shows it in both)."""
    zh, en = zh.strip(), en.strip()
    return Text(zh, en) if zh and en else (zh or en)


class TextPair(Horizontal):
    """One text in two boxes side by side: Chinese on the left, English on the right."""

    DEFAULT_CSS = """
    TextPair { height: 1; }
    TextPair Input { width: 1fr; margin-right: 1; }
    """

    def __init__(self, name: str, text: Text | None, lang: str) -> None:
        zh, en = _side(text)
        super().__init__(
            SafeInput(zh, placeholder=t("topic_form.zh", lang), max_length=LONGEST_TEXT,
                      compact=True, classes=f"{name} zh"),
            SafeInput(en, placeholder=t("topic_form.en", lang), max_length=LONGEST_TEXT,
                      compact=True, classes=f"{name} en"),
            classes=f"pair-{name}")

    @property
    def value(self) -> Text | str:
        zh, en = self.query(Input)
        return _typed(zh.value, en.value)

    @property
    def raw(self) -> tuple[str, str]:
        zh, en = self.query(Input)
        return zh.value, en.value


class StepFields(Vertical):
    """One step in the form, with buttons to move it up or down or take it out. A step that
    was saved before keeps its id (and the notes and flags on it)."""

    DEFAULT_CSS = """
    StepFields {
        height: auto;
        margin-top: 1;
        padding-left: 1;
        border-left: outer $primary 60%;
    }
    StepFields .step-head { height: 1; }
    StepFields .step-number { width: 1fr; text-style: bold; }
    StepFields Button { width: auto; min-width: 0; margin-left: 1; }
    """

    def __init__(self, step: Step | None, lang: str) -> None:
        self.step_id = step.id if step else None
        self.kind = step.kind if step else "check"
        head = Horizontal(
            Static(classes="step-number"),
            Button(t("key.move_step_up", lang), compact=True, classes="step-up"),
            Button(t("key.move_step_down", lang), compact=True, classes="step-down"),
            Button(t("key.remove_step", lang), compact=True, classes="step-remove"),
            classes="step-head")
        parts: list[Any] = [head]
        for name, label in STEP_TEXTS:
            parts += [field_label(t(label, lang)),
                      TextPair(name, getattr(step, name) if step else None, lang)]
        super().__init__(*parts)

    def number(self, n: int, lang: str) -> None:
        self.query_one(".step-number", Static).update(RichText(t("topic_form.step", lang, n=n)))

    def has_text(self) -> bool:
        return any(field.value.strip() for field in self.query(Input))

    def values(self) -> dict[str, Any]:
        found = {name: self.query_one(f".pair-{name}", TextPair).value for name, _ in STEP_TEXTS}
        return found | ({"id": self.step_id} if self.step_id else {})


class TopicForm(FormDialog[Topic | None]):
    """Write a new topic of `category` (no `topic`), or change the shop's `topic` (its stored
    text, not the one with the shop's lines written in). Dismisses with the topic saved."""

    DEFAULT_CSS = """
    TopicForm #topic-fields {
        height: 1fr;
    }
    TopicForm #steps {
        height: auto;
    }
    TopicForm #topic-fields > .hint {
        margin-bottom: 0;
    }
    TopicForm #add-step {
        width: auto;
        min-width: 0;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("ctrl+n", "add_step", "add a step"),
        Binding("ctrl+up", "move_step_up", "step up", show=False),
        Binding("ctrl+down", "move_step_down", "step down", show=False),
    ]

    def __init__(self, desk: Desk, category: str, topic: Topic | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.category = category
        self.topic = topic
        self._opened_content: tuple[object, ...] | None = None
        self._warned_content: tuple[object, ...] | None = None
        self._removing: StepFields | None = None  # a step with text, asked to go once

    def compose(self) -> ComposeResult:
        lang, topic = self.app.lang, self.topic
        if topic is None:
            title = t("topic_form.new_title", lang, category=t(f"category.{self.category}", lang))
        else:
            title = t("topic_form.edit_title", lang, title=topic.title(lang))
        with Vertical(classes="dialog wide tall"):
            yield Static(RichText(title), classes="dialog-title")
            with VerticalScroll(id="topic-fields"):
                yield Static(RichText(t("topic_form.languages", lang)), classes="hint")
                yield field_label(t("topic_form.title", lang))
                yield TextPair("topic-title", topic.title if topic else None, lang)
                yield field_label(t("topic_form.summary", lang))
                yield TextPair("topic-summary", topic.summary if topic else None, lang)
                yield field_label(t("topic_form.steps", lang))
                with Vertical(id="steps"):
                    for step in (topic.steps if topic else (None,)):
                        yield StepFields(step, lang)
                yield Static(RichText(t("topic_form.no_steps", lang)), id="no-steps",
                             classes="hint")
                yield Button(t("key.add_step", lang) + " ^n", id="add-step", compact=True,
                             action="screen.add_step")
                if self.category == "fault":
                    calls = bool(topic and topic.steps and topic.steps[-1].contacts_bank)
                    yield TickBox(t("topic_form.calls_bank", lang), calls, id="calls-bank",
                                  compact=True)
                # Who writes it now: the author on a new topic, whoever changes it on an edit
                # (the author stays on record).
                yield field_label(t("topic_form.edited_by" if topic else "topic_form.who", lang))
                yield SafeInput("", id="topic-who", max_length=60, compact=True)
            yield Static(RichText(""), id="topic-message", classes="message")
            yield save_and_cancel(lang, "topic")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#topic-fields").can_focus = False  # tab goes from field to field
        self._renumber()
        self.call_after_refresh(self._note_content)

    def _note_content(self) -> None:
        self._opened_content = self._content()

    # What is in the form

    def _steps(self) -> list[StepFields]:
        return list(self.query_one("#steps").query_children(StepFields))

    def _renumber(self) -> None:
        steps = self._steps()
        for n, step in enumerate(steps, start=1):
            step.number(n, self.app.lang)
        self.query_one("#no-steps").display = not steps

    def _content(self) -> tuple[object, ...]:
        """Everything typed or ticked, in order: what going back would lose."""
        boxes = tuple(field.value for field in self.query("#topic-fields Input"))
        ticked = tuple(box.value for box in self.query(Checkbox))
        return boxes, ticked, tuple(step.step_id for step in self._steps())

    def may_leave(self) -> bool:
        """As every dialog, but over the whole form: steps added or moved count too."""
        now = self._content()
        if self._opened_content is None or now == self._opened_content \
                or now == self._warned_content:
            return True
        self._warned_content = now
        self._say(t("dialog.not_saved", self.app.lang))
        return False

    def _say(self, message: str) -> None:
        self.query_one("#topic-message", Static).update(RichText(message))

    def _focused_step(self) -> StepFields | None:
        focused = self.focused
        for step in self._steps():
            if focused is not None and step in focused.ancestors:
                return step
        return None

    # Adding, moving and removing steps

    async def action_add_step(self) -> None:
        step = StepFields(None, self.app.lang)
        await self.query_one("#steps").mount(step)
        self._renumber()
        first = step.query(Input).first()
        first.focus()
        self.call_after_refresh(step.scroll_visible, animate=False)

    def action_move_step_up(self) -> None:
        self._move(self._focused_step(), -1)

    def action_move_step_down(self) -> None:
        self._move(self._focused_step(), +1)

    def _move(self, step: StepFields | None, by: int) -> None:
        steps = self._steps()
        if step is None or not 0 <= steps.index(step) + by < len(steps):
            return
        other = steps[steps.index(step) + by]
        container = self.query_one("#steps")
        if by < 0:
            container.move_child(step, before=other)
        else:
            container.move_child(step, after=other)
        self._renumber()
        self.call_after_refresh(step.scroll_visible, animate=False)

    async def _remove(self, step: StepFields) -> None:
        steps = self._steps()
        n = steps.index(step) + 1
        if step.has_text() and self._removing is not step:
            self._removing = step
            self._say(t("topic_form.remove_typed", self.app.lang, n=n))
            return
        self._removing = None
        self._say("")
        after = steps[n] if n < len(steps) else (steps[n - 2] if n >= 2 else None)
        await step.remove()
        self._renumber()
        if after is not None:
            after.query(Input).first().focus()
        else:
            self.query_one("#add-step").focus()

    @on(Button.Pressed, ".step-up, .step-down, .step-remove")
    async def _step_button(self, event: Button.Pressed) -> None:
        event.stop()
        step = next(a for a in event.button.ancestors if isinstance(a, StepFields))
        if event.button.has_class("step-remove"):
            await self._remove(step)
        else:
            self._move(step, -1 if event.button.has_class("step-up") else +1)

    # Saving

    def _step_values(self) -> list[dict[str, Any]]:
        """Each step as the desk takes it. A fault's last step may be calling the bank; a step
        kept from before keeps its kind otherwise (a bank step moved up becomes a check)."""
        steps = self._steps()
        calls_bank = bool(self.query("#calls-bank")) and self.query_one("#calls-bank",
                                                                        Checkbox).value
        values = []
        for n, step in enumerate(steps, start=1):
            kind = "info" if step.kind == "info" else "check"
            if calls_bank and n == len(steps):
                kind = "contact_bank"
            values.append(step.values() | {"kind": kind})
        return values

    def action_save(self) -> None:
        lang = self.app.lang
        title = self.query_one(".pair-topic-title", TextPair).value
        summary = self.query_one(".pair-topic-summary", TextPair).value
        who = self.query_one("#topic-who", Input).value
        steps = self._step_values()
        if not who.strip() and (title and steps):  # the form's own gap, said before the desk's
            self._say(t("topic_form.empty_who", lang))
            self.query_one("#topic-who").focus()
            return
        typed = [field.value for field in self.query("#topic-fields Input")]

        def save() -> Topic:
            if self.topic is None:
                return self.desk.add_own_topic(self.category, title, summary, steps, who)
            return self.desk.change_own_topic(self.topic.id, who=who, title=title,
                                              summary=summary, steps=steps)

        saved = run_change(self, save, lang, say=self._say, typed=typed)
        if saved is None:
            self._show_gap(title, steps)
            return
        key = "topic_form.added" if self.topic is None else "topic_form.saved"
        self.app.notify(t(key, lang, title=saved.title(lang)))
        self.dismiss(saved)

    def _show_gap(self, title: Text | str, steps: list[dict[str, Any]]) -> None:
        """The focus goes to what was missing, when something was."""
        if not title:
            self.query_one(".pair-topic-title Input").focus()
        elif not steps:
            self.query_one("#add-step").focus()
        else:
            for step, values in zip(self._steps(), steps):
                if not values["title"]:
                    step.query(Input).first().focus()
                    return

