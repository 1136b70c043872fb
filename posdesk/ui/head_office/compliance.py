"""Compliance per shop: the routines each shop has let run late, its last tamper inspection
(PCI DSS asks for them on every device), its terminals on record, when it last synced, and
whether its clock can be trusted. The line under the table says what the shop under the
cursor is late with."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from posdesk.desk.head_office import TAMPER_INSPECTION
from posdesk.i18n import t
from posdesk.ui.head_office.reading import Question, ReadingPane, headings
from posdesk.ui.widgets.incident_table import Fit, IncidentTable

if TYPE_CHECKING:
    from posdesk.models.chain import ShopCompliance

COLUMNS = ("shop", "overdue", "tamper", "terminals", "synced", "clock")
FITS = tuple({"shop": Fit(10), "tamper": Fit(12), "synced": Fit(11, keep_end=True),
              "clock": Fit(8)}.get(column) for column in COLUMNS)
# A shop's clock this far from the server's is worth a call: its records keep its own times.
CLOCK_TOLERANCE_SECONDS = 5 * 60


def clock_off(shop: ShopCompliance) -> bool:
    offset = shop.clock_offset_seconds
    return offset is not None and abs(offset) > CLOCK_TOLERANCE_SECONDS


def clock_text(shop: ShopCompliance, lang: str) -> str:
    """How far the shop's clock is from the server's, when it is more than a few minutes."""
    offset = shop.clock_offset_seconds
    if offset is None:
        return ""
    if not clock_off(shop):
        return t("head_office.clock_right", lang)
    minutes = round(abs(offset) / 60)
    return t("head_office.clock_fast" if offset > 0 else "head_office.clock_slow", lang,
             minutes=f"{minutes:,}")


def local_time(iso: str | None, lang: str) -> str:
    """A server time (UTC) as this computer's clock reads it, to the minute."""
    if not iso:
        return t("head_office.never", lang)
    return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")


def tamper_text(shop: ShopCompliance, lang: str) -> str:
    """The day of the last tamper inspection, as the shop recorded it, and how late the next
    is (the latest of its terminals')."""
    day = shop.last_tamper_check[:10] if shop.last_tamper_check else t("head_office.never", lang)
    late = max((state.days_late for state in shop.overdue
                if state.routine_id == TAMPER_INSPECTION), default=0)
    if late:
        return f"⚠ {day} · " + t("head_office.days_late", lang, days=late)
    return day


def compliance_row(shop: ShopCompliance, lang: str) -> tuple[str, ...]:
    cells = {"shop": shop.name,
             "overdue": f"⚠ {len(shop.overdue)}" if shop.overdue else "0",
             "tamper": tamper_text(shop, lang), "terminals": f"{shop.terminals:,}",
             "synced": local_time(shop.last_synced, lang),
             "clock": ("⚠ " if clock_off(shop) else "") + clock_text(shop, lang)}
    return tuple(cells[column] for column in COLUMNS)


def shop_details(shop: ShopCompliance, lang: str) -> str:
    """What the shop is late with, and what is wrong with its clock, in a line or two."""
    if shop.last_synced is None:
        return t("head_office.never_synced", lang, shop=shop.name)
    if shop.overdue:
        late = [t("head_office.overdue_item", lang, title=routine.title(lang),
                  days=routine.days_late) for routine in shop.overdue]
        lines = [t("head_office.overdue", lang, shop=shop.name,
                   routines=t("list.separator", lang).join(late))]
    else:
        lines = [t("head_office.nothing_overdue", lang, shop=shop.name)]
    if clock_off(shop):
        lines.append(t("head_office.clock_off", lang, shop=shop.name,
                       offset=clock_text(shop, lang)))
    return "\n".join(lines)


class CompliancePane(ReadingPane):

    DEFAULT_CSS = """
    CompliancePane {
        #compliance { height: 1fr; }
        #compliance-shop {
            height: auto;
            max-height: 4;
            padding: 0 1;
        }
    }
    """

    def compose(self) -> ComposeResult:
        yield IncidentTable(id="compliance")
        yield Static(id="compliance-shop")
        yield self.status_line()

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.query_one(IncidentTable), "cursor_row", self._describe, init=False)

    def focus_main(self) -> None:
        self.query_one(IncidentTable).focus()

    def question(self) -> Question:
        return lambda office: office.compliance()

    def draw(self, shops: list[ShopCompliance]) -> None:
        lang = self.app.lang
        self.query_one(IncidentTable).show_rows(
            headings(COLUMNS, lang),
            [compliance_row(shop, lang) for shop in shops], FITS)
        if shops:
            self.say(t("head_office.compliance", lang, shops=f"{len(shops):,}",
                       overdue=sum(1 for shop in shops if shop.overdue),
                       clocks=sum(1 for shop in shops if clock_off(shop))))
        else:
            self.say(t("head_office.no_shops", lang))
        self._describe()

    def _describe(self) -> None:
        shops = self.answer or []
        row = self.query_one(IncidentTable).cursor_row
        text = shop_details(shops[row], self.app.lang) if row < len(shops) else ""
        self.query_one("#compliance-shop", Static).update(Text(text))
