"""One guidance tab: the category's topics on the left, the chosen topic's guidance beside it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from posdesk.models import Topic
from posdesk.ui.widgets.topic_view import TopicView


class TopicList(OptionList):
    """The topics of one category, by title."""


class GuidancePane(Horizontal):
    """The app mounts a tab's pane the first time the tab is shown: start-up pays only for
    the first. Its parts are made with it, so they can be looked up as soon as it is mounted."""

    def __init__(self, topics: list[Topic], lang: str, *, id: str) -> None:
        self.topics = topics
        self.lang = lang
        self.topic_list = TopicList(*self._options(), id=f"{id}-topics")
        self.view = TopicView(topics[0] if topics else None, lang)
        super().__init__(self.topic_list, self.view, id=id)

    def _options(self) -> list[Option]:
        return [Option(Text(topic.title(self.lang)), id=topic.id) for topic in self.topics]

    def set_language(self, lang: str) -> None:
        self.lang = lang
        topic_list = self.topic_list
        highlighted = topic_list.highlighted
        topic_list.clear_options()
        topic_list.add_options(self._options())
        topic_list.highlighted = highlighted
        self.view.lang = lang

    def open(self, topic_id: str, step_id: str | None = None) -> None:
        """Show one topic (and step), as when it is found with the command palette."""
        index = next(i for i, topic in enumerate(self.topics) if topic.id == topic_id)
        self.topic_list.highlighted = index
        self.view.show(self.topics[index], step_id)
        self.view.focus()

    def focus_topics(self) -> None:
        self.topic_list.focus()

    @on(OptionList.OptionHighlighted)
    def _preview(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        topic = self.topics[event.option_index]
        if self.view.topic is not topic:
            self.view.show(topic)

    @on(OptionList.OptionSelected)
    def _read(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.view.focus()
