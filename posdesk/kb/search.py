"""Finding guidance by the words a clerk types: "POS机连不上网", "小票打不出来", "money not arrived".

A clerk types a phrase, not the base's terms, and Chinese comes without spaces. So a topic is
found two ways: one of its keywords (or a word the synonyms make equal to one) appears anywhere
in what was typed; or every word typed appears somewhere in the topic. Longer keywords weigh
more, being more particular; words that name the machine itself weigh nothing, since every
topic is about the machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from posdesk.models import SearchHit, Topic, folded

# Words that say nothing about which topic is meant.
_STOP_WORDS = frozenset(
    "a an and the of to in on at is it my our i we can't cannot cant won't wont doesn't does "
    "not no do how what why when should with for from by be was this that there has have".split())
_CJK = re.compile(r"[\u3400-\u9fff]")
# A clerk's query is a few words; a pasted page is bounded so that it is searched in a moment
# (each word is looked for in every topic and step).
_MOST_WORDS = 24
_SPLIT = re.compile(r"[\s,，。.;；:：!！?？、/()（）\"“”'‘’]+")


def _weight(phrase: str) -> float:
    """A Chinese character says about as much as two Latin letters."""
    return sum(2 if _CJK.match(ch) else 1 for ch in phrase)


class _Text:
    """One text in both forms: folded with its spaces, where a Latin word is found only where a
    word starts ("pin" is in "PIN pad", not in "shopping"; "print" is in "printer"); and without
    them, where Chinese is found anywhere (so "POS机" finds "POS 机")."""

    def __init__(self, text: str, *, is_folded: bool = False) -> None:
        self.spaced = text if is_folded else folded(text)
        self.compact = "".join(self.spaced.split())

    def __contains__(self, word: str) -> bool:
        if not word.isascii():
            return word in self.compact
        text = self.spaced
        start = text.find(word)
        while start != -1:
            before = text[start - 1] if start else " "
            if not (before.isascii() and before.isalnum()):
                return True
            start = text.find(word, start + 1)
        return False


class Searcher:
    """The base's topics, prepared once for matching."""

    def __init__(self, topics: Iterable[Topic], synonyms: Iterable[Iterable[str]],
                 generic: Iterable[str]) -> None:
        self._generic = {_phrase(word) for word in generic}
        self._groups = [sorted({_phrase(w) for w in group} - {""}) for group in synonyms]
        # A phrase and its synonyms are one idea: a topic scores for an idea once.
        self._idea = {word: number for number, group in enumerate(self._groups) for word in group}
        self._topics = []
        for topic in topics:
            title = _Text(topic.title.both())
            phrases = {_phrase(p) for p in (topic.title.zh, topic.title.en, *topic.keywords)}
            phrases = {p: (_weight(p), 1.5 if p in title else 1.0)
                       for p in phrases - self._generic - {""}}
            head = _Text(" ".join((topic.id, topic.title.both(), topic.summary.both(),
                                   *topic.keywords)))
            steps = [(step, _Text(step.searchable()), _Text(step.title.both()))
                     for step in topic.steps]
            body = _Text(" ".join((head.spaced, *(text.spaced for _, text, _ in steps))),
                         is_folded=True)
            self._topics.append((topic, phrases, head, title, body, steps))

    def _synonyms_of(self, typed: _Text) -> dict[int, float]:
        """The synonym groups with a word in what was typed, each with that word's weight."""
        found = {}
        for number, group in enumerate(self._groups):
            weights = [_weight(word) for word in group if word in typed]
            if weights:
                found[number] = max(weights)
        return found

    def _by_phrase(self, phrases: dict[str, tuple[float, float]], typed: _Text,
                   synonyms: dict[int, float]) -> float:
        """The topic's keywords found in what was typed, each idea once. A keyword found only
        through a synonym weighs what the typed word weighs, a little less; a keyword of the
        topic's title weighs more."""
        ideas: dict[object, float] = {}
        for phrase, (weight, in_title) in phrases.items():
            group = self._idea.get(phrase)
            if phrase in typed:
                found = weight * in_title
            elif group in synonyms:
                found = min(weight, synonyms[group]) * in_title * 0.75
            else:
                continue
            if found:
                idea = phrase if group is None else group
                ideas[idea] = max(ideas.get(idea, 0.0), found)
        return sum(ideas.values())

    def search(self, text: str, limit: int | None = None) -> list[SearchHit]:
        typed = _Text(text)
        if not any(ch.isalnum() for ch in typed.compact):
            return []  # nothing typed, or punctuation alone: it names no fault
        synonyms = self._synonyms_of(typed)
        words = [w for w in _SPLIT.split(typed.spaced) if w and w not in _STOP_WORDS]
        words = list(dict.fromkeys(words))[:_MOST_WORDS]  # each once, the first few
        words = words or [typed.compact]
        # Words naming the machine only count when nothing more particular was typed.
        specific = [w for w in words if w not in self._generic] or words
        hits: list[SearchHit] = []
        for order, (topic, phrases, head, title, body, steps) in enumerate(self._topics):
            by_phrase = self._by_phrase(phrases, typed, synonyms)
            found = [w for w in specific if w in body]
            every_word = len(found) == len(specific)
            if by_phrase or every_word:
                by_word = sum(_weight(w) * (3 if w in title else 2 if w in head else 1)
                              for w in found)
                score = 100.0 + by_phrase + by_word + (2.0 if every_word else 0.0)
                hits.append(SearchHit(topic, None, score - order / 1000))
            for step, step_text, step_title in steps:
                if all(w in step_text for w in specific):
                    in_step_title = sum(_weight(w) for w in specific if w in step_title)
                    hits.append(SearchHit(topic, step, 50.0 + in_step_title - order / 1000))
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit] if limit else hits


def _phrase(text: str) -> str:
    """A keyword as matched: Latin with single spaces, anything else with none."""
    words = folded(text)
    return words if words.isascii() else "".join(words.split())
