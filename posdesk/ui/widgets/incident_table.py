"""A page of incidents in columns, one line each, with a row cursor and a heading line.

Textual's DataTable renders every cell through Rich's console; for a page of incidents that
took longer than a filter may take to reach the screen. This widget builds each line from one
plain segment per column (Textual's line API), so a new page is drawn in a few milliseconds.
Everything in a cell is shown as the text it is: nothing is read as markup.
"""

from __future__ import annotations

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

GAP = 2  # spaces between columns
LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\u2028": " ", "\u2029": " "})


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
        self.widths: list[int] = []

    # What is shown

    def show_rows(self, headings: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
        """Show these rows under these headings, the cursor back on the first row."""
        self.headings = tuple(one_line(heading) for heading in headings)
        self.rows = [tuple(one_line(cell) for cell in row) for row in rows]
        self.widths = [max([cell_len(self.headings[n])] + [cell_len(row[n]) for row in self.rows])
                       for n in range(len(self.headings))]
        width = sum(self.widths) + GAP * len(self.widths)
        self.virtual_size = Size(width, len(self.rows) + 1)  # the heading line is the first
        self.cursor_row = 0
        self.scroll_to(0, 0, animate=False)
        self.refresh()

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
            line = self._line(self.headings, look)
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

    def _line(self, cells: tuple[str, ...], look: Style) -> Strip:
        text = "".join(set_cell_size(cell, w + GAP) for cell, w in zip(cells, self.widths))
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
                edges += width + GAP
                if x < edges:
                    self.post_message(self.HeadingSelected(column))
                    return
            return
        row = round(self.scroll_y) + offset.y - 1
        if row < len(self.rows):
            self.cursor_row = row
            self.post_message(self.RowSelected(row))


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
