"""What a person can do with posdesk, one method each, shared by the TUI, the CLI and the tests."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from posdesk.kb import KnowledgeBase
from posdesk.models import LANGUAGES, ResponseCode, SearchHit, Settings, Topic
from posdesk.store import Store


class UnknownId(LookupError):
    """No topic, step or record has this id."""


class Desk:
    """The help desk for one data directory and the shipped knowledge base."""

    def __init__(self, home: str | Path | None = None, kb: KnowledgeBase | None = None) -> None:
        self._home = home
        self._kb = kb

    @cached_property
    def kb(self) -> KnowledgeBase:
        return self._kb or KnowledgeBase.open()

    @cached_property
    def store(self) -> Store:
        """Opened on first use, so reading guidance never touches the shop's records."""
        return Store(self._home)

    # Guidance

    def topics(self, category: str | None = None) -> list[Topic]:
        return self.kb.topics(category)

    def topic(self, topic_id: str) -> Topic:
        topic = self.kb.topic(topic_id)
        if topic is None:
            raise UnknownId(topic_id)
        return topic

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        return self.kb.search(text, limit)

    def response_code(self, code: str) -> ResponseCode:
        found = self.kb.code(code)
        if found is None:
            raise UnknownId(code)
        return found

    # Settings

    def settings(self) -> Settings:
        return self.store.settings()

    def set_language(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
        settings = self.store.settings()
        settings.language = lang
        self.store.save_settings(settings)
