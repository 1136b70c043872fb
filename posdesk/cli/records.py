"""The shop's records on the command line: incidents, reports, routines due, backups and
the checkup."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from posdesk.cli.parser import STANDARD_OUTPUT, output_target
from posdesk.cli.say import fail, plain, print_json, tell_unreadable, unreadable_incident
from posdesk.desk import Desk, UnknownId
from posdesk.export import json_lines, render_parts
from posdesk.cli.learning import orphan_problems
from posdesk.i18n import Phrase, t
from posdesk.kb import KnowledgeBaseError
from posdesk.store import StoreError
from posdesk.models import BadRecord, Incident, IncidentFilter
from posdesk.wording import due_line, incident_text, short_time


def incidents(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.action == "export":
        return _export(desk, args, lang)
    if args.action == "list":
        # Written as it is read, a month at a time: the history is never held whole.
        found = desk.each_incident(IncidentFilter(status=args.status))
        if args.json:
            sys.stdout.writelines(json_lines(incident.to_dict() for incident in found))
            return tell_unreadable(desk, lang)
        listed = 0
        for listed, incident in enumerate(found, start=1):
            print("  ".join((incident.id, short_time(incident.opened_at),
                             t(f"status.{incident.status}", lang), incident.topic_title(lang))))
        if not listed:
            print(t("cli.no_incidents", lang))
        return tell_unreadable(desk, lang)
    try:
        incident = desk.incident(args.id)
    except UnknownId:
        return fail(f"posdesk: {t('cli.unknown_incident', lang, id=plain(args.id))}", 1)
    except BadRecord as error:
        return unreadable_incident(args.id, error, lang)
    if args.json:
        return print_json(incident.to_dict())
    print(plain(incident_text(incident, lang)))
    return 0


def _export(desk: Desk, args: argparse.Namespace, lang: str) -> int:
    if args.ids:
        chosen = []
        for incident_id in args.ids:
            try:
                chosen.append(desk.incident(incident_id))
            except UnknownId:
                said = t("cli.unknown_incident", lang, id=plain(incident_id))
                return fail(f"posdesk: {said}", 1)
            except BadRecord as error:
                return unreadable_incident(incident_id, error, lang)
    else:
        if args.fault and desk.kb.topic(args.fault) is None:
            return fail(f"posdesk: {t('cli.unknown_topic', lang, id=plain(args.fault))}", 1)
        chosen = desk.each_incident(IncidentFilter(
            status=args.status, topic_id=args.fault, since=args.since, until=args.until,
            text=args.search))
    output = output_target(args.output, lang, f"incidents.{args.format}")
    written = Counter()
    parts = render_parts(written.each(chosen), args.format, lang)
    if output is None or output == STANDARD_OUTPUT:
        sys.stdout.writelines(parts)
        return tell_unreadable(desk, lang)
    path = desk.write_report(parts, f"incidents.{args.format}", path=output)
    tell_unreadable(desk, lang)
    print(t("cli.written", lang, path=path, count=written.count), file=sys.stderr)
    return 0


class Counter:
    """Counts the incidents of a report as it is made."""

    count = 0

    def each(self, incidents: Iterable[Incident]) -> Iterator[Incident]:
        for self.count, incident in enumerate(incidents, start=1):
            yield incident


def backup(desk: Desk, where: str | None, lang: str) -> int:
    chosen = output_target(where, lang, "posdesk-backup.json")
    if chosen == STANDARD_OUTPUT:
        sys.stdout.writelines(desk.backup_text())
        return 0
    path = desk.backup(chosen)
    print(t("cli.backup_made", lang, path=path))
    return 0


def doctor(desk: Desk, lang: str) -> int:
    checkup = desk.checkup()
    checkup.problems += _guidance_problems(desk, readable=checkup.healthy)
    for problem in checkup.problems:
        print(problem.text(lang))
    if checkup.healthy:
        print(t("cli.doctor_ok", lang, home=desk.home, files=checkup.files,
                incidents=checkup.incidents))
        return 0
    print(t("cli.doctor_bad", lang, count=len(checkup.problems)), file=sys.stderr)
    return 1


def _guidance_problems(desk: Desk, readable: bool) -> list[Phrase]:
    """The chain's guidance file when it cannot be read, and each note or flag on an id no
    longer in the guidance (kept: one line says how to attach it elsewhere)."""
    problems = []
    chain_problem = desk.chain_guidance_problem()
    if chain_problem is not None:
        problems.append(chain_problem)
    try:
        problems += orphan_problems(desk)
    except (StoreError, KnowledgeBaseError, OSError):
        if readable:  # otherwise the checkup named what stops them being read
            raise
    return problems


def due(desk: Desk, lang: str, as_json: bool) -> int:
    due = desk.due()
    if as_json:
        print_json([state.to_dict() for state in due])
    elif not due:
        print(t("due.nothing", lang))
    else:
        for state in due:
            print(due_line(state, lang))
    return tell_unreadable(desk, lang)


def restore(desk: Desk, file: str, lang: str) -> int:
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
