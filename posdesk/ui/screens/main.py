"""The main screen: the tabs and their keys, what the topic on screen offers to do, and the
look at what is still open or due once the first screen is up."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher

from posdesk.i18n import t
from posdesk.models import CATEGORIES, Incident, ResponseCode, RoutineEntry, RoutineState, Topic
from posdesk.ui import learning_keys
from posdesk.ui.changes import PROBLEMS, READ_FAILED, reason, run_change
from posdesk.ui.memory import resume_collections
from posdesk.ui.messages import OpenGuidance
from posdesk.ui.panes.guidance import GuidancePane
from posdesk.ui.start_flow import start_incident, troubleshoot
from posdesk.ui.widgets.bars import KeyBar, TabBar
from posdesk.ui.widgets.learned import read_learned
from posdesk.ui.widgets.topic_view import TopicView
from posdesk.wording import today_notice

if TYPE_CHECKING:
    from posdesk.desk import Desk
    from posdesk.ui.panes.incidents import IncidentsPane

# Dialogs, other screens and the Incidents tab are imported where they are first opened:
# start-up only pays for the first tab.

TABS = (*CATEGORIES, "incidents")
LEARNING_ACTIONS = ("add_note", "shop_notes", "restore_note", "flag_step", "withdraw_flag")


class MainScreen(Screen[None]):
    """Each tab's pane is made and mounted the first time it is shown. The keys bound here
    are this screen's alone: under a dialog or another screen they do nothing."""

    DEFAULT_CSS = """
    MainScreen #panes { height: 1fr; }
    /* Under 80 columns the Incidents tab's filters take two lines, so that the search box
       stays on screen. */
    MainScreen.-narrow #filter-bar {
        layout: grid;
        grid-size: 3 2;
        grid-columns: 15 21 1fr;
        grid-gutter: 0 0;
        height: 2;
        #filter-text { column-span: 2; width: 1fr; }
    }
    """
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]
    BINDINGS = [
        Binding("1", "show_tab('fault')", "tabs", key_display="1-5", show=False),
        Binding("2", "show_tab('maintenance')", "tabs", show=False),
        Binding("3", "show_tab('security')", "tabs", show=False),
        Binding("4", "show_tab('transaction')", "tabs", show=False),
        Binding("5", "show_tab('incidents')", "tabs", show=False),
        Binding("s", "start_troubleshooting", "troubleshoot"),
        Binding("c", "code_lookup", "code"),
        Binding("d", "mark_done", "done"),
        Binding("k", "checklist", "checklist"),
        Binding("exclamation_mark", "report_suspicious", "report", key_display="!"),
        Binding("i", "today", "today"),
        Binding("T", "terminals", "terminals", show=False),
        Binding("comma", "settings", "settings", key_display=",", show=False),
        # The shop's words on the guidance: listed by ? (the key bar has no room at 80 columns)
        # and offered on every topic, where a click runs them too.
        Binding("a", "add_note", "note", show=False),
        Binding("m", "shop_notes", "notes", show=False),
        Binding("u", "restore_note", "restore note", show=False),
        Binding("x", "flag_step", "flag", show=False),
        Binding("X", "withdraw_flag", "withdraw flag", show=False),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self._keys_offered: tuple[object, ...] = ("fault", False, False)  # the first tab's
        self._mounting: dict[str, AwaitMount] = {}  # tab panes made but not yet mounted
        self._started = desk.now()

    def compose(self) -> ComposeResult:
        first = TABS[0]
        yield TabBar(self._tab_labels(), first)
        with ContentSwitcher(initial=f"pane-{first}", id="panes"):
            yield self._new_pane(first)
        yield KeyBar()

    def _tab_labels(self) -> tuple[tuple[str, str], ...]:
        lang = self.app.lang
        return tuple((name, t(f"category.{name}" if name in CATEGORIES else f"tab.{name}", lang))
                     for name in TABS)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        self.pane("fault").focus_topics()
        self.call_after_refresh(self._first_screen_painted)

    def _first_screen_painted(self) -> None:
        resume_collections()  # held while the first screen was drawn (see ui/memory.py)
        wanted = self.app.offer_set_up and run_change(
            self, self.desk.set_up_wanted, self.app.lang, failed="screen.read_failed")
        if wanted:  # the day's lookup waits for it: routines begin when it ends
            from posdesk.ui.dialogs.set_up import run_set_up

            run_set_up(self.app, self.desk, then=self._set_up_ended)
        else:
            self._look_at_today()

    def _set_up_ended(self) -> None:
        self._lines_changed()  # a terminal and its bank's line may be on record now
        self._look_at_today()

    def _language_changed(self) -> None:
        self.query_one(TabBar).labels = self._tab_labels()

    # The start-up lookup

    @work(thread=True, exit_on_error=False, group="today")
    def _look_at_today(self) -> None:
        """After the first screen is up: reading a long history must not delay it."""
        lang = self.app.lang
        try:
            self.desk.daily_backup()
        except PROBLEMS as error:  # the day's lookup goes on without it
            self.app.call_from_thread(self.notify, t("backup.failed", lang,
                                                     error=reason(error, lang)),
                                      severity="warning")
        unfinished = [i for i in self.desk.unfinished_incidents()  # not one started just now
                      if datetime.fromisoformat(i.opened_at) < self._started]
        self.app.call_from_thread(self._tell_today, unfinished, self.desk.due())

    def _tell_today(self, unfinished: list[Incident], due: list[RoutineState]) -> None:
        """An incident left half-way matters most: ask at once, unless the person is already
        busy on another screen (they pressed a key before the lookup finished); routines must
        never stand between a hurried person and the fault, so they get a notice."""
        if unfinished and self.app.screen is self:
            self._show_today(unfinished, due)
        elif unfinished or due:
            _, urgent = today_notice(len(unfinished), due, self.app.lang)
            self.app.notify_worded(lambda lang: today_notice(len(unfinished), due, lang)[0],
                                   severity="warning" if urgent else "information")

    def action_today(self) -> None:
        today = run_change(self, lambda: (self.desk.unfinished_incidents(), self.desk.due()),
                           self.app.lang, failed="screen.read_failed")
        if today is not None:
            self._show_today(*today)

    def _show_today(self, unfinished: list[Incident], due: list[RoutineState]) -> None:
        from posdesk.ui.dialogs.today import TodayScreen

        async def pick(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            kind, item_id = choice
            if kind == "incident":
                incident = run_change(self, lambda: self.desk.incident(item_id), self.app.lang)
                if incident is not None:
                    troubleshoot(self, self.desk, incident, self._incidents_changed)
            else:
                await self.open_guidance(item_id)

        self.app.push_screen(TodayScreen(unfinished, due), pick)

    # Tabs

    def pane(self, category: str) -> GuidancePane:
        return self._tab_pane(category)

    def _tab_pane(self, name: str) -> Widget:
        panes = self.query_one("#panes", ContentSwitcher)
        try:
            return panes.get_child_by_id(f"pane-{name}")
        except NoMatches:
            pane = self._new_pane(name)
            pane.display = False
            self._mounting[name] = panes.mount(pane)
            return pane

    def _new_pane(self, name: str) -> Widget:
        if name in CATEGORIES:
            return GuidancePane(self.desk, name, id=f"pane-{name}")
        from posdesk.ui.panes.incidents import IncidentsPane

        return IncidentsPane(self.desk, id=f"pane-{name}")

    def _lines_changed(self, _: object = None) -> None:
        """The terminals or the settings may name other hotlines now: the guidance shown
        names them too."""
        for pane in self.query(GuidancePane):
            pane.reload()

    def _incidents_changed(self) -> None:
        """An open Incidents tab lists them again; one never opened lists them when it is."""
        for pane in self.query("#pane-incidents"):
            pane.reload()

    async def action_show_tab(self, name: str) -> None:
        pane = self._tab_pane(name)
        if mounting := self._mounting.pop(name, None):
            await mounting  # a pane's parts take focus only once they are mounted
        self.query_one("#panes", ContentSwitcher).current = pane.id
        self.query_one(TabBar).active = name
        if name == "incidents":
            await pane.focus_table()
        else:
            pane.focus_topics()

    @on(OpenGuidance)
    async def _open_found(self, message: OpenGuidance) -> None:
        await self.open_guidance(message.topic_id, message.step_id)

    async def open_guidance(self, topic_id: str, step_id: str | None = None) -> None:
        """Switch to the topic's tab and show it, scrolled to the step when one is given."""
        topic = run_change(self, lambda: self.desk.topic(topic_id), self.app.lang,
                           failed=READ_FAILED)
        if topic is None:  # removed since it was found (by another window, say): said, and
            self._lines_changed()  # the tabs list what there is now
            return
        await self.action_show_tab(topic.category)
        self.pane(topic.category).open(topic_id, step_id)

    # What the topic on screen offers

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        topic = self.current_topic()
        if action == "start_troubleshooting":
            return topic is not None and topic.category == "fault"
        if action == "mark_done":
            return topic is not None and bool(topic.cadence_days)
        if action == "checklist":
            return (topic is not None and not topic.cadence_days
                    and self.desk.kb.checklist(topic.id) is not None)
        if action == "report_suspicious":
            return topic is not None and topic.category == "transaction"
        if action in LEARNING_ACTIONS:
            return topic is not None
        return True

    def current_topic(self) -> Topic | None:
        """The topic on screen in the active guidance tab, if any."""
        name = self.query_one(TabBar).active
        return self.pane(name).view.topic if name in CATEGORIES else None

    @on(TopicView.Shown)
    def _offer_keys(self, event: TopicView.Shown) -> None:
        """The keys are looked at again only when those a topic offers change."""
        topic = event.topic
        self._show_learned(event.view)
        offered = (topic.category, bool(topic.cadence_days),
                   self.desk.kb.checklist(topic.id) is not None)
        if offered != self._keys_offered:
            self._keys_offered = offered
            self.refresh_bindings()

    # The shop's notes and flags beside the guidance

    def on_screen_resume(self) -> None:
        """Back from the flow (where a note may have been added) or another screen."""
        for view in self.query(TopicView):
            if view.topic is not None:
                self._show_learned(view)

    def _show_learned(self, view: TopicView) -> None:
        """The notes and flags on the topic the view shows; a store that cannot be read
        leaves them out, as it leaves out a routine's history."""
        topic = view.topic
        if topic is None:
            return
        learned = run_change(self, lambda: read_learned(self.desk, topic), self.app.lang,
                             failed=READ_FAILED)
        if learned is not None and learned != view.learned:
            view.learned = learned

    def _learned_changed(self) -> None:
        name = self.query_one(TabBar).active
        if name in CATEGORIES:
            self._show_learned(self.pane(name).view)

    def _on_topic(self, act) -> None:
        topic = self.current_topic()
        if topic is not None:
            act(self, self.desk, topic, self._learned_changed)

    def action_add_note(self) -> None:
        self._on_topic(learning_keys.add_note)

    def action_shop_notes(self) -> None:
        self._on_topic(learning_keys.manage_notes)

    def action_restore_note(self) -> None:
        self._on_topic(learning_keys.restore_note)

    def action_flag_step(self) -> None:
        self._on_topic(learning_keys.flag_step)

    def action_withdraw_flag(self) -> None:
        self._on_topic(learning_keys.withdraw_flag)

    def action_mark_done(self) -> None:
        self._record_done()

    def action_checklist(self) -> None:
        self._record_done()

    def _record_done(self) -> None:
        from posdesk.ui.dialogs.mark_done import MarkDone

        topic = self.current_topic()
        if topic is None:
            return

        def recorded(entry: RoutineEntry | None) -> None:
            if entry is not None:  # the dialog has said what was saved
                if entry.incident_id:
                    self._incidents_changed()
                self.pane(topic.category).show_records(topic)

        self.app.open_screen(lambda: MarkDone(self.desk, topic), recorded)

    def action_report_suspicious(self) -> None:
        from posdesk.ui.dialogs.text_prompt import TextPrompt

        topic = self.current_topic()
        terminals = run_change(self, self.desk.terminals, self.app.lang,
                               failed="screen.read_failed")
        if topic is None or terminals is None:
            return
        # The shop's only terminal is the one it happened at; with several, none is guessed.
        terminal_id = terminals[0].id if len(terminals) == 1 else None

        def reported(incident: Incident | None) -> None:
            if incident is not None:
                self.notify(t("suspicious.saved", self.app.lang, id=incident.id))
                self._incidents_changed()

        self.app.push_screen(TextPrompt(t("suspicious.prompt", self.app.lang),
                             lambda what: self.desk.start_incident(topic.id, note=what,
                                                                   terminal_id=terminal_id)),
                             reported)

    def action_terminals(self) -> None:
        from posdesk.ui.screens.terminals import TerminalsScreen

        self.app.open_screen(lambda: TerminalsScreen(self.desk), self._lines_changed)

    def action_start_troubleshooting(self) -> None:
        topic = self.pane("fault").view.topic
        if topic is not None:
            start_incident(self, self.desk, topic.id, done=self._incidents_changed)

    def action_code_lookup(self) -> None:
        from posdesk.ui.dialogs.code_lookup import CodeLookup

        def start(code: ResponseCode | None) -> None:
            if code is not None and code.topic_id:
                start_incident(self, self.desk, code.topic_id, code.code,
                               done=self._incidents_changed)

        self.app.push_screen(CodeLookup(self.desk), start)

    def action_settings(self) -> None:
        from posdesk.ui.dialogs.settings import SettingsScreen

        self.app.open_screen(lambda: SettingsScreen(self.desk), self._lines_changed)

    # The Incidents tab asks

    def on_incidents_pane_open_incident(self, event: IncidentsPane.OpenIncident) -> None:
        from posdesk.ui.screens.incident import IncidentScreen

        incident = run_change(self, lambda: self.desk.incident(event.incident_id), self.app.lang)
        if incident is not None:
            self.app.push_screen(IncidentScreen(self.desk, incident),
                                 lambda _: self._incidents_changed())

    def on_incidents_pane_export_listing(self, event: IncidentsPane.ExportListing) -> None:
        from posdesk.ui.dialogs.export_choice import ExportChoice

        self.app.push_screen(ExportChoice(self.desk, event.incidents))
