"""The knowledge base, as the desk offers it: topics, search, response codes, each with the
shop's own numbers written in.

Guidance text names the bank's line by placeholder ({hotline}); which line that is depends on
the terminal: a shop may have terminals from two banks or from a third-party acquirer. The line
of a terminal is its bank's in the service-line table, else the number the shop gave for that
bank once, else unknown (and the screens ask for it); a terminal with no bank written down has
the shop's own line from settings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from posdesk import privacy
from posdesk.desk.base import EmptyText, UnknownId
from posdesk.desk.settings import SettingsDesk
from posdesk.desk.terminals import TerminalsDesk
from posdesk.i18n import t
from posdesk.models import BadRecord, ResponseCode, SearchHit, Settings, Text, Topic, bank_key
from posdesk.store import StoreError
from posdesk.store.checks import shown_text


@dataclass(frozen=True)
class Hotline:
    """Whom to call about a terminal, and the number when it is known."""

    bank: Text | None  # the bank's name, as the table has it or as the shop wrote it
    number: str | None

    @property
    def unknown_bank(self) -> str | None:
        """The bank whose number nobody has given yet: the screens ask for it, once."""
        return self.bank.zh if self.number is None and self.bank else None

    def bank_name(self, lang: str) -> str:
        """The bank's name as shown: a terminal's may be of any length (restored, edited by
        hand), and must not push the rest of a dialog off the screen."""
        return shown_text(self.bank(lang)) if self.bank else ""

    def text(self, lang: str, *, listed: bool = False) -> str:
        """The number and whose it is; `listed`, as one of several: the bank first."""
        if self.number is None:
            if self.bank is None:
                return t("hotline.contract", lang)
            return t("hotline.listed_unknown" if listed else "hotline.unknown", lang,
                     bank=self.bank_name(lang))
        number = shown_text(self.number)  # as typed once, or edited by hand: of any length
        if self.bank is None:
            return number
        return t("hotline.listed" if listed else "hotline.named", lang, number=number,
                 bank=self.bank_name(lang))


class GuidanceDesk(TerminalsDesk, SettingsDesk):
    # Topics and codes

    def topics(self, category: str | None = None) -> list[Topic]:
        values = self.guidance_values()
        return [topic.filled(values) for topic in self.kb.topics(category)]

    def topic(self, topic_id: str, terminal_id: str | None = None) -> Topic:
        """The topic with the line of `terminal_id` written in (every line the shop has when
        no terminal is named)."""
        topic = self.kb.topic(topic_id)
        if topic is None:
            raise UnknownId(topic_id)
        return topic.filled(self.guidance_values(terminal_id))

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        values = self.guidance_values()
        return [replace(hit, topic=hit.topic.filled(values),
                        step=hit.step.filled(values) if hit.step else None)
                for hit in self.kb.search(text, limit)]

    def response_code(self, code: str) -> ResponseCode:
        found = self.kb.code(code)
        if found is None:
            raise UnknownId(code)
        return found.filled(self.guidance_values())

    # The bank's line

    def hotline(self, terminal_id: str | None = None) -> Hotline:
        """The line for a terminal on record, or the shop's own line."""
        settings = self.settings()
        terminal = next((t for t in self.terminals() if t.id == terminal_id), None)
        return self._line_of(terminal.bank if terminal else "", settings)

    def hotlines(self) -> list[Hotline]:
        """Every line the shop's terminals use, each once; the shop's own line when no terminal
        names its bank (or some terminal names none)."""
        settings = self.settings()
        banks = [terminal.bank for terminal in self.terminals()]
        if not banks or not all(banks):
            banks.append("")
        found: dict[str, Hotline] = {}
        for bank in banks:
            line = self._line_of(bank, settings)
            found.setdefault(line.number or f"?{line.unknown_bank}", line)
        return list(found.values())

    def lines_to_give(self) -> list[Hotline]:
        """The lines of the terminals' banks the table does not know, each once, with the
        number the shop gave (or None): what settings lets the shop give or correct."""
        settings = self.settings()
        found: dict[str, Hotline] = {}
        for terminal in self.terminals():
            if terminal.bank.strip() and self.kb.service_line(terminal.bank) is None:
                found.setdefault(bank_key(terminal.bank), self._line_of(terminal.bank, settings))
        return list(found.values())

    def guidance_values(self, terminal_id: str | None = None) -> dict[str, Text]:
        """What the placeholders of guidance text stand for, in both languages."""
        try:
            lines = [self.hotline(terminal_id)] if terminal_id else self.hotlines()
        except (StoreError, OSError, BadRecord):
            # Guidance never waits on the shop's records: when they cannot be read, it names
            # the number in the contract.
            lines = [Hotline(None, None)]
        unionpay = next((line for line in self.kb.service_lines() if line.id == "unionpay"), None)
        union = Hotline(unionpay.name, unionpay.number) if unionpay and unionpay.number else None
        return {
            "hotline": _both(lambda lang: _lines_text(lines, lang)),
            "unionpay": _both(union.text if union else lambda lang: t("hotline.unionpay", lang)),
        }

    def set_bank_line(self, bank: str, number: str) -> Hotline:
        """The number of a bank the table does not know, as the shop's contract gives it."""
        key = bank_key(privacy.clean(bank).text)
        number = privacy.clean(number).text.strip()
        if not key:
            raise EmptyText("bank")
        if not number:
            raise EmptyText("hotline")

        def choose(settings: Settings) -> None:
            settings.bank_lines[key] = number

        self.store.change_settings(choose)
        return self._line_of(bank, self.settings())

    def _line_of(self, bank: str, settings: Settings) -> Hotline:
        if not bank.strip():
            own = self.kb.service_line(settings.hotline)
            return Hotline(own.name if own else None, settings.hotline)
        known = self.kb.service_line(bank)
        if known is not None and known.number:  # a line without its number: asked, as unknown
            return Hotline(known.name, known.number)
        return Hotline(Text(zh=bank, en=bank), settings.bank_lines.get(bank_key(bank)))


def _lines_text(lines: list[Hotline], lang: str) -> str:
    if len(lines) == 1:
        return lines[0].text(lang)
    joined = t("hotline.and", lang).join(line.text(lang, listed=True) for line in lines)
    return t("hotline.several", lang, lines=joined)


def _both(words: Callable[[str], str]) -> Text:
    return Text(zh=words("zh"), en=words("en"))
