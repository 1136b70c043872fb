"""The Incidents tab: every incident in a table, filtered, searched, sorted and paged;
and, one key away, what the history teaches."""

from __future__ import annotations

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ContentSwitcher, Input, Select, Static
from textual.worker import Worker, WorkerState

from posdesk.desk import Desk
from posdesk.desk.listing import IncidentList, IncidentRow
from posdesk.i18n import t
from posdesk.models import IncidentFilter
from posdesk.ui.changes import READ_FAILED, reason, run_change
from posdesk.ui.memory import freeze_long_lived
from posdesk.ui.widgets.incident_filters import BadDate, FilterBar, ReversedRange, filter_bar
from posdesk.ui.widgets.incident_table import Fit, IncidentTable, table_row, turned_page
from posdesk.ui.widgets.insights_view import InsightsView

PAGE_SIZE = 50  # a screenful or two: the rest is paged, never loaded into the table
# Short columns first, so that on an 80-column screen the status is beside the date and the
# long fault titles come after it; each column sorts by its key in SORT_KEYS.
COLUMNS = ("id", "opened", "status", "fault", "terminal", "tried", "resolve")
DAY_FIELDS = ("filter-since", "filter-until")
# Headings shorter than the report's, where the column's cells are short.
SHORT_HEADINGS = {"tried": "heading.tried", "resolve": "heading.resolve"}
# In an 80-column window every column shows: the time without its year (the id has it), the
# fault and the terminal cut with "…".
FITS = tuple({"opened": Fit(11, keep_end=True), "fault": Fit(14), "terminal": Fit(8)}.get(column)
             for column in COLUMNS)


class IncidentsPane(Vertical):
    """Loads in a worker, so ten thousand incidents never freeze the screen."""

    DEFAULT_CSS = """
    IncidentsPane {
        height: 1fr;
        ContentSwitcher { height: 1fr; }
        #incidents-table { height: 1fr; }
        #insights {
            height: 1fr;
            padding: 0 1;
        }
        #incidents-status {
            color: $text-muted;
            height: auto;
            max-height: 4;  /* a page count in a line; a failed read's advice whole */
        }
    }
    """

    BINDINGS = [
        Binding("right_square_bracket", "next_page", "next page", key_display="]", show=False),
        Binding("left_square_bracket", "previous_page", "previous page", key_display="[", show=False),
        Binding("o", "cycle_sort", "sort"),
        Binding("O", "reverse_sort", "reverse", show=False),
        Binding("t", "toggle_insights", "insights"),
        Binding("x", "export_listing", "export"),
        Binding("slash", "focus_search", "search", key_display="/", show=False),
        Binding("escape", "focus_table", "back", show=False),
    ]

    class OpenIncident(Message):
        def __init__(self, incident_id: str) -> None:
            super().__init__()
            self.incident_id = incident_id

    class ExportListing(Message):
        def __init__(self, incidents: list[IncidentRow]) -> None:
            super().__init__()
            self.incidents = incidents

    def __init__(self, desk: Desk, **kwargs) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self.built = False
        self._history_frozen = False
        self.listing: IncidentList | None = None  # as far as it is read
        self.shown = IncidentList([])  # the one the list shown was found in
        self.found: list[IncidentRow] = []
        self._keep_page = False
        self._asked = self._shown_asked = 0  # searches asked for, and the latest shown
        self.page = 0
        self.sort = "opened"
        self.descending = True

    def compose(self) -> ComposeResult:
        return []

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)

    async def build(self) -> None:
        if self.built:
            return
        self.built = True
        await self.mount_all(self._widgets())
        self._read_history()

    def _widgets(self) -> list:
        lang = self.app.lang
        table = IncidentTable(id="incidents-table")
        switcher = ContentSwitcher(table, InsightsView(id="insights"), initial="incidents-table")
        return [filter_bar(self.desk.incident_topics(), lang), switcher,
                Static(Text(t("list.loading", lang)), id="incidents-status")]

    # Loading: the newest page first, the rest of the history in the background. Filters
    # and sorts apply to what is read so far, and the status line says when that is not all.

    def reload(self) -> None:
        """Read the filters and list again (after any change to the incidents)."""
        if not self.built:
            return
        if self.listing is None or self.listing.complete:
            self._read_history()  # read again only where a file changed
        self._list(keep_page=False)

    def _list(self, keep_page: bool) -> None:
        chosen = self._filter()
        if chosen is not None and self.listing is not None:
            self._keep_page = keep_page
            self._asked += 1
            self._load(self._asked, self.listing, chosen, self.sort, self.descending,
                       self.app.lang)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _read_history(self) -> None:
        listing = self.desk.incident_list(
            on_progress=lambda part: self.app.call_from_thread(self._have, part),
            first_page=PAGE_SIZE)
        self.app.call_from_thread(self._have, listing)

    def _have(self, listing: IncidentList) -> None:
        """More of the history is read (or all of it): the list shown is made again from it."""
        self.listing = listing
        self._list(keep_page=True)

    # Not exclusive: each part of the history read is shown as its search ends, in order; a
    # search that ends after a later one is not shown.
    @work(thread=True, group="incidents", exit_on_error=False)
    def _load(self, asked: int, listing: IncidentList, chosen: IncidentFilter, sort: str,
              descending: bool, lang: str) -> tuple[int, IncidentList, list[IncidentRow]]:
        return asked, listing, listing.find(chosen, sort, descending, lang)

    @on(Worker.StateChanged)
    def _loaded(self, event: Worker.StateChanged) -> None:
        if event.worker.group not in ("incidents", "history"):
            return
        if event.state == WorkerState.SUCCESS and event.worker.group == "incidents":
            asked, listing, found = event.worker.result
            if asked < self._shown_asked:
                return
            self._shown_asked, self.shown, self.found = asked, listing, found
            if not self._keep_page:
                self.page = 0
            self._show_page()
            if self.shown.complete and not self._history_frozen:  # read for good
                self._history_frozen = True
                self.call_after_refresh(freeze_long_lived)
        elif event.state == WorkerState.ERROR:
            self._say(reason(event.worker.error, self.app.lang))  # the records cannot be read

    def _filter(self) -> IncidentFilter | None:
        try:
            return self.query_one(FilterBar).chosen()
        except BadDate as bad:
            self._say(t("filter.bad_date", self.app.lang, value=bad.value))
            return None
        except ReversedRange as reversed_range:
            self._say(t("filter.reversed", self.app.lang, since=reversed_range.since,
                        until=reversed_range.until))
            return None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """While a day is typed, the line below the list says how to write one."""
        if event.widget.id in DAY_FIELDS:
            self._say(t("filter.date_hint", self.app.lang))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a day applies it, as enter does (or says what is wrong with it)."""
        if event.widget.id in DAY_FIELDS and event.widget.is_attached:  # not being rebuilt
            self._list(keep_page=False)

    @on(Select.Changed)
    @on(Input.Changed, "#filter-text")
    @on(Input.Submitted, "#filter-since, #filter-until")
    def _filters_changed(self) -> None:
        self._list(keep_page=False)

    # Showing

    def _show_page(self) -> None:
        lang = self.app.lang
        headings = tuple(t(SHORT_HEADINGS.get(column, f"column.{column}"), lang)
                         + self._sort_marker(column) for column in COLUMNS)
        pages = max(1, -(-len(self.found) // PAGE_SIZE))
        self.page = min(self.page, pages - 1)
        start = self.page * PAGE_SIZE
        shown = self.found[start:start + PAGE_SIZE]
        table = self.query_one(IncidentTable)
        rows = [table_row(incident, COLUMNS, lang) for incident in shown]
        if (headings, rows) != (table.headings, table.rows):  # more read: the page may stand
            table.show_rows(headings, rows, FITS)
        if not self.found:
            total = len(self.shown.rows)
            message = t("list.empty" if total == 0 and self.shown.complete else "list.none",
                        lang)
        else:
            order = "desc" if self.descending else "asc"
            message = t("list.page", lang, first=start + 1, last=start + len(shown),
                        total=len(self.found), sorted=t(f"sorted.{self.sort}.{order}", lang))
            if len(self.found) > PAGE_SIZE:
                message += t("list.paging", lang)
        unreadable = self.desk.unreadable_records()  # as the listing just read them
        if unreadable:
            message += t("list.unreadable", lang, count=unreadable)
        if not self.shown.complete:
            message += t("list.reading_older", lang, read=self.shown.months_read,
                         months=self.shown.months)
        self._say(message)
        if self.query_one(ContentSwitcher).current == "insights":
            self._show_insights()

    def _sort_marker(self, column: str) -> str:
        if column != self.sort:
            return ""
        return " ▼" if self.descending else " ▲"

    def _show_insights(self) -> None:
        flagged = run_change(self, self.desk.most_flagged, self.app.lang, failed=READ_FAILED)
        self.query_one(InsightsView).show(self.desk.insights(self.found), self.app.lang,
                                          flagged or ())

    def _say(self, message: str) -> None:
        self.query_one("#incidents-status", Static).update(Text(message))

    def _language_changed(self) -> None:
        if self.built:
            self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        """Filters keep their values: only the words around them change language. The table
        keeps the focus it had, so its keys still work."""
        values = {f"#filter-{name}": self.query_one(f"#filter-{name}").value
                  for name in ("status", "fault", "since", "until", "text")}
        had_focus = self.has_focus_within
        await self.remove_children()
        await self.mount_all(self._widgets())
        for selector, value in values.items():
            self.query_one(selector).value = value
        if had_focus:
            self.query_one("#incidents-table").focus()
        self._list(keep_page=False)

    # Keys

    def action_next_page(self) -> None:
        self._turn_page(1)

    def action_previous_page(self) -> None:
        self._turn_page(-1)

    def _turn_page(self, step: int) -> None:
        page = turned_page(self.page, step, len(self.found), PAGE_SIZE)
        if page != self.page:
            self.page = page
            self._show_page()

    def action_cycle_sort(self) -> None:
        self.sort = COLUMNS[(COLUMNS.index(self.sort) + 1) % len(COLUMNS)]
        self._list(keep_page=False)

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self._list(keep_page=False)

    @on(IncidentTable.HeadingSelected)
    def _sort_by_heading(self, event: IncidentTable.HeadingSelected) -> None:
        column = COLUMNS[event.column]
        if column == self.sort:
            self.descending = not self.descending
        self.sort = column
        self._list(keep_page=False)

    def action_toggle_insights(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if switcher.current == "insights":
            switcher.current = "incidents-table"
            self.query_one("#incidents-table").focus()
        else:
            switcher.current = "insights"
            self._show_insights()
            self.query_one(InsightsView).focus()

    def action_export_listing(self) -> None:
        self.post_message(self.ExportListing(self.found))

    def action_focus_search(self) -> None:
        self.query_one("#filter-text").focus()

    async def focus_table(self) -> None:
        await self.build()
        self.query_one("#incidents-table").focus()

    def action_focus_table(self) -> None:
        """Escape leaves a filter field for the table."""
        self.query_one("#incidents-table").focus()

    @on(IncidentTable.RowSelected)
    def _open(self, event: IncidentTable.RowSelected) -> None:
        index = self.page * PAGE_SIZE + event.row
        if index < len(self.found):
            self.post_message(self.OpenIncident(self.found[index].id))

