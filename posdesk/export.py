"""Incidents written out into files: a report in Markdown, CSV or JSON, and the note sent to the
bank as Markdown. How each part is worded lives in `wording`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.privacy import csv_cell, json_text
from posdesk.wording import duration_text, report_facts, short_time, timeline


def escalation_text(incident: Incident, note: str, lang: str, reference: str = "") -> str:
    """The note for the bank as a file to keep or forward: plain text, line for line as
    written, that reads the same pasted into a chat or an e-mail (no markup, so a line typed
    as "# 3 tries" or "<after noon>" is never taken for any), with when it was sent and the
    bank's reference (the one typed with it, else the one recorded)."""
    escalation = incident.escalation
    reference = reference.strip() or (escalation.reference if escalation else "") or ""
    lines = [f"{t('note.title', lang)} ({incident.id})", ""]
    if escalation:
        lines.append(t("note.escalated", lang, at=short_time(escalation.at)))
    if reference:
        lines.append(t("note.reference", lang, reference=reference))
    if escalation or reference:
        lines.append("")
    lines += note.splitlines()
    return "\n".join(line.rstrip() for line in lines) + "\n"


def incident_markdown(incident: Incident, lang: str) -> str:
    """One incident, ready to paste into a message to the bank: facts, then the whole timeline."""
    lines = [f"# {t('report.title', lang, id=incident.id, title=incident.topic_title(lang))}", ""]
    if shop_of(incident):
        lines.append(f"- {t('hq.fact.shop', lang, shop=shop_of(incident))}")
    lines += [f"- {fact}" for fact in report_facts(incident, lang)]
    lines += ["", f"## {t('report.timeline', lang)}", ""]
    for at, line, words in timeline(incident, lang):
        lines.append(f"- **{at}** {line}")
        lines += [f"  > {written}" if written.strip() else "  >" for written in words]
    lines.append("")
    return "\n".join(lines)


# The time to resolve twice: in words to read, and in whole minutes a spreadsheet adds up.
CSV_COLUMNS = ("id", "opened", "fault", "terminal", "status", "resolution", "tried", "resolve",
               "minutes", "closed", "reference", "notes")


def incidents_csv(incidents: Iterable[Incident], lang: str) -> str:
    """One row per incident, headed in `lang`, with a BOM so spreadsheets read Chinese right.

    Every cell, headings too, goes through `csv_cell`: a spreadsheet shows it, never runs it.
    """
    return "".join(csv_lines(incidents, lang))


def shop_of(incident: Incident) -> str:
    """The shop of an incident the head office read ("深圳一店 (sz-01)"); empty for the shop's own."""
    shop_id = getattr(incident, "shop_id", "")  # a ChainIncident's (models.chain, not loaded here)
    return f"{incident.shop_name} ({shop_id})" if shop_id else ""


def csv_lines(incidents: Iterable[Incident], lang: str, shops: bool = False) -> Iterator[str]:
    """`incidents_csv`, a line at a time; with `shops`, the shop of each first (the chain's)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(str(cell)) for cell in cells])
        return buffer.getvalue()

    shop_column = [t("hq.column.shop", lang)] if shops else []
    yield "\ufeff" + line([*shop_column, *(t(f"column.{column}", lang) for column in CSV_COLUMNS)])
    for incident in incidents:
        escalation = incident.escalation
        yield line([*([shop_of(incident)] if shops else []),
            incident.id, short_time(incident.opened_at), incident.topic_title(lang),
            incident.terminal or "", t(f"status.{incident.status}", lang),
            t(f"resolution.{incident.resolution}", lang) if incident.resolution else "",
            len(incident.attempts), duration_text(incident.minutes_to_resolve, lang),
            whole_minutes(incident.minutes_to_resolve),
            short_time(incident.closed_at) if incident.closed_at else "",
            (escalation.reference or "") if escalation else "", notes_text(incident),
        ])


def whole_minutes(minutes: float | None) -> str:
    """Minutes as a whole number, rounded as `duration_text` rounds them; empty when unknown."""
    return "" if minutes is None else str(max(round(minutes), 0))


def notes_text(incident: Incident) -> str:
    """Every note people wrote on an incident (the search looks in them), a line each after
    the time it was written. The note sent to the bank is left to the Markdown report: it
    repeats the steps, and its own reference has a column."""
    return "\n".join(f"{short_time(event.at)} {written}" for event in incident.events
                     if event.kind != "escalated"
                     and (written := event.get("note") or event.get("text")))


def incidents_json(incidents: Iterable[Incident]) -> str:
    return "".join(json_lines(i.to_dict() for i in incidents))


def json_lines(items: Iterable[object]) -> Iterator[str]:
    """`json_text` of the list of `items` and a line break, an element at a time: the same
    text, byte for byte (JSON keeps no line break inside a string, so indenting each line of
    an element by two spaces is what indenting the whole list does)."""
    first = True
    for item in items:
        yield ("[\n  " if first else ",\n  ") + json_text(item).replace("\n", "\n  ")
        first = False
    yield "[]\n" if first else "\n]\n"


FORMATS = ("md", "csv", "json")


def render(incidents: Iterable[Incident], fmt: str, lang: str) -> str:
    """Incidents as a report: Markdown (one section each), CSV or JSON."""
    return "".join(render_parts(incidents, fmt, lang))


def render_parts(incidents: Iterable[Incident], fmt: str, lang: str,
                 shops: bool = False) -> Iterator[str]:
    """`render`, an incident at a time, so that a report of any length is written as it is
    made. An unknown format is refused before anything is read. With `shops` (the chain's
    incidents), a CSV has a column for the shop; Markdown and JSON name it whenever known."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "md":
        return _markdown_parts(incidents, lang)
    if fmt == "csv":
        return csv_lines(incidents, lang, shops)
    return json_lines(i.to_dict() for i in incidents)


def _markdown_parts(incidents: Iterable[Incident], lang: str) -> Iterator[str]:
    for n, incident in enumerate(incidents):
        yield ("\n---\n\n" if n else "") + incident_markdown(incident, lang)

