"""The first-run set-up: the shop's name, then its terminal (model, bank, merchant and serial
number) in the terminal form, then the bank's line when posdesk's table does not know it. Every
part can be left out; what was saved stays, whenever the person leaves."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Terminal
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons
from posdesk.ui.widgets.safe_fields import SafeInput


class SetUpStart(Dialog[bool]):
    """The first part: why, and the shop's name. Dismisses with True to go on to the terminal,
    False when the person skips the whole set-up."""

    BINDINGS = [Binding("ctrl+s", "next", "next", priority=True),
                Binding("escape", "skip_set_up", "skip all")]

    def __init__(self, desk: Desk, shop: str) -> None:
        super().__init__()
        self.desk = desk
        self.shop = shop

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(classes="dialog"):
            yield Static(Text(t("set_up.title", lang)), classes="dialog-title")
            yield Static(Text(t("set_up.intro", lang)), classes="hint")
            yield Static(Text(t("set_up.shop", lang)), classes="label")
            yield SafeInput(self.shop, id="set-up-shop", max_length=80, compact=True)
            yield Static(Text(t("set_up.next_terminal", lang)), classes="label hint")
            yield Static(Text(""), id="set-up-message", classes="message")
            yield dialog_buttons(lang, ("set-up-next", "key.next", "^s"),
                                 ("set-up-skip", "key.skip_set_up", "esc"))
        yield KeyBar()

    @on(Input.Submitted)
    def action_next(self) -> None:
        shop = self.query_one("#set-up-shop", Input).value
        if shop.strip() and shop.strip() != self.shop:
            saved = run_change(self, lambda: self.desk.set_shop_name(shop) or True,
                               self.app.lang, typed=(shop,),
                               say=lambda said: self.query_one("#set-up-message", Static)
                               .update(Text(said)))
            if saved is None:
                return
        self.dismiss(True)

    def action_skip_set_up(self) -> None:
        if self.may_leave():  # a shop's name typed is not dropped at the first esc
            self.dismiss(False)


def run_set_up(app: App, desk: Desk, then: Callable[[], None] = lambda: None) -> None:
    """Offer the set-up; when it ends (done or skipped) record so, say so, and go on."""
    from posdesk.ui.dialogs.bank_line import ask_bank_line
    from posdesk.ui.dialogs.terminal_form import TerminalForm

    settings = run_change(app, desk.settings, app.lang, failed="screen.read_failed")
    if settings is None:
        then()
        return

    def finish(outcome: str, said: str = "set_up.saved") -> None:
        if run_change(app, lambda: desk.finish_set_up(outcome) or True, app.lang) is not None:
            if outcome == "skipped":
                app.notify(t("set_up.skipped", app.lang))
            else:
                due = run_change(app, desk.due, app.lang, failed="screen.read_failed") or []
                first = due[0].title(app.lang) if due else "—"
                app.notify(t(said, app.lang, first=first))
        then()

    def terminal_saved(terminal: Terminal | None) -> None:
        if terminal is None:  # left out: the shop's name, if given, is kept
            terminals = run_change(app, desk.terminals, app.lang, failed="screen.read_failed")
            finish("done", "set_up.saved" if terminals else "set_up.no_terminal")
        else:
            ask_bank_line(app, desk, terminal.id, lambda: finish("done"))

    def started(go_on: bool | None) -> None:
        if not go_on:
            finish("skipped")
            return
        terminals = run_change(app, desk.terminals, app.lang, failed="screen.read_failed")
        app.push_screen(TerminalForm(desk, terminals[0] if terminals else None,
                                     title=t("set_up.terminal_title", app.lang)), terminal_saved)

    app.push_screen(SetUpStart(desk, settings.shop), started)
