"""How records are told to people: times, durations, findings, events, an incident's facts and
timeline, the note for the bank, a routine's due line. Screens and the command line show these;
`export` writes them into files."""

from __future__ import annotations

from datetime import datetime

from posdesk.i18n import t
from posdesk.models import (SERIAL_ITEM, Event, Incident, RoutineState, Terminal, Text,
                            category_of)


def short_time(iso: str) -> str:
    """"2026-11-25 14:03" from an ISO 8601 time, in the time zone it was recorded in."""
    try:
        return datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def escalation_note(incident: Incident, lang: str, hotline: str,
                    terminal: Terminal | None = None, shop: str = "") -> str:
    """What to tell the bank: the shop (when its name is on record), the fault, the terminal
    (with the merchant and serial numbers the bank asks for, when they are on record), when it
    started and every check tried."""
    lines = [t("note.title", lang)]
    if shop.strip():
        lines.append(t("note.shop", lang, shop=shop.strip()))
    lines += summary_lines(incident, lang, terminal)
    lines += ["", t("note.hotline", lang, hotline=hotline), "", t("note.own_words", lang), ""]
    return "\n".join(lines)


def own_words(note: str) -> str:
    """What the person wrote in a note for the bank: below posdesk's "in our own words" line
    (in either language), as the rest repeats the record; the whole note when it has no such
    line (written by hand, or from the command line)."""
    headings = {t("note.own_words", lang) for lang in ("zh", "en")}
    lines = note.splitlines()
    found = [n for n, line in enumerate(lines) if line.strip() in headings]
    if not found:
        return note
    return "\n".join(lines[found[-1] + 1:]).strip("\n")


def incident_kind(topic_id: str) -> str:
    """What an incident was about, as its first line names it: a fault, a security check's
    finding or a suspicious event."""
    category = category_of(topic_id)
    return category if category in ("security", "transaction") else "fault"


def fact_lines(incident: Incident, lang: str, terminal: Terminal | None = None) -> list[str]:
    """The fault, the terminal (and, given its record, its merchant and serial numbers), the
    code on the screen and when it started."""
    lines = [
        t(f"kind.{incident_kind(incident.topic_id)}", lang, title=incident.topic_title(lang)),
        t("note.terminal", lang, terminal=incident.terminal) if incident.terminal
        else t("note.terminal_unknown", lang),
    ]
    if terminal is not None and terminal.merchant_no.strip():
        lines.append(t("note.merchant_no", lang, number=terminal.merchant_no.strip()))
    if terminal is not None and terminal.serial.strip():
        lines.append(t("note.serial", lang, serial=terminal.serial.strip()))
    if incident.code:
        lines.append(t("note.code", lang, code=incident.code))
    lines.append(t("note.started", lang, at=short_time(incident.opened_at)))
    return lines


def summary_lines(incident: Incident, lang: str, terminal: Terminal | None = None) -> list[str]:
    """The incident's facts, what a check found when a check opened it, and every step tried,
    with outcome and time. An incident not recorded yet has no id to name."""
    lines = [t("note.incident", lang, id=incident.id)] if incident.id else []
    lines += fact_lines(incident, lang, terminal)
    opened = incident.events[0]
    if opened.get("note"):  # what was written when it was opened: a report, a check's note
        lines += ["", t("note.opened_note", lang), opened.get("note")]
    finding = opened.get("finding")
    if finding:
        lines += ["", t("note.found", lang, who=finding.get("who", "")),
                  *(f"- {line}" for line in finding_lines(finding, lang))]
    attempts = incident.attempts
    if attempts or not finding:
        lines.append("")
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


def finding_lines(finding: dict, lang: str) -> list[str]:
    """Each thing a check found, as recorded on the incident it opened."""
    serial = finding.get("serial")
    return [finding_text(item["id"], Text.from_dict(item["text"]), serial, lang)
            for item in finding.get("items", ())]


def finding_text(item_id: str, text: Text | None, serial: dict | None, lang: str) -> str:
    """One finding: a serial number that does not match the one on record, or an item of the
    checklist that was not confirmed (its text says what should have been true)."""
    record, seen = (serial or {}).get("record"), (serial or {}).get("seen")
    if item_id == SERIAL_ITEM and record and seen and (serial or {}).get("compared") is False:
        return t("finding.serial_not_compared", lang, record=record, seen=seen)
    if item_id == SERIAL_ITEM and record and seen and record.casefold() != seen.casefold():
        return t("finding.serial_mismatch", lang, record=record, seen=seen)
    return t("finding.not_confirmed", lang, item=text(lang) if text else item_id)


def duration_text(minutes: float | None, lang: str) -> str:
    """"1 h 5 min"; never below zero (a clock set back must not show a negative time)."""
    if minutes is None:
        return ""
    whole = max(round(minutes), 0)
    if whole < 60:
        return t("duration.minutes", lang, n=whole)
    hours, rest = divmod(whole, 60)
    if hours < 24:
        return t("duration.hours", lang, h=hours, m=rest)
    days, hours = divmod(hours, 24)
    return t("duration.days", lang, d=days, h=hours)


def describe_event(event: Event, lang: str) -> tuple[str, str]:
    """What happened, in a line, and any words people wrote with it."""
    kind = event.kind
    if kind == "opened":
        code, finding = event.get("code"), event.get("finding")
        if finding:
            words = [*finding_lines(finding, lang), event.get("note", "")]
            return (t("event.opened_finding", lang, who=finding.get("who", "")),
                    "\n".join(word for word in words if word))
        line = t("event.opened_code", lang, code=code) if code else t("event.opened", lang)
        return line, event.get("note", "")
    if kind == "attempt":
        title = Text.from_dict(event.get("step_title"))(lang)
        outcome = t(f"outcome.{event.get('outcome')}", lang)
        return t("event.attempt", lang, n=event.get("step_order"), title=title,
                 outcome=outcome), event.get("note", "")
    if kind == "note":
        return t("event.note", lang), event.get("text", "")
    if kind == "escalated":
        line = t("event.escalated", lang, hotline=event.get("hotline", ""))
        if event.get("reference"):
            line += " · " + t("event.reference", lang, reference=event.get("reference"))
        # The note repeats the record above it on the timeline: only the person's own words.
        return line, own_words(event.get("note", ""))
    if kind == "reference":
        return t("event.reference", lang, reference=event.get("reference", "")), ""
    if kind == "resolved":
        return t(f"event.resolved_{event.get('resolution')}", lang), event.get("note", "")
    if kind == "reopened":
        return t("event.reopened", lang), event.get("note", "")
    return kind, ""


def report_facts(incident: Incident, lang: str) -> list[str]:
    """What an incident's report says before its timeline: the fault, the terminal, the code,
    when it started, its status and outcome, the bank's reference, the knowledge base's version."""
    facts = fact_lines(incident, lang)
    facts.append(t("report.status", lang, status=t(f"status.{incident.status}", lang)))
    if incident.resolution:
        facts.append(t("report.resolution", lang,
                       resolution=t(f"resolution.{incident.resolution}", lang)))
        facts.append(t("report.closed", lang, at=short_time(incident.closed_at)))
    if incident.escalation and incident.escalation.reference:
        facts.append(t("note.reference", lang, reference=incident.escalation.reference))
    facts.append(t("report.kb", lang, version=incident.kb_version))
    return [fact for fact in facts if fact]


def timeline(incident: Incident, lang: str) -> list[tuple[str, str, list[str]]]:
    """Every event of an incident: its time, what happened, and the lines people wrote with it."""
    told = []
    for event in incident.events:
        line, words = describe_event(event, lang)
        told.append((short_time(event.at), line, words.splitlines()))
    return told


def incident_text(incident: Incident, lang: str) -> str:
    """One incident as plain text for the command line: the same facts and timeline as its
    report, every call to the bank and every word written included."""
    lines = [t("report.title", lang, id=incident.id, title=incident.topic_title(lang)),
             *report_facts(incident, lang), "", t("report.timeline", lang)]
    for at, line, words in timeline(incident, lang):
        lines.append(f"{at}  {line}")
        lines += [f"    {written}" for written in words]
    return "\n".join(lines)


def due_line(state: RoutineState, lang: str) -> str:
    """"Overdue by 2 days: Tamper inspection · Front counter (last done 2026-11-01)"; for a
    routine marked done on a future date, that date and to check the clock instead."""
    if state.days_late > 0:
        when = t("due.overdue", lang, days=state.days_late)
    elif state.due:
        when = t("due.today", lang)
    else:
        when = t("due.not_yet", lang, next=state.next_due)
    where = f" · {state.terminal.label()}" if state.terminal else ""
    if state.future_mark:
        return t("due.future", lang, when=when, title=state.title(lang), where=where,
                 at=short_time(state.future_mark))
    last = short_time(state.last_done) if state.last_done else t("due.never", lang)
    return t("due.line", lang, when=when, title=state.title(lang), where=where, last=last)


def week_label(week: str, lang: str) -> str:
    """An ISO week ("2026-W37") in words: 2026年第37周, week 37 of 2026."""
    year, _, number = week.partition("-W")
    return t("insights.week", lang, year=year, week=int(number))


def today_notice(unfinished: int, due: list[RoutineState], lang: str) -> tuple[str, bool]:
    """The day's notice when nothing stops the person: incidents still open, routines due
    (and how many are late, when any is), routines marked done on a future date; and whether
    it is urgent."""
    overdue = sum(state.overdue for state in due)
    owed = sum(state.due for state in due)
    ahead = sum(state.future_mark is not None for state in due)  # the clock was ahead
    said = [t("today.toast_open", lang, count=unfinished)] if unfinished else []
    if owed or not ahead:
        said.append(t("today.toast", lang, due=owed, overdue=overdue) if overdue
                    else t("today.toast_none_late", lang, due=owed))
    if ahead:
        said.append(t("today.toast_future", lang, count=ahead))
    return " ".join(said), bool(overdue or unfinished or ahead)


def flag_reason_text(reason: str, lang: str) -> str:
    """Why a step was flagged, as a person reads it (one of FLAG_REASONS)."""
    return t(f"flag.reason.{reason}", lang)


def flag_reasons_text(reasons: dict[str, int], lang: str) -> str:
    """Why a step was flagged, counted: "wrong ×2, out of date ×1", the commonest first."""
    ordered = sorted(reasons.items(), key=lambda item: (-item[1], item[0]))
    return t("flag.reason_separator", lang).join(
        t("flag.reason_count", lang, reason=flag_reason_text(reason, lang), n=n)
        for reason, n in ordered)
