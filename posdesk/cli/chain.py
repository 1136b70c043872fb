"""Chain mode on the command line, the administrator's and the shop's side: `central init`,
`central add-shop`, `central join`, `central leave`, and `sync` for a scheduled job."""

from __future__ import annotations

import argparse
import os
import shlex

from posdesk.central import CentralError
from posdesk.cli.say import fail, plain, print_json
from posdesk.desk import Desk
from posdesk.i18n import t, told

DSN_VARIABLE = "POSDESK_CENTRAL"  # the head office's connection string, when --dsn is left out


def chosen_dsn(args: argparse.Namespace) -> str:
    """--dsn, else $POSDESK_CENTRAL, else "" (libpq's own environment: PGHOST, PGSERVICE, …)."""
    given = getattr(args, "dsn", None)
    return given if given is not None else os.environ.get(DSN_VARIABLE, "")


def central(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    """The `central` commands this module answers; CentralError is told by the caller."""
    if args.central_action == "init":
        return _init(args, lang)
    if args.central_action == "add-shop":
        return _add_shop(args, lang)
    if args.central_action == "join":
        link = desk.join_chain(args.shop, args.name, args.dsn)
        print(t("chain.joined", lang, shop=plain(link.shop_id), name=plain(link.shop_name)))
        return 0
    if args.central_action == "leave":
        desk.leave_chain()
        print(t("chain.left", lang))
        return 0
    raise CentralError("unknown_action", action=args.central_action)  # pragma: no cover - argparse


def _init(args: argparse.Namespace, lang: str) -> int:
    from posdesk.central.connection import opened
    from posdesk.central.schema import migrate, roles_of

    with opened(chosen_dsn(args)) as connection:
        before, after = migrate(connection)
        roles = roles_of(connection)
    key = "chain.init_done" if before == 0 else (
        "chain.init_current" if before == after else "chain.init_migrated")
    print(t(key, lang, before=before, after=after))
    print(t("chain.init_roles", lang, shops=roles.shops, head_office=roles.head_office))
    return 0


def _add_shop(args: argparse.Namespace, lang: str) -> int:
    from posdesk.central.connection import opened, parse_dsn
    from posdesk.central.schema import roles_of
    from posdesk.central.shops import add_shop, new_password, shop_statements

    dsn = chosen_dsn(args)
    password = None if args.no_password else new_password()
    with opened(dsn) as connection:
        if args.print_sql:
            shop = shop_statements(roles_of(connection), args.shop, args.name, password)
        else:
            shop = add_shop(connection, args.shop, args.name, password)
        parts = {**parse_dsn(dsn), **{k: v for k, v in (
            ("host", args.shop_host or connection.info.host), ("port", str(connection.info.port)),
            ("dbname", connection.info.dbname)) if v}}
    if args.print_sql:
        print(t("chain.print_sql", lang))
        for statement in shop.statements:
            print(f"{statement};")
    else:
        print(t("chain.shop_added", lang, shop=shop.shop_id, role=shop.role))
    shop_dsn = " ".join(f"{key}={value}" for key, value in (
        ("host", parts.get("host", "")), ("port", parts.get("port", "")),
        ("dbname", parts.get("dbname", "")), ("user", shop.role), ("sslmode", "verify-full"))
        if value)
    if shop.password:
        line = ":".join((*(_pgpass_field(parts[key]) if key in parts else "*"
                           for key in ("host", "port", "dbname")),
                         _pgpass_field(shop.role), _pgpass_field(shop.password)))
        print(t("chain.pgpass", lang))
        print(f"  {line}")
    print(t("chain.how_to_join", lang))
    print(f"  posdesk central join {shop.shop_id} --name {shlex.quote(shop.name)} --dsn {shlex.quote(shop_dsn)}")
    return 0


def _pgpass_field(text: str) -> str:
    """A field of a .pgpass line: libpq splits the line at colons, so one inside a field (an
    IPv6 address) is written \\:, and a backslash \\\\."""
    return text.replace("\\", "\\\\").replace(":", "\\:")


def sync(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    """One pass, for a scheduled job: 0 when everything went or another pass (the app's) is
    doing it, 1 when it could not. A failure is one line on standard error; with --json the
    report is on standard output as well."""
    try:
        report = desk.sync_once()
    except CentralError as error:  # not joined, or a link that cannot be read
        if args.json:
            print_json({"ok": False, "busy": False, "error": str(error), "detail": error.detail})
        raise
    if args.json:
        print_json(report.to_dict())
    elif report.busy:
        print(t("chain.sync_busy", lang))
    elif report.error is None:
        print(t("chain.sync_done", lang, events=report.events, routines=report.routines,
                terminals=report.terminals, waiting=report.waiting))
        print(t("chain.sync_guidance", lang, flags=report.flags, topics=report.chain_topics,
                notes=report.chain_notes))
    if report.error is not None:
        said = t("chain.sync_failed", lang, reason=told(report.error, lang), waiting=report.waiting)
        return fail(f"posdesk: {said}", 1)
    if report.diverged:
        said = t("chain.sync_diverged", lang, count=len(report.diverged),
                 ids=", ".join(report.diverged[:5]))
        return fail(f"posdesk: {said}", 1)
    return 0
