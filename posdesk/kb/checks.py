"""What the knowledge base must be, checked: each rule a clerk relies on, one sentence per fault.

The tests run these over the shipped base, and each rule has a test that breaks it on purpose.
"""

from __future__ import annotations

import re
from typing import Protocol

from posdesk.models import (
    ACTION_CLASSES, CATEGORIES, ID_PREFIXES, LANGUAGES, PLACEHOLDERS, STEP_KINDS, Checklist, Reference,
    ResponseCode, ServiceLine, Text, Topic, placeholders_in,
)
from posdesk.models.learning import SHIPPED_ID

SEED_FACTS = tuple(f"S{n}" for n in range(1, 29))
# The shop's records a topic may keep (its "keeps" flag), each kept by one topic at most: what
# the screens offer on that topic follows the flag, never the topic's id.
KEPT_RECORDS = ("training_log", "terminal_list")
# A fault's last step sends the person to the bank and has them write down what the bank
# promised: its "how" must say so in both languages.
TICKET_WORDS = {"zh": ("受理编号", "承诺"), "en": ("ticket number", "promised")}
# Topics outside the faults that still end with the bank: a terminal that may have been tampered
# with is the acquirer's to look at (PCI SSC's small-merchant tips, R15), so that topic ends as a
# fault does, with the line and the ticket number.
BANK_TOPICS = ("sec.tamper_found",)
_CJK = re.compile(r"[\u4e00-\u9fff]")
# A phone number written out: five digits in a row, or a 400/800 service number. Numbers come
# from the shop's settings and the service-line table, never from guidance text.
_PHONE_DIGITS = re.compile(r"\d{5}|\b[48]00[-\s]?\d{3}")


class Base(Protocol):
    """What the checks read of a loaded knowledge base."""

    references: dict[str, Reference]

    def topics(self, category: str | None = None) -> list[Topic]: ...
    def topic(self, topic_id: str) -> Topic | None: ...
    def codes(self) -> list[ResponseCode]: ...
    def checklists(self) -> list[Checklist]: ...
    def service_lines(self) -> list[ServiceLine]: ...


def problems(base: Base) -> list[str]:
    """Everything wrong with the content, one sentence each; empty when all is well."""
    found: list[str] = []
    seen: set[str] = set()
    covered: set[str] = set()
    keepers: dict[str, str] = {}
    for topic in base.topics():
        if topic.keeps is not None and topic.keeps not in KEPT_RECORDS:
            found.append(f"{topic.id} keeps unknown records {topic.keeps!r}")
        elif topic.keeps in keepers:
            found.append(f"{topic.id} and {keepers[topic.keeps]} both keep {topic.keeps}")
        elif topic.keeps is not None:
            keepers[topic.keeps] = topic.id
        if not topic.id.startswith(ID_PREFIXES.get(topic.category, "?")):
            found.append(f"{topic.id} does not begin with its category's prefix "
                         f"{ID_PREFIXES.get(topic.category)!r}")
        for item_id in (topic.id, *(s.id for s in topic.steps)):
            if not SHIPPED_ID.fullmatch(item_id):
                # The chain's and the shop's ids have a hyphen: a shipped one never may.
                found.append(f"id {item_id} uses more than a-z, 0-9, _ and .")
            if item_id in seen:
                found.append(f"id {item_id} is used twice")
            seen.add(item_id)
        found += _topic_problems(topic, base.references)
        covered |= topic.all_sources()
    missing = [s for s in SEED_FACTS if s not in covered]
    if missing:
        found.append("seed facts not covered: " + ", ".join(missing))
    for checklist in base.checklists():
        if base.topic(checklist.topic_id) is None:
            found.append(f"checklist {checklist.id} points at a missing topic")
        found += _text_problems([(f"{checklist.id} title", checklist.title)] + [
            (f"{checklist.id} {item.id}", item.text) for item in checklist.items])
    for code in base.codes():
        found += _code_problems(code, base)
    found += _line_problems(base.service_lines(), base.references)
    return found


def _topic_problems(topic: Topic, references: dict[str, Reference]) -> list[str]:
    found = []
    if topic.category not in CATEGORIES:
        found.append(f"{topic.id} has unknown category {topic.category!r}")
    if len(topic.steps) < 2:
        found.append(f"{topic.id} has fewer than two steps")
    if [s.order for s in topic.steps] != list(range(1, len(topic.steps) + 1)):
        found.append(f"{topic.id} has steps out of order")
    if not topic.sources and not topic.refs:
        found.append(f"{topic.id} names no source")
    found += [f"{topic.id} cites unknown reference {ref}" for ref in topic.refs
              if ref not in references]
    unknown_facts = sorted(s for s in topic.all_sources() if s not in SEED_FACTS)
    found += [f"{topic.id} cites unknown seed fact {fact}" for fact in unknown_facts]
    for lang in LANGUAGES:
        if not topic.keywords_in(lang):
            found.append(f"{topic.id} has no {lang} keywords")
    texts = [("title", topic.title), ("summary", topic.summary)]
    for step in topic.steps:
        if step.kind not in STEP_KINDS:
            found.append(f"{step.id} has unknown kind {step.kind!r}")
        texts += [(f"{step.id} {part}", text) for part, text in step.texts().items()]
        if any(placeholders_in(step.title(lang)) for lang in LANGUAGES):
            found.append(f"{step.id} title holds a placeholder")
    if any(placeholders_in(topic.title(lang)) for lang in LANGUAGES):
        found.append(f"{topic.id} title holds a placeholder")
    found += [f"{topic.id}: {p}" for p in _text_problems(texts)]
    if topic.category == "fault" or topic.id in BANK_TOPICS:
        found += _fault_ending(topic)
    elif any(s.contacts_bank for s in topic.steps):
        found.append(f"{topic.id} is not a fault but has a step for contacting the bank")
    return found


def _fault_ending(topic: Topic) -> list[str]:
    """A fault ends with the bank: call the line, have things ready, write the ticket down."""
    last = topic.steps[-1] if topic.steps else None
    if last is None or not last.contacts_bank:
        return [f"{topic.id} does not end with contacting the bank"]
    found = []
    if any(s.contacts_bank for s in topic.steps[:-1]):
        found.append(f"{topic.id} contacts the bank before its last step")
    for lang, words in TICKET_WORDS.items():
        how = last.how(lang)
        if "{hotline}" not in how:
            found.append(f"{last.id} does not name the hotline in {lang}")
        if not all(word in how for word in words):
            found.append(f"{last.id} does not ask for the bank's ticket number in {lang}")
    return found


def _code_problems(code: ResponseCode, base: Base) -> list[str]:
    found = _text_problems([(f"code {code.code} meaning", code.meaning),
                            (f"code {code.code} action", code.action)])
    if code.action_class not in ACTION_CLASSES:
        found.append(f"code {code.code} has unknown class {code.action_class!r}")
    elif code.retry != (code.action_class == "B"):
        found.append(f"code {code.code} is class {code.action_class} but retry is {code.retry}")
    linked = base.topic(code.topic_id) if code.topic_id else None
    if code.topic_id and (linked is None or linked.category != "fault"):
        found.append(f"code {code.code} points at {code.topic_id}, which is not a fault topic")
    return found


def _line_problems(lines: list[ServiceLine], references: dict[str, Reference]) -> list[str]:
    found = []
    owners: dict[str, str] = {}
    for line in lines:
        if not line.number.isdigit():
            found.append(f"service line {line.id} has number {line.number!r}")
        if not line.refs:
            found.append(f"service line {line.id} names no source")
        found += [f"service line {line.id} cites unknown reference {ref}"
                  for ref in line.refs if ref not in references]
        for name in line.names():
            if owners.setdefault(name, line.id) != line.id:
                found.append(f"{name!r} names both {owners[name]} and {line.id}")
    return found


def _text_problems(texts: list[tuple[str, Text]]) -> list[str]:
    found = []
    for label, text in texts:
        for lang in LANGUAGES:
            value = text(lang)
            if not value.strip():
                found.append(f"{label} is empty in {lang}")
            unknown = [p for p in placeholders_in(value) if p not in PLACEHOLDERS]
            if unknown:
                found.append(f"{label} has unknown placeholder {{{unknown[0]}}} in {lang}")
            if _PHONE_DIGITS.search(value):
                found.append(f"{label} writes a phone number in {lang}; use {{hotline}}")
        if text.zh.strip() and not _CJK.search(text.zh):
            found.append(f"{label} has no Chinese in its zh text")
    return found
