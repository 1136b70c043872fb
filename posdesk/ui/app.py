"""The full-screen app: four guidance tabs, a language switch and a palette that finds anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import ContentSwitcher

from posdesk.desk import Desk
from posdesk.wording import short_time
from posdesk.i18n import other_language, t
from posdesk.models import CATEGORIES, Incident, ResponseCode, RoutineEntry, RoutineState, Topic
from posdesk.ui.bindings import description_key, localize_bindings
from posdesk.ui.changes import PROBLEMS, reason, run_change
from posdesk.ui.commands import GuidanceCommands
from posdesk.ui.memory import freeze_long_lived
from posdesk.ui.widgets.bars import KeyBar, TabBar
from posdesk.ui.widgets.guidance_pane import GuidancePane
from posdesk.ui.widgets.topic_view import TopicExtras, TopicView

if TYPE_CHECKING:
    from posdesk.ui.widgets.incidents_pane import IncidentsPane

# Keys that Textual's own widgets handle, listed on the cheat sheet beside the app's bindings.
WIDGET_KEYS = (("↑ ↓", "key.cursor"), ("enter", "key.select"), ("tab", "key.focus_next"),
               ("pgup pgdn", "key.scroll"), ("escape", "key.close"))

# Screens, dialogs and the Incidents tab are imported where they are first opened: start-up
# only pays for the first tab.

TABS = (*CATEGORIES, "incidents")

# App keys that only make sense on the tabs, not over the flow or a dialog.
MAIN_SCREEN_ACTIONS = {"show_tab", "start_troubleshooting", "code_lookup", "today", "settings",
                       "toggle_language", "mark_done", "checklist", "report_suspicious", "terminals"}


class PosdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    COMMANDS = {GuidanceCommands}
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
        Binding("ctrl+p", "command_palette", "find", show=False, priority=True),
        Binding("l", "toggle_language", "language"),
        Binding("question_mark", "help", "keys", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, desk: Desk, lang: str = "en") -> None:
        super().__init__()
        self.desk = desk
        self.set_reactive(PosdeskApp.lang, lang)
        # Described before the first compose, so the key bar is drawn in the right language.
        localize_bindings(self, lang)
        self.title = t("app.title", lang)
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
        return tuple((name, t(f"category.{name}" if name in CATEGORIES else f"tab.{name}",
                              self.lang)) for name in TABS)

    def on_mount(self) -> None:
        self.pane("fault").focus_topics()
        self.call_after_refresh(self._look_at_today)  # after the first screen is painted

    @work(thread=True, exit_on_error=False, group="today")
    def _look_at_today(self) -> None:
        """After the first screen is up: reading a long history must not delay it."""
        try:
            self.desk.daily_backup()
        except PROBLEMS as error:  # the day's lookup goes on without it
            self.call_from_thread(self.notify,
                                  t("backup.failed", self.lang, error=reason(error, self.lang)),
                                  severity="warning")
        unfinished = [i for i in self.desk.unfinished_incidents()  # not one started just now
                      if datetime.fromisoformat(i.opened_at) < self._started]
        self.call_from_thread(self._tell_today, unfinished, self.desk.due())

    def _tell_today(self, unfinished: list[Incident], due: list[RoutineState]) -> None:
        """An incident left half-way matters most: ask at once, unless the person is already
        busy on another screen (they pressed a key before the lookup finished); routines must
        never stand between a hurried person and the fault, so they get a notice."""
        if unfinished and len(self.screen_stack) == 1:
            self._show_today(unfinished, due)
        elif unfinished or due:
            overdue = sum(state.overdue for state in due)
            owed = sum(state.due for state in due)
            ahead = sum(state.future_mark is not None for state in due)  # the clock was ahead
            said = [t("today.toast_open", self.lang, count=len(unfinished))] if unfinished else []
            if owed or not ahead:
                said.append(t("today.toast", self.lang, due=owed, overdue=overdue))
            if ahead:
                said.append(t("today.toast_future", self.lang, count=ahead))
            message = " ".join(said)
            urgent = overdue or unfinished or ahead
            self.notify(message, severity="warning" if urgent else "information", timeout=10)

    def notify(self, message: str, **options) -> None:
        """Every notice is plain text: posdesk's carry people's words (a terminal's name, a
        path, a note), which must never be read as markup — "[/]" would end the app."""
        super().notify(message, **{**options, "markup": False})

    def open_screen(self, make: Callable[[], Screen], callback: Callable | None = None) -> None:
        """Push the screen `make` builds from the records; if they cannot be read, say why in
        one line and stay where we are."""
        screen = run_change(self, make, self.lang, failed="screen.read_failed")
        if screen is not None:
            self.push_screen(screen, callback)

    def push_screen(self, screen, *args, **kwargs):
        """Every screen's keys are described in the current language, wherever it is opened."""
        if isinstance(screen, Screen):
            localize_bindings(screen, self.lang)
        return super().push_screen(screen, *args, **kwargs)

    # Tabs: each one's pane is made and mounted the first time it is needed.

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
            return GuidancePane(self.desk.topics(name), self.lang, id=f"pane-{name}")
        from posdesk.ui.widgets.incidents_pane import IncidentsPane

        pane = IncidentsPane(self.desk, self.lang, id=f"pane-{name}")
        localize_bindings(pane, self.lang)
        return pane

    def _mounted_panes(self) -> list[Widget]:
        return list(self.query_one("#panes", ContentSwitcher).children)

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

    async def open_guidance(self, topic_id: str, step_id: str | None = None) -> None:
        """Switch to the topic's tab and show it, scrolled to the step when one is given."""
        topic = self.desk.topic(topic_id)
        await self.action_show_tab(topic.category)
        self.pane(topic.category).open(topic_id, step_id)

    # Troubleshooting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ACTIONS and self.screen is not self.screen_stack[0]:
            return False  # the flow and the dialogs have keys of their own
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
        return True

    def current_topic(self) -> Topic | None:
        """The topic on screen in the active guidance tab, if any."""
        name = self._active_tab()
        if name not in CATEGORIES:
            return None
        return self.pane(name).view.topic

    @on(TopicView.Shown)
    def _add_records(self, event: TopicView.Shown) -> None:
        if self.screen_stack:  # not while the app is closing
            self._show_records(event.view, event.topic)

    def _show_records(self, view: TopicView, topic: Topic) -> None:
        """Routines show where they stand and their history; checklists offer themselves."""
        checklist = self.desk.kb.checklist(topic.id)
        if topic.cadence_days or checklist:
            def records() -> TopicExtras:
                log = tuple(self.desk.routine_log(topic.id)[:20])
                states = tuple(self.desk.routine_states(topic.id)) if topic.cadence_days else ()
                labels = tuple((x.id, x.label()) for x in self.desk.terminals())
                return TopicExtras(states, log, checklist, labels)

            extras = run_change(self, records, self.lang, failed="screen.read_failed")
            if extras is not None:
                view.extras = extras
        # The keys are looked at again only when those a topic offers change.
        offered = (topic.category, bool(topic.cadence_days), checklist is not None)
        if offered != self._keys_offered:
            self._keys_offered = offered
            self.refresh_bindings()

    def action_mark_done(self) -> None:
        self._record_done()

    def action_checklist(self) -> None:
        self._record_done()

    def _record_done(self) -> None:
        from posdesk.ui.screens.mark_done import MarkDone

        topic = self.current_topic()
        if topic is None:
            return

        def recorded(entry: RoutineEntry | None) -> None:
            if entry is None:
                return
            if entry.incident_id:
                self.notify(t("done.finding_opened", self.lang, id=entry.incident_id),
                            severity="warning", timeout=10)
                self._incidents_changed()
            elif entry.findings:
                self.notify(t("done.findings_recorded", self.lang, count=len(entry.findings)),
                            severity="warning")
            elif topic.cadence_days:
                state = run_change(self, lambda: self.desk.routine_states(topic.id), self.lang,
                                   failed="screen.read_failed") or []
                due = next((s for s in state if (s.terminal.id if s.terminal else None)
                            in (entry.terminal_id, None)), None)
                if due is not None:
                    self.notify(t("done.saved", self.lang, next=due.next_due))
            else:
                self.notify(t("done.checklist_saved", self.lang))
            self._show_records(self.pane(topic.category).view, topic)

        self.open_screen(lambda: MarkDone(self.desk, topic, self.lang), recorded)

    def action_report_suspicious(self) -> None:
        from posdesk.ui.screens.text_prompt import TextPrompt

        topic = self.current_topic()
        if topic is None:
            return

        def reported(incident: Incident | None) -> None:
            if incident is not None:
                self.notify(t("suspicious.saved", self.lang, id=incident.id), timeout=8)
                self._incidents_changed()

        self.push_screen(TextPrompt(t("suspicious.prompt", self.lang), self.lang,
                                    lambda what: self.desk.start_incident(topic.id, note=what)),
                         reported)

    def action_terminals(self) -> None:
        from posdesk.ui.screens.terminals import TerminalsScreen

        self.open_screen(lambda: TerminalsScreen(self.desk, self.lang))

    def _active_tab(self) -> str:
        return self.query_one(TabBar).active

    def action_start_troubleshooting(self) -> None:
        topic = self.pane("fault").view.topic
        if topic is not None:
            self.start_incident(topic.id)

    def start_incident(self, topic_id: str, code: str | None = None) -> None:
        """Troubleshoot a fault; with more than one terminal on record, ask which one first.
        A fault still open on that terminal is carried on, never opened twice; a new one is
        recorded with the first thing done in the flow."""
        from posdesk.ui.screens.terminals import TerminalChoice

        terminals = run_change(self, self.desk.terminals, self.lang, failed="screen.read_failed")
        if terminals is None:
            return

        def start(terminal_id: str | None) -> None:
            if terminal_id is None:
                return

            def to_work_on() -> tuple[Incident, bool]:
                unfinished = self.desk.unfinished_incident(topic_id, terminal_id or None)
                if unfinished is not None:
                    return unfinished, True
                return self.desk.new_incident(topic_id, code, terminal_id or None), False

            found = run_change(self, to_work_on, self.lang, failed="screen.read_failed")
            if found is None:
                return
            incident, carried_on = found
            if carried_on:
                self.notify(t("flow.continuing", self.lang, id=incident.id,
                              at=short_time(incident.opened_at)), timeout=6)
            self.troubleshoot(incident)

        if len(terminals) > 1:
            self.push_screen(TerminalChoice(terminals, self.lang), start)
        else:
            start(terminals[0].id if terminals else "")

    def troubleshoot(self, incident: Incident, then: Callable[[], None] | None = None) -> None:
        """Open the guided flow; afterwards the Incidents tab (and `then`) show what changed."""
        from posdesk.ui.screens.troubleshoot import TroubleshootScreen

        def done(_: None) -> None:
            self._incidents_changed()
            if then:
                then()

        self.open_screen(lambda: TroubleshootScreen(self.desk, incident, self.lang), done)

    def on_incidents_pane_open_incident(self, event: IncidentsPane.OpenIncident) -> None:
        from posdesk.ui.screens.incident import IncidentScreen

        incident = run_change(self, lambda: self.desk.incident(event.incident_id), self.lang)
        if incident is not None:
            screen = IncidentScreen(self.desk, incident, self.lang)
            self.push_screen(screen, lambda _: self._incidents_changed())

    def on_incidents_pane_export_listing(self, event: IncidentsPane.ExportListing) -> None:
        from posdesk.ui.screens.export_choice import ExportChoice

        def write(fmt: str | None) -> None:
            if fmt is None:
                return
            text = self.desk.export(event.incidents, fmt, self.lang)
            name = f"incidents-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"
            path = run_change(self, lambda: self.desk.write_report(text, name), self.lang)
            if path is not None:
                self.notify(t("export.saved", self.lang, path=path), timeout=8)

        self.push_screen(ExportChoice(len(event.incidents), self.lang), write)

    def action_code_lookup(self) -> None:
        from posdesk.ui.screens.code_lookup import CodeLookup

        def start(code: ResponseCode | None) -> None:
            if code is not None and code.topic_id:
                self.start_incident(code.topic_id, code.code)

        self.push_screen(CodeLookup(self.desk, self.lang), start)

    def action_today(self) -> None:
        today = run_change(self, lambda: (self.desk.unfinished_incidents(), self.desk.due()),
                           self.lang, failed="screen.read_failed")
        if today is not None:
            self._show_today(*today)

    def _show_today(self, unfinished: list[Incident], due: list[RoutineState]) -> None:
        from posdesk.ui.screens.today import TodayScreen

        async def pick(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            kind, item_id = choice
            if kind == "incident":
                incident = run_change(self, lambda: self.desk.incident(item_id), self.lang)
                if incident is not None:
                    self.troubleshoot(incident)
            else:
                await self.open_guidance(item_id)

        self.push_screen(TodayScreen(unfinished, due, self.lang), pick)

    def action_settings(self) -> None:
        from posdesk.ui.screens.settings import SettingsScreen

        self.open_screen(lambda: SettingsScreen(self.desk, self.lang))

    def action_toggle_language(self) -> None:
        self.lang = other_language(self.lang)
        self.notify(t("language.switched", self.lang), timeout=2)
        run_change(self, lambda: self.desk.set_language(self.lang), self.lang,
                   failed="language.save_failed")

    def watch_lang(self) -> None:
        self.title = t("app.title", self.lang)
        self.query_one(TabBar).labels = self._tab_labels()
        localize_bindings(self, self.lang)
        for pane in self._mounted_panes():  # the others are made in the new language
            localize_bindings(pane, self.lang)
            pane.set_language(self.lang)
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            placeholder = t("palette.placeholder", self.lang)
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def action_help(self) -> None:
        from posdesk.ui.screens.help import HelpScreen

        keys_by_description: dict[str, list[Binding]] = {}
        for active in self.screen.active_bindings.values():
            name = description_key(active.binding)
            if name:  # Textual's other widget keys are summed up by WIDGET_KEYS
                keys_by_description.setdefault(t(name, self.lang), []).append(active.binding)
        sheet = []
        for description, bindings in keys_by_description.items():
            shown = [b for b in bindings if b.key_display] or bindings  # "1-4" stands for 1 2 3 4
            sheet.append((" ".join(self.get_key_display(b) for b in shown), description))
        sheet += [(key, t(name, self.lang)) for key, name in WIDGET_KEYS
                  if t(name, self.lang) not in keys_by_description]
        self.push_screen(HelpScreen(sheet, self.lang))


def launch(app: App, **run_options) -> None:
    """Run the full screen: what `posdesk` without a command does. What start-up made lasts
    as long as the app, so it is left out of the garbage collector's passes (see memory.py);
    those passes took longer than drawing the first topic."""
    freeze_long_lived()
    app.run(**run_options)
