"""The knowledge base's records: topics, their steps, response codes, checklists, search hits."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from posdesk.models.events import CHECK_OUTCOMES, OUTCOMES_OF_KIND
from posdesk.models.records import Text

CATEGORIES = ("fault", "maintenance", "security", "transaction")
# A topic's id begins with its category's prefix (the base's check holds it to that), so a
# record that keeps only the id still knows what kind of problem it was about.
ID_PREFIXES = {"fault": "fault.", "maintenance": "maint.", "security": "sec.",
               "transaction": "tx."}


def category_of(topic_id: str) -> str | None:
    """The category a topic id names by its prefix; None for an id of no known category."""
    return next((category for category, prefix in ID_PREFIXES.items()
                 if topic_id.startswith(prefix)), None)
# "check": something to try, asked "fixed?" in a flow; "info": something to find out or to
# know, only noted; "contact_bank": a fault's last step.
STEP_KINDS = ("check", "info", "contact_bank")
ACTION_CLASSES = ("A", "B", "C", "D", "E")  # the terminal code table's classes; only B retries
# What guidance text may name by placeholder, filled in for the shop (see Desk.guidance_values).
PLACEHOLDERS = ("hotline", "unionpay")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Chinese characters and full-width punctuation: the characters a space beside is not wanted by.
CHINESE_WIDE = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_EDGE = re.compile(f"[{CHINESE_WIDE}]")


def placeholders_in(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def fill(text: Text, values: Mapping[str, Text]) -> Text:
    """The text with each {placeholder} replaced by its value in the same language."""
    if "{" not in text.zh and "{" not in text.en:
        return text
    zh, en = text.zh, text.en
    for name, value in values.items():
        mark = "{" + name + "}"
        # "打 {hotline} 报修": the spaces set a number apart from Chinese; beside Chinese
        # words or a full-width bracket they are not wanted.
        if _CJK_EDGE.match(value.zh[-1:]):
            zh = zh.replace(mark + " ", mark)
        if _CJK_EDGE.match(value.zh[:1]):
            zh = zh.replace(" " + mark, mark)
        zh = zh.replace(mark, value.zh)
        en = en.replace(mark, value.en)
    return Text(zh=zh, en=en)


@dataclass(frozen=True)
class Step:
    """One thing to check or do, with how to do it and why it matters."""

    id: str
    topic_id: str
    order: int
    kind: str  # one of STEP_KINDS
    title: Text
    how: Text
    why: Text
    sources: tuple[str, ...] = ()

    @property
    def contacts_bank(self) -> bool:
        return self.kind == "contact_bank"

    @property
    def outcomes(self) -> tuple[str, ...]:
        """What this step can be marked in a flow."""
        return OUTCOMES_OF_KIND.get(self.kind, CHECK_OUTCOMES)

    @property
    def gathers_info(self) -> bool:
        """A step that finds something out or says what to know: noted, never "fixed"."""
        return self.kind == "info"

    def texts(self) -> dict[str, Text]:
        return {"title": self.title, "how": self.how, "why": self.why}

    def filled(self, values: Mapping[str, Text]) -> Step:
        how, why = fill(self.how, values), fill(self.why, values)
        return self if how is self.how and why is self.why else replace(self, how=how, why=why)

    def searchable(self) -> str:
        return " ".join(t.both() for t in (self.title, self.how, self.why)).casefold()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Step:
        return cls(
            id=data["id"],
            topic_id=data["topic_id"],
            order=int(data["order"]),
            kind=data.get("kind", "check"),
            title=Text.from_dict(data["title"]),
            how=Text.from_dict(data["how"]),
            why=Text.from_dict(data["why"]),
            sources=tuple(data.get("sources", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "topic_id": self.topic_id,
            "order": self.order,
            "kind": self.kind,
            "title": self.title.to_dict(),
            "how": self.how.to_dict(),
            "why": self.why.to_dict(),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Topic:
    """A piece of guidance: a fault to troubleshoot, or a routine or rule to follow."""

    id: str
    category: str
    order: int
    title: Text
    summary: Text
    sources: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    keywords_zh: tuple[str, ...] = ()  # the words a clerk may type for it
    keywords_en: tuple[str, ...] = ()
    cadence_days: int | None = None
    per_terminal: bool = False  # a routine done for each terminal, not once for the shop
    keeps: str | None = None  # which of the shop's records this topic keeps (kb.KEPT_RECORDS)
    refs: tuple[str, ...] = ()  # the references it rests on, beyond the seed facts
    # Whose guidance it is: the shipped base's, the chain's (its head office published it) or
    # the shop's own; the chain's and the shop's say who wrote it and when.
    origin: str = "base"
    who: str = ""
    at: str = ""
    edited_by: str = ""  # the last change of a shop's topic: who and when ("" when none)
    edited_at: str = ""

    @property
    def is_own(self) -> bool:
        """Written by the chain or the shop, not shipped with posdesk."""
        return self.origin != "base"

    @property
    def keywords(self) -> tuple[str, ...]:
        return self.keywords_zh + self.keywords_en

    def keywords_in(self, lang: str) -> tuple[str, ...]:
        return self.keywords_zh if lang == "zh" else self.keywords_en

    def all_sources(self) -> set[str]:
        """The seed facts this topic covers, its own and its steps'."""
        found = set(self.sources)
        for step in self.steps:
            found.update(step.sources)
        return found

    def searchable(self) -> str:
        head = " ".join((self.id, self.title.both(), self.summary.both(), *self.keywords))
        return head.casefold()

    def filled(self, values: Mapping[str, Text]) -> Topic:
        summary = fill(self.summary, values)
        steps = tuple(step.filled(values) for step in self.steps)
        if summary is self.summary and all(a is b for a, b in zip(steps, self.steps)):
            return self
        return replace(self, summary=summary, steps=steps)

    @classmethod
    def from_dict(cls, data: dict[str, Any], steps: tuple[Step, ...] = ()) -> Topic:
        keywords = data.get("keywords") or {}
        return cls(
            id=data["id"],
            category=data["category"],
            order=int(data.get("order", 0)),
            title=Text.from_dict(data["title"]),
            summary=Text.from_dict(data["summary"]),
            sources=tuple(data.get("sources", ())),
            steps=steps,
            keywords_zh=tuple(keywords.get("zh", ())),
            keywords_en=tuple(keywords.get("en", ())),
            cadence_days=data.get("cadence_days"),
            per_terminal=bool(data.get("per_terminal")),
            keeps=data.get("keeps"),
            refs=tuple(data.get("refs", ())),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "order": self.order,
            "title": self.title.to_dict(),
            "summary": self.summary.to_dict(),
            "sources": sorted(self.all_sources(), key=_fact_number),
            "cadence_days": self.cadence_days,
            "steps": [step.to_dict() for step in self.steps],
        }


@dataclass(frozen=True)
class ResponseCode:
    """What a response code on the terminal's screen means and what the cashier does."""

    code: str
    action_class: str
    meaning: Text
    action: Text
    retry: bool
    topic_id: str | None = None

    @property
    def succeeded(self) -> bool:
        """Class A: the payment went through, so it must not be charged again."""
        return self.action_class == "A"

    def filled(self, values: Mapping[str, Text]) -> ResponseCode:
        action = fill(self.action, values)
        return self if action is self.action else replace(self, action=action)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ResponseCode:
        return cls(
            code=data["code"],
            action_class=data.get("class", ""),
            meaning=Text.from_dict(data["meaning"]),
            action=Text.from_dict(data["action"]),
            retry=bool(data["retry"]),
            topic_id=data.get("topic_id"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "class": self.action_class,
            "meaning": self.meaning.to_dict(),
            "action": self.action.to_dict(),
            "retry": self.retry,
            "topic_id": self.topic_id,
        }


@dataclass(frozen=True)
class SearchHit:
    """A topic, or one of its steps, that matched a search."""

    topic: Topic
    step: Step | None = None
    score: float = 0.0

    @property
    def id(self) -> str:
        return self.step.id if self.step else self.topic.id


def _fact_number(source: str) -> tuple[str, int]:
    """Sort S2 before S10."""
    prefix, digits = source[:1], source[1:]
    return (prefix, int(digits) if digits.isdigit() else 0)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    text: Text


@dataclass(frozen=True)
class Checklist:
    """Things to confirm one by one at a moment that matters (an inspection, a refund, …)."""

    id: str
    topic_id: str
    title: Text
    items: tuple[ChecklistItem, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checklist:
        items = tuple(ChecklistItem(i["id"], Text.from_dict(i["text"])) for i in data["items"])
        return cls(data["id"], data["topic_id"], Text.from_dict(data["title"]), items)


@dataclass(frozen=True)
class ServiceLine:
    """A bank's or acquirer's service number, and the names a shop may write the bank by."""

    id: str
    name: Text
    number: str
    kind: str  # "bank", "acquirer" or "network"
    aliases: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServiceLine:
        number = data["number"]  # a number written as a JSON number is the same number
        return cls(id=data["id"], name=Text.from_dict(data["name"]),
                   number="" if number is None else str(number).strip(),
                   kind=data.get("kind", "bank"), aliases=tuple(data.get("aliases", ())),
                   refs=tuple(data.get("refs", ())))

    def names(self) -> list[str]:
        return [bank_key(name) for name in (self.name.zh, self.name.en, *self.aliases)]


# Characters nobody sees that pasted text may carry (a zero-width space, a byte-order mark, a
# soft hyphen, direction marks, NUL): they would split a word that reads whole.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def folded(text: str) -> str:
    """Text as typed, for comparing: full-width forms and case folded, the invisible characters
    a copied text may carry gone, runs of spaces made one."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text).casefold()).split())


def bank_key(name: str) -> str:
    """A bank's name as typed, for comparing: folded, and without spaces."""
    return "".join(folded(name).split())


@dataclass(frozen=True)
class Reference:
    """A public source the guidance rests on."""

    id: str
    title: str
    url: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reference:
        return cls(id=data["id"], title=data.get("title", ""), url=data.get("url", ""))
