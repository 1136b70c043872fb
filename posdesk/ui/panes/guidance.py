"""One guidance tab: the category's topics on the left, the chosen topic's guidance beside it,
with what the shop's own records add to it (a routine's state, a checklist's history)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from posdesk.models import Topic
from posdesk.ui.changes import run_change
from posdesk.ui.widgets.topic_view import TopicExtras, TopicView

if TYPE_CHECKING:
    from posdesk.desk import Desk


class TopicList(OptionList):
    """The topics of one category, by title."""

    DEFAULT_CSS = """
    TopicList {
        width: 30%;
        min-width: 22;
        max-width: 40;
        height: 1fr;
        border: round $primary 40%;
        /* Room for the scroll bar kept at all times: titles are wrapped to one width, and a
           list that grows a bar (English titles are longer) is not drawn with stale lines. */
        scrollbar-gutter: stable;
    }
    TopicList:focus {
        border: round $primary;
    }
    """


class GuidancePane(Horizontal):
    """The main screen mounts a tab's pane the first time the tab is shown: start-up pays only
    for the first. Its parts are made with it, so they can be looked up as soon as it is mounted."""

    DEFAULT_CSS = "GuidancePane { height: 1fr; }"

    def __init__(self, desk: Desk, category: str, *, id: str) -> None:
        self.desk = desk
        self.category = category
        self.topics = desk.topics(category)
        self.topic_list = TopicList(*self._options(), id=f"{id}-topics")
        self.view = TopicView(self.topics[0] if self.topics else None)
        super().__init__(self.topic_list, self.view, id=id)

    def _options(self) -> list[Option]:
        lang = self.app.lang
        return [Option(Text(topic.title(lang)), id=topic.id) for topic in self.topics]

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)

    def _language_changed(self) -> None:
        topic_list = self.topic_list
        highlighted = topic_list.highlighted
        topic_list.clear_options()
        topic_list.add_options(self._options())
        topic_list.highlighted = highlighted

    def reload(self) -> None:
        """Read the topics again: their text names the lines of the shop's terminals and
        settings, which may have changed since the tab was built."""
        topics = run_change(self, lambda: self.desk.topics(self.category), self.app.lang,
                            failed="screen.read_failed")
        if topics is None:
            return
        shown = self.view.topic.id if self.view.topic else None
        self.topics = topics
        again = next((topic for topic in topics if topic.id == shown), None)
        if again is not None:
            self.view.topic = again  # where the person had scrolled to is kept

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

    @on(TopicView.Shown)
    def _add_records(self, event: TopicView.Shown) -> None:
        if self.app.screen_stack:  # not while the app is closing
            self.show_records(event.topic)

    def show_records(self, topic: Topic) -> None:
        """Routines show where they stand and their history; checklists offer themselves."""
        checklist = self.desk.kb.checklist(topic.id)
        if not (topic.cadence_days or checklist):
            return

        def records() -> TopicExtras:
            log = tuple(self.desk.routine_log(topic.id)[:20])
            states = tuple(self.desk.routine_states(topic.id)) if topic.cadence_days else ()
            labels = tuple((x.id, x.label()) for x in self.desk.terminals())
            return TopicExtras(states, log, checklist, labels)

        extras = run_change(self, records, self.app.lang, failed="screen.read_failed")
        if extras is not None:
            self.view.extras = extras
