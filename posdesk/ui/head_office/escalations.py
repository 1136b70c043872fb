"""Open escalations across shops: every incident waiting on the bank, the longest waiting
first, with the shop, whom it was escalated to, since when and for how long."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult

from posdesk.i18n import t
from posdesk.ui.head_office.reading import Question, ReadingPane, headings
from posdesk.ui.widgets.incident_table import Fit, IncidentTable
from posdesk.wording import duration_text, short_time

if TYPE_CHECKING:
    from posdesk.models.chain import ChainIncidentRow

COLUMNS = ("shop", "id", "opened", "waiting", "fault", "escalated_to")
FITS = tuple({"shop": Fit(8), "opened": Fit(11, keep_end=True), "fault": Fit(14),
              "escalated_to": Fit(10)}.get(column) for column in COLUMNS)


def waiting_minutes(row: ChainIncidentRow, now: datetime) -> float:
    return (now - datetime.fromisoformat(row.opened_at)).total_seconds() / 60


class EscalationsPane(ReadingPane):

    DEFAULT_CSS = """
    EscalationsPane #escalations { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield IncidentTable(id="escalations")
        yield self.status_line()

    def focus_main(self) -> None:
        self.query_one(IncidentTable).focus()

    def question(self) -> Question:
        return lambda office: (office.open_escalations(), datetime.now().astimezone())

    def draw(self, answer: tuple[list[ChainIncidentRow], datetime]) -> None:
        rows, now = answer
        lang = self.app.lang
        cells = [{"shop": row.shop_name, "id": row.incident_id,
                  "opened": short_time(row.opened_text),
                  "waiting": duration_text(waiting_minutes(row, now), lang),
                  "fault": row.topic_title(lang), "escalated_to": row.escalated_to or ""}
                 for row in rows]
        self.query_one(IncidentTable).show_rows(
            headings(COLUMNS, lang),
            [tuple(cell[column] for column in COLUMNS) for cell in cells], FITS)
        self.say(t("head_office.escalations", lang, count=f"{len(rows):,}") if rows
                 else t("head_office.no_escalations", lang))

    @on(IncidentTable.RowSelected)
    def _open(self, event: IncidentTable.RowSelected) -> None:
        rows = self.answer[0] if self.answer is not None else []
        if event.row < len(rows):
            self.open_incident(rows[event.row])
