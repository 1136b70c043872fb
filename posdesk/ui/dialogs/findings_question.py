"""Asked when a checklist is saved with items left unticked: they are findings, so should an
incident follow them up?"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from posdesk.i18n import t
from posdesk.ui.dialogs.dialog import Dialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import dialog_buttons


class FindingsQuestion(Dialog[bool | None]):
    """Dismisses with True (record them and open an incident), False (record them only) or
    None (go back to the checklist)."""

    BINDINGS = [
        Binding("o", "open_for_findings", "open incident"),
        Binding("r", "record_only", "record only"),
        Binding("escape", "back", "back"),
    ]

    def __init__(self, findings: list[str]) -> None:
        super().__init__()
        self.findings = findings

    def compose(self) -> ComposeResult:
        lang, count = self.app.lang, len(self.findings)
        with Vertical(classes="dialog wide"):
            question = "findings.question_one" if count == 1 else "findings.question_many"
            yield Static(Text(t(question, lang, count=count)), classes="dialog-title")
            yield Static(Text("\n".join(f"- {line}" for line in self.findings)))
            yield dialog_buttons(lang, ("findings-open", "key.open_for_findings", "o"),
                                 ("findings-record", "key.record_only", "r"),
                                 ("findings-back", "key.back", "esc"))
        yield KeyBar()

    def action_open_for_findings(self) -> None:
        self.dismiss(True)

    def action_record_only(self) -> None:
        self.dismiss(False)

    def action_back(self) -> None:
        self.dismiss(None)
