"""The shop's topics it took off its lists, to bring one back."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Topic
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import cancel_only


class RemovedTopics(ChoiceDialog[Topic | None]):
    """The removed topics of one category; the one chosen is restored and given back."""

    def __init__(self, desk: Desk, category: str) -> None:
        super().__init__()
        self.desk = desk
        self.category = category
        self.topics = [topic for topic in desk.own_topics(removed=True)
                       if topic.category == category]

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog wide"):
            yield Static(Text(t("topics.removed_title", lang,
                                category=t(f"category.{self.category}", lang))),
                         classes="dialog-title")
            hint = "topics.removed_hint" if self.topics else "topics.removed_none"
            yield Static(Text(t(hint, lang)), classes="hint")
            if self.topics:
                yield OptionList(*(Option(Text(t("topics.removed_item", lang,
                                                 title=topic.title(lang), who=topic.who)),
                                          id=topic.id) for topic in self.topics),
                                 id="removed-topics")
            yield Static(Text(""), id="removed-message", classes="message")
            yield cancel_only(lang, "removed")
        yield KeyBar()

    def on_mount(self) -> None:
        self.focus_first_choice()

    @on(OptionList.OptionSelected)
    def _restore(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        topic_id = event.option.id
        restored = run_change(self, lambda: self.desk.restore_own_topic(topic_id), self.app.lang,
                              say=lambda line: self.query_one("#removed-message",
                                                              Static).update(Text(line)))
        if restored is not None:
            self.app.notify(t("topics.restored", self.app.lang,
                              title=restored.title(self.app.lang)))
            self.dismiss(restored)
