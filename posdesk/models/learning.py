"""Guidance that learns: the notes a shop or its chain writes beside the shipped guidance, the
flags a clerk raises on a step that did not help, and the topics a shop or a chain writes itself.

The shipped base keeps its ids to `[a-z0-9_.]` (a check of the base holds it to that), so the ids
given here, which carry a hyphen ("fault.shop-1", "tx.chain-4"), can never be one of its ids.
Notes and flags name what they are attached to by id only: when a newer base drops a step, they
are kept and listed as orphaned, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from posdesk.models.guidance import CATEGORIES, ID_PREFIXES, STEP_KINDS, Step, Topic
from posdesk.models.records import (
    BadRecord, Text, _bilingual, _field, _list, _object, _one_of, _text, _text_or_null, _time,
    _whole,
)

ORIGINS = ("base", "chain", "shop")
# Why a step is flagged: it is wrong, it is out of date, or it does not fit the shop's terminal.
FLAG_REASONS = ("wrong", "out_of_date", "not_our_terminal")
# Ids of the shipped base: what a newer base may use, and what the ids below never match.
SHIPPED_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*", re.ASCII)
_PREFIXES = "|".join(re.escape(prefix) for prefix in ID_PREFIXES.values())
OWN_TOPIC_ID = re.compile(rf"(?:{_PREFIXES})(?P<origin>shop|chain)-(?P<n>[1-9][0-9]{{0,8}})",
                          re.ASCII)
OWN_STEP_ID = re.compile(rf"(?P<topic>{OWN_TOPIC_ID.pattern})\.(?P<step>[1-9][0-9]{{0,3}})",
                         re.ASCII)
NOTE_ID = re.compile(r"N[1-9][0-9]{0,8}", re.ASCII)
CHAIN_NOTE_ID = re.compile(r"C[1-9][0-9]{0,8}", re.ASCII)
FLAG_ID = re.compile(r"F[1-9][0-9]{0,8}", re.ASCII)
# The most a note, a reason or one text of a topic may hold: a screenful, not a file.
LONGEST_TEXT = 2000
LONGEST_NAME = 60  # who wrote it


def is_own_id(item_id: object) -> str | None:
    """"shop" or "chain" for a topic or step id in those spaces; None for any other."""
    if not isinstance(item_id, str):
        return None
    found = OWN_TOPIC_ID.fullmatch(item_id) or OWN_STEP_ID.fullmatch(item_id)
    return found["origin"] if found else None


def own_topic_id(category: str, origin: str, number: int) -> str:
    return f"{ID_PREFIXES[category]}{origin}-{number}"


def _limited(longest: int):
    def check(value: Any) -> str:
        if len(_text(value)) > longest:
            raise BadRecord("", "too_long")
        return value
    return check


def _text_pair(value: Any) -> Text:
    _bilingual(value)
    for lang in ("zh", "en"):
        _field(value, lang, _limited(LONGEST_TEXT))
    return Text.from_dict(value)


@dataclass(frozen=True)
class GuidanceNote:
    """What a shop (or its chain) wrote beside a topic or a step, as typed."""

    id: str
    on: str  # the topic or step id it is attached to
    text: str
    who: str
    at: str
    edited_at: str | None = None
    earlier: tuple[dict[str, str], ...] = ()  # the texts it had before, oldest first
    removed_at: str | None = None
    origin: str = "shop"

    @property
    def removed(self) -> bool:
        return self.removed_at is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any], origin: str = "shop") -> GuidanceNote:
        _object(data)
        note_id = _field(data, "id", _text)
        if not (CHAIN_NOTE_ID if origin == "chain" else NOTE_ID).fullmatch(note_id):
            raise BadRecord("id", "not_id")
        text = _field(data, "text", _limited(LONGEST_TEXT))
        if not text.strip():
            raise BadRecord("text", "empty")
        earlier = tuple(_earlier(item).copy() for item in _field(data, "earlier", _list, []))
        return cls(
            id=note_id, on=_field(data, "on", _limited(200)), text=text,
            who=_field(data, "who", _limited(LONGEST_NAME), ""), at=_field(data, "at", _time),
            edited_at=_field(data, "edited_at", _time_or_null, None), earlier=earlier,
            removed_at=_field(data, "removed_at", _time_or_null, None), origin=origin,
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "on": self.on, "text": self.text, "who": self.who, "at": self.at,
                "edited_at": self.edited_at, "earlier": [dict(e) for e in self.earlier],
                "removed_at": self.removed_at}


def _earlier(value: Any) -> dict[str, str]:
    _object(value)
    for key in ("text", "who"):
        _field(value, key, _limited(LONGEST_TEXT))
    _field(value, "at", _time)
    return {"text": value["text"], "who": value["who"], "at": value["at"]}


def _time_or_null(value: Any) -> str | None:
    return None if value is None else _time(value)


@dataclass(frozen=True)
class StepFlag:
    """A clerk's word that a step is wrong, out of date or not for the shop's terminal."""

    id: str
    step_id: str
    topic_id: str
    reason: str  # one of FLAG_REASONS
    why: str
    who: str
    at: str
    incident_id: str | None = None  # the flow it was raised in, if any
    withdrawn_at: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepFlag:
        _object(data)
        return cls(
            id=_field(data, "id", _id_of(FLAG_ID)),
            step_id=_field(data, "step_id", _limited(200)),
            topic_id=_field(data, "topic_id", _limited(200)),
            reason=_field(data, "reason", _one_of(FLAG_REASONS)),
            why=_field(data, "why", _limited(LONGEST_TEXT), ""),
            who=_field(data, "who", _limited(LONGEST_NAME), ""),
            at=_field(data, "at", _time),
            incident_id=_field(data, "incident_id", _text_or_null, None),
            withdrawn_at=_field(data, "withdrawn_at", _time_or_null, None),
        )

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "step_id": self.step_id, "topic_id": self.topic_id,
                "reason": self.reason, "why": self.why, "who": self.who, "at": self.at,
                "incident_id": self.incident_id, "withdrawn_at": self.withdrawn_at}


def _id_of(pattern: re.Pattern[str]):
    def check(value: Any) -> str:
        if not pattern.fullmatch(_text(value)):
            raise BadRecord("", "not_id")
        return value
    return check


@dataclass(frozen=True)
class FlagCount:
    """The flags a step has: how many, for which reasons, and the reasons people wrote."""

    step_id: str
    topic_id: str
    title: Text | None  # the step's title; None when the base no longer has the step
    count: int
    reasons: dict[str, int] = field(default_factory=dict)
    whys: tuple[str, ...] = ()  # what people wrote, latest first

    @property
    def main_reason(self) -> str:
        """The reason given most (the first of FLAG_REASONS on a tie)."""
        return max(FLAG_REASONS, key=lambda reason: (self.reasons.get(reason, 0),
                                                      -FLAG_REASONS.index(reason)))

    def to_dict(self) -> dict[str, Any]:
        return {"step_id": self.step_id, "topic_id": self.topic_id,
                "title": self.title.to_dict() if self.title else None, "count": self.count,
                "reasons": dict(self.reasons), "whys": list(self.whys)}


def own_topic(data: dict[str, Any], origin: str) -> Topic:
    """A topic the shop or the chain wrote, from its record (see the `guidance_topics` table);
    BadRecord when the record has not that shape."""
    _object(data)
    topic_id = _field(data, "id", _text)
    found = OWN_TOPIC_ID.fullmatch(topic_id)
    if found is None or found["origin"] != origin:
        raise BadRecord("id", "not_id")
    category = _field(data, "category", _one_of(CATEGORIES))
    if not topic_id.startswith(ID_PREFIXES[category]):
        raise BadRecord("category", "unknown_value")
    title = _field(data, "title", _text_pair)
    if not (title.zh.strip() or title.en.strip()):
        raise BadRecord("title", "empty")
    keywords = _field(data, "keywords", _object, {})
    raw_steps = _field(data, "steps", _list)
    if not raw_steps:  # a topic is its steps: the flow and the flag dialog start at the first
        raise BadRecord("steps", "empty")
    steps: list[Step] = []
    for place, raw in enumerate(raw_steps):
        try:
            steps.append(_own_step(raw, topic_id))
        except BadRecord as error:
            raise error.inside(f"steps[{place}]") from None
    if len({step.id for step in steps}) != len(steps):
        raise BadRecord("steps", "unknown_value")
    return Topic(
        id=topic_id, category=category, order=1000 + int(found["n"]), title=title,
        summary=_field(data, "summary", _text_pair, Text("", "")), sources=(),
        steps=tuple(sorted(steps, key=lambda step: step.order)),
        keywords_zh=tuple(_words(keywords.get("zh", []), "keywords.zh")),
        keywords_en=tuple(_words(keywords.get("en", []), "keywords.en")),
        origin=origin, who=_field(data, "who", _limited(LONGEST_NAME), ""),
        at=_field(data, "at", _time),
        edited_by=_field(data, "edited_by", _limited(LONGEST_NAME), ""),
        edited_at=_field(data, "edited_at", _time_or_null, None) or "",
    )


def _own_step(raw: Any, topic_id: str) -> Step:
    _object(raw)
    step_id = _field(raw, "id", _text)
    found = OWN_STEP_ID.fullmatch(step_id)
    if found is None or found["topic"] != topic_id:
        raise BadRecord("id", "not_id")
    title = _field(raw, "title", _text_pair)
    if not (title.zh.strip() or title.en.strip()):
        raise BadRecord("title", "empty")
    return Step(id=step_id, topic_id=topic_id, order=_field(raw, "order", _whole),
                kind=_field(raw, "kind", _one_of(STEP_KINDS), "check"), title=title,
                how=_field(raw, "how", _text_pair, Text("", "")),
                why=_field(raw, "why", _text_pair, Text("", "")))


def _words(value: Any, name: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
        raise BadRecord(name, "not_list")
    return value


def numbered_step_ids(topic_id: str, given: list[object],
                      kept: dict[str, Any]) -> tuple[list[str], int]:
    """The ids of a topic's steps, in the order given, and the highest step number the topic
    has given now. `kept` is the topic's record as stored ({} for a new topic): a given id of
    one of its steps stays (once); any other step takes the next number the topic never gave,
    counting its record's "steps_made", so that notes and flags on a step dropped once never
    land on a new one (the shop's topics and the chain's number their steps alike)."""
    existing = {step.get("id") for step in kept.get("steps", []) if isinstance(step, dict)}
    counter = kept.get("steps_made")
    made = max([counter if type(counter) is int and counter >= 0 else 0,
                *(_step_number_in(step_id, topic_id) for step_id in existing)])
    ids: list[str] = []
    for step_id in given:
        if step_id not in existing or step_id in ids:
            made += 1
            step_id = f"{topic_id}.{made}"
        ids.append(step_id)
    return ids, made


def _step_number_in(step_id: object, topic_id: str) -> int:
    """n of a step id `<topic_id>.<n>`; 0 for any other."""
    prefix = f"{topic_id}."
    if isinstance(step_id, str) and step_id.startswith(prefix):
        number = step_id[len(prefix):]
        if re.fullmatch(r"[1-9][0-9]*", number, re.ASCII):
            return int(number)
    return 0


def topic_record(topic: Topic) -> dict[str, Any]:
    """A shop's or chain's topic as its record: what `own_topic` reads back, what the shop
    hands to its head office to publish."""
    return {
        "id": topic.id, "category": topic.category, "title": topic.title.to_dict(),
        "summary": topic.summary.to_dict(),
        "keywords": {"zh": list(topic.keywords_zh), "en": list(topic.keywords_en)},
        "steps": [{"id": step.id, "order": step.order, "kind": step.kind,
                   "title": step.title.to_dict(), "how": step.how.to_dict(),
                   "why": step.why.to_dict()} for step in topic.steps],
        "who": topic.who, "at": topic.at,
    }
