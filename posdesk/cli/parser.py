"""The command line's words: commands, options and what each accepts."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path
from typing import NoReturn

from posdesk import __version__
from posdesk.export import FORMATS
from posdesk.i18n import t
from posdesk.models import CATEGORIES, LANGUAGES, STATUSES
from posdesk.store.errors import NotAFile

STANDARD_OUTPUT = "-"


class CommandLineError(Exception):
    """Bad input on the command line: one line for the person, a non-zero exit."""


class Parser(argparse.ArgumentParser):
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

    parser = Parser(prog="posdesk", parents=[shared],
                     description="A help desk for a shop's bank POS terminal. "
                                 "With no command it opens the full-screen app.")
    parser.add_argument("--version", action="version", version=f"posdesk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    guidance = commands.add_parser("guidance", parents=[shared], help="read the knowledge base")
    actions = guidance.add_subparsers(dest="action", metavar="ACTION", required=True,
                                      parser_class=Parser)
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
                                                parser_class=Parser)
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
    export.add_argument("--since", metavar="DATE", type=date_option, help="opened on or after DATE (YYYY-MM-DD)")
    export.add_argument("--until", metavar="DATE", type=date_option, help="opened on or before DATE")
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
    due.add_argument("--on", metavar="DATE", type=date_option,
                     help="what is due on another day (YYYY-MM-DD), e.g. for planning")

    code = commands.add_parser("code", parents=[shared, json_option],
                               help="what a response code on the terminal means and what to do")
    code.add_argument("code", metavar="CODE", help="the code on the terminal's screen, e.g. 51")
    return parser


def date_option(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    if not 1 < day.year < 9999:  # a cadence added to it must still be a date
        raise argparse.ArgumentTypeError(f"not a date posdesk can plan for: {value!r}")
    return day.isoformat()


def output_target(value: str | None, lang: str, example: str) -> Path | str | None:
    """Where `-o` sends it: None (not given), standard output (`-`), or a file. A name ending
    in a slash means a folder, even one not there yet: never a file of that name."""
    if value is None or value == STANDARD_OUTPUT:
        return value
    if not value:
        raise CommandLineError(t("backup.empty_output", lang))
    if value.endswith(("/", os.sep)):
        raise NotAFile(Path(value), Path(value) / example)
    return Path(value)
