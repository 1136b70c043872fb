"""The Incidents tab across shops: every shop's incidents in one table with a Shop column,
filtered by status, shop, words and days, sorted by any column, and read a page at a time:
the central database may hold a million, so only the page shown is ever read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Input, Select

from posdesk.i18n import t
from posdesk.models.chain import ChainFilter
from posdesk.ui.head_office.reading import Question, ShopChoicePane, headings, shop_choices
from posdesk.ui.widgets.incident_filters import (BadDate, FilterBar, ReversedRange,
                                                 filter_line)
from posdesk.ui.widgets.incident_table import Fit, IncidentTable, turned_page
from posdesk.wording import duration_text, short_time

if TYPE_CHECKING:
    from posdesk.models.chain import ChainIncidentRow, ChainPage, ChainShop

PAGE_SIZE = 200
# The shop first: it is what the head office reads a row by. Each column sorts by its name.
# No terminal: a shop's own name for its counter ("前台") says nothing across shops, and the
# list must fit 80 columns; the incident's page names it.
COLUMNS = ("shop", "id", "opened", "status", "fault", "tried", "resolve")
FITS = tuple({"shop": Fit(8), "opened": Fit(11, keep_end=True), "fault": Fit(14)}.get(column)
             for column in COLUMNS)
DAY_FIELDS = ("filter-since", "filter-until")
FIELDS = ("status", "shop", "since", "until", "text")
TYPING_PAUSE = 0.3  # seconds without a key before the words typed are looked for


class ChainFilterBar(FilterBar):
    """The shop's filter line, with the shop in place of the problem."""

    def chosen(self) -> ChainFilter:
        days = self.days()
        return ChainFilter(status=self.choice("status"), shop=self.choice("shop"),
                           words=self.query_one("#filter-text", Input).value,
                           since=days.get("since"), until=days.get("until"))


def chain_filter_bar(shops: list[ChainShop], lang: str) -> ChainFilterBar:
    shop = Select(shop_choices(shops), prompt=t("head_office.any_shop", lang), id="filter-shop",
                  compact=True)
    return filter_line(ChainFilterBar, shop, t("head_office.search", lang), lang)


def chain_row(row: ChainIncidentRow, lang: str) -> tuple[str, ...]:
    cells = {"shop": row.shop_name, "id": row.incident_id,
             "opened": short_time(row.opened_text), "status": t(f"status.{row.status}", lang),
             "fault": row.topic_title(lang),
             "tried": str(row.attempts), "resolve": duration_text(row.minutes_to_resolve, lang)}
    return tuple(cells[column] for column in COLUMNS)


class ChainIncidentsPane(ShopChoicePane):

    DEFAULT_CSS = """
    ChainIncidentsPane #chain-incidents { height: 1fr; }
    """
    SHOP_CHOICE = "filter-shop"
    BINDINGS = [
        Binding("right_square_bracket", "next_page", "next page", key_display="]", show=False),
        Binding("left_square_bracket", "previous_page", "previous page", key_display="[",
                show=False),
        Binding("o", "cycle_sort", "sort"),
        Binding("O", "reverse_sort", "reverse", show=False),
        Binding("slash", "focus_search", "search", key_display="/", show=False),
        Binding("escape", "focus_table", "back", show=False),
    ]

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.page = 0
        self.sort = "opened"
        self.descending = True
        self._typing: Timer | None = None

    def compose(self) -> ComposeResult:
        yield chain_filter_bar([], self.app.lang)
        yield IncidentTable(id="chain-incidents")
        yield self.status_line()

    def focus_main(self) -> None:
        self.query_one(IncidentTable).focus()

    # Reading: the shops with the first page (and again on `r`), then a page at a time.

    def question(self) -> Question | None:
        try:
            chosen = self.query_one(ChainFilterBar).chosen()
        # The values are bound now: the name of an `except` clause is gone once it ends, and
        # the line is worded again later, on `l`.
        except BadDate as bad:
            self.tell(lambda lang, value=bad.value: t("filter.bad_date", lang, value=value))
            return None
        except ReversedRange as wrong:
            self.tell(lambda lang, since=wrong.since, until=wrong.until:
                      t("filter.reversed", lang, since=since, until=until))
            return None
        sort, descending, offset = self.sort, self.descending, self.page * PAGE_SIZE
        lang, with_shops = self.app.lang, self.shops is None

        def ask(office) -> tuple[list[ChainShop] | None, ChainPage, int]:
            shops = office.shops() if with_shops else None
            return shops, office.find_incidents(chosen, sort=sort, descending=descending,
                                                limit=PAGE_SIZE, offset=offset, lang=lang), offset
        return ask

    def draw(self, answer: tuple[list[ChainShop] | None, ChainPage, int]) -> None:
        shops, found, offset = answer
        self.offer(shops)
        lang = self.app.lang
        table = self.query_one(IncidentTable)
        table.show_rows(headings(COLUMNS, lang, self.sort, self.descending),
                        [chain_row(row, lang) for row in found.rows], FITS)
        if found.rows:
            order = "desc" if self.descending else "asc"
            total = f"{found.total:,}" + ("" if found.exact else "+")  # more not counted
            message = t("list.page", lang, first=f"{offset + 1:,}",
                        last=f"{offset + len(found.rows):,}", total=total,
                        sorted=t(f"sorted.{self.sort}.{order}", lang))
            if found.total > PAGE_SIZE:
                message += t("list.paging", lang)
        elif found.total == 0 and not self._filtering():
            message = t("head_office.no_incidents", lang)
        else:
            message = t("list.none", lang)
        self.say(message)


    def _filtering(self) -> bool:
        return any(self.query_one(f"#filter-{name}").value not in (Select.NULL, "")
                   for name in FIELDS)

    # The filters

    @on(Select.Changed)
    @on(Input.Submitted, "#filter-since, #filter-until")
    def _filters_changed(self) -> None:
        self.page = 0
        self.reload()

    @on(Input.Changed, "#filter-text")
    def _words_typed(self) -> None:
        """The words are looked for once typing pauses, not at every key."""
        if self._typing is not None:
            self._typing.stop()
        self._typing = self.set_timer(TYPING_PAUSE, self._filters_changed)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id in DAY_FIELDS:
            self.tell(lambda lang: t("filter.date_hint", lang))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving a day applies it, as enter does."""
        if event.widget.id in DAY_FIELDS and event.widget.is_attached:
            self._filters_changed()

    def _language_changed(self) -> None:
        self.call_later(self._reword)

    async def _reword(self) -> None:
        """The filters in the new language, keeping their values and the focus; the page
        drawn again (read again when sorted by the fault's title, which is the language's)."""
        bar = self.query_one(ChainFilterBar)
        values = {name: self.query_one(f"#filter-{name}").value for name in FIELDS}
        had_focus = self.has_focus_within
        new_bar = chain_filter_bar(self.shops or [], self.app.lang)
        await bar.remove()
        await self.mount(new_bar, before=self.query_one(IncidentTable))
        with self.prevent(Select.Changed, Input.Changed):
            for name, value in values.items():
                self.query_one(f"#filter-{name}").value = value
        if had_focus:
            self.focus_main()
        if self.sort == "fault":
            self.reload()
        else:
            self.redraw()

    # Keys

    def action_next_page(self) -> None:
        self._turn_page(1)

    def action_previous_page(self) -> None:
        self._turn_page(-1)

    def _turn_page(self, step: int) -> None:
        if self.answer is None:
            return
        page = turned_page(self.page, step, self.answer[1].total, PAGE_SIZE)
        if page != self.page:
            self.page = page
            self.reload()

    def action_cycle_sort(self) -> None:
        self.sort = COLUMNS[(COLUMNS.index(self.sort) + 1) % len(COLUMNS)]
        self.page = 0
        self.reload()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.page = 0
        self.reload()

    @on(IncidentTable.HeadingSelected)
    def _sort_by_heading(self, event: IncidentTable.HeadingSelected) -> None:
        column = COLUMNS[event.column]
        if column == self.sort:
            self.descending = not self.descending
        self.sort = column
        self.page = 0
        self.reload()

    def action_focus_search(self) -> None:
        self.query_one("#filter-text").focus()

    def action_focus_table(self) -> None:
        self.focus_main()

    @on(IncidentTable.RowSelected)
    def _open(self, event: IncidentTable.RowSelected) -> None:
        if self.answer is not None and event.row < len(self.answer[1].rows):
            self.open_incident(self.answer[1].rows[event.row])
