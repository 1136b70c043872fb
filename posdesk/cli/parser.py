"""The command line's words: commands, options and what each accepts."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from posdesk import __version__
from posdesk.desk.listing import read_day
from posdesk.export import FORMATS
from posdesk.i18n import STRINGS, resolve_language, t
from posdesk.models import CATEGORIES, FLAG_REASONS, LANGUAGES, STATUSES
from posdesk.store.errors import NotAFile

STANDARD_OUTPUT = "-"


class CommandLineError(Exception):
    """Bad input on the command line: one line for the person, a non-zero exit."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CommandLineError(t("cli.see_help", _language, message=message, prog=self.prog))


# argparse's own words ("usage:", "invalid choice: …") by its English text, told in the
# language of the command line while the parser is built and run (see `in_language`).
_ARGPARSE = {STRINGS[key]["en"]: key for key in STRINGS if key.startswith("cli.argparse.")}
_language = "en"


def _told(message: str) -> str:
    key = _ARGPARSE.get(message)
    return t(key, _language) if key else message


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Build and run the parser with argparse speaking `lang`."""
    global _language
    before, before_n, before_lang = argparse._, argparse.ngettext, _language  # type: ignore[attr-defined]
    _language = lang
    argparse._ = _told  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: _told(one if n == 1 else many)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = before, before_n  # type: ignore[attr-defined]
        _language = before_lang


def chosen_language(argv: Sequence[str]) -> str:
    """The language asked for, read before the parser (which speaks it) is built."""
    for n, arg in enumerate(argv):
        if arg == "--lang" and n + 1 < len(argv):
            return resolve_language(argv[n + 1])
        if arg.startswith("--lang="):
            return resolve_language(arg.partition("=")[2])
    return resolve_language()


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    def h(name: str) -> str:
        return t(f"cli.help.{name}", lang)

    with in_language(lang):
        return _build_parser(h)


def _build_parser(h: Callable[[str], str]) -> argparse.ArgumentParser:
    # Options shared by every level, so `posdesk guidance list --lang zh` works as well.
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS, help=h("home"))
    shared.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=h("lang"))
    json_option = argparse.ArgumentParser(add_help=False)
    json_option.add_argument("--json", action="store_true", help=h("json"))

    parser = Parser(prog="posdesk", parents=[shared], description=h("description"))
    parser.add_argument("--version", action="version", version=f"posdesk {__version__}")
    parser.add_argument("--central", metavar="DSN", nargs="?", const="", default=None,
                        help=h("central_app"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    guidance = commands.add_parser("guidance", parents=[shared], help=h("guidance"))
    actions = guidance.add_subparsers(dest="action", metavar="ACTION", required=True,
                                      parser_class=Parser)
    listing = actions.add_parser("list", parents=[shared, json_option], help=h("guidance_list"))
    listing.add_argument("--category", choices=CATEGORIES, help=h("category"))
    show = actions.add_parser("show", parents=[shared, json_option], help=h("guidance_show"))
    show.add_argument("id", metavar="ID", help=h("topic_id"))
    search = actions.add_parser("search", parents=[shared, json_option], help=h("search"))
    search.add_argument("text", metavar="TEXT", nargs="+", help=h("search_text"))
    _learning_commands(actions, shared, json_option, h)

    incidents = commands.add_parser("incidents", parents=[shared], help=h("incidents"))
    incident_actions = incidents.add_subparsers(dest="action", metavar="ACTION", required=True,
                                                parser_class=Parser)
    incident_list = incident_actions.add_parser("list", parents=[shared, json_option],
                                                help=h("incidents_list"))
    incident_list.add_argument("--status", choices=STATUSES, help=h("status"))
    incident_show = incident_actions.add_parser("show", parents=[shared, json_option],
                                                help=h("incidents_show"))
    incident_show.add_argument("id", metavar="ID", help=h("incident_id"))
    export = incident_actions.add_parser("export", parents=[shared], help=h("export"))
    export.add_argument("--format", choices=FORMATS, required=True, help=h("format"))
    export.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    export.add_argument("--status", choices=STATUSES, help=h("status"))
    export.add_argument("--since", metavar="DATE", type=day_option, help=h("since"))
    export.add_argument("--until", metavar="DATE", type=day_option, help=h("until"))
    export.add_argument("--fault", metavar="TOPIC", help=h("fault"))
    export.add_argument("--search", metavar="TEXT", default="", help=h("notes"))
    export.add_argument("ids", metavar="ID", nargs="*", help=h("ids"))

    backup = commands.add_parser("backup", parents=[shared], help=h("backup"))
    backup.add_argument("-o", "--output", metavar="FILE", help=h("backup_output"))
    restore = commands.add_parser("restore", parents=[shared], help=h("restore"))
    restore.add_argument("file", metavar="FILE", help=h("restore_file"))
    commands.add_parser("doctor", parents=[shared], help=h("doctor"))

    due = commands.add_parser("due", parents=[shared, json_option], help=h("due"))
    due.add_argument("--on", metavar="DATE", type=date_option, help=h("due_on"))

    code = commands.add_parser("code", parents=[shared, json_option], help=h("code"))
    code.add_argument("code", metavar="CODE", help=h("code_code"))
    _chain_commands(commands, shared, json_option, h)
    return parser


def _learning_commands(actions: Any, shared: argparse.ArgumentParser,
                       json_option: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    """`posdesk guidance note|flag|flagged|topic|export`: the shop's own notes beside the
    guidance, its flags on steps that did not help, the topics it writes itself."""
    def each(name: str, help_key: str, *parents: argparse.ArgumentParser) -> Any:
        command = actions.add_parser(name, parents=[shared, *parents], help=h(help_key))
        return command.add_subparsers(dest="learning_action", metavar="ACTION", required=True,
                                      parser_class=Parser)

    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--who", metavar="NAME", required=True, help=h("learning_who"))

    notes = each("note", "learning_note")
    add = notes.add_parser("add", parents=[shared, who], help=h("learning_note_add"))
    add.add_argument("target", metavar="ON", help=h("learning_on"))
    add.add_argument("text", metavar="TEXT", help=h("learning_text"))
    listing = notes.add_parser("list", parents=[shared, json_option], help=h("learning_note_list"))
    listing.add_argument("--on", dest="item", metavar="ID", help=h("learning_on"))
    listing.add_argument("--removed", action="store_true", help=h("learning_removed"))
    listing.add_argument("--orphaned", action="store_true", help=h("learning_orphaned"))
    edit = notes.add_parser("edit", parents=[shared, who], help=h("learning_note_edit"))
    edit.add_argument("id", metavar="ID", help=h("learning_note_id"))
    edit.add_argument("text", metavar="TEXT", help=h("learning_text"))
    for name in ("remove", "restore"):
        one = notes.add_parser(name, parents=[shared], help=h(f"learning_note_{name}"))
        one.add_argument("id", metavar="ID", help=h("learning_note_id"))
    move = notes.add_parser("move", parents=[shared], help=h("learning_note_move"))
    move.add_argument("id", metavar="ID", help=h("learning_note_id"))
    move.add_argument("target", metavar="ON", help=h("learning_on"))

    flags = each("flag", "learning_flag")
    flag = flags.add_parser("add", parents=[shared], help=h("learning_flag_add"))
    flag.add_argument("step", metavar="STEP", help=h("learning_step"))
    flag.add_argument("--reason", choices=FLAG_REASONS, required=True, help=h("learning_reason"))
    flag.add_argument("--why", metavar="TEXT", default="", help=h("learning_why"))
    flag.add_argument("--who", metavar="NAME", default="", help=h("learning_who"))
    listing = flags.add_parser("list", parents=[shared, json_option], help=h("learning_flag_list"))
    listing.add_argument("--step", metavar="STEP", help=h("learning_step"))
    listing.add_argument("--withdrawn", action="store_true", help=h("learning_withdrawn"))
    withdraw = flags.add_parser("withdraw", parents=[shared], help=h("learning_flag_withdraw"))
    withdraw.add_argument("id", metavar="ID", help=h("learning_flag_id"))
    actions.add_parser("flagged", parents=[shared, json_option], help=h("learning_flagged"))

    topic_text = argparse.ArgumentParser(add_help=False)
    topic_text.add_argument("--file", metavar="FILE.json", help=h("learning_topic_file"))
    topic_text.add_argument("--title", metavar="TEXT", help=h("learning_title"))
    topic_text.add_argument("--title-en", metavar="TEXT", help=h("learning_title_en"))
    topic_text.add_argument("--summary", metavar="TEXT", help=h("learning_summary"))
    topic_text.add_argument("--summary-en", metavar="TEXT", help=h("learning_summary_en"))
    topic_text.add_argument("--step", dest="steps", metavar="TITLE|HOW|WHY", action="append",
                            help=h("learning_topic_step"))
    topics = each("topic", "learning_topic")
    add = topics.add_parser("add", parents=[shared, who, topic_text], help=h("learning_topic_add"))
    add.add_argument("--category", choices=CATEGORIES, help=h("learning_category"))
    listing = topics.add_parser("list", parents=[shared, json_option], help=h("learning_topic_list"))
    listing.add_argument("--removed", action="store_true", help=h("learning_removed"))
    show = topics.add_parser("show", parents=[shared, json_option], help=h("learning_topic_show"))
    show.add_argument("id", metavar="ID", help=h("learning_topic_id"))
    edit = topics.add_parser("edit", parents=[shared, who, topic_text], help=h("learning_topic_edit"))
    edit.add_argument("id", metavar="ID", help=h("learning_topic_id"))
    edit.add_argument("--remove-step", dest="remove_steps", metavar="STEP", action="append",
                      default=[], help=h("learning_remove_step"))
    for name in ("remove", "restore"):
        one = topics.add_parser(name, parents=[shared], help=h(f"learning_topic_{name}"))
        one.add_argument("id", metavar="ID", help=h("learning_topic_id"))

    export = actions.add_parser("export", parents=[shared, json_option], help=h("learning_export"))
    export.add_argument("-o", "--output", metavar="FILE", help=h("output"))


def _chain_commands(commands: Any, shared: argparse.ArgumentParser,
                    json_option: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    """`posdesk central …` (the administrator's init and add-shop, the shop's join and leave,
    the head office's reading) and the shop's `sync`."""
    dsn_option = argparse.ArgumentParser(add_help=False)
    dsn_option.add_argument("--dsn", metavar="DSN", help=h("dsn"))
    central = commands.add_parser("central", parents=[shared], help=h("central"))
    actions = central.add_subparsers(dest="central_action", metavar="ACTION", required=True,
                                     parser_class=Parser)
    actions.add_parser("init", parents=[shared, dsn_option], help=h("central_init"))
    add_shop = actions.add_parser("add-shop", parents=[shared, dsn_option], help=h("add_shop"))
    add_shop.add_argument("shop", metavar="SHOP", help=h("shop_id"))
    add_shop.add_argument("--name", required=True, help=h("shop_name"))
    add_shop.add_argument("--no-password", action="store_true", help=h("no_password"))
    add_shop.add_argument("--print-sql", action="store_true", help=h("print_sql"))
    add_shop.add_argument("--shop-host", metavar="HOST", help=h("shop_host"))
    join = actions.add_parser("join", parents=[shared], help=h("join"))
    join.add_argument("shop", metavar="SHOP", help=h("shop_id"))
    join.add_argument("--name", required=True, help=h("shop_name"))
    join.add_argument("--dsn", metavar="DSN", required=True, help=h("join_dsn"))
    actions.add_parser("leave", parents=[shared], help=h("leave"))
    _head_office_commands(actions, shared, json_option, dsn_option, h)
    commands.add_parser("sync", parents=[shared, json_option], help=h("sync"))


def _head_office_commands(actions: Any, shared: argparse.ArgumentParser,
                          json_option: argparse.ArgumentParser,
                          dsn_option: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    """`posdesk central incidents list|export` and `posdesk central overdue`: the head office
    reading every shop, with the filters of `posdesk incidents` plus --shop."""
    def hq(name: str) -> str:
        return t(f"hq.help.{name}", _language)

    chosen = argparse.ArgumentParser(add_help=False)
    chosen.add_argument("--status", choices=STATUSES, help=h("status"))
    chosen.add_argument("--shop", metavar="SHOP", help=hq("shop"))
    chosen.add_argument("--since", metavar="DATE", type=day_option, help=h("since"))
    chosen.add_argument("--until", metavar="DATE", type=day_option, help=h("until"))
    chosen.add_argument("--fault", metavar="TOPIC", help=h("fault"))
    chosen.add_argument("--search", metavar="TEXT", default="", help=h("notes"))

    incidents = actions.add_parser("incidents", parents=[shared], help=hq("incidents"))
    what = incidents.add_subparsers(dest="action", metavar="ACTION", required=True,
                                    parser_class=Parser)
    what.add_parser("list", parents=[shared, json_option, dsn_option, chosen], help=hq("list"))
    export = what.add_parser("export", parents=[shared, dsn_option, chosen], help=hq("export"))
    export.add_argument("--format", choices=FORMATS, required=True, help=h("format"))
    export.add_argument("-o", "--output", metavar="FILE", help=h("output"))
    export.add_argument("ids", metavar="SHOP/ID", nargs="*", help=hq("ids"))
    actions.add_parser("overdue", parents=[shared, json_option, dsn_option], help=hq("overdue"))
    _chain_guidance_commands(actions, shared, json_option, dsn_option, hq)


def _chain_guidance_commands(actions: Any, shared: argparse.ArgumentParser,
                             json_option: argparse.ArgumentParser,
                             dsn_option: argparse.ArgumentParser,
                             hq: Callable[[str], str]) -> None:
    """`posdesk central guidance publish|note|list|withdraw|flags`: the chain's own guidance."""
    guidance = actions.add_parser("guidance", parents=[shared], help=hq("guidance"))
    what = guidance.add_subparsers(dest="action", metavar="ACTION", required=True,
                                   parser_class=Parser)
    who = argparse.ArgumentParser(add_help=False)
    who.add_argument("--who", required=True, metavar="NAME", help=hq("guidance_who"))
    publish = what.add_parser("publish", parents=[shared, dsn_option, who],
                              help=hq("guidance_publish"))
    publish.add_argument("file", metavar="FILE.json", help=hq("guidance_file"))
    note = what.add_parser("note", parents=[shared, dsn_option, who], help=hq("guidance_note"))
    note.add_argument("on", metavar="ID", help=hq("guidance_on"))
    note.add_argument("text", metavar="TEXT", help=hq("guidance_text"))
    what.add_parser("list", parents=[shared, json_option, dsn_option], help=hq("guidance_list"))
    withdraw = what.add_parser("withdraw", parents=[shared, dsn_option],
                               help=hq("guidance_withdraw"))
    withdraw.add_argument("id", metavar="ID", help=hq("guidance_id"))
    flags = what.add_parser("flags", parents=[shared, json_option, dsn_option],
                            help=hq("guidance_flags"))
    flags.add_argument("--shop", metavar="SHOP", help=hq("shop"))


def day_option(value: str) -> str:
    """A bound of a filter, read as the Incidents tab reads its day boxes (2026/11/25,
    2026-11-1, full-width digits, …); any real day will do, 9999-12-31 too."""
    try:
        return read_day(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_date", _language, value=value)) from None


def date_option(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.not_a_date", _language, value=value)) from None
    if not 1 < day.year < 9999:  # a cadence added to it must still be a date
        raise argparse.ArgumentTypeError(t("cli.not_a_plan_date", _language, value=value))
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
