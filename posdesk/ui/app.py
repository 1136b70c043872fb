"""The full-screen app: four guidance tabs, a language switch and a palette that finds anything."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.widgets import Footer, Header, TabbedContent, TabPane

from posdesk.desk import Desk
from posdesk.i18n import other_language, t
from posdesk.models import CATEGORIES
from posdesk.store import StoreError
from posdesk.ui.bindings import description_key, localize_bindings
from posdesk.ui.commands import GuidanceCommands
from posdesk.ui.screens.help import HelpScreen
from posdesk.ui.widgets.guidance_pane import GuidancePane

# Keys that Textual's own widgets handle, listed on the cheat sheet beside the app's bindings.
WIDGET_KEYS = (("↑ ↓", "key.cursor"), ("enter", "key.select"), ("tab", "key.focus_next"),
               ("pgup pgdn", "key.scroll"), ("escape", "key.close"))


class PosdeskApp(App[None]):
    CSS_PATH = "app.tcss"
    COMMANDS = {GuidanceCommands}
    BINDINGS = [
        Binding("1", "show_tab('fault')", "tabs", key_display="1-4"),
        Binding("2", "show_tab('maintenance')", "tabs", show=False),
        Binding("3", "show_tab('security')", "tabs", show=False),
        Binding("4", "show_tab('transaction')", "tabs", show=False),
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
        yield Footer()

    def on_mount(self) -> None:
        self._show_language()
        self.pane("fault").focus_topics()

    def pane(self, category: str) -> GuidancePane:
        return self.query_one(f"#pane-{category}", GuidancePane)

    @on(TabbedContent.TabActivated)
    def _build_tab(self, event: TabbedContent.TabActivated) -> None:
        category = event.pane.id.removeprefix("tab-")
        self.pane(category).focus_topics()

    def action_show_tab(self, category: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{category}"

    def open_guidance(self, topic_id: str, step_id: str | None = None) -> None:
        """Switch to the topic's tab and show it, scrolled to the step when one is given."""
        topic = self.desk.topic(topic_id)
        self.action_show_tab(topic.category)
        self.pane(topic.category).open(topic_id, step_id)

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

    def _show_language(self) -> None:
        self.title = t("app.title", self.lang)
        self.sub_title = t("app.subtitle", self.lang, version=self.desk.kb.version)
        tabs = self.query_one(TabbedContent)
        for category in CATEGORIES:
            tabs.get_tab(f"tab-{category}").label = t(f"category.{category}", self.lang)
        localize_bindings(self, self.lang)
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
