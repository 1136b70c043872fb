"""The command line: `posdesk` opens the TUI; subcommands print text or JSON without a screen."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, NoReturn

from posdesk import __version__
from posdesk.desk import Desk, UnknownId, local_now
from posdesk.i18n import cadence_text, record_problem, resolve_language, t, told
from posdesk.kb import KnowledgeBaseError
from posdesk import privacy
from posdesk.export import FORMATS, due_line, incident_text, short_time
from posdesk.models import CATEGORIES, LANGUAGES, STATUSES, BadRecord, IncidentFilter, Step, Topic
from posdesk.store import StoreError
from posdesk.store.errors import CannotUse, NotAFile, os_reason

STANDARD_OUTPUT = "-"


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

    incidents = commands.add_parser("incidents", parents=[shared], help="the shop's incidents")
    incident_actions = incidents.add_subparsers(dest="action", metavar="ACTION", required=True,
                                                parser_class=_Parser)
    incident_list = incident_actions.add_parser("list", parents=[shared, json_option],
                                                help="every incident, newest first")
    incident_list.add_argument("--status", choices=STATUSES, help="only incidents in this status")
    incident_show = incident_actions.add_parser("show", parents=[shared, json_option],
                                                help="one incident with its whole history")
    incident_show.add_argument("id", metavar="ID", help="an incident id, e.g. 20261125-001")
    export = incident_actions.add_parser(
        "export", parents=[shared], help="a report: Markdown, CSV (for a spreadsheet) or JSON")
    export.add_argument("--format", choices=FORMATS, required=True, help="md, csv or json")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: print)")
    export.add_argument("--status", choices=STATUSES, help="only incidents in this status")
    export.add_argument("--since", metavar="DATE", type=_day, help="opened on or after DATE (YYYY-MM-DD)")
    export.add_argument("--until", metavar="DATE", type=_day, help="opened on or before DATE")
    export.add_argument("--fault", metavar="TOPIC", help="only this fault, e.g. fault.print")
    export.add_argument("--search", metavar="TEXT", default="", help="words in any note")
    export.add_argument("ids", metavar="ID", nargs="*", help="only these incidents")

    backup = commands.add_parser("backup", parents=[shared],
                                 help="copy the whole database into one backup file")
    backup.add_argument("-o", "--output", metavar="FILE",
                        help="where to write it (default: backups/ in the data directory)")
    restore = commands.add_parser("restore", parents=[shared],
                                  help="replace the database with a backup (the current one is kept)")
    restore.add_argument("file", metavar="FILE", help="a backup made by posdesk backup")
    commands.add_parser("doctor", parents=[shared], help="check the database and say what is wrong")

    due = commands.add_parser("due", parents=[shared, json_option],
                              help="the routines due today or overdue")
    due.add_argument("--on", metavar="DATE", type=_day,
                     help="what is due on another day (YYYY-MM-DD), e.g. for planning")

    code = commands.add_parser("code", parents=[shared, json_option],
                               help="what a response code on the terminal means and what to do")
    code.add_argument("code", metavar="CODE", help="the code on the terminal's screen, e.g. 51")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = None
    try:
        args = build_parser().parse_args(argv)
        code = _run(args)
        sys.stdout.flush()  # here, where a failure to print can still be told
        return code
    except CommandLineError as error:
        return _fail(f"posdesk: {error}", 2)
    except (KnowledgeBaseError, StoreError, BadRecord) as error:
        return _fail(f"posdesk: {told(error, resolve_language(getattr(args, 'lang', None)))}", 1)
    except BrokenPipeError:
        # The reader went away (`| head`): nothing went wrong, and nothing more is printed.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # the store words its own; anything else still gets one line
        lang = resolve_language(getattr(args, "lang", None))
        if error.filename is None:  # printing failed: standard output is a full disk, …
            return _fail(f"posdesk: {t('cli.output_failed', lang, reason=os_reason(error).text(lang))}", 1)
        return _fail(f"posdesk: {told(CannotUse(Path(error.filename), error), lang)}", 1)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    on = getattr(args, "on", None)
    clock = (lambda: datetime.combine(date.fromisoformat(on), time(12)).astimezone()) if on else local_now
    desk = Desk(getattr(args, "home", None), clock=clock)
    chosen = getattr(args, "lang", None)
    if args.command is None:
        return _open_app(desk, chosen)
    lang = resolve_language(chosen)
    if args.command == "guidance":
        return _guidance(desk, args, lang)
    if args.command == "incidents":
        return _incidents(desk, args, lang)
    if args.command == "doctor":
        return _doctor(desk, lang)
    if args.command == "backup":
        output = _output(args.output, lang, "posdesk-backup.json")
        if output == STANDARD_OUTPUT:
            sys.stdout.write(desk.backup_text())
            return 0
        path = desk.backup(output)
        print(t("cli.backup_made", lang, path=path))
        return 0
    if args.command == "restore":
        return _restore(desk, args.file, lang)
    if args.command == "due":
        return _due(desk, lang, args.json)
    if args.command == "code":
        return _code(desk, args.code, lang, args.json)
    raise CommandLineError(f"unknown command {args.command}")  # pragma: no cover - argparse stops it


def _open_app(desk: Desk, chosen: str | None) -> int:
    # Textual is only imported when a screen is wanted.
    try:
        lang = resolve_language(chosen, desk.settings().language)  # opens the store
    except StoreError as error:
        lang = resolve_language(chosen)
        if sys.stdin.isatty() and sys.stdout.isatty():  # a person is looking: say it on screen
            from posdesk.ui.problem import ProblemApp

            ProblemApp(told(error, lang), lang).run()
        print(f"posdesk: {told(error, lang)}", file=sys.stderr)
        return 1
    from posdesk.ui.app import PosdeskApp, launch

    launch(PosdeskApp(desk, lang))
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


def _incidents(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.action == "export":
        return _export(desk, args, lang)
    if args.action == "list":
        found = desk.incidents(args.status)
        if args.json:
            _print_json([incident.to_dict() for incident in found])
        elif not found:
            print(t("cli.no_incidents", lang))
        else:
            for incident in found:
                print("  ".join((incident.id, short_time(incident.opened_at),
                                 t(f"status.{incident.status}", lang), incident.topic_title(lang))))
        return _tell_unreadable(desk, lang)
    try:
        incident = desk.incident(args.id)
    except UnknownId:
        return _fail(f"posdesk: {t('cli.unknown_incident', lang, id=_plain(args.id))}", 1)
    except BadRecord as error:
        return _unreadable_incident(args.id, error, lang)
    if args.json:
        return _print_json(incident.to_dict())
    print(_plain(incident_text(incident, lang)))
    return 0


def _doctor(desk: Desk, lang: str) -> int:
    checkup = desk.checkup()
    for problem in checkup.problems:
        print(problem.text(lang))
    if checkup.healthy:
        print(t("cli.doctor_ok", lang, home=desk.home, files=checkup.files,
                incidents=checkup.incidents))
        return 0
    print(t("cli.doctor_bad", lang, count=len(checkup.problems)), file=sys.stderr)
    return 1


def _tell_unreadable(desk: Desk, lang: str) -> int:
    """One line on stderr, after the output, when records had to be left out of what was read
    (the command still did its work: exit 0)."""
    count = desk.unreadable_records()
    if count:
        print(f"posdesk: {t('cli.unreadable', lang, count=count)}", file=sys.stderr)
    return 0


def _unreadable_incident(incident_id: str, error: BadRecord, lang: str) -> int:
    said = t("cli.unreadable_incident", lang, id=_plain(incident_id),
             problem=record_problem(error).text(lang))
    return _fail(f"posdesk: {said}", 1)


def _due(desk: Desk, lang: str, as_json: bool) -> int:
    due = desk.due()
    if as_json:
        _print_json([state.to_dict() for state in due])
    elif not due:
        print(t("due.nothing", lang))
    else:
        for state in due:
            print(due_line(state, lang))
    return _tell_unreadable(desk, lang)


def _export(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.ids:
        chosen = []
        for incident_id in args.ids:
            try:
                chosen.append(desk.incident(incident_id))
            except UnknownId:
                said = t("cli.unknown_incident", lang, id=_plain(incident_id))
                return _fail(f"posdesk: {said}", 1)
            except BadRecord as error:
                return _unreadable_incident(incident_id, error, lang)
    else:
        if args.fault and desk.kb.topic(args.fault) is None:
            return _fail(f"posdesk: {t('cli.unknown_topic', lang, id=_plain(args.fault))}", 1)
        chosen = desk.find_incidents(IncidentFilter(
            status=args.status, topic_id=args.fault, since=args.since, until=args.until,
            text=args.search))
        _tell_unreadable(desk, lang)  # before the report: that may be written to stdout
    output = _output(args.output, lang, f"incidents.{args.format}")
    text = desk.export(chosen, args.format, lang)
    if output is None or output == STANDARD_OUTPUT:
        sys.stdout.write(text)
        return 0
    path = desk.write_report(text, f"incidents.{args.format}", path=output)
    print(t("cli.written", lang, path=path, count=len(chosen)), file=sys.stderr)
    return 0


def _output(value: str | None, lang: str, example: str) -> Path | str | None:
    """Where `-o` sends it: None (not given), standard output (`-`), or a file. A name ending
    in a slash means a folder, even one not there yet: never a file of that name."""
    if value is None or value == STANDARD_OUTPUT:
        return value
    if not value:
        raise CommandLineError(t("backup.empty_output", lang))
    if value.endswith(("/", os.sep)):
        raise NotAFile(Path(value), Path(value) / example)
    return Path(value)


def _restore(desk: Desk, file: str, lang: str) -> int:
    restored = desk.restore(Path(file))
    said = [t("backup.restored", lang, path=file)]
    if restored.kept is not None:
        said.append(t("backup.kept", lang, kept=restored.kept))
    if restored.damaged:
        said.append(t("backup.damaged_moved", lang,
                      paths=", ".join(str(path) for path in restored.damaged)))
    print(("" if lang == "zh" else " ").join(said))
    if restored.left_out:  # newer than the backup: the person must know where they went
        shown = t("list.ids", lang).join(restored.left_out[:5]) + (
            " …" if len(restored.left_out) > 5 else "")
        print(t("backup.left_out", lang, count=len(restored.left_out), ids=shown,
                kept=restored.kept), file=sys.stderr)
    return 0


def _day(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    if not 1 < day.year < 9999:  # a cadence added to it must still be a date
        raise argparse.ArgumentTypeError(f"not a date posdesk can plan for: {value!r}")
    return day.isoformat()


def _code(desk: Desk, code: str, lang: str, as_json: bool) -> int:
    try:
        found = desk.response_code(code)
    except UnknownId:
        return _fail(f"posdesk: {t('code.unknown', lang, code=_plain(code))}", 1)
    if as_json:
        return _print_json({"code": found.code, "meaning": found.meaning.to_dict(),
                            "action": found.action.to_dict(), "retry": found.retry,
                            "topic_id": found.topic_id})
    print(found.code)
    print(t("code.meaning", lang, text=found.meaning(lang)))
    print(t("code.retry_yes" if found.retry else "code.retry_no", lang))
    print(t("code.action", lang, text=found.action(lang)))
    if found.topic_id:
        print(t("cli.code_topic", lang, id=found.topic_id))
    return 0


def _plain(text: str) -> str:
    """Text a person typed, safe to print on a terminal."""
    return privacy.strip_control(text)


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
    print(privacy.json_text(data))
    return 0


def _fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code
