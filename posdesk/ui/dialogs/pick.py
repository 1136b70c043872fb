"""Choose one of a few things listed (one of the shop's notes, one of a topic's flags)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import cancel_only


class Pick(ChoiceDialog[str | None]):
    """Lists `choices` ((id, text) pairs, the text people's words as plain text) under a title
    and a hint; dismisses with the id chosen, or None."""

    def __init__(self, title: str, hint: str, choices: list[tuple[str, Text]]) -> None:
        super().__init__()
        self.title_shown = title
        self.hint = hint
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self.title_shown), classes="dialog-title")
            yield Static(Text(self.hint), classes="hint")
            yield OptionList(*(Option(text, id=choice_id) for choice_id, text in self.choices),
                             id="pick-options")
            yield Static(Text(""), classes="message")
            yield cancel_only(self.app.lang, "pick")
        yield KeyBar()

    def on_mount(self) -> None:
        self.focus_first_choice()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
