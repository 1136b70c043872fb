"""Which format to export the listed incidents in; the report is written when one is chosen."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from posdesk.desk import Desk
from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.ui.changes import run_change
from posdesk.ui.dialogs.dialog import ChoiceDialog
from posdesk.ui.widgets.bars import KeyBar
from posdesk.ui.widgets.dialog_buttons import cancel_only


class ExportChoice(ChoiceDialog[str | None]):
    """Writes the report in the chosen format and says where; dismisses with "csv", "json"
    or "md", or with None when nothing was written."""

    def __init__(self, desk: Desk, incidents: list[Incident]) -> None:
        super().__init__()
        self.desk = desk
        self.incidents = incidents

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        with Vertical(classes="dialog"):
            yield Static(Text(t("export.title", lang, count=len(self.incidents))),
                         classes="dialog-title")
            yield OptionList(*(Option(Text(t(f"export.{fmt}", lang)), id=fmt)
                               for fmt in ("csv", "json", "md")), id="export-formats")
            yield cancel_only(lang, "choice")
        yield KeyBar()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        fmt, lang = event.option.id, self.app.lang
        # The listed incidents are read whole again here: their files may have gone bad since.
        text = run_change(self, lambda: self.desk.export(self.incidents, fmt, lang), lang,
                          failed="screen.read_failed")
        if text is None:
            self.dismiss(None)
            return
        name = f"incidents-{datetime.now():%Y%m%d-%H%M%S}.{fmt}"
        path = run_change(self, lambda: self.desk.write_report(text, name), lang)
        if path is not None:
            self.notify(t("export.saved", lang, path=path))
        self.dismiss(fmt if path is not None else None)
