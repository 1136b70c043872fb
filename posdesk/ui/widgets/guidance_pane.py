"""One guidance tab: the category's topics on the left, the chosen topic's guidance beside it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from posdesk.models import Topic
from posdesk.ui.widgets.topic_view import TopicView


class TopicList(OptionList):
    """The topics of one category, by title."""


class GuidancePane(Horizontal):
    """Built the first time its tab is shown, so start-up only pays for the visible tab."""

    def __init__(self, topics: list[Topic], lang: str, shown: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self.topics = topics
        self.lang = lang
        self.built = shown  # the tab on screen at start is composed with the app, in one pass

    def build(self) -> None:
        if not self.built:
            self.built = True
            self.mount_all(self._content())

    def compose(self) -> ComposeResult:
        return self._content() if self.built else []

    def _content(self) -> list:
        first = self.topics[0] if self.topics else None
        return [TopicList(*self._options(), id=f"{self.id}-topics"), TopicView(first, self.lang)]

    def _options(self) -> list[Option]:
        return [Option(Text(topic.title(self.lang)), id=topic.id) for topic in self.topics]

    def set_language(self, lang: str) -> None:
        self.lang = lang
        if not self.built:
            return
        topic_list = self.query_one(TopicList)
        highlighted = topic_list.highlighted
        topic_list.clear_options()
        topic_list.add_options(self._options())
        topic_list.highlighted = highlighted
        self.query_one(TopicView).lang = lang

    def open(self, topic_id: str, step_id: str | None = None) -> None:
        """Show one topic (and step), as when it is found with the command palette."""
        self.build()
        topic_list = self.query_one(TopicList)
        index = next(i for i, topic in enumerate(self.topics) if topic.id == topic_id)
        topic_list.highlighted = index
        self.query_one(TopicView).show(self.topics[index], step_id)
        self.query_one(TopicView).focus()

    def focus_topics(self) -> None:
        self.build()
        self.query_one(TopicList).focus()

    @on(OptionList.OptionHighlighted)
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        view = self.query_one(TopicView)
        topic = self.topics[event.option_index]
        if view.topic is not topic:
            view.show(topic)

    @on(OptionList.OptionSelected)
    def _read(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(TopicView).focus()
