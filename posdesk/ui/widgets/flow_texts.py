"""What the guided flow says about where an incident stands and what was marked before."""

from __future__ import annotations

from rich.text import Text

from posdesk.i18n import t
from posdesk.models import Incident, Step
from posdesk.wording import short_time


def flow_status(incident: Incident, step: Step, lang: str) -> Text:
    """Resolved (and how), waiting on the bank (with the reference), or a step for the bank."""
    if incident.resolved:
        if incident.resolution == "self":
            fixed = next(a for a in reversed(incident.attempts) if a.outcome == "fixed")
            return Text(t("flow.resolved_self", lang, n=fixed.step_order), style="bold green")
        return Text(t("flow.resolved_bank", lang), style="bold green")
    escalation = incident.escalation
    if incident.status == "escalated" and escalation:
        reference = escalation.reference or t("flow.no_reference", lang)
        return Text(t("flow.escalated", lang, at=short_time(escalation.at),
                      hotline=escalation.hotline, reference=reference), style="bold yellow")
    if step.contacts_bank:
        return Text(t("flow.contact_step", lang), style="bold yellow")
    return Text("")


def earlier_marks(incident: Incident, step: Step, lang: str, leave_out_last: bool = False) -> Text:
    """The marks this step already has, with their notes shown as typed; with
    `leave_out_last`, not the latest (the mark just made, still on screen)."""
    marks = incident.marks_for(step.id)
    if leave_out_last:
        marks = marks[:-1]
    if not marks:
        return Text("")
    text = Text(t("flow.marked_before", lang) + "\n", style="dim")
    for mark in marks:
        outcome = t(f"outcome.{mark.outcome}", lang)
        text.append(t("flow.mark_line", lang, at=short_time(mark.at), outcome=outcome))
        if mark.note:
            text.append("  ")
            text.append(mark.note, style="italic")
        text.append("\n")
    return text


def learning_keys_hint(lang: str) -> Text:
    """Under the step's notes and flags: how to add a note or a flag of one's own."""
    return Text(t("flow.learning_keys", lang), style="dim")
