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

    def __init__(self, topics: list[Topic], lang: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.topics = topics
        self.lang = lang
        self.built = False

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        view = TopicView()
        view.lang = self.lang
        self.mount(TopicList(*self._options(), id=f"{self.id}-topics"), view)
        if self.topics:
            view.topic = self.topics[0]

    def compose(self) -> ComposeResult:
        return []

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
