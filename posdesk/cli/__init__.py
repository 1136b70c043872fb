"""The command line: `posdesk` opens the TUI; subcommands print text or JSON without a screen."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path

from posdesk.cli import guidance, records
from posdesk.cli.parser import CommandLineError, build_parser, chosen_language, in_language
from posdesk.cli.say import fail
from posdesk.desk import Desk, local_now
from posdesk.i18n import ToldError, resolve_language, t, told
from posdesk.kb import KnowledgeBaseError
from posdesk.models import BadRecord
from posdesk.store import StoreError
from posdesk.store.errors import CannotUse, os_reason
from posdesk.store.locations import Locations


def main(argv: Sequence[str] | None = None) -> int:
    args = None
    try:
        arguments = sys.argv[1:] if argv is None else list(argv)
        lang = chosen_language(arguments)
        with in_language(lang):
            args = build_parser(lang).parse_args(arguments)
        code = _run(args)
        sys.stdout.flush()  # here, where a failure to print can still be told
        return code
    except CommandLineError as error:
        return fail(f"posdesk: {error}", 2)
    except (KnowledgeBaseError, StoreError, BadRecord, ToldError) as error:  # ToldError: chain mode's
        return fail(f"posdesk: {told(error, resolve_language(getattr(args, 'lang', None)))}", 1)
    except BrokenPipeError:
        # The reader went away (`| head`): nothing went wrong, and nothing more is printed.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:  # the store words its own; anything else still gets one line
        lang = resolve_language(getattr(args, "lang", None))
        if error.filename is None:  # printing failed: standard output is a full disk, …
            return fail(f"posdesk: {t('cli.output_failed', lang, reason=os_reason(error).text(lang))}", 1)
        return fail(f"posdesk: {told(CannotUse(Path(error.filename), error), lang)}", 1)
    except KeyboardInterrupt:
        return 130


def _run(args: argparse.Namespace) -> int:
    if getattr(args, "central", None) is not None:  # the head office has no shop's records
        return _open_head_office(args)
    on = getattr(args, "on", None)
    clock = (lambda: datetime.combine(date.fromisoformat(on), time(12)).astimezone()) if on else local_now
    locations = Locations.resolve(getattr(args, "home", None))  # once: handed down from here
    desk = Desk(locations, clock=clock)
    chosen = getattr(args, "lang", None)
    if args.command is None:
        return _open_app(desk, chosen)
    lang = resolve_language(chosen)
    if args.command == "guidance":
        return guidance.guidance(desk, args, lang)
    if args.command == "code":
        return guidance.code(desk, args.code, lang, args.json)
    if args.command == "incidents":
        return records.incidents(desk, args, lang)
    if args.command == "doctor":
        return records.doctor(desk, lang)
    if args.command == "backup":
        return records.backup(desk, args.output, lang)
    if args.command == "restore":
        return records.restore(desk, args.file, lang)
    if args.command == "due":
        return records.due(desk, lang, args.json)
    if args.command in ("central", "sync"):
        return _chain(desk, args, lang)
    raise CommandLineError(f"unknown command {args.command}")  # pragma: no cover - argparse stops it


def _chain(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    # Imported here: a shop that never joined a chain never loads chain mode.
    from posdesk.central import CentralError
    from posdesk.cli import central, chain

    try:
        if args.command == "sync":
            return chain.sync(desk, args, lang)
        if args.central_action in central.ACTIONS:
            return central.head_office(desk, args, lang)
        return chain.central(desk, args, lang)
    except CentralError as error:
        return fail(f"posdesk: {told(error, lang)}", 1)


def _open_app(desk: Desk, chosen: str | None) -> int:
    # Textual is only imported when a screen is wanted.
    try:
        lang = resolve_language(chosen, desk.settings().language)  # opens the store
        _ = desk.kb  # opened here, so that a damaged base is told like a damaged store
    except (StoreError, KnowledgeBaseError) as error:
        lang = resolve_language(chosen)
        if sys.stdin.isatty() and sys.stdout.isatty():  # a person is looking: say it on screen
            from posdesk.ui.problem import ProblemApp

            ProblemApp(told(error, lang), lang).run()
        print(f"posdesk: {told(error, lang)}", file=sys.stderr)
        return 1
    from posdesk.ui.memory import hold_collections, resume_collections

    hold_collections()  # from before Textual's import to the first screen: see ui/memory.py
    try:
        from posdesk.ui.app import PosdeskApp, launch

        launch(PosdeskApp(desk, lang, offer_set_up=True))
    finally:
        resume_collections()
    return 0


def _open_head_office(args: argparse.Namespace) -> int:
    """`posdesk --central [DSN]`: the head office's app over the central database, read-only;
    the DSN given, else $POSDESK_CENTRAL, else libpq's own environment (PGHOST, PGSERVICE, …).
    It connects once the app is up, and says there, in one line, when it cannot."""
    lang = resolve_language(getattr(args, "lang", None))
    if args.command is not None:
        raise CommandLineError(t("cli.central_alone", lang))
    from posdesk.central import CentralError
    from posdesk.central.connection import parse_dsn
    from posdesk.cli.chain import DSN_VARIABLE
    from posdesk.desk.head_office import HeadOffice

    dsn = args.central or os.environ.get(DSN_VARIABLE, "")
    try:
        parse_dsn(dsn)  # a password in it, or psycopg missing: said here, before the screen
    except CentralError as error:
        return fail(f"posdesk: {told(error, lang)}", 1)
    office = HeadOffice(dsn)
    from posdesk.ui.app import launch
    from posdesk.ui.head_office.app import HeadOfficeApp

    launch(HeadOfficeApp(office, lang))
    return 0
