"""Guidance that learns: the shop's notes beside topics and steps, flags on steps that did not
help, the topics the shop writes itself, and those its chain's head office published.

`kb` here is the shipped base with the chain's and the shop's topics added, so every list,
search, flow and record takes them exactly as it takes a shipped topic. Notes and flags are kept
by the id they are attached to: a newer shipped base that drops a step leaves them orphaned,
listed, never dropped (see `orphaned_notes`).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from posdesk import privacy
from posdesk.desk.base import EmptyText, NotAllowed, UnknownId
from posdesk.desk.guidance import GuidanceDesk
from posdesk.i18n import Phrase, phrase
from posdesk.kb import KnowledgeBase
from posdesk.models import (
    CATEGORIES, FLAG_REASONS, STEP_KINDS, BadRecord, FlagCount, GuidanceNote, StepFlag, Text,
    Topic, own_topic, topic_record,
)
from posdesk.models.learning import (
    FLAG_ID, LONGEST_NAME, LONGEST_TEXT, NOTE_ID, OWN_STEP_ID, OWN_TOPIC_ID, numbered_step_ids,
    own_topic_id,
)
from posdesk.store import GUIDANCE_FLAGS, GUIDANCE_NOTES, GUIDANCE_TOPICS, StoreError
from posdesk.store.reading import NotRegularFile, TooBig, read_regular

# The chain's guidance file is rewritten whole by each pass; more than this is not the chain's.
CHAIN_GUIDANCE_LIMIT = 8 * 1024 * 1024
# What typed text may be before cleaning (controls and spaces it drops): far more than this
# cannot clean down to a screenful.
LONGEST_TYPED = 16 * LONGEST_TEXT
_NOT_READ = (OSError, ValueError, RecursionError, NotRegularFile, TooBig)


class LearningDesk(GuidanceDesk):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The combined base, and what it was made from: the files' signatures, then the records.
        self._combined: tuple[object, object, KnowledgeBase] | None = None
        self._chain_problem: Phrase | None = None
        self._tables_read: tuple[object, dict[str, list[dict[str, Any]]]] | None = None

    # The combined base

    @property
    def kb(self) -> KnowledgeBase:
        """The shipped base with the chain's and the shop's own topics in it."""
        shipped = self.shipped_kb
        signature = (_signature(self.locations.database), _signature(self.locations.chain_guidance),
                     _signature(self.locations.chain_link))
        if self._combined is not None and self._combined[0] == signature:
            return self._combined[2]
        records = (self._topic_records(), self._chain_records().get("topics", []))
        if self._combined is not None and self._combined[1] == records:
            combined = self._combined[2]
        else:
            combined = shipped.with_topics([*self._chain_topics_of(records[1]),
                                            *self._shop_topics_of(records[0])])
        self._combined = (signature, records, combined)
        return combined

    def _topic_records(self) -> list[dict[str, Any]]:
        try:  # nothing written yet: guidance does not open the store for nothing
            return self._records(GUIDANCE_TOPICS)
        except (StoreError, OSError):
            return []  # guidance never waits on the shop's records; doctor names the fault

    def _shop_topics_of(self, records: list[dict[str, Any]], removed: bool = False) -> list[Topic]:
        found = []
        for topic, record in self._each_readable(GUIDANCE_TOPICS, records,
                                                 lambda r: own_topic(r, "shop")):
            if (record.get("removed_at") is not None) == removed:
                found.append(topic)
        return found

    def _chain_topics_of(self, records: list[dict[str, Any]]) -> list[Topic]:
        return [topic for topic, _ in self._each_readable(
            "chain topics", records, lambda r: own_topic(r, "chain"))]

    def _each_readable(self, source: str, records: list[Any],
                       build: Callable[[dict[str, Any]], Any]) -> list[tuple[Any, dict]]:
        """Each record with its model; those that cannot be read are counted, as every
        reading counts them (`posdesk doctor` names them)."""
        found, unreadable, ids = [], 0, set()
        for record in records:
            try:
                model = self._model(build, record)
            except (BadRecord, RecursionError):  # nested past what cleaning walks: no record
                unreadable += 1
                continue
            if model.id not in ids:  # an id written twice: the first, as a change finds
                found.append((model, record))
                ids.add(model.id)
        self._unreadable[source] = unreadable
        return found

    # The chain's guidance, as the last pass pulled it

    def _chain_records(self) -> dict[str, Any]:
        path = self.locations.chain_guidance
        self._chain_problem = None
        if not path.exists() or not self.locations.chain_link.exists():
            return {}  # a shop that left its chain shows none of it
        try:
            raw = json.loads(read_regular(path, CHAIN_GUIDANCE_LIMIT))
            if not isinstance(raw, dict) or not all(
                    isinstance(raw.get(key, []), list) for key in ("topics", "notes")):
                raise ValueError("not the chain's guidance")
        except _NOT_READ:
            self._chain_problem = phrase("learning.chain_unreadable", path=path)
            return {}
        return raw

    def chain_guidance_problem(self) -> Phrase | None:
        """One line when the chain's guidance file cannot be read (none is shown then; the
        next sync pass writes it again)."""
        self.kb  # noqa: B018 — reading the base reads the file
        return self._chain_problem

    def chain_topics(self) -> list[Topic]:
        return [topic for topic in self.kb.topics() if topic.origin == "chain"]

    def _chain_notes(self) -> list[GuidanceNote]:
        records = self._chain_records().get("notes", [])
        return [note for note, _ in self._each_readable(
            "chain notes", records, lambda r: GuidanceNote.from_dict(r, "chain"))]

    # Notes

    def guidance_notes(self, on: str | None = None, *, removed: bool = False) -> list[GuidanceNote]:
        """The shop's notes (removed ones only when asked), then the chain's."""
        notes = [note for note, _ in self._each_readable(
            GUIDANCE_NOTES, self._records(GUIDANCE_NOTES), GuidanceNote.from_dict)
            if removed or not note.removed]
        notes += self._chain_notes()
        return [note for note in notes if on is None or note.on == on]

    def notes_on(self, item_id: str) -> list[GuidanceNote]:
        """What is shown beside a topic or a step: the chain's notes first, then the shop's."""
        return self.notes_on_each([item_id]).get(item_id, [])

    def notes_on_each(self, item_ids: Iterable[str]) -> dict[str, list[GuidanceNote]]:
        """`notes_on` for each of `item_ids` (a topic and its steps), read in one pass."""
        wanted, found = set(item_ids), {}
        for note in sorted(self.guidance_notes(), key=lambda note: note.origin != "chain"):
            if note.on in wanted:
                found.setdefault(note.on, []).append(note)
        return found

    def add_guidance_note(self, on: str, text: str, who: str) -> GuidanceNote:
        self._known_item(on)
        record = {"on": on, "text": typed_text(text, "note"), "who": typed_who(who), "at": self._now(),
                  "edited_at": None, "earlier": [], "removed_at": None}
        return GuidanceNote.from_dict(self._add_numbered(GUIDANCE_NOTES, record, "N", NOTE_ID))

    def edit_guidance_note(self, note_id: str, text: str, who: str) -> GuidanceNote:
        text, who = typed_text(text, "note"), typed_who(who)

        def change(note: GuidanceNote) -> dict[str, Any]:
            if note.removed:
                raise NotAllowed("note_removed", id=note.id)
            earlier = [*note.earlier, {"text": note.text, "who": note.who,
                                       "at": note.edited_at or note.at}]
            return {**note.to_dict(), "text": text, "who": who, "edited_at": self._now(),
                    "earlier": earlier}

        return self._change_note(note_id, change)

    def remove_guidance_note(self, note_id: str) -> GuidanceNote:
        return self._change_note(note_id, lambda note: {
            **note.to_dict(), "removed_at": note.removed_at or self._now()})

    def restore_guidance_note(self, note_id: str) -> GuidanceNote:
        return self._change_note(note_id, lambda note: {**note.to_dict(), "removed_at": None})

    def move_guidance_note(self, note_id: str, on: str) -> GuidanceNote:
        """Attach a note to another topic or step: one orphaned by a newer base, say."""
        self._known_item(on)
        return self._change_note(note_id, lambda note: {**note.to_dict(), "on": on})

    def _change_note(self, note_id: str,
                     change: Callable[[GuidanceNote], dict[str, Any]]) -> GuidanceNote:
        def changed(stored: dict[str, Any]) -> dict[str, Any]:
            try:
                note = self._model(GuidanceNote.from_dict, stored)
            except BadRecord:
                raise UnknownId(note_id) from None  # as guidance_notes leaves it out
            return GuidanceNote.from_dict(change(note)).to_dict()

        if isinstance(note_id, str) and any(note.id == note_id for note in self._chain_notes()):
            raise NotAllowed("chain_note_fixed", id=note_id)
        if not isinstance(note_id, str) or not NOTE_ID.fullmatch(note_id):
            raise UnknownId(note_id)
        result = self.store.change_record(GUIDANCE_NOTES, note_id, changed)
        if result is None:
            raise UnknownId(note_id)
        return GuidanceNote.from_dict(result)

    # Flags

    def flag_step(self, step_id: str, reason: str, why: str = "", who: str = "",
                  incident_id: str | None = None) -> StepFlag:
        step = self.kb.step(step_id)
        if step is None:
            raise UnknownId(step_id)
        if reason not in FLAG_REASONS:
            raise NotAllowed("flag_reason", reasons=", ".join(FLAG_REASONS))
        record = {"step_id": step.id, "topic_id": step.topic_id, "reason": reason,
                  "why": typed_text(why, None), "who": typed_who(who, required=False),
                  "at": self._now(), "incident_id": incident_id, "withdrawn_at": None}
        return StepFlag.from_dict(self._add_numbered(GUIDANCE_FLAGS, record, "F", FLAG_ID))

    def withdraw_flag(self, flag_id: str) -> StepFlag:
        def changed(stored: dict[str, Any]) -> dict[str, Any]:
            try:
                flag = self._model(StepFlag.from_dict, stored)
            except BadRecord:
                raise UnknownId(flag_id) from None
            return {**flag.to_dict(), "withdrawn_at": flag.withdrawn_at or self._now()}

        if not isinstance(flag_id, str) or not FLAG_ID.fullmatch(flag_id):
            raise UnknownId(flag_id)
        result = self.store.change_record(GUIDANCE_FLAGS, flag_id, changed)
        if result is None:
            raise UnknownId(flag_id)
        return StepFlag.from_dict(result)

    def step_flags(self, step_id: str | None = None, *, withdrawn: bool = False) -> list[StepFlag]:
        """The shop's flags (those withdrawn only when asked), oldest first."""
        return [flag for flag, _ in self._each_readable(
            GUIDANCE_FLAGS, self._records(GUIDANCE_FLAGS), StepFlag.from_dict)
            if (withdrawn or not flag.withdrawn) and (step_id is None or flag.step_id == step_id)]

    def flag_count(self, step_id: str) -> FlagCount | None:
        """What the next person on the step is told of its flags; None when it has none."""
        counts = self._flag_counts(self.step_flags(step_id))
        return counts[0] if counts else None

    def most_flagged(self, limit: int | None = 10) -> list[FlagCount]:
        return self._flag_counts(self.step_flags())[:limit]

    def _flag_counts(self, flags: list[StepFlag]) -> list[FlagCount]:
        by_step: dict[str, list[StepFlag]] = {}
        for flag in flags:
            by_step.setdefault(flag.step_id, []).append(flag)
        counts = []
        for step_id, group in by_step.items():
            step = self.kb.step(step_id)
            reasons = Counter(flag.reason for flag in group)
            whys = tuple(flag.why for flag in reversed(group) if flag.why.strip())
            counts.append(FlagCount(step_id, group[0].topic_id, step.title if step else None,
                                    len(group), dict(reasons), whys))
        return sorted(counts, key=lambda count: (-count.count, count.step_id))

    # The shop's own topics

    def own_topics(self, *, removed: bool = False) -> list[Topic]:
        return sorted(self._shop_topics_of(self._topic_records(), removed),
                      key=lambda topic: topic.order)

    def add_own_topic(self, category: str, title: Text | str, summary: Text | str,
                      steps: list[dict[str, Any]], who: str,
                      keywords: dict[str, list[str]] | None = None) -> Topic:
        if category not in CATEGORIES:
            raise NotAllowed("topic_category", categories=", ".join(CATEGORIES))
        fields = topic_fields(title, summary, keywords, who)

        def make(number: int) -> dict[str, Any]:
            topic_id = own_topic_id(category, "shop", number)
            if not OWN_TOPIC_ID.fullmatch(topic_id):
                raise NotAllowed("numbers_used")
            made, counted = steps_of(topic_id, steps, {})
            return {"id": topic_id, "category": category, **fields, "steps": made,
                    "steps_made": counted, "at": self._now(), "edited_at": None,
                    "removed_at": None}

        stored = self.store.add_numbered_by(GUIDANCE_TOPICS, _own_topic_number, make)
        return own_topic(stored, "shop")

    def change_own_topic(self, topic_id: str, *, who: str, title: Text | str | None = None,
                         summary: Text | str | None = None,
                         steps: list[dict[str, Any]] | None = None,
                         keywords: dict[str, list[str]] | None = None) -> Topic:
        """Change what is given; a step given with the id of one of the topic's steps keeps
        it (and the notes and flags on it), a step without one is new."""
        who = typed_who(who)

        def change(stored: dict[str, Any]) -> dict[str, Any]:
            topic = self._own(stored)
            if stored.get("removed_at") is not None:
                raise NotAllowed("topic_removed", id=topic.id)
            fields = topic_fields(title if title is not None else topic.title,
                                   summary if summary is not None else topic.summary,
                                   keywords if keywords is not None else {
                                       "zh": list(topic.keywords_zh),
                                       "en": list(topic.keywords_en)}, who)
            new_steps, made = (steps_of(topic.id, steps, stored) if steps is not None
                               else (stored["steps"], numbered_step_ids(topic.id, [], stored)[1]))
            return {**stored, **fields, "who": topic.who, "edited_by": fields["who"],
                    "steps": new_steps, "edited_at": self._now(), "steps_made": made}

        return self._change_topic(topic_id, change)

    def remove_own_topic(self, topic_id: str) -> Topic:
        """Take the topic off the lists; its record stays, and `restore_own_topic` brings it
        back. Incidents recorded on it keep the text they were recorded with."""
        return self._change_topic(topic_id, lambda stored: {
            **stored, "removed_at": stored.get("removed_at") or self._now()})

    def restore_own_topic(self, topic_id: str) -> Topic:
        return self._change_topic(topic_id, lambda stored: {**stored, "removed_at": None})

    def _own(self, stored: dict[str, Any]) -> Topic:
        try:
            return self._model(lambda r: own_topic(r, "shop"), stored)
        except BadRecord:
            raise UnknownId(str(stored.get("id"))) from None

    def _change_topic(self, topic_id: str,
                      change: Callable[[dict[str, Any]], dict[str, Any]]) -> Topic:
        found = OWN_TOPIC_ID.fullmatch(topic_id) if isinstance(topic_id, str) else None
        if found is None or found["origin"] != "shop":
            topic = self.kb.topic(str(topic_id))
            raise UnknownId(topic_id) if topic is None else not_changeable(topic, topic.id)

        def changed(stored: dict[str, Any]) -> dict[str, Any]:
            result = change(stored)
            own_topic(result, "shop")  # what is written always reads back
            return result

        result = self.store.change_record(GUIDANCE_TOPICS, topic_id, changed)
        if result is None:
            raise UnknownId(topic_id)
        return own_topic(result, "shop")

    # After a newer base

    def orphaned_notes(self) -> list[GuidanceNote]:
        """The shop's notes on topics or steps no longer in the guidance: kept, listed, and
        `move_guidance_note` attaches one elsewhere."""
        kb = self.kb
        return [note for note in self.guidance_notes()
                if note.origin == "shop" and not is_in_guidance(kb, note.on)]

    def orphaned_flags(self) -> list[StepFlag]:
        kb = self.kb
        return [flag for flag in self.step_flags() if kb.step(flag.step_id) is None]

    def guidance_export(self) -> dict[str, Any]:
        """The shop's own guidance whole, for exports and for its head office."""
        return {
            "notes": [note.to_dict() for note in self.guidance_notes(removed=True)
                      if note.origin == "shop"],
            "chain_notes": [note.to_dict() for note in self._chain_notes()],
            "flags": [flag.to_dict() for flag in self.step_flags(withdrawn=True)],
            "most_flagged": [count.to_dict() for count in self.most_flagged(None)],
            "topics": [topic_record(topic) for topic in self.own_topics()],
            "orphaned_notes": [note.id for note in self.orphaned_notes()],
            "orphaned_flags": [flag.id for flag in self.orphaned_flags()],
        }

    # Helpers

    def _add_numbered(self, table: str, record: dict[str, Any], prefix: str,
                      pattern: re.Pattern[str]) -> dict[str, Any]:
        """`record` stored under the next number; NotAllowed, with nothing written, when that
        number is past what the id space holds (after a hand-written highest id, say)."""
        def make(number: int) -> dict[str, Any]:
            if not pattern.fullmatch(f"{prefix}{number}"):
                raise NotAllowed("numbers_used")
            return {**record, "id": f"{prefix}{number}"}

        return self.store.add_numbered_by(table, lambda given: _number_in(given, prefix, pattern),
                                          make)

    def _records(self, table: str) -> list[dict[str, Any]]:
        """A guidance table's records as stored. The three tables are read together and kept
        until posdesk.json changes: a screen asks for notes, flags and topics many times over
        (each tab, each topic shown), and each read parses the whole file."""
        signature = _signature(self.locations.database)  # before reading: a write after it
        if signature is None:                             # makes the next call read again
            return []
        if self._tables_read is None or self._tables_read[0] != signature:
            with self.store.reading() as db:
                tables = {name: [dict(doc) for doc in db.table(name).all()]
                          for name in (GUIDANCE_NOTES, GUIDANCE_FLAGS, GUIDANCE_TOPICS)}
            self._tables_read = (signature, tables)
        return self._tables_read[1][table]

    def _known_item(self, item_id: str) -> None:
        if not isinstance(item_id, str) or not is_in_guidance(self.kb, item_id):
            raise UnknownId(item_id)


def not_changeable(topic: Topic, name: str) -> NotAllowed:
    """Why the shop cannot change a topic that is not its own: the chain's head office or
    posdesk's shipped base has it (notes and flags are the shop's way to answer it)."""
    return NotAllowed("chain_topic_fixed" if topic.origin == "chain" else "shipped_topic_fixed",
                      name=name)


def is_in_guidance(kb: KnowledgeBase, item_id: str) -> bool:
    return kb.topic(item_id) is not None or kb.step(item_id) is not None


def _signature(path: os.PathLike) -> tuple[int, int, int] | None:
    try:
        seen = os.stat(path)
    except OSError:
        return None
    return (seen.st_mtime_ns, seen.st_size, seen.st_ino)


def typed_text(text: object, empty: str | None) -> str:
    """What a person typed, as stored: cleaned (controls gone, card numbers masked), and not
    more than a screenful. `empty` names what must not be empty (None: it may be)."""
    text = str(text)
    if len(text) > LONGEST_TYPED:  # a paste of megabytes: refused before cleaning it whole
        raise NotAllowed("too_long", most=LONGEST_TEXT)
    cleaned = privacy.clean(text).text.strip()
    if empty and not cleaned:
        raise EmptyText(empty)
    if len(cleaned) > LONGEST_TEXT:
        raise NotAllowed("too_long", most=LONGEST_TEXT)
    return cleaned


def typed_who(who: object, required: bool = True) -> str:
    if len(str(who)) > LONGEST_TYPED:
        raise NotAllowed("too_long", most=LONGEST_NAME)
    cleaned = one_line(privacy.clean(str(who)).text)
    if required and not cleaned:
        raise EmptyText("who")
    if len(cleaned) > LONGEST_NAME:
        raise NotAllowed("too_long", most=LONGEST_NAME)
    return cleaned


def one_line(text: str) -> str:
    """A name or a title: a line break pasted into it would make a line of its own wherever
    it is listed (a heading in an export, a row of a listing)."""
    return " ".join(text.split())


def typed_both(value: Text | str, empty: str | None, *, title: bool = False) -> dict[str, str]:
    """A text typed in one language or both, as stored: one language only is shown in both.
    A `title` is kept on one line."""
    shaped = one_line if title else (lambda text: text)
    if isinstance(value, Text):
        zh, en = shaped(typed_text(value.zh, None)), shaped(typed_text(value.en, None))
    else:
        zh = en = shaped(typed_text(value, None))
    if empty and not (zh or en):
        raise EmptyText(empty)
    return {"zh": zh or en, "en": en or zh}


def topic_fields(title: Text | str, summary: Text | str,
                  keywords: dict[str, list[str]] | None, who: str) -> dict[str, Any]:
    words = keywords or {}
    return {
        "title": typed_both(title, "topic_title", title=True), "summary": typed_both(summary, None),
        "keywords": {lang: [one_line(typed_text(w, None)) for w in words.get(lang, [])
                            if str(w).strip()]
                     for lang in ("zh", "en")},
        "who": typed_who(who),
    }


def steps_of(topic_id: str, steps: list[dict[str, Any]],
             kept: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The topic's steps as stored, in the order given, numbered as `numbered_step_ids` does
    against `kept` (the topic's record as stored, {} for a new one); and the highest step
    number the topic has given now."""
    ids, made = numbered_step_ids(topic_id, [step.get("id") for step in steps], kept)
    stored = []
    for order, (step, step_id) in enumerate(zip(steps, ids), start=1):
        kind = step.get("kind") or "check"
        if kind not in STEP_KINDS:
            raise NotAllowed("step_kind", kinds=", ".join(STEP_KINDS))
        if topic_id != "-" and not OWN_STEP_ID.fullmatch(step_id):
            raise NotAllowed("numbers_used")  # a topic's step numbers are never given twice
        stored.append({"id": step_id, "order": order, "kind": kind,
                       "title": typed_both(step.get("title", ""), "step_title", title=True),
                       "how": typed_both(step.get("how", ""), None),
                       "why": typed_both(step.get("why", ""), None)})
    if not stored:
        raise EmptyText("steps")
    return stored, made


def _number_in(given: object, prefix: str, pattern: re.Pattern[str]) -> int | None:
    if isinstance(given, str) and pattern.fullmatch(given) and given.startswith(prefix):
        return int(given[len(prefix):])
    return None


def _own_topic_number(topic_id: object) -> int | None:
    found = OWN_TOPIC_ID.fullmatch(topic_id) if isinstance(topic_id, str) else None
    return int(found["n"]) if found and found["origin"] == "shop" else None
