"""The head office on the command line: every shop's incidents listed or exported with the
filters of `posdesk incidents` plus --shop, and the routines overdue per shop.

What is printed is what `HeadOffice` gives, cleaned already; the plain lines pass `plain` once
more, as the shop's own do."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator

from posdesk.cli.chain import chosen_dsn
from posdesk.cli.chain_guidance import chain_guidance
from posdesk.cli.parser import STANDARD_OUTPUT, output_target
from posdesk.cli.records import Counter
from posdesk.cli.say import fail, plain, print_json
from posdesk.desk import Desk, UnknownId
from posdesk.desk.head_office import HeadOffice
from posdesk.export import json_lines, render_parts
from posdesk.i18n import t
from posdesk.models.chain import ChainFilter, ChainIncident
from posdesk.wording import due_line, short_time

ACTIONS = ("incidents", "overdue", "guidance")  # the rest: the administrator's and the shop's


def head_office(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    office = HeadOffice(chosen_dsn(args), clock=desk.now)
    try:
        if args.central_action == "overdue":
            return _overdue(office, lang, args.json)
        if args.central_action == "guidance":
            return chain_guidance(office, args, lang)
        chosen = ChainFilter(status=args.status, shop=args.shop, words=args.search,
                             since=args.since, until=args.until, topic_id=args.fault)
        try:
            if args.action == "list":
                return _list(office, chosen, lang, args.json)
            return _export(desk, office, chosen, args, lang)
        except UnknownId:
            return fail(f"posdesk: {t('hq.unknown_shop', lang, shop=plain(args.shop or ''))}", 1)
    finally:
        office.close()


def _list(office: HeadOffice, chosen: ChainFilter, lang: str, as_json: bool) -> int:
    found = office.each_incident(chosen)
    if as_json:
        sys.stdout.writelines(json_lines(incident.to_dict() for incident in found))
        return 0
    listed = 0
    for listed, incident in enumerate(found, start=1):
        print(plain("  ".join((incident.shop_id, incident.id, short_time(incident.opened_at),
                               t(f"status.{incident.status}", lang),
                               incident.topic_title(lang)))))
    if not listed:
        print(t("hq.no_incidents", lang))
    return 0


def _export(desk: Desk, office: HeadOffice, chosen: ChainFilter, args: argparse.Namespace,
            lang: str) -> int:
    if args.ids:
        picked = []
        for named in args.ids:
            shop, _, incident_id = named.rpartition("/")
            shop = shop or args.shop
            if not shop or not incident_id:
                return fail(f"posdesk: {t('hq.bad_id', lang, id=plain(named))}", 1)
            try:
                picked.append(office.incident(shop, incident_id))
            except UnknownId:
                said = t("hq.unknown_incident", lang, shop=plain(shop), id=plain(incident_id))
                return fail(f"posdesk: {said}", 1)
        incidents: Iterator[ChainIncident] = iter(picked)
    else:
        incidents = office.each_incident(chosen)
    output = output_target(args.output, lang, f"incidents.{args.format}")
    written = Counter()
    parts = render_parts(written.each(incidents), args.format, lang, shops=True)
    if output is None or output == STANDARD_OUTPUT:
        sys.stdout.writelines(parts)
        return 0
    path = desk.write_report(parts, f"incidents.{args.format}", path=output)
    print(t("cli.written", lang, path=path, count=written.count), file=sys.stderr)
    return 0


def _overdue(office: HeadOffice, lang: str, as_json: bool) -> int:
    shops = office.compliance()
    if as_json:
        return print_json([shop.to_dict() for shop in shops])
    if not shops:
        print(t("hq.no_shops", lang))
    for shop in shops:
        print(plain(t("hq.shop_line", lang, shop=shop.shop_id, name=shop.name,
                      synced=short_time(shop.last_synced) if shop.last_synced
                      else t("hq.never_synced", lang),
                      terminals=shop.terminals,
                      tamper=short_time(shop.last_tamper_check) if shop.last_tamper_check
                      else t("due.never", lang))))
        for state in shop.overdue:
            print(plain(f"  {due_line(state, lang)}"))
        if not shop.overdue:
            print(t("hq.nothing_overdue", lang))
        if shop.unreadable:
            print(t("hq.unreadable_routines", lang, count=shop.unreadable))
    return 0
