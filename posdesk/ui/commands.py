"""The command palette's search: any topic or step, by words in Chinese or English."""

from __future__ import annotations

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from posdesk.i18n import t
from posdesk.models import Topic
from posdesk.ui.messages import OpenGuidance

MAX_HITS = 40


class GuidanceCommands(Provider):
    """Finds topics and steps with the knowledge base's own search; a chosen one is shown on
    the main screen, under whatever else is open."""

    def _open(self, topic_id: str, step_id: str | None = None):
        main = self.app.screen_stack[0]  # the main screen is always the first
        return lambda: main.post_message(OpenGuidance(topic_id, step_id))

    async def discover(self) -> Hits:
        app = self.app
        for topic in app.desk.topics():
            category = _category(topic, app.lang)
            yield DiscoveryHit(
                Text(topic.title(app.lang)),
                self._open(topic.id),
                text=topic.title(app.lang),
                help=t("palette.help_topic", app.lang, category=category),
            )

    async def search(self, query: str) -> Hits:
        app = self.app
        words = query.split()
        for hit in app.desk.search(query, limit=MAX_HITS):
            item = hit.step or hit.topic
            title = Text(item.title(app.lang))
            title.highlight_words(words, style="bold underline", case_sensitive=False)
            category = _category(hit.topic, app.lang)
            if hit.step:
                help_text = t("palette.help_step", app.lang, category=category,
                              topic=hit.topic.title(app.lang))
            else:
                help_text = t("palette.help_topic", app.lang, category=category)
            yield Hit(
                min(hit.score / 4, 1.0),
                title,
                self._open(hit.topic.id, hit.step.id if hit.step else None),
                text=item.title(app.lang),
                help=help_text,
            )


def _category(topic: Topic, lang: str) -> str:
    """The topic's kind, and whose it is when the shop or the chain wrote it."""
    category = t(f"category.{topic.category}", lang)
    return t(f"palette.{topic.origin}_kind", lang, category=category) if topic.is_own else category
