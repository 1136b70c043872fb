"""A page of incidents in columns, one line each, with a row cursor and a heading line.

Textual's DataTable renders every cell through Rich's console; for a page of incidents that
took longer than a filter may take to reach the screen. This widget builds each line from one
plain segment per column (Textual's line API), so a new page is drawn in a few milliseconds.
Everything in a cell is shown as the text it is: nothing is read as markup.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from posdesk.desk.listing import IncidentRow
from posdesk.i18n import t
from posdesk.wording import duration_text, short_time

GAP = 2  # spaces between columns; one where the window is narrow
LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u2028": " ", "\u2029": " "})


@dataclass(frozen=True)
class Fit:
    """How a column gives way in a narrow window: down to `narrowest` cells, its text cut
    at the end with "…"; or, with `keep_end`, straight to `narrowest` by leaving out its
    start (2026-11-25 14:00 → 11-25 14:00, the year being in the id). A column without a
    Fit is always as wide as its widest cell."""

    narrowest: int
    keep_end: bool = False


class IncidentTable(ScrollView, can_focus=True):
    """The heading line stays in place while the rows scroll under it."""

    DEFAULT_CSS = """
    IncidentTable {
        background: $surface;
        color: $foreground;
        & > .incident-table--heading {
            text-style: bold;
            color: $primary;
            background: $panel;
        }
        & > .incident-table--even {
            background: $surface-lighten-1;
        }
        & > .incident-table--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .incident-table--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
    }
    """
    COMPONENT_CLASSES = {"incident-table--heading", "incident-table--even",
                         "incident-table--cursor"}
    BINDINGS = [
        Binding("up", "cursor(-1)", "move", show=False),
        Binding("down", "cursor(1)", "move", show=False),
        Binding("pageup", "cursor('page_up')", "move", show=False),
        Binding("pagedown", "cursor('page_down')", "move", show=False),
        Binding("home", "cursor('first')", "move", show=False),
        Binding("end", "cursor('last')", "move", show=False),
        Binding("enter", "select", "open", show=False),
    ]

    cursor_row: reactive[int] = reactive(0)

    class RowSelected(Message):
        """A row was chosen (enter, or a click): `row` counts from the first row shown."""

        def __init__(self, row: int) -> None:
            super().__init__()
            self.row = row

    class HeadingSelected(Message):
        """A column's heading was clicked: `column` counts from the first column."""

        def __init__(self, column: int) -> None:
            super().__init__()
            self.column = column

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.headings: tuple[str, ...] = ()
        self.rows: list[tuple[str, ...]] = []
        self.fits: tuple[Fit | None, ...] = ()
        self.natural: list[int] = []  # each column's widest cell
        self.widths: list[int] = []  # as drawn, in the width there is
        self.gap = GAP

    # What is shown

    def show_rows(self, headings: tuple[str, ...], rows: list[tuple[str, ...]],
                  fits: tuple[Fit | None, ...] = ()) -> None:
        """Show these rows under these headings, the cursor back on the first row; `fits`
        says how each column gives way when the window is too narrow for all of them."""
        self.headings = tuple(one_line(heading) for heading in headings)
        self.rows = [tuple(one_line(cell) for cell in row) for row in rows]
        self.fits = fits or (None,) * len(self.headings)
        self.natural = [max([cell_len(self.headings[n])] + [cell_len(row[n]) for row in self.rows])
                        for n in range(len(self.headings))]
        self._fit()
        self.cursor_row = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def on_resize(self) -> None:
        self._fit()
        self.refresh()

    def _fit(self) -> None:
        """Columns as wide as the window allows: scrolled sideways only when even their
        narrowest does not fit."""
        height = len(self.rows) + 1  # the heading line is the first
        room = self.size.width
        if height > self.size.height:  # the vertical scrollbar takes its share
            room -= self.styles.scrollbar_size_vertical
        self.widths, self.gap = fitted(self.natural, self.fits, room)
        self.virtual_size = Size(sum(self.widths) + self.gap * (len(self.widths) - 1), height)

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, row: int) -> tuple[str, ...]:
        return self.rows[row]

    # Drawing

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if y == 0:
            look = base + self.get_component_rich_style("incident-table--heading")
            line = self._line(self.headings, look, heading=True)
        else:
            row = scroll_y + y - 1  # the heading line covers the row scrolled under it
            if not self.headings or row >= len(self.rows):
                return Strip.blank(width, base)
            look = base
            if row % 2:
                look += self.get_component_rich_style("incident-table--even")
            if row == self.cursor_row:
                look += self.get_component_rich_style("incident-table--cursor")
            line = self._line(self.rows[row], look)
        return line.crop_extend(scroll_x, scroll_x + width, look)

    def _line(self, cells: tuple[str, ...], look: Style, heading: bool = False) -> Strip:
        gap = " " * self.gap
        text = gap.join(
            fitted_cell(cell, width, None if heading else fit)
            for cell, width, fit in zip(cells, self.widths, self.fits))
        return Strip([Segment(text, look)], cell_len(text))

    def watch_cursor_row(self) -> None:
        self.refresh()

    # Keys and the mouse

    def action_cursor(self, where: int | str) -> None:
        if not self.rows:
            return
        page = max(1, self.size.height - 2)
        moves = {"first": -len(self.rows), "last": len(self.rows),
                 "page_up": -page, "page_down": page}
        step = moves[where] if isinstance(where, str) else where
        self.cursor_row = min(max(self.cursor_row + step, 0), len(self.rows) - 1)
        self._keep_cursor_in_view()

    def _keep_cursor_in_view(self) -> None:
        top, shown = round(self.scroll_y), max(1, self.size.height - 1)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or not self.headings:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            edges = 0
            for column, width in enumerate(self.widths):
                edges += width + self.gap
                if x < edges:
                    self.post_message(self.HeadingSelected(column))
                    return
            return
        row = round(self.scroll_y) + offset.y - 1
        if row < len(self.rows):
            self.cursor_row = row
            self.post_message(self.RowSelected(row))


def turned_page(page: int, step: int, count: int, page_size: int) -> int:
    """The page `step` pages on from `page` (back when negative), kept within the pages that
    `count` rows fill (one at least)."""
    pages = max(1, -(-count // page_size))
    return min(max(page + step, 0), pages - 1)


def fitted(natural: list[int], fits: tuple[Fit | None, ...],
           room: int) -> tuple[list[int], int]:
    """The widths to draw columns at, and the gap between them, within `room` cells if it
    can be done: first the columns that leave out their start, then the others cut from
    the widest down; with two spaces between columns, else one."""
    if sum(natural) + GAP * (len(natural) - 1) <= room:
        return list(natural), GAP
    start = [min(width, fit.narrowest) if fit and fit.keep_end else width
             for width, fit in zip(natural, fits)]
    for gap in (GAP, 1):
        widths = list(start)
        over = sum(widths) + gap * (len(widths) - 1) - room
        while over > 0:
            slack = [(widths[n] - fit.narrowest, n) for n, fit in enumerate(fits)
                     if fit and not fit.keep_end and widths[n] > fit.narrowest]
            if not slack:
                break
            widths[max(slack)[1]] -= 1
            over -= 1
        if over <= 0:
            return widths, gap
    return widths, 1


def fitted_cell(text: str, width: int, fit: Fit | None) -> str:
    """`text` in exactly `width` cells: padded, or cut (its start left out for a column that
    keeps its end, else its end replaced by "…")."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    if fit is not None and fit.keep_end:
        return text[-width:]  # the times, in plain digits: one cell a character
    return set_cell_size(set_cell_size(text, width - 1).rstrip() + "…", width)


def one_line(text: str) -> str:
    """A cell is one line: breaks and tabs inside it become spaces."""
    return text.translate(LINE_BREAKS)


def table_row(incident: IncidentRow, columns: tuple[str, ...], lang: str) -> tuple[str, ...]:
    """An incident's cells for `columns`, worded in `lang`."""
    cells = {"id": incident.id, "opened": short_time(incident.opened_at),
             "status": t(f"status.{incident.status}", lang), "fault": incident.topic_title(lang),
             "terminal": incident.terminal or "", "tried": str(len(incident.attempts)),
             "resolve": duration_text(incident.minutes_to_resolve, lang)}
    return tuple(cells[column] for column in columns)
