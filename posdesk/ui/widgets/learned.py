"""What the shop and its chain learned beside the guidance: their notes on a topic or a step,
the flags a step has, and whose a topic is. Drawn as plain text (people's words are never
markup), the same on the guidance tabs and in the guided flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text

from posdesk.i18n import t
from posdesk.ui.wrapping import wrappable
from posdesk.wording import flag_reason_text, short_time
from posdesk.models import FlagCount, GuidanceNote, Topic

if TYPE_CHECKING:
    from posdesk.desk import Desk

NOTE_MARK = "✎ "
FLAG_MARK = "⚑ "


@dataclass(frozen=True)
class Learned:
    """The notes on a topic and its steps, by the id they are on, and each step's flags."""

    notes: dict[str, tuple[GuidanceNote, ...]] = field(default_factory=dict)
    flags: dict[str, FlagCount] = field(default_factory=dict)

    def notes_on(self, item_id: str) -> tuple[GuidanceNote, ...]:
        return self.notes.get(item_id, ())

    def text_for(self, item_id: str, lang: str) -> Text:
        """The notes on `item_id`, then its flags (a step's), one paragraph each."""
        text = notes_text(self.notes_on(item_id), lang)
        if (count := self.flags.get(item_id)) is not None:
            if text:
                text.append("\n")
            text.append_text(flag_text(count, lang))
        return text


def read_learned(desk: Desk, topic: Topic) -> Learned:
    """What is shown beside `topic` and its steps: what `desk.notes_on` and `desk.flag_count`
    give for each, read in one pass over the records rather than one pass per step."""
    ids = {topic.id, *(step.id for step in topic.steps)}
    return Learned(
        {on: tuple(found) for on, found in desk.notes_on_each(ids).items()},
        {count.step_id: count for count in desk.most_flagged(None) if count.step_id in ids})


def notes_text(notes: tuple[GuidanceNote, ...], lang: str) -> Text:
    """Each note marked as the chain's or the shop's, with who and when, then as typed."""
    text = Text()
    for n, note in enumerate(notes):
        if n:
            text.append("\n")
        edited = t("learn.edited", lang, at=short_time(note.edited_at)) if note.edited_at else ""
        whose = "learn.chain_note" if note.origin == "chain" else "learn.shop_note"
        text.append(NOTE_MARK + wrappable(t(whose, lang, who=note.who or "—",
                                            at=short_time(note.at), edited=edited), lang),
                    style="bold cyan")
        text.append(note.text, style="cyan")  # as typed, in whatever language
    return text


def flag_text(count: FlagCount, lang: str) -> Text:
    """"Flagged twice here: does not apply to our terminal", with the latest reason written."""
    key = {1: "learn.flagged_once", 2: "learn.flagged_twice"}.get(count.count, "learn.flagged_many")
    text = Text(FLAG_MARK + wrappable(t(key, lang, count=count.count,
                                        reason=flag_reason_text(count.main_reason, lang)), lang),
                style="bold yellow")
    if count.whys:
        text.append(t("learn.latest_why", lang), style="yellow")
        text.append(count.whys[0], style="italic yellow")
    return text


def origin_text(topic: Topic, lang: str) -> Text | None:
    """Whose the topic is when it is not the shipped base's: the shop's or the chain's."""
    if topic.origin not in ("shop", "chain"):
        return None
    said = t(f"learn.{topic.origin}_topic", lang, who=topic.who or "—", at=short_time(topic.at))
    if topic.edited_at:
        said += t("learn.topic_edited", lang, who=topic.edited_by or "—",
                  at=short_time(topic.edited_at))
    return Text(said, style="bold magenta")
