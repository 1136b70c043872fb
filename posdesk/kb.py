"""The knowledge base that ships with posdesk: guidance topics, their steps and response codes.

It is a TinyDB database opened read-only. The whole of it is small, so it is read once into
plain records and looked up in memory.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from posdesk.models import (
    CATEGORIES, LANGUAGES, Checklist, ResponseCode, SearchHit, Step, Text, Topic,
)

SEED_FACTS = tuple(f"S{n}" for n in range(1, 29))
# The shop's records a topic may keep (its "keeps" flag), each kept by one topic at most: what
# the screens offer on that topic follows the flag, never the topic's id.
KEPT_RECORDS = ("training_log", "terminal_list")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class KnowledgeBaseError(Exception):
    """The shipped knowledge base is missing or cannot be read."""


def default_path() -> Path:
    """Where the knowledge base is: inside an installed wheel, or in a source checkout.
    (The wheel carries it as posdesk/data/guidance.json; see pyproject.toml.)"""
    package = Path(__file__).resolve().parent
    packaged = package / "data" / "guidance.json"
    return packaged if packaged.is_file() else package.parent / "data" / "guidance.json"


class KnowledgeBase:
    """Topics, steps and response codes, looked up by id, category or words."""

    def __init__(self, topics: list[Topic], codes: list[ResponseCode], version: str,
                 checklists: list[Checklist] = ()) -> None:
        self.version = version
        self._checklists = {c.topic_id: c for c in checklists}
        self._topics = sorted(topics, key=lambda t: (CATEGORIES.index(t.category), t.order))
        self._by_id = {t.id: t for t in self._topics}
        self._steps = {s.id: s for t in self._topics for s in t.steps}
        self._codes = {c.code.upper(): c for c in codes}

    @classmethod
    def open(cls, path: Path | None = None) -> KnowledgeBase:
        path = path or default_path()
        if not path.is_file():
            raise KnowledgeBaseError(f"The knowledge base is missing: {path} (reinstall posdesk).")
        try:
            with TinyDB(path, access_mode="r", storage=JSONStorage, encoding="utf-8") as db:
                # One read of the file: each TinyDB table lookup would parse it again.
                raw = db.storage.read() or {}
                tables = {name: list(documents.values()) for name, documents in raw.items()}
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, ValueError) as error:
            raise KnowledgeBaseError(f"The knowledge base {path} cannot be read: {error}") from None
        try:
            return cls._from_tables(tables)
        except (KeyError, TypeError, ValueError) as error:
            raise KnowledgeBaseError(
                f"The knowledge base {path} is not in the expected shape (missing {error})."
            ) from None

    @classmethod
    def _from_tables(cls, tables: dict[str, list[dict]]) -> KnowledgeBase:
        steps_by_topic: dict[str, list[Step]] = {}
        for raw in tables.get("steps", []):
            step = Step.from_dict(raw)
            steps_by_topic.setdefault(step.topic_id, []).append(step)
        topics = []
        for raw in tables.get("topics", []):
            steps = sorted(steps_by_topic.get(raw["id"], []), key=lambda s: s.order)
            topics.append(Topic.from_dict(raw, tuple(steps)))
        codes = [ResponseCode.from_dict(raw) for raw in tables.get("codes", [])]
        checklists = [Checklist.from_dict(raw) for raw in tables.get("checklists", [])]
        meta = (tables.get("meta") or [{}])[0]
        return cls(topics, codes, str(meta.get("version", "unknown")), checklists)

    # Looking things up

    def topics(self, category: str | None = None) -> list[Topic]:
        return [t for t in self._topics if category is None or t.category == category]

    def topic(self, topic_id: str) -> Topic | None:
        return self._by_id.get(topic_id)

    def step(self, step_id: str) -> Step | None:
        return self._steps.get(step_id)

    def checklist(self, topic_id: str) -> Checklist | None:
        """The checklist that goes with a topic, if it has one."""
        return self._checklists.get(topic_id)

    def routines(self) -> list[Topic]:
        """Topics that are recurring tasks: they carry a cadence."""
        return [t for t in self._topics if t.cadence_days]

    def codes(self) -> list[ResponseCode]:
        return sorted(self._codes.values(), key=lambda c: c.code)

    def code(self, code: str) -> ResponseCode | None:
        return self._codes.get(code.strip().upper())

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        """Topics and steps that hold every word of `text`, in either language, best first.

        Chinese is written without spaces, so each word is matched as a substring.
        """
        words = text.casefold().split()
        if not words:
            return []
        hits: list[SearchHit] = []
        for topic in self._topics:
            title = topic.title.both().casefold()
            if all(w in topic.searchable() for w in words):
                in_title = sum(w in title for w in words)
                hits.append(SearchHit(topic, None, 2.0 + in_title))
            for step in topic.steps:
                if all(w in step.searchable() for w in words):
                    in_title = sum(w in step.title.both().casefold() for w in words)
                    hits.append(SearchHit(topic, step, 1.0 + in_title))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit] if limit else hits

    # Checking the content

    def problems(self) -> list[str]:
        """Everything wrong with the content, one sentence each; empty when all is well."""
        found: list[str] = []
        seen: set[str] = set()
        covered: set[str] = set()
        keepers: dict[str, str] = {}
        for topic in self._topics:
            if topic.keeps is not None and topic.keeps not in KEPT_RECORDS:
                found.append(f"{topic.id} keeps unknown records {topic.keeps!r}")
            elif topic.keeps in keepers:
                found.append(f"{topic.id} and {keepers[topic.keeps]} both keep {topic.keeps}")
            elif topic.keeps is not None:
                keepers[topic.keeps] = topic.id
            for item_id in (topic.id, *(s.id for s in topic.steps)):
                if item_id in seen:
                    found.append(f"id {item_id} is used twice")
                seen.add(item_id)
            if topic.category not in CATEGORIES:
                found.append(f"{topic.id} has unknown category {topic.category!r}")
            if len(topic.steps) < 2:
                found.append(f"{topic.id} has fewer than two steps")
            if [s.order for s in topic.steps] != list(range(1, len(topic.steps) + 1)):
                found.append(f"{topic.id} has steps out of order")
            texts = [("title", topic.title), ("summary", topic.summary)]
            for step in topic.steps:
                texts += [(f"{step.id} title", step.title), (f"{step.id} how", step.how)]
                texts += [(f"{step.id} why", step.why)]
            found += [f"{topic.id}: {p}" for p in _text_problems(texts)]
            if topic.category == "fault":
                last_contacts = bool(topic.steps) and topic.steps[-1].contacts_bank
                if not last_contacts:
                    found.append(f"{topic.id} does not end with contacting the bank")
                if any(s.contacts_bank for s in topic.steps[:-1]):
                    found.append(f"{topic.id} contacts the bank before its last step")
            covered |= topic.all_sources()
        missing = [s for s in SEED_FACTS if s not in covered]
        if missing:
            found.append("seed facts not covered: " + ", ".join(missing))
        for checklist in self._checklists.values():
            if self.topic(checklist.topic_id) is None:
                found.append(f"checklist {checklist.id} points at a missing topic")
            found += _text_problems([(f"{checklist.id} title", checklist.title)] + [
                (f"{checklist.id} {item.id}", item.text) for item in checklist.items])
        for code in self._codes.values():
            texts = [(f"code {code.code} meaning", code.meaning), (f"code {code.code} action", code.action)]
            found += _text_problems(texts)
            linked = self.topic(code.topic_id) if code.topic_id else None
            if code.topic_id and (linked is None or linked.category != "fault"):
                found.append(f"code {code.code} points at {code.topic_id}, which is not a fault topic")
        return found


def _text_problems(texts: list[tuple[str, Text]]) -> list[str]:
    found = []
    for label, text in texts:
        for lang in LANGUAGES:
            value = text(lang)
            if not value.strip():
                found.append(f"{label} is empty in {lang}")
        if text.zh.strip() and not _CJK.search(text.zh):
            found.append(f"{label} has no Chinese in its zh text")
    return found
