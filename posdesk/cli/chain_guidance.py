"""`posdesk central guidance …`: the head office publishes the chain's own topics and notes,
lists and withdraws them, and reads which steps the shops flag.

A topic to publish is a JSON file of the shape `posdesk guidance topic show ID --json` prints
(a shop's topic handed to the head office, or one written by hand)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from posdesk.cli.say import fail, plain, print_json
from posdesk.desk import UnknownId
from posdesk.desk.head_office import HeadOffice
from posdesk.i18n import t
from posdesk.store.errors import os_reason
from posdesk.store.reading import NotRegularFile, TooBig, read_regular
from posdesk.wording import flag_reasons_text, short_time

# A topic is a screenful of steps: a file larger than this is not one.
TOPIC_FILE_LIMIT = 256 * 1024


def chain_guidance(office: HeadOffice, args: argparse.Namespace, lang: str) -> int:
    if args.action == "publish":
        record = _topic_file(Path(args.file), lang)
        if record is None:
            return 1
        print(t("hq.guidance.published", lang, id=office.publish_topic(record, args.who)))
        return 0
    if args.action == "note":
        note_id = office.publish_note(args.on, args.text, args.who)
        print(t("hq.guidance.noted", lang, id=note_id, on=plain(args.on)))
        return 0
    if args.action == "withdraw":
        key = "hq.guidance.withdrawn" if office.withdraw_guidance(args.id) else \
            "hq.guidance.was_withdrawn"
        print(t(key, lang, id=plain(args.id)))
        return 0
    if args.action == "list":
        return _list(office.chain_guidance(), lang, args.json)
    return _flags(office, args.shop, lang, args.json)


def _topic_file(path: Path, lang: str) -> Any:
    """The record in the file; None, with one line said, when there is none to read."""
    def refused(reason: str) -> None:
        fail(f"posdesk: {t('hq.guidance.bad_file', lang, path=plain(str(path)), reason=reason)}", 1)

    try:
        raw = read_regular(path, TOPIC_FILE_LIMIT)
    except OSError as error:
        return refused(os_reason(error).text(lang))
    except NotRegularFile:
        return refused(t("hq.guidance.not_a_file", lang))
    except TooBig:
        return refused(t("hq.guidance.too_big", lang, most=TOPIC_FILE_LIMIT // 1024))
    try:
        record = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return refused(t("hq.guidance.not_json", lang))
    if not isinstance(record, dict):
        return refused(t("hq.guidance.not_a_topic", lang))
    return record


def _list(published: dict[str, Any], lang: str, as_json: bool) -> int:
    if as_json:
        return print_json(published)
    topics, notes = published["topics"], published["notes"]
    if not topics and not notes:
        print(t("hq.guidance.none", lang))
    for topic in topics:
        title = topic.get("title") if isinstance(topic.get("title"), dict) else {}
        print(plain("  ".join(part for part in (
            topic["id"], str(title.get(lang, "")), topic["who"], short_time(topic["at"] or ""),
            _withdrawn(topic, lang)) if part)))
    for note in notes:
        print(plain("  ".join(part for part in (
            note["id"], note["on"], note["text"], note["who"], short_time(note["at"] or ""),
            _withdrawn(note, lang)) if part)))
    return 0


def _withdrawn(item: dict[str, Any], lang: str) -> str:
    gone = item.get("withdrawn_at")
    return t("hq.guidance.withdrawn_at", lang, at=short_time(gone)) if gone else ""


def _flags(office: HeadOffice, shop: str | None, lang: str, as_json: bool) -> int:
    try:
        found = office.flagged_steps(shop)
    except UnknownId:
        return fail(f"posdesk: {t('hq.unknown_shop', lang, shop=plain(shop or ''))}", 1)
    if as_json:
        return print_json([count.to_dict() for count in found])
    if not found:
        print(t("hq.guidance.no_flags", lang))
    for count in found:
        print(plain(t("hq.guidance.flag_line", lang, count=count.count, step=count.step_id,
                      title=count.title(lang) if count.title else "—",
                      reasons=flag_reasons_text(count.reasons, lang),
                      shops=", ".join(count.shops))))
        for why in count.whys:
            print(plain(f"    “{why}”"))
    return 0

