"""Incidents written out for people: the note for the bank, and reports."""

from __future__ import annotations

from datetime import datetime

from posdesk.i18n import t
from posdesk.models import Incident


def short_time(iso: str) -> str:
    """"2026-11-25 14:03" from an ISO 8601 time, in the time zone it was recorded in."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def escalation_note(incident: Incident, lang: str, hotline: str) -> str:
    """What to tell the bank: the fault, the terminal, when it started and every check tried."""
    lines = [t("note.title", lang), *summary_lines(incident, lang)]
    lines += ["", t("note.hotline", lang, hotline=hotline), "", t("note.own_words", lang), ""]
    return "\n".join(lines)


def summary_lines(incident: Incident, lang: str) -> list[str]:
    """The incident's facts and every check tried, with outcome and time."""
    lines = [
        t("note.incident", lang, id=incident.id),
        t("note.fault", lang, title=incident.topic_title(lang)),
        t("note.terminal", lang, terminal=incident.terminal) if incident.terminal
        else t("note.terminal_unknown", lang),
    ]
    if incident.code:
        lines.append(t("note.code", lang, code=incident.code))
    lines.append(t("note.started", lang, at=short_time(incident.opened_at)))
    lines.append("")
    attempts = incident.attempts
    lines.append(t("note.tried", lang) if attempts else t("note.none_tried", lang))
    for number, attempt in enumerate(attempts, start=1):
        outcome = t(f"outcome.{attempt.outcome}", lang)
        lines.append(f"{number}. " + t("note.attempt", lang, at=short_time(attempt.at),
                                       title=attempt.step_title(lang), outcome=outcome))
        if attempt.note:
            lines.append("   " + t("note.attempt_note", lang, note=attempt.note))
    if incident.notes:
        lines += ["", t("note.notes", lang)]
        lines += [f"- {short_time(note.at)}  {note.get('text', '')}" for note in incident.notes]
    return lines


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
