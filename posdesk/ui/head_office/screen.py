"""The head office's main screen: the tabs and their keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher

from posdesk.i18n import t
from posdesk.ui.head_office.compliance import CompliancePane
from posdesk.ui.head_office.escalations import EscalationsPane
from posdesk.ui.head_office.incidents import ChainIncidentsPane
from posdesk.ui.head_office.insights import ChainInsightsPane
from posdesk.ui.head_office.reading import ReadingPane
from posdesk.ui.widgets.bars import KeyBar, TabBar

PANES = {"incidents": ChainIncidentsPane, "escalations": EscalationsPane,
         "compliance": CompliancePane, "insights": ChainInsightsPane}
TABS = tuple(PANES)


class HeadOfficeScreen(Screen[None]):
    """Every tab is made at once, but reads only when it is first shown; `r` reads the tab on
    screen again, and the others when they are next shown."""

    DEFAULT_CSS = """
    HeadOfficeScreen #panes { height: 1fr; }
    """
    BINDINGS = [
        Binding("1", "show_tab('incidents')", "tabs", key_display="1-4", show=False),
        Binding("2", "show_tab('escalations')", "tabs", show=False),
        Binding("3", "show_tab('compliance')", "tabs", show=False),
        Binding("4", "show_tab('insights')", "tabs", show=False),
        Binding("r", "refresh", "refresh"),
    ]

    def compose(self) -> ComposeResult:
        yield TabBar(self._tab_labels(), TABS[0])
        with ContentSwitcher(initial=f"pane-{TABS[0]}", id="panes"):
            for name, pane in PANES.items():
                yield pane(id=f"pane-{name}")
        yield KeyBar()

    def _tab_labels(self) -> tuple[tuple[str, str], ...]:
        return tuple((name, t(f"head_office.tab.{name}", self.app.lang)) for name in TABS)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        self.action_show_tab(TABS[0])

    def _language_changed(self) -> None:
        self.query_one(TabBar).labels = self._tab_labels()

    def pane(self, name: str) -> ReadingPane:
        return self.query_one(f"#pane-{name}", ReadingPane)

    def current(self) -> ReadingPane:
        return self.pane(self.query_one(TabBar).active)

    def action_show_tab(self, name: str) -> None:
        self.query_one("#panes", ContentSwitcher).current = f"pane-{name}"
        self.query_one(TabBar).active = name
        pane = self.pane(name)
        pane.focus_main()
        pane.shown()

    def action_refresh(self) -> None:
        """Read the tab on screen again; the others read again when they are next shown."""
        for pane in self.query(ReadingPane):
            pane.asked_once = False
        self.current().reload()
