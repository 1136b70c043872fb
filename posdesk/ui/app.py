"""The full-screen app: the language, the keys that work everywhere, and the main screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.notifications import Notification, Notify
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

from posdesk.desk import Desk
from posdesk.i18n import other_language, t
from posdesk.ui.changes import PROBLEMS, run_change
from posdesk.ui.commands import GuidanceCommands
from posdesk.ui.keys import key_description
from posdesk.ui.memory import freeze_long_lived, hold_collections, resume_collections
from posdesk.ui.messages import RecordsChanged
from posdesk.ui.screens.main import MainScreen
from posdesk.ui.widgets.bars import BarStatus, KeyBar
from posdesk.ui.wrapping import install as keep_punctuation_at_line_ends

if TYPE_CHECKING:
    from posdesk.ui.chain_sync import ChainSync

keep_punctuation_at_line_ends()

# Keys that Textual's own widgets handle, listed on the cheat sheet beside the app's bindings.
WIDGET_KEYS = (("↑ ↓", "key.cursor"), ("enter", "key.select"), ("tab", "key.focus_next"),
               ("pgup pgdn", "key.scroll"), ("esc", "key.close"))

# How long a notice stays, by how much it matters: "saved" is seen at a glance; a warning or
# an error is read, and may be acted on.
NOTICE_SECONDS = {"information": 3.5, "warning": 8, "error": 10}


class BilingualApp(App[None]):
    """What every posdesk app shares, the shop's and the head office's: one language for every
    screen, notices as plain text worded in it, the cheat sheet of keys, and what the key bar
    says at its right end."""

    # Notices come down from the top right, under the tab bar (so every tab stays readable) and
    # over a dialog's title rather than over its buttons, which sit at its foot.
    CSS = """
    ToastRack {
        dock: top;
        align: right top;
        margin-top: 1;
        margin-bottom: 0;
    }
    Toast {
        max-width: 70%;
        margin-top: 0;
        padding: 0 1;
    }
    """

    TITLE_KEY = "app.title"  # the i18n key of the title the header shows

    # The one language of every screen: they read it as they draw, and watch it to draw again.
    lang: reactive[str] = reactive("en", init=False)

    def __init__(self, lang: str = "en") -> None:
        super().__init__()
        self.set_reactive(BilingualApp.lang, lang)
        self.title = t(self.TITLE_KEY, lang)
        self._worded: list[tuple[Notification, Callable[[str], str]]] = []
        # What every key bar says at its right end: chain mode's sync, when the shop joined.
        self.bar_status: BarStatus | None = None

    def notify(self, message: str, severity: str = "information", **options) -> None:
        """Every notice is plain text: posdesk's carry people's words (a terminal's name, a
        path, a note), which must never be read as markup — "[/]" would end the app. How long
        it stays follows from its severity alone (NOTICE_SECONDS), so notices agree."""
        options.pop("timeout", None)
        super().notify(message, severity=severity, timeout=NOTICE_SECONDS[severity],
                       **{**options, "markup": False})

    def notify_worded(self, word: Callable[[str], str], severity: str = "information",
                      timeout: float | None = None) -> None:
        """A notice that may outlive a press of `l`: worded by `word(lang)`, and worded again
        in the new language should it still be up then (for the time it had left)."""
        notification = Notification(word(self.lang), severity=severity, markup=False,
                                    timeout=NOTICE_SECONDS[severity] if timeout is None else timeout)
        self._worded = [(n, w) for n, w in self._worded if n in self._notifications]
        self._worded.append((notification, word))
        self.post_message(Notify(notification))

    def _reword_notices(self) -> None:
        """In the new language: the notices that can be worded again are; the others, said in
        the old one, go (one language per screen)."""
        worded, self._worded = self._worded, []
        rewordable = {id(notification) for notification, _ in worded}
        for notification in list(self._notifications):
            if id(notification) not in rewordable:
                self._unnotify(notification)
        for notification, word in worded:
            if notification in self._notifications and notification.time_left > 0:
                self._unnotify(notification)
                self.notify_worded(word, severity=notification.severity,
                                   timeout=notification.time_left)

    def open_screen(self, make: Callable[[], Screen], callback: Callable | None = None) -> None:
        """Push the screen `make` builds from the records; if they cannot be read, say why in
        one line and stay where we are."""
        screen = run_change(self, make, self.lang, failed="screen.read_failed")
        if screen is not None:
            self.push_screen(screen, callback)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_language":
            return bool(self.screen_stack) and not isinstance(self.screen, ModalScreen)
        return True

    def action_toggle_language(self) -> None:
        self.lang = other_language(self.lang)
        self.notify(t("language.switched", self.lang))

    def watch_lang(self) -> None:
        self.title = t(self.TITLE_KEY, self.lang)
        self._reword_notices()
        self.refresh_bindings()  # the key bar words its keys again

    def action_help(self) -> None:
        """The cheat sheet: every key the screen underneath answers, in the current language;
        keys for one thing on one line ("1-5" stands for 1 2 3 4 5)."""
        from posdesk.ui.dialogs.help import HelpScreen

        keys_by_description: dict[str, list[Binding]] = {}
        for active in self.screen.active_bindings.values():
            description = key_description(active.binding, self.lang)
            if description is not None:  # Textual's other widget keys are summed up below
                keys_by_description.setdefault(description, []).append(active.binding)
        sheet = []
        for description, bindings in keys_by_description.items():
            shown = [b for b in bindings if b.key_display] or bindings
            sheet.append((" ".join(self.get_key_display(b) for b in shown), description))
        sheet += [(key, t(name, self.lang)) for key, name in WIDGET_KEYS
                  if t(name, self.lang) not in keys_by_description]
        self.push_screen(HelpScreen(sheet))


class PosdeskApp(BilingualApp):
    """Holds what every screen shares: the desk, the language, and the keys of every screen
    (quit, the cheat sheet, the command palette). The tabs are the main screen's."""

    COMMANDS = {GuidanceCommands}
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "find", show=False, priority=True),
        # On every full screen, so the flow and an incident's page switch too; a text field
        # takes the letter first, and a dialog (words drawn once) does not offer it.
        Binding("l", "toggle_language", "language"),
        Binding("question_mark", "help", "keys", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, desk: Desk, lang: str = "en", *, offer_set_up: bool = False) -> None:
        super().__init__(lang)
        self.desk = desk
        # Whether a first start (no terminal, no set-up done or skipped) offers the set-up:
        # `posdesk` does; tests that are not about it start without.
        self.offer_set_up = offer_set_up
        self.chain_sync: ChainSync | None = None  # only when the shop has joined a chain

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.desk)

    # Chain mode

    def on_ready(self) -> None:
        """Once the first screen is up: a shop that joined a chain syncs in the background
        (posdesk/ui/chain_sync.py); one that did not loads none of it."""
        try:
            joined = self.desk.chain_link() is not None  # no network, no posdesk.central
        except PROBLEMS:  # a link that cannot be read: the status says why, never unheard
            joined = True
        if joined:
            from posdesk.ui.chain_sync import ChainSync

            status = self.desk.sync_status()  # no network: the link and what a pass kept
            self.chain_sync = ChainSync(self, self.desk, status, self.show_bar_status)
            self.chain_sync.start()

    def on_records_changed(self, _: RecordsChanged) -> None:
        if self.chain_sync is not None:
            self.chain_sync.records_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if self.chain_sync is not None:
            self.chain_sync.worker_changed(event.worker)

    def show_bar_status(self, status: BarStatus | None) -> None:
        """Say `status` at the right end of every key bar (None: say nothing there)."""
        self.bar_status = status
        for screen in self.screen_stack:
            for bar in screen.query(KeyBar):
                bar.status_changed()

    def action_toggle_language(self) -> None:
        super().action_toggle_language()
        run_change(self, lambda: self.desk.set_language(self.lang), self.lang,
                   failed="language.save_failed")

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            placeholder = t("palette.placeholder", self.lang)
            self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))


def launch(app: App, **run_options) -> None:
    """Run the full screen: what `posdesk` without a command does. What start-up made lasts
    as long as the app, so it is left out of the garbage collector's passes (see memory.py);
    those passes took longer than drawing the first topic. Until the main screen has drawn
    itself, the collector waits (it is switched on again here should it never be)."""
    freeze_long_lived()
    hold_collections()
    try:
        app.run(**run_options)
    finally:
        resume_collections()
