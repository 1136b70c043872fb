"""The full-screen app: four guidance tabs, a language switch and a palette that finds anything."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, TabbedContent, TabPane

from posdesk.desk import Desk
from posdesk.i18n import other_language, t
from posdesk.models import CATEGORIES, Incident, ResponseCode
from posdesk.store import StoreError
from posdesk.ui.bindings import description_key, localize_bindings
from posdesk.ui.commands import GuidanceCommands
from posdesk.ui.screens.code_lookup import CodeLookup
from posdesk.ui.screens.export_choice import ExportChoice
from posdesk.ui.screens.help import HelpScreen
from posdesk.ui.screens.incident import IncidentScreen
from posdesk.ui.screens.settings import SettingsScreen
from posdesk.ui.screens.troubleshoot import TroubleshootScreen
from posdesk.ui.screens.unfinished import UnfinishedIncidents
from posdesk.ui.widgets.guidance_pane import GuidancePane
from posdesk.ui.widgets.incidents_pane import IncidentsPane
from posdesk.ui.widgets.topic_view import TopicView

# Keys that Textual's own widgets handle, listed on the cheat sheet beside the app's bindings.
WIDGET_KEYS = (("↑ ↓", "key.cursor"), ("enter", "key.select"), ("tab", "key.focus_next"),
               ("pgup pgdn", "key.scroll"), ("escape", "key.close"))

# App keys that only make sense on the tabs, not over the flow or a dialog.
MAIN_SCREEN_ACTIONS = {"show_tab", "start_troubleshooting", "code_lookup", "unfinished", "settings",
                       "toggle_language"}


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
        Binding("i", "unfinished", "open incidents"),
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

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            for category in CATEGORIES:
                with TabPane(t(f"category.{category}", self.lang), id=f"tab-{category}"):
                    yield GuidancePane(self.desk.topics(category), self.lang, id=f"pane-{category}")
            with TabPane(t("tab.incidents", self.lang), id="tab-incidents"):
                yield IncidentsPane(self.desk, self.lang, id="pane-incidents")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._show_language()
        self.pane("fault").focus_topics()
        self._look_for_unfinished()

    @work(thread=True, exit_on_error=False, group="unfinished")
    def _look_for_unfinished(self) -> None:
        """After the first screen is up: reading a long history must not delay it."""
        if self.desk.unfinished_incidents():
            self.call_from_thread(self.action_unfinished)

    def push_screen(self, screen, *args, **kwargs):
        """Every screen's keys are described in the current language, wherever it is opened."""
        if isinstance(screen, Screen):
            localize_bindings(screen, self.lang)
        return super().push_screen(screen, *args, **kwargs)

    def pane(self, category: str) -> GuidancePane:
        return self.query_one(f"#pane-{category}", GuidancePane)

    @property
    def incidents_pane(self) -> IncidentsPane:
        return self.query_one("#pane-incidents", IncidentsPane)

    @on(TabbedContent.TabActivated)
    async def _build_tab(self, event: TabbedContent.TabActivated) -> None:
        name = event.pane.id.removeprefix("tab-")
        if name == "incidents":
            await self.incidents_pane.focus_table()
        else:
            self.pane(name).focus_topics()

    def action_show_tab(self, category: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{category}"

    def open_guidance(self, topic_id: str, step_id: str | None = None) -> None:
        """Switch to the topic's tab and show it, scrolled to the step when one is given."""
        topic = self.desk.topic(topic_id)
        self.action_show_tab(topic.category)
        self.pane(topic.category).open(topic_id, step_id)

    # Troubleshooting

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_SCREEN_ACTIONS and self.screen is not self.screen_stack[0]:
            return False  # the flow and the dialogs have keys of their own
        if action == "start_troubleshooting":
            return self._active_tab() == "fault"
        return True

    def _active_tab(self) -> str:
        return self.query_one(TabbedContent).active.removeprefix("tab-")

    @on(Button.Pressed, "#start-troubleshooting")
    def action_start_troubleshooting(self) -> None:
        topic = self.pane("fault").query_one(TopicView).topic
        if topic is not None:
            self.troubleshoot(self.desk.start_incident(topic.id))

    def troubleshoot(self, incident: Incident, then: Callable[[], None] | None = None) -> None:
        """Open the guided flow; afterwards the Incidents tab (and `then`) show what changed."""
        def done(_: None) -> None:
            self.incidents_pane.reload()
            if then:
                then()

        self.push_screen(TroubleshootScreen(self.desk, incident, self.lang), done)

    @on(IncidentsPane.OpenIncident)
    def _open_incident(self, event: IncidentsPane.OpenIncident) -> None:
        screen = IncidentScreen(self.desk, self.desk.incident(event.incident_id), self.lang)
        self.push_screen(screen, lambda _: self.incidents_pane.reload())

    @on(IncidentsPane.ExportListing)
    def _export_listing(self, event: IncidentsPane.ExportListing) -> None:
        def write(fmt: str | None) -> None:
            if fmt is None:
                return
            text = self.desk.export(event.incidents, fmt, self.lang)
            name = f"incidents-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"
            try:
                path = self.desk.write_report(text, name)
            except OSError as error:
                self.notify(t("flow.save_failed", self.lang, error=error), severity="error")
                return
            self.notify(t("export.saved", self.lang, path=path), timeout=8)

        self.push_screen(ExportChoice(len(event.incidents), self.lang), write)

    def action_code_lookup(self) -> None:
        def start(code: ResponseCode | None) -> None:
            if code is not None and code.topic_id:
                self.troubleshoot(self.desk.start_incident(code.topic_id, code=code.code))

        self.push_screen(CodeLookup(self.desk, self.lang), start)

    def action_unfinished(self) -> None:
        def resume(incident_id: str | None) -> None:
            if incident_id:
                self.troubleshoot(self.desk.incident(incident_id))

        self.push_screen(UnfinishedIncidents(self.desk.unfinished_incidents(), self.lang), resume)

    def action_settings(self) -> None:
        self.push_screen(SettingsScreen(self.desk, self.lang))

    def action_toggle_language(self) -> None:
        self.lang = other_language(self.lang)
        self.notify(t("language.switched", self.lang), timeout=2)
        try:
            self.desk.set_language(self.lang)
        except StoreError as error:
            self.notify(t("language.save_failed", self.lang, error=error), severity="warning")

    def watch_lang(self) -> None:
        self._show_language()
        for category in CATEGORIES:
            self.pane(category).set_language(self.lang)
        self.incidents_pane.set_language(self.lang)

    def _show_language(self) -> None:
        self.title = t("app.title", self.lang)
        self.sub_title = t("app.subtitle", self.lang, version=self.desk.kb.version)
        tabs = self.query_one(TabbedContent)
        for category in CATEGORIES:
            tabs.get_tab(f"tab-{category}").label = t(f"category.{category}", self.lang)
        tabs.get_tab("tab-incidents").label = t("tab.incidents", self.lang)
        localize_bindings(self, self.lang)
        localize_bindings(self.incidents_pane, self.lang)
        self.refresh_bindings()

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            placeholder = t("palette.placeholder", self.lang)
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def action_help(self) -> None:
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
