"""The knowledge base that ships with posdesk: guidance topics, their steps and response codes.

It is a TinyDB database opened read-only. The whole of it is small, so it is read once into
plain records and looked up in memory.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from tinydb import TinyDB
from tinydb.storages import JSONStorage

from posdesk.kb.checks import KEPT_RECORDS, SEED_FACTS, problems
from posdesk.kb.search import Searcher
from posdesk.models import (
    CATEGORIES, Checklist, Reference, ResponseCode, SearchHit, ServiceLine, Step, Topic,
    bank_key,
)
__all__ = ["KEPT_RECORDS", "SEED_FACTS", "KnowledgeBase", "KnowledgeBaseError", "default_path"]


class KnowledgeBaseError(Exception):
    """The shipped knowledge base is missing or cannot be read."""


def default_path() -> Path:
    """Where the knowledge base is: inside an installed wheel, or in a source checkout.
    (The wheel carries it as posdesk/data/guidance.json; see pyproject.toml.)"""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / "guidance.json"
    return packaged if packaged.is_file() else package.parent / "data" / "guidance.json"


class KnowledgeBase:
    """Topics, steps and response codes, looked up by id, category or words."""

    def __init__(self, topics: list[Topic], codes: list[ResponseCode], version: str,
                 checklists: list[Checklist] = (), *, lines: list[ServiceLine] = (),
                 references: list[Reference] = (), synonyms: list[list[str]] = (),
                 generic_words: list[str] = ()) -> None:
        self.version = version
        self._checklists = {c.topic_id: c for c in checklists}
        self._topics = sorted(topics, key=lambda t: (_category_place(t.category), t.order))
        self._by_id = {t.id: t for t in self._topics}
        self._steps = {s.id: s for t in self._topics for s in t.steps}
        self._codes = {c.code.upper(): c for c in codes}
        self._lines = list(lines)
        # Each line's names as compared, worked out once: a name that is not text is found
        # here, when the base is opened, not when a terminal's bank is looked up.
        self._line_names = [(line, line.names()) for line in self._lines]
        self.references = {r.id: r for r in references}
        self._search_words = (synonyms, generic_words)
        self._searcher: Searcher | None = None  # made at the first search: start-up waits less

    def with_topics(self, extra: list[Topic]) -> KnowledgeBase:
        """This base with topics the chain or the shop wrote added to it; their ids are in
        spaces the shipped base never uses, and one that is somehow already here is left out."""
        added, seen = [], set(self._by_id)
        for topic in extra:
            if topic.id not in seen:  # the first of an id written twice, as reading keeps
                added.append(topic)
                seen.add(topic.id)
        combined = KnowledgeBase(
            [*self._topics, *added], list(self._codes.values()), self.version,
            list(self._checklists.values()), lines=self._lines,
            references=list(self.references.values()), synonyms=self._search_words[0],
            generic_words=self._search_words[1])
        return combined

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
        except (KeyError, TypeError, ValueError, AttributeError) as error:
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
        words = tables.get("search_words", [])
        synonyms = [list(w["words"]) for w in words if w.get("kind") == "same"]
        generic = [word for w in words if w.get("kind") == "generic" for word in w["words"]]
        # The search is prepared at the first search; what it reads is checked now, so that a
        # damaged base is told when opened, not as a traceback at the first search.
        for word in (*generic, *(w for group in synonyms for w in group),
                     *(k for topic in topics for k in topic.keywords)):
            if not isinstance(word, str):
                raise TypeError(f"search word {word!r} is not text")
        return cls(
            topics, codes, str(meta.get("version", "unknown")), checklists,
            lines=[ServiceLine.from_dict(raw) for raw in tables.get("service_lines", [])],
            references=[Reference.from_dict(raw) for raw in tables.get("references", [])],
            synonyms=synonyms, generic_words=generic,
        )

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
        # Full-width as a Chinese input method may type it ("００") is the same code.
        return self._codes.get(unicodedata.normalize("NFKC", code).strip().upper())

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        """Topics and steps for what a clerk typed, in either language, best first."""
        if self._searcher is None:
            self._searcher = Searcher(self._topics, *self._search_words)
        return self._searcher.search(text, limit)

    def service_lines(self) -> list[ServiceLine]:
        return list(self._lines)

    def service_line(self, bank: str) -> ServiceLine | None:
        """The service line of the bank a shop wrote down ("建行", "CCB", "中国建设银行北京分行",
        "95533"); the longest name found wins, so "银联商务" is not taken for "银联"."""
        key = bank_key(bank)
        if not key:
            return None
        best: tuple[int, ServiceLine] | None = None
        for line, names in self._line_names:
            if line.number and key == bank_key(line.number):
                return line
            for name in names:
                if name and name in key and (best is None or len(name) > best[0]):
                    best = (len(name), line)
        return best[1] if best else None

    def checklists(self) -> list[Checklist]:
        return list(self._checklists.values())

    def problems(self) -> list[str]:
        """Everything wrong with the content, one sentence each; empty when all is well."""
        return problems(self)


def _category_place(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
