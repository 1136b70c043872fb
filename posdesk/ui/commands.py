"""The command palette's search: any topic or step, by words in Chinese or English."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from posdesk.i18n import t

if TYPE_CHECKING:
    from posdesk.ui.app import PosdeskApp

MAX_HITS = 40


class GuidanceCommands(Provider):
    """Finds topics and steps with the knowledge base's own search."""

    @property
    def _app(self) -> PosdeskApp:
        return self.app  # type: ignore[return-value]

    async def discover(self) -> Hits:
        app = self._app
        for topic in app.desk.topics():
            category = t(f"category.{topic.category}", app.lang)
            yield DiscoveryHit(
                Text(topic.title(app.lang)),
                partial(app.open_guidance, topic.id),
                text=topic.title(app.lang),
                help=t("palette.help_topic", app.lang, category=category),
            )

    async def search(self, query: str) -> Hits:
        app = self._app
        words = query.split()
        for hit in app.desk.search(query, limit=MAX_HITS):
            item = hit.step or hit.topic
            title = Text(item.title(app.lang))
            title.highlight_words(words, style="bold underline", case_sensitive=False)
            category = t(f"category.{hit.topic.category}", app.lang)
            if hit.step:
                help_text = t("palette.help_step", app.lang, category=category,
                              topic=hit.topic.title(app.lang))
            else:
                help_text = t("palette.help_topic", app.lang, category=category)
            yield Hit(
                min(hit.score / 4, 1.0),
                title,
                partial(app.open_guidance, hit.topic.id, hit.step.id if hit.step else None),
                text=item.title(app.lang),
                help=help_text,
            )
