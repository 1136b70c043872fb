"""The knowledge base's records: topics, their steps, response codes, checklists, search hits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from posdesk.models.records import Text

CATEGORIES = ("fault", "maintenance", "security", "transaction")


@dataclass(frozen=True)
class Step:
    """One thing to check or do, with how to do it and why it matters."""

    id: str
    topic_id: str
    order: int
    kind: str  # "check", or "contact_bank" for the last step of a fault
    title: Text
    how: Text
    why: Text
    sources: tuple[str, ...] = ()

    @property
    def contacts_bank(self) -> bool:
        return self.kind == "contact_bank"

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
    keywords: tuple[str, ...] = ()
    cadence_days: int | None = None
    per_terminal: bool = False  # a routine done for each terminal, not once for the shop
    keeps: str | None = None  # which of the shop's records this topic keeps (kb.KEPT_RECORDS)

    def all_sources(self) -> set[str]:
        """The seed facts this topic covers, its own and its steps'."""
        found = set(self.sources)
        for step in self.steps:
            found.update(step.sources)
        return found

    def searchable(self) -> str:
        head = " ".join((self.id, self.title.both(), self.summary.both(), *self.keywords))
        return head.casefold()

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
            keywords=tuple(keywords.get("zh", ())) + tuple(keywords.get("en", ())),
            cadence_days=data.get("cadence_days"),
            per_terminal=bool(data.get("per_terminal")),
            keeps=data.get("keeps"),
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
