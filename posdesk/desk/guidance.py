"""The knowledge base, as the desk offers it: topics, search, response codes."""

from __future__ import annotations

from posdesk.desk.base import DeskBase, UnknownId
from posdesk.models import ResponseCode, SearchHit, Topic


class GuidanceDesk(DeskBase):
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
