"""The filters above the list of incidents: status, what it was about, from and to which day,
and words."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.containers import Horizontal
from textual.widgets import Input, Select

from posdesk.desk.listing import read_day
from posdesk.i18n import t
from posdesk.models import STATUSES, IncidentFilter, Topic
from posdesk.ui.widgets.safe_fields import SafeInput

# The fields after the status on one line (about, from, to), and the least room the search box
# needs: below that the fields take two lines.
ONE_LINE_COLUMNS = (18, 16, 16)
SEARCH_ROOM = 12
# Around a compact choice's label: its padding and its arrow.
CHOICE_CHROME = 6


class BadDate(ValueError):
    """A from or to day that is not a date."""

    def __init__(self, value: str) -> None:
        super().__init__(value)
        self.value = value


class ReversedRange(ValueError):
    """The from day is after the to day: nothing could match."""

    def __init__(self, since: str, until: str) -> None:
        super().__init__(since, until)
        self.since, self.until = since, until


class FilterBar(Horizontal):
    """One line of compact fields (two in a narrow window); the Incidents tab reads their
    values by id."""

    DEFAULT_CSS = """
    FilterBar {
        layout: grid;
        grid-size: 5 1;
        grid-columns: 18 18 16 16 1fr;
        grid-gutter: 0 1;
        height: 1;
        margin-bottom: 1;
        &.-two-lines {
            grid-size: 3 2;
            grid-columns: 1fr 1fr 1fr;
            height: 2;
            #filter-text { column-span: 2; }
        }
        /* The list of choices is wider than the field: its labels say what each kind is. */
        #filter-fault > SelectOverlay { width: 64; }
    }
    """

    def __init__(self, *fields, status_width: int, **options) -> None:
        super().__init__(*fields, **options)
        self.status_width = status_width  # its longest label in the language shown, whole

    def on_resize(self, event: events.Resize) -> None:
        columns = (self.status_width, *ONE_LINE_COLUMNS)
        two_lines = event.size.width < sum(columns) + len(columns) + SEARCH_ROOM
        self.set_class(two_lines, "-two-lines")
        self.styles.grid_columns = None if two_lines else " ".join(map(str, columns)) + " 1fr"

    def chosen(self) -> IncidentFilter:
        """What the fields ask for; BadDate when a day does not read as one, ReversedRange
        when the from day is after the to day."""
        days = self.days()
        return IncidentFilter(
            status=self.choice("status"), topic_id=self.choice("fault"),
            since=days.get("since"), until=days.get("until"),
            text=self.query_one("#filter-text", Input).value,
        )

    def days(self) -> dict[str, str]:
        """The from and to days given ("since", "until"), as ISO dates; BadDate or
        ReversedRange when they cannot be used."""
        days = {}
        for name in ("since", "until"):
            value = self.query_one(f"#filter-{name}", Input).value.strip()
            if value:
                try:
                    days[name] = read_day(value)
                except ValueError:
                    raise BadDate(value) from None
        if len(days) == 2 and days["since"] > days["until"]:
            raise ReversedRange(days["since"], days["until"])
        return days

    def choice(self, name: str) -> str | None:
        """The value chosen in the `#filter-<name>` list; None for any."""
        value = self.query_one(f"#filter-{name}", Select).value
        return None if value is Select.NULL else value


def filter_bar(topics: list[Topic], lang: str) -> FilterBar:
    """The fields, worded in `lang`. The topics an incident can be about are offered each
    labelled with its kind: a fault, a security check's finding or a suspicious event."""
    kinds = [(Text(t(f"kind.{topic.category}", lang, title=topic.title(lang))), topic.id)
             for topic in topics]
    about = Select(kinds, prompt=t("filter.any_fault", lang), id="filter-fault", compact=True)
    return filter_line(FilterBar, about, t("filter.search", lang), lang)


def filter_line(bar: type[FilterBar], about: Select, search: str, lang: str) -> FilterBar:
    """A `bar` of the fields in `lang`: the status, `about` (the second choice), the from and
    to days, and the search box with `search` in it until something is typed."""
    statuses = [(t(f"status.{s}", lang), s) for s in STATUSES]
    longest = max(cell_len(label) for label in [t("filter.any_status", lang),
                                                 *(label for label, _ in statuses)])
    return bar(
        Select(statuses, prompt=t("filter.any_status", lang), id="filter-status", compact=True),
        about,
        SafeInput(placeholder=t("filter.since", lang), id="filter-since", compact=True,
                  max_length=16),
        SafeInput(placeholder=t("filter.until", lang), id="filter-until", compact=True,
                  max_length=16),
        SafeInput(placeholder=search, id="filter-text", compact=True),
        id="filter-bar", status_width=longest + CHOICE_CHROME,
    )
