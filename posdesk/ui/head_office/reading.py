"""What every tab of the head office's app shares: it reads from the central database in a
worker thread, never on the UI thread, and draws what came back; when the reading fails the
tab says so in one line, in the person's language, and keeps what it showed, and `r` reads
again. Only the latest reading asked for is drawn."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.containers import Vertical
from textual.widgets import Select, Static
from textual.worker import Worker, WorkerState

from posdesk.central import CentralError
from posdesk.i18n import ToldError, t, told
from posdesk.ui.changes import PROBLEMS, reason

if TYPE_CHECKING:
    from posdesk.desk.head_office import HeadOffice
    from posdesk.models.chain import ChainIncident, ChainIncidentRow, ChainShop

Question = Callable[["HeadOffice"], Any]
# Column headings are the shop's list's (shorter where its cells are short), the Shop column's
# the head office's command line's.
HEADING_KEYS = {"shop": "hq.column.shop", "tried": "heading.tried", "resolve": "heading.resolve"}


def headings(columns: tuple[str, ...], lang: str, sort: str | None = None,
             descending: bool = True) -> tuple[str, ...]:
    """The headings of `columns` in `lang`, the one sorted by marked ▼ or ▲."""
    marker = " ▼" if descending else " ▲"
    return tuple(t(HEADING_KEYS.get(column, f"column.{column}"), lang)
                 + (marker if column == sort else "") for column in columns)


def trouble(error: BaseException, lang: str) -> str:
    """Why the central database did not answer, in one line in `lang`, with how to try again.
    The server's own words are in English, so they are left out: the line says what it means."""
    if isinstance(error, CentralError) and error.key in ("cannot_connect", "connection_lost"):
        return t("head_office.offline", lang)
    if isinstance(error, CentralError) and error.key == "database_error":
        return t("head_office.refused", lang)
    if isinstance(error, (ToldError, *PROBLEMS)):
        problem = told(error, lang) if isinstance(error, ToldError) else reason(error, lang)
    else:  # a fault in posdesk: still one line, never a traceback
        problem = t("head_office.unexpected", lang, kind=type(error).__name__)
    return t("head_office.retry", lang, problem=problem)


class ReadingPane(Vertical):
    """A tab over the central database. A subclass says what to ask (`question`, worked out
    on the UI thread from what is on screen, run in the worker) and how to show the answer
    (`draw`); `focus_main` puts the focus on what its keys work on."""

    DEFAULT_CSS = """
    ReadingPane {
        height: 1fr;
        & > .pane-status {
            color: $text-muted;
            height: auto;
            max-height: 3;
        }
    }
    """

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.answer: Any = None  # the latest answer drawn
        self.asked_once = False
        self._latest: Worker | None = None
        self._worded: Callable[[str], str] | None = None

    @property
    def office(self) -> HeadOffice:
        return self.app.office

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)

    def status_line(self) -> Static:
        self._worded = lambda lang: t("head_office.reading", lang)
        return Static(Text(self._worded(self.app.lang)), classes="pane-status")

    def say(self, message: str) -> None:
        """The line under the tab, as `draw` words it (drawn again in a new language)."""
        self._worded = None
        self.query_one(".pane-status", Static).update(Text(message))

    def tell(self, word: Callable[[str], str]) -> None:
        """The line under the tab, worded by `word(lang)`, again in a new language: for what
        `draw` does not say (reading, a failure, a day that is not one)."""
        self.say(word(self.app.lang))
        self._worded = word

    # Reading

    def question(self) -> Question | None:
        """What to ask the head office now; None when there is nothing to ask (the tab has
        said why, a date that does not read as one, say)."""
        raise NotImplementedError

    def draw(self, answer: Any) -> None:
        raise NotImplementedError

    def redraw(self) -> None:
        """Draw the latest answer again, and the line under it, in the language now chosen."""
        worded = self._worded
        if self.answer is not None:
            self.draw(self.answer)
        if worded is not None:
            self.tell(worded)

    def focus_main(self) -> None:
        self.focus()

    def shown(self) -> None:
        """The tab came on screen: the first time, it reads."""
        if not self.asked_once:
            self.reload()

    def reload(self) -> None:
        """Read again, as the fields on screen now ask."""
        question = self.question()
        if question is not None:
            self.asked_once = True
            self._latest = self._ask(question)

    @work(thread=True, exit_on_error=False, group="central")
    def _ask(self, question: Question) -> Any:
        return question(self.office)

    @on(Worker.StateChanged)
    def _answered(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "central":
            return
        event.stop()
        if event.worker is not self._latest:
            return  # a later question was asked: its answer is the one to show
        if event.state == WorkerState.SUCCESS:
            self.answer = event.worker.result
            self.draw(self.answer)
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            self.tell(lambda lang: trouble(error, lang))

    def _language_changed(self) -> None:
        self.redraw()

    # An incident of the list, opened

    def open_incident(self, row: ChainIncidentRow) -> None:
        """Read the incident whole (in a worker) and show its page."""
        self._read_incident(row.shop_id, row.incident_id)

    @work(thread=True, exit_on_error=False, group="incident")
    def _read_incident(self, shop_id: str, incident_id: str) -> None:
        try:
            incident = self.office.incident(shop_id, incident_id)
        except Exception as error:  # one line, whatever it was: see `trouble`
            self.app.call_from_thread(self._not_opened, error)
        else:
            self.app.call_from_thread(self._show_incident, incident)

    def _not_opened(self, error: BaseException) -> None:
        self.app.notify_worded(lambda lang: trouble(error, lang), severity="error")

    def _show_incident(self, incident: ChainIncident) -> None:
        from posdesk.ui.head_office.incident_page import ChainIncidentScreen

        self.app.push_screen(ChainIncidentScreen(incident))


def shop_choices(shops: list[ChainShop]) -> list[tuple[Text, str]]:
    """A choice per shop, its name as plain text (people's words are never markup)."""
    return [(Text(shop.name), shop.shop_id) for shop in shops]


class ShopChoicePane(ReadingPane):
    """A tab with a choice of the shops (its Select `#<SHOP_CHOICE>`): they are read with its
    first answer, and again on `r`, as a shop may have joined since."""

    SHOP_CHOICE = ""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.shops: list[ChainShop] | None = None

    def reload(self) -> None:
        if not self.asked_once:  # the first reading, or `r`
            self.shops = None
        super().reload()

    def offer(self, shops: list[ChainShop] | None) -> None:
        """Offer `shops` (when read, and changed), the shop chosen kept when it is still among
        them; quietly, as a change of the list is not a choice made."""
        if shops is None or shops == self.shops:
            return
        self.shops = shops
        choice = self.query_one(f"#{self.SHOP_CHOICE}", Select)
        kept = choice.value
        with choice.prevent(Select.Changed):
            choice.set_options(shop_choices(shops))
            if any(shop.shop_id == kept for shop in shops):
                choice.value = kept
