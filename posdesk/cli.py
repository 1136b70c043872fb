"""The command line: `posdesk` opens the TUI; subcommands print text or JSON without a screen."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from posdesk import __version__
from posdesk.desk import Desk, UnknownId
from posdesk.i18n import cadence_text, resolve_language, t
from posdesk.kb import KnowledgeBaseError
from posdesk.models import CATEGORIES, LANGUAGES, Step, Topic
from posdesk.store import DamagedDatabase, StoreError


class CommandLineError(Exception):
    """Bad input on the command line: one line for the person, a non-zero exit."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CommandLineError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    # Options shared by every level, so `posdesk guidance list --lang zh` works as well.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS,
                        help="data directory (default: $POSDESK_HOME, else the user data folder)")
    shared.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help="language: zh or en (default: $POSDESK_LANG, else the locale)")
    json_option = argparse.ArgumentParser(add_help=False)
    json_option.add_argument("--json", action="store_true", help="print JSON")

    parser = _Parser(prog="posdesk", parents=[shared],
                     description="A help desk for a shop's bank POS terminal. "
                                 "With no command it opens the full-screen app.")
    parser.add_argument("--version", action="version", version=f"posdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    guidance = commands.add_parser("guidance", parents=[shared], help="read the knowledge base")
    actions = guidance.add_subparsers(dest="action", metavar="ACTION", required=True,
                                      parser_class=_Parser)
    listing = actions.add_parser("list", parents=[shared, json_option], help="list every topic")
    listing.add_argument("--category", choices=CATEGORIES, help="only this category")
    show = actions.add_parser("show", parents=[shared, json_option],
                              help="show one topic or step with all its guidance")
    show.add_argument("id", metavar="ID", help="a topic or step id, e.g. fault.network")
    search = actions.add_parser("search", parents=[shared, json_option],
                                help="find topics and steps by words in Chinese or English")
    search.add_argument("text", metavar="TEXT", nargs="+", help="words to look for")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except CommandLineError as error:
        return _fail(f"posdesk: {error}", 2)
    except (KnowledgeBaseError, DamagedDatabase, StoreError) as error:
        return _fail(f"posdesk: {error}", 1)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    desk = Desk(getattr(args, "home", None))
    chosen = getattr(args, "lang", None)
    if args.command is None:
        return _open_app(desk, chosen)
    lang = resolve_language(chosen)
    if args.command == "guidance":
        return _guidance(desk, args, lang)
    raise CommandLineError(f"unknown command {args.command}")  # pragma: no cover - argparse stops it


def _open_app(desk: Desk, chosen: str | None) -> int:
    lang = resolve_language(chosen, desk.settings().language)  # opens the store: fails early
    from posdesk.ui.app import PosdeskApp  # Textual is only imported when a screen is wanted

    PosdeskApp(desk, lang).run()
    return 0


def _guidance(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.action == "list":
        topics = desk.topics(args.category)
        if args.json:
            return _print_json([_topic_summary(topic) for topic in topics])
        for category in CATEGORIES:
            group = [topic for topic in topics if topic.category == category]
            if group:
                print(t(f"category.{category}", lang))
                width = max(len(topic.id) for topic in group)
                for topic in group:
                    print(f"  {topic.id:<{width}}  {topic.title(lang)}")
        return 0
    if args.action == "show":
        return _show(desk, args.id, lang, args.json)
    text = " ".join(args.text)
    if not text.strip():
        raise CommandLineError(t("cli.empty_search", lang))
    hits = desk.search(text)
    if args.json:
        return _print_json([
            {"id": hit.id, "topic_id": hit.topic.id, "category": hit.topic.category,
             "title": (hit.step or hit.topic).title.to_dict()}
            for hit in hits
        ])
    if not hits:
        print(t("cli.no_topics_found", lang, text=text))
        return 1
    width = max(len(hit.id) for hit in hits)
    for hit in hits:
        title = hit.step.title(lang) if hit.step else hit.topic.title(lang)
        print(f"{hit.id:<{width}}  {title}")
    return 0


def _show(desk: Desk, item_id: str, lang: str, as_json: bool) -> int:
    step = desk.kb.step(item_id)
    try:
        topic = desk.topic(step.topic_id if step else item_id)
    except UnknownId:
        return _fail(f"posdesk: {t('cli.unknown_topic', lang, id=item_id)}", 1)
    if as_json:
        return _print_json(step.to_dict() if step else topic.to_dict())
    print(topic.title(lang))
    print(topic.summary(lang))
    if topic.cadence_days:
        print(cadence_text(topic.cadence_days, lang))
    for each in ([step] if step else topic.steps):
        print()
        print(_step_text(each, len(topic.steps), lang))
    return 0


def _step_text(step: Step, total: int, lang: str) -> str:
    number = t("guidance.step_of", lang, n=step.order, total=total)
    return "\n".join((
        t("guidance.step_title", lang, step=number, title=step.title(lang)),
        f"  {t('guidance.how', lang)}{step.how(lang)}",
        f"  {t('guidance.why', lang)}{step.why(lang)}",
    ))


def _topic_summary(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.id,
        "category": topic.category,
        "title": topic.title.to_dict(),
        "summary": topic.summary.to_dict(),
        "sources": topic.to_dict()["sources"],
        "steps": len(topic.steps),
    }


def _print_json(data: Any) -> int:
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code
