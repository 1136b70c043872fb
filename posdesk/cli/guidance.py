"""`posdesk guidance` and `posdesk code`: the knowledge base, printed."""

from __future__ import annotations

import argparse
from typing import Any

from posdesk.cli.learning import flag_line, learning, note_line, tell_chain_problem
from posdesk.cli.parser import CommandLineError
from posdesk.cli.say import fail, plain, print_json, step_text, tell_unreadable
from posdesk.desk import Desk, UnknownId
from posdesk.i18n import cadence_text, t
from posdesk.models import ACTION_CLASSES, CATEGORIES, Topic


def guidance(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.action in ("note", "flag", "flagged", "topic", "export"):
        return learning(desk, args, lang)
    tell_chain_problem(desk, lang)  # the chain's guidance is left out: say so once
    if args.action == "list":
        topics = desk.topics(args.category)
        if args.json:
            return print_json([_topic_summary(topic) for topic in topics])
        for category in CATEGORIES:
            group = [topic for topic in topics if topic.category == category]
            if group:
                print(t(f"category.{category}", lang))
                width = max(len(topic.id) for topic in group)
                for topic in group:
                    print(f"  {topic.id:<{width}}  {plain(topic.title(lang))}{_mark(topic, lang)}")
        return tell_unreadable(desk, lang)
    if args.action == "show":
        return _show(desk, args.id, lang, args.json)
    text = " ".join(args.text)
    if not text.strip():
        raise CommandLineError(t("cli.empty_search", lang))
    hits = desk.search(text)
    if args.json:
        return print_json([
            {"id": hit.id, "topic_id": hit.topic.id, "category": hit.topic.category,
             "title": (hit.step or hit.topic).title.to_dict(), "origin": hit.topic.origin}
            for hit in hits
        ])
    if not hits:
        print(t("cli.no_topics_found", lang, text=plain(text)))
        return 1
    width = max(len(hit.id) for hit in hits)
    for hit in hits:
        title = hit.step.title(lang) if hit.step else hit.topic.title(lang)
        print(f"{hit.id:<{width}}  {plain(title)}{_mark(hit.topic, lang)}")
    return 0


def _show(desk: Desk, item_id: str, lang: str, as_json: bool) -> int:
    found = desk.kb.step(item_id)
    try:
        topic = desk.topic(found.topic_id if found else item_id)
    except UnknownId:
        return fail(f"posdesk: {t('cli.unknown_topic', lang, id=plain(item_id))}", 1)
    # The step as the topic has it: with the shop's hotline written in.
    step = next((s for s in topic.steps if s.id == item_id), None)
    if as_json:
        shown = step.to_dict() if step else {**topic.to_dict(), "origin": topic.origin}
        return print_json({**shown, "notes": [
            {**note.to_dict(), "origin": note.origin} for note in desk.notes_on(item_id)]})
    print(plain(topic.title(lang)) + _mark(topic, lang))
    print(plain(topic.summary(lang)))
    if topic.cadence_days:
        print(cadence_text(topic.cadence_days, lang))
    if not step:
        _print_notes(desk, topic.id, lang)
    for each in ([step] if step else topic.steps):
        print()
        print(step_text(each, len(topic.steps), lang))
        _print_notes(desk, each.id, lang)
        count = desk.flag_count(each.id)
        if count is not None:
            print(f"  {flag_line(count, lang)}")
    return 0


def _print_notes(desk: Desk, item_id: str, lang: str) -> None:
    """The chain's and the shop's notes beside a topic or a step, each marked as whose."""
    for note in desk.notes_on(item_id):
        print(f"  {note_line(note, lang)}")


def _mark(topic: Topic, lang: str) -> str:
    """Beside a topic the shop or its chain wrote: whose it is."""
    return t(f"cli.learning.mark.{topic.origin}", lang) if topic.is_own else ""


def _topic_summary(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.id,
        "category": topic.category,
        "title": topic.title.to_dict(),
        "summary": topic.summary.to_dict(),
        "sources": topic.to_dict()["sources"],
        "steps": len(topic.steps),
        "origin": topic.origin,
    }


def code(desk: Desk, code: str, lang: str, as_json: bool) -> int:
    if not code.strip():
        raise CommandLineError(t("cli.empty_code", lang))
    try:
        found = desk.response_code(code)
    except UnknownId:
        return fail(f"posdesk: {t('code.unknown', lang, code=plain(code))}", 1)
    if as_json:
        return print_json(found.to_dict())
    print(found.code)
    print(t("code.meaning", lang, text=found.meaning(lang)))
    if found.action_class in ACTION_CLASSES:  # a hand-edited base may leave it out
        print(t(f"code.class.{found.action_class}", lang))
    print(t("code.action", lang, text=found.action(lang)))
    if found.topic_id:
        print(t("cli.code_topic", lang, id=found.topic_id))
    return 0
