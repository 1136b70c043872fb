"""Look up the response code the terminal showed: what it means, retry or not, what to do."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from posdesk.desk import Desk, UnknownId
from posdesk.i18n import t
from posdesk.models import ACTION_CLASSES, ResponseCode
from posdesk.ui.dialogs.dialog import Dialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import close_only
from posdesk.ui.widgets.safe_fields import SafeInput
from posdesk.ui.wrapping import wrappable


class CodeLookup(Dialog[ResponseCode | None]):
    """Dismisses with the code whose fault the person chose to troubleshoot, or None."""

    DEFAULT_CSS = "CodeLookup #code-result { margin: 1 0; }"

    BINDINGS = [
        # Priority, so that the key bar names it over the field's own enter.
        Binding("enter", "look_up", "look up", key_display="enter", priority=True),
        Binding("escape", "close", "close"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.found: ResponseCode | None = None

    def compose(self) -> ComposeResult:
        # Scrolls: a long answer must not push the button it offers out of sight.
        with VerticalScroll(classes="dialog"):
            yield Static(Text(t("code.title", self.app.lang)), classes="dialog-title")
            yield field_label(t("code.prompt", self.app.lang))
            yield SafeInput(id="code", max_length=8, compact=True)
            yield Static(Text(""), id="code-result")
            yield Button("", id="code-start", variant="primary", compact=True)
            yield close_only(self.app.lang, "code")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#code-start").display = False

    @on(Input.Changed, "#code")
    def _forget_the_answer(self) -> None:
        """Another code is being typed: the answer shown was for the last one."""
        self.found = None
        self.query_one("#code-result", Static).update(Text(""))
        self.query_one("#code-start").display = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "look_up":  # enter on the buttons presses them
            return self.focused is self.query_one("#code")
        return super().check_action(action, parameters)

    def action_look_up(self) -> None:
        code = self.query_one("#code", Input).value.strip()
        result = self.query_one("#code-result", Static)
        start = self.query_one("#code-start", Button)
        if not code:
            result.update(Text(t("code.prompt", self.app.lang)))
            return
        try:
            self.found = self.desk.response_code(code)
        except UnknownId:
            self.found = None
            result.update(Text(t("code.unknown", self.app.lang, code=code), style="bold"))
            start.display = False
            return
        described = describe(self.found, self.app.lang)
        topic = self.desk.topic(self.found.topic_id) if self.found.topic_id else None
        start.display = topic is not None
        if topic:  # the field keeps the focus: another code typed is another lookup
            start.label = t("code.start", self.app.lang, title=topic.title(self.app.lang))
            described.append("\n" + t("code.start_hint", self.app.lang), style="dim")
        result.update(described)

    @on(Button.Pressed, "#code-start")
    def _start(self) -> None:
        self.dismiss(self.found)


# How the code's class line stands out: success, a retry, or a stop.
CLASS_STYLES = {"A": "bold green", "B": "green", "C": "bold red", "D": "bold yellow",
                "E": "bold red"}


def describe(code: ResponseCode, lang: str) -> Text:
    text = Text()
    text.append(f"{code.code}\n", style="bold")
    text.append(t("code.meaning", lang, text=wrappable(code.meaning(lang), lang)) + "\n")
    if code.action_class in ACTION_CLASSES:  # a hand-edited base may leave it out
        text.append(t(f"code.class.{code.action_class}", lang) + "\n",
                    style=CLASS_STYLES.get(code.action_class, "bold"))
    # Drawn like the guidance: "打 95533（…）" must not break at its space.
    text.append(t("code.action", lang, text=wrappable(code.action(lang), lang)))
    return text
