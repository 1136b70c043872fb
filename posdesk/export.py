"""Incidents written out into files: a report in Markdown, CSV or JSON, and the note sent to the
bank as Markdown. How each part is worded lives in `wording`."""

from __future__ import annotations

import csv
import io

from posdesk.i18n import t
from posdesk.models import Incident
from posdesk.privacy import csv_cell, json_text
from posdesk.wording import duration_text, report_facts, short_time, timeline


def escalation_markdown(incident: Incident, note: str, lang: str) -> str:
    """The note as it was sent to the bank, as a Markdown file to keep or forward."""
    escalation = incident.escalation
    lines = [f"# {t('note.title', lang)} ({incident.id})", ""]
    if escalation:
        lines.append(t("note.escalated", lang, at=short_time(escalation.at)) + "  ")
        if escalation.reference:
            lines.append(t("note.reference", lang, reference=escalation.reference) + "  ")
        lines.append("")
    lines += ["```text", note.replace("```", "'''"), "```", ""]
    return "\n".join(lines)


def incident_markdown(incident: Incident, lang: str) -> str:
    """One incident, ready to paste into a message to the bank: facts, then the whole timeline."""
    lines = [f"# {t('report.title', lang, id=incident.id, title=incident.topic_title(lang))}", ""]
    lines += [f"- {fact}" for fact in report_facts(incident, lang)]
    lines += ["", f"## {t('report.timeline', lang)}", ""]
    for at, line, words in timeline(incident, lang):
        lines.append(f"- **{at}** {line}")
        lines += [f"  > {written}" if written.strip() else "  >" for written in words]
    lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = ("id", "opened", "fault", "terminal", "status", "resolution", "tried", "resolve",
               "closed", "reference")


def incidents_csv(incidents: list[Incident], lang: str) -> str:
    """One row per incident, headed in `lang`, with a BOM so spreadsheets read Chinese right.

    Every cell, headings too, goes through `csv_cell`: a spreadsheet shows it, never runs it.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    rows = [[t(f"column.{column}", lang) for column in CSV_COLUMNS]]
    for incident in incidents:
        escalation = incident.escalation
        rows.append([
            incident.id, short_time(incident.opened_at), incident.topic_title(lang),
            incident.terminal or "", t(f"status.{incident.status}", lang),
            t(f"resolution.{incident.resolution}", lang) if incident.resolution else "",
            len(incident.attempts), duration_text(incident.minutes_to_resolve, lang),
            short_time(incident.closed_at) if incident.closed_at else "",
            (escalation.reference or "") if escalation else "",
        ])
    writer.writerows([csv_cell(str(cell)) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def incidents_json(incidents: list[Incident]) -> str:
    return json_text([i.to_dict() for i in incidents]) + "\n"


FORMATS = ("md", "csv", "json")


def render(incidents: list[Incident], fmt: str, lang: str) -> str:
    """Incidents as a report: Markdown (one section each), CSV or JSON."""
    if fmt == "md":
        return "\n---\n\n".join(incident_markdown(i, lang) for i in incidents)
    if fmt == "csv":
        return incidents_csv(incidents, lang)
    if fmt == "json":
        return incidents_json(incidents)
    raise ValueError(f"unknown format {fmt!r}")
