"""The filters above the list of incidents: status, fault, from and to which day, and words."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Input, Select

from posdesk.i18n import t
from posdesk.models import STATUSES, IncidentFilter
from posdesk.ui.widgets.safe_fields import SafeInput


class BadDate(ValueError):
    """A from or to day that is not a date (YYYY-MM-DD)."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


class FilterBar(Horizontal):
    """One line of compact fields; the Incidents tab reads their values by id."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        margin-bottom: 1;
        & > * { margin-right: 1; }
        #filter-status { width: 14; }
        #filter-fault { width: 20; }
        #filter-since, #filter-until { width: 13; }
        #filter-text { width: 1fr; }
    }
    """

    def chosen(self) -> IncidentFilter:
        """What the fields ask for; BadDate when a day does not read as one."""
        days = {}
        for name in ("since", "until"):
            value = self.query_one(f"#filter-{name}", Input).value.strip()
            if value:
                try:
                    days[name] = date.fromisoformat(value).isoformat()
                except ValueError:
                    raise BadDate(value) from None
        status = self.query_one("#filter-status", Select).value
        fault = self.query_one("#filter-fault", Select).value
        return IncidentFilter(
            status=None if status is Select.NULL else status,
            topic_id=None if fault is Select.NULL else fault,
            since=days.get("since"), until=days.get("until"),
            text=self.query_one("#filter-text", Input).value,
        )


def filter_bar(faults: list[tuple[Text, str]], lang: str) -> FilterBar:
    """The fields, worded in `lang`, with the faults to choose from as (title, topic id)."""
    statuses = [(t(f"status.{s}", lang), s) for s in STATUSES]
    return FilterBar(
        Select(statuses, prompt=t("filter.any_status", lang), id="filter-status", compact=True),
        Select(faults, prompt=t("filter.any_fault", lang), id="filter-fault", compact=True),
        SafeInput(placeholder=t("filter.since", lang), id="filter-since", compact=True,
                  max_length=10),
        SafeInput(placeholder=t("filter.until", lang), id="filter-until", compact=True,
                  max_length=10),
        SafeInput(placeholder=t("filter.search", lang), id="filter-text", compact=True),
        id="filter-bar",
    )
