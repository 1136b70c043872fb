"""The shop's settings: language, the bank's hotline, the shop's name."""

from __future__ import annotations

from posdesk import privacy
from posdesk.desk.base import DeskBase, EmptyText
from posdesk.models import LANGUAGES, Settings


class SettingsDesk(DeskBase):
    def settings(self) -> Settings:
        """The shop's settings, cleaned like every record read back (a bad one is at its
        default: see Settings.from_dict)."""
        return self._model(Settings.from_dict, self.store.settings().to_dict())

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")

        def choose(settings: Settings) -> None:
            settings.language = lang

        self.store.change_settings(choose)

    def set_hotline(self, hotline: str) -> None:
        hotline = privacy.clean(hotline).text.strip()
        if not hotline:
            raise EmptyText("hotline")

        def choose(settings: Settings) -> None:
            settings.hotline = hotline

        self.store.change_settings(choose)

    def set_shop_name(self, name: str) -> None:
        """The shop's name, as the note for the bank names it."""
        name = privacy.clean(name).text.strip()
        if not name:
            raise EmptyText("shop")

        def choose(settings: Settings) -> None:
            settings.shop = name

        self.store.change_settings(choose)
