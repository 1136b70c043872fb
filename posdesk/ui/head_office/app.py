"""The head office's app: the language, the keys that work everywhere, and the tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from posdesk.ui.app import BilingualApp
from posdesk.ui.head_office.screen import HeadOfficeScreen

if TYPE_CHECKING:
    from posdesk.desk.head_office import HeadOffice


class HeadOfficeApp(BilingualApp):
    """Holds the head office's reader and the language. It has no desk, so nothing here can
    record or change anything; the language chosen with `l` is not saved either (it would be a
    write), `--lang` or $POSDESK_LANG chooses it at start."""

    TITLE_KEY = "head_office.title"
    ENABLE_COMMAND_PALETTE = False  # it finds guidance, which is the shop's
    BINDINGS = [
        Binding("l", "toggle_language", "language"),
        Binding("question_mark", "help", "keys", key_display="?"),
        Binding("q", "quit", "quit"),
    ]

    def __init__(self, office: HeadOffice, lang: str = "en") -> None:
        super().__init__(lang)
        self.office = office

    def get_default_screen(self) -> HeadOfficeScreen:
        return HeadOfficeScreen()

    def on_unmount(self) -> None:
        self.office.close()
