"""The shop's settings: the bank's hotline, the numbers of banks posdesk's table does not know,
and how often each routine comes due.
(The language is switched with `l` anywhere.)"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Static

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.schedule import BadCadence, Cadence
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import FormDialog, field_label
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import save_and_cancel
from posdesk.ui.widgets.safe_fields import SafeInput


class SettingsScreen(FormDialog[bool]):

    CANCELLED = False
    AUTO_FOCUS = "#hotline"  # the first field to fill, below the set-up button

    DEFAULT_CSS = """
    SettingsScreen .cadence-row {
        height: 1;
    }
    SettingsScreen .cadence-title {
        width: 1fr;
    }
    SettingsScreen .cadence-row Input {
        width: 8;
    }
    SettingsScreen .cadence-row Input.bank-number {
        width: 24;
    }
    """

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.routines = desk.kb.routines()
        settings = desk.settings()  # read once, here, so a failure to read stops the opening
        self.hotline = settings.hotline
        self.bank_lines = desk.lines_to_give()
        self.cadences = {routine.id: str(desk.cadence(routine.id, settings))
                         for routine in self.routines}

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with VerticalScroll(classes="dialog wide tall"):
            yield Static(Text(t("settings.title", lang)), classes="dialog-title")
            # The first-run set-up, offered again: the shop, its terminal, its bank.
            yield Button(t("set_up.again", lang), id="settings-set-up", compact=True,
                         action="screen.set_up_again")
            yield field_label(t("settings.hotline", lang))
            yield SafeInput(self.hotline, id="hotline", max_length=40, compact=True)
            if self.bank_lines:
                yield Static(Text(t("settings.bank_lines", lang)), classes="label")
            for number, line in enumerate(self.bank_lines):
                with Horizontal(classes="cadence-row"):
                    yield Static(Text(line.bank(lang)), classes="cadence-title")
                    yield SafeInput(line.number or "", id=f"bank-line-{number}", max_length=40,
                                    compact=True, classes="bank-number")
            yield Static(Text(t("settings.cadences", lang)), classes="label")
            for routine in self.routines:
                with Horizontal(classes="cadence-row"):
                    yield Static(Text(routine.title(lang)), classes="cadence-title")
                    yield SafeInput(self.cadences[routine.id], id=f"cadence-{_safe(routine.id)}",
                                max_length=5, compact=True)
            yield Static(Text(""), id="settings-message", classes="message")
            yield save_and_cancel(lang, "settings")
        yield KeyBar()

    def _say(self, message: str) -> None:
        self.query_one("#settings-message", Static).update(Text(message))

    def action_save(self) -> None:
        changed = []
        for routine in self.routines:  # every cadence must read before anything is saved
            field = self.query_one(f"#cadence-{_safe(routine.id)}", Input)
            if field.value.strip() == self.cadences[routine.id]:
                continue
            try:
                Cadence.parse(field.value)
            except BadCadence:
                lang = self.app.lang
                self._say(t("settings.bad_cadence", lang, title=routine.title(lang),
                            value=field.value))
                field.focus()
                return
            changed.append((routine.id, field.value))

        numbers = [(line, self.query_one(f"#bank-line-{n}", Input).value.strip())
                   for n, line in enumerate(self.bank_lines)]

        def save() -> bool:
            self.desk.set_hotline(self.query_one("#hotline", Input).value)
            for line, number in numbers:
                if number and number != line.number:  # an empty one is asked for later
                    self.desk.set_bank_line(line.bank.zh, number)
            for routine_id, value in changed:
                self.desk.set_cadence(routine_id, value)
            return True

        if run_change(self, save, self.app.lang, say=self._say,
                      typed=(self.query_one("#hotline", Input).value,
                             *(number for _, number in numbers))):
            self.app.notify(t("settings.saved", self.app.lang))
            self.dismiss(True)

    def action_set_up_again(self) -> None:
        from posdesk.ui.dialogs.set_up import run_set_up

        # Over this dialog, which closes when it ends (what was typed here is not saved: the
        # set-up saves its own parts), so that the screens read the new lines again.
        run_set_up(self.app, self.desk, then=lambda: self.dismiss(True))


def _safe(routine_id: str) -> str:
    return routine_id.replace(".", "-")
