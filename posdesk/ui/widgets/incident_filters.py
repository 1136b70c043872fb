"""The filters above the list of incidents: status, fault, from and to which day, and words."""

from __future__ import annotations

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import Select

from posdesk.i18n import t
from posdesk.models import STATUSES
from posdesk.ui.widgets.safe_fields import SafeInput


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
