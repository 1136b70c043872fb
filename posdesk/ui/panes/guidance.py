"""One guidance tab: the category's topics on the left, the chosen topic's guidance beside it,
with what the shop's own records add to it (a routine's state, a checklist's history). The
shop writes its own topics here, changes, removes and restores them, and is told of notes and
flags a newer knowledge base left without their step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.desk import UnknownId
from posdesk.desk.learning import not_changeable
from posdesk.i18n import t, told
from posdesk.models import Topic
from posdesk.ui.changes import READ_FAILED, run_change
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


class GuidancePane(Vertical):
    """The main screen mounts a tab's pane the first time the tab is shown: start-up pays only
    for the first. Its parts are made with it, so they can be looked up as soon as it is mounted.

    Above the list and the guidance, one line (only when there is something to say) tells of
    the shop's notes and flags a newer knowledge base left orphaned."""

    DEFAULT_CSS = """
    GuidancePane { height: 1fr; }
    GuidancePane > .guidance-body { height: 1fr; }
    GuidancePane > .orphans-line {
        display: none;
        color: $warning;
        padding: 0 1;
        link-style: none;
    }
    GuidancePane > .orphans-line.-shown { display: block; }
    """

    # Keys of the guidance tabs for the shop's own topics. E and D answer on every topic, so
    # that on a shipped or chain topic they say why it cannot be changed; R and o only when
    # there is something to show.
    BINDINGS = [
        Binding("t", "new_topic", "new topic", show=False),
        Binding("E", "edit_topic", "edit topic", show=False),
        Binding("D", "remove_topic", "remove topic", show=False),
        Binding("R", "removed_topics", "removed topics", show=False),
        Binding("o", "orphans", "orphaned notes", show=False),
    ]

    def __init__(self, desk: Desk, category: str, *, id: str) -> None:
        self.desk = desk
        self.category = category
        self.topics = desk.topics(category)
        self.topic_list = TopicList(*self._options(), id=f"{id}-topics")
        self.view = TopicView(self.topics[0] if self.topics else None)
        self.orphans_line = Static(classes="orphans-line")
        self._orphans = 0
        self._removed = 0  # the shop's topics of this category taken off the list
        super().__init__(self.orphans_line,
                         Horizontal(self.topic_list, self.view, classes="guidance-body"), id=id)

    def _options(self) -> list[Option]:
        lang = self.app.lang
        return [Option(self._label(topic, lang), id=topic.id) for topic in self.topics]

    @staticmethod
    def _label(topic: Topic, lang: str) -> Text:
        """The title; the shop's and the chain's topics marked as theirs, told apart at a
        glance from the shipped ones."""
        if not topic.is_own:
            return Text(topic.title(lang))
        badge = t(f"topics.badge_{topic.origin}", lang)
        style = "bold reverse" if topic.origin == "shop" else "bold underline"
        return Text.assemble((f"[{badge}]", style), " ", topic.title(lang))

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        # After the first paint: the first screen never waits for the shop's records.
        self.call_after_refresh(self._count_own)

    def _language_changed(self) -> None:
        self._list_again()
        self._say_orphans()
        self._mark_topic_keys()

    def _list_again(self) -> None:
        """The list drawn again from `self.topics`, the topic highlighted kept when it still is."""
        topic_list = self.topic_list
        shown = (topic_list.get_option_at_index(topic_list.highlighted).id
                 if topic_list.highlighted is not None else None)
        topic_list.clear_options()
        topic_list.add_options(self._options())
        index = next((n for n, topic in enumerate(self.topics) if topic.id == shown), None)
        with topic_list.prevent(OptionList.OptionHighlighted):
            topic_list.highlighted = index if index is not None else (0 if self.topics else None)

    def reload(self) -> None:
        """Read the topics again: their text names the lines of the shop's terminals and
        settings, which may have changed since the tab was built, and the shop may have
        written, changed or removed its own."""
        topics = run_change(self, lambda: self.desk.topics(self.category), self.app.lang,
                            failed=READ_FAILED)
        if topics is None:
            return
        shown = self.view.topic.id if self.view.topic else None
        listed = [topic.id for topic in self.topics]
        self.topics = topics
        if [topic.id for topic in topics] != listed or any(
                topic.is_own for topic in topics):  # an own topic's title may have changed
            self._list_again()
        again = next((topic for topic in topics if topic.id == shown), None)
        if again is not None:
            self.view.topic = again  # where the person had scrolled to is kept
        elif self.topic_list.highlighted is not None:
            self.view.show(self.topics[self.topic_list.highlighted])
        else:
            self.view.topic = None
        self._count_own()

    def open(self, topic_id: str, step_id: str | None = None) -> None:
        """Show one topic (and step), as when it is found with the command palette."""
        if not any(topic.id == topic_id for topic in self.topics):
            self.reload()  # written since the tab was listed: by another window, say
        index = next((i for i, topic in enumerate(self.topics) if topic.id == topic_id), None)
        if index is None:
            return
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
            self._mark_topic_keys()
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

    # The shop's own topics

    def _mark_topic_keys(self) -> None:
        """Under the list, the keys that change the shop's topic on screen."""
        topic = self.view.topic
        own = topic is not None and topic.origin == "shop"
        self.topic_list.border_subtitle = t("topics.own_keys", self.app.lang) if own else None

    def _count_own(self) -> None:
        """How many of the shop's topics of this tab are removed, and how many notes and flags
        are orphaned: the keys that show them are offered, and the line says so, only then."""
        def count() -> tuple[int, int]:
            removed = sum(topic.category == self.category
                          for topic in self.desk.own_topics(removed=True))
            return removed, len(self.desk.orphaned_notes()) + len(self.desk.orphaned_flags())

        counted = run_change(self, count, self.app.lang, failed=READ_FAILED)
        if counted is not None and counted != (self._removed, self._orphans):
            self._removed, self._orphans = counted
            self._say_orphans()
            self.screen.refresh_bindings()

    def _say_orphans(self) -> None:
        line = self.orphans_line
        if self._orphans:
            line.update(Text(t("orphans.line", self.app.lang, count=self._orphans)))
        line.set_class(bool(self._orphans), "-shown")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "removed_topics":
            return self._removed > 0
        if action == "orphans":
            return self._orphans > 0
        return True

    @on(events.Click, ".orphans-line")
    def _orphans_clicked(self) -> None:
        self.action_orphans()

    def action_new_topic(self) -> None:
        from posdesk.ui.dialogs.topic_form import TopicForm

        self.app.push_screen(TopicForm(self.desk, self.category), self._written)

    def _own_shown(self) -> Topic | None:
        """The shop's topic on screen, as stored; else None, after saying why it cannot be
        changed (a shipped or a chain topic)."""
        topic = self.view.topic
        if topic is None:
            return None
        if topic.origin != "shop":
            lang = self.app.lang
            self.notify(told(not_changeable(topic, topic.title(lang)), lang), severity="warning")
            return None
        return run_change(self, lambda: self._stored(topic.id), self.app.lang,
                          failed=READ_FAILED)

    def _stored(self, topic_id: str) -> Topic:
        """The shop's topic as stored now; gone (removed in another window, say), the list is
        read again and the person told."""
        stored = self.desk.kb.topic(topic_id)
        if stored is None:
            self.call_later(self.reload)
            raise UnknownId(topic_id)
        return stored

    def action_edit_topic(self) -> None:
        from posdesk.ui.dialogs.topic_form import TopicForm

        topic = self._own_shown()
        if topic is not None:
            self.app.push_screen(TopicForm(self.desk, self.category, topic), self._written)

    def _written(self, topic: Topic | None) -> None:
        if topic is not None:
            self.reload()
            self.open(topic.id)

    def action_remove_topic(self) -> None:
        from posdesk.ui.dialogs.confirm import Confirm

        topic = self._own_shown()
        if topic is None:
            return
        lang = self.app.lang

        def answered(remove: bool | None) -> None:
            if not remove:
                return
            removed = run_change(self, lambda: self.desk.remove_own_topic(topic.id), lang)
            if removed is not None:
                self.notify(t("topics.removed", lang, title=removed.title(lang)))
                self.reload()
                self.focus_topics()

        self.app.push_screen(
            Confirm(t("topics.remove_question", lang, title=topic.title(lang))), answered)

    def action_removed_topics(self) -> None:
        from posdesk.ui.dialogs.removed_topics import RemovedTopics

        self.app.open_screen(lambda: RemovedTopics(self.desk, self.category), self._written)

    def action_orphans(self) -> None:
        from posdesk.ui.dialogs.orphans import Orphans

        def closed(moved: bool | None) -> None:
            if moved:  # the topic shown may have a note more now
                self.view.refresh(recompose=True)
            self._count_own()

        self.app.open_screen(lambda: Orphans(self.desk), closed)
