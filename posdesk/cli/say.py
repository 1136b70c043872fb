"""How the command line tells a person things: plain lines, JSON, and one line on failure."""

from __future__ import annotations

import sys
from typing import Any

from posdesk import privacy
from posdesk.desk import Desk
from posdesk.i18n import record_problem, t
from posdesk.models import BadRecord, Step


def plain(text: str) -> str:
    """Text a person typed, safe to print on a terminal."""
    return privacy.strip_control(text)


def print_json(data: Any) -> int:
    print(privacy.json_text(data))
    return 0


def fail(message: str, code: int) -> int:
    print(message, file=sys.stderr)
    return code


def tell_unreadable(desk: Desk, lang: str) -> int:
    """One line on stderr, after the output, when records had to be left out of what was read
    (the command still did its work: exit 0)."""
    count = desk.unreadable_records()
    if count:
        print(f"posdesk: {t('cli.unreadable', lang, count=count)}", file=sys.stderr)
    return 0


def unreadable_incident(incident_id: str, error: BadRecord, lang: str) -> int:
    said = t("cli.unreadable_incident", lang, id=plain(incident_id),
             problem=record_problem(error).text(lang))
    return fail(f"posdesk: {said}", 1)


def step_text(step: Step, total: int, lang: str) -> str:
    """A step as `guidance show` and `guidance topic show` print it."""
    number = t("guidance.step_of", lang, n=step.order, total=total)
    lines = [t("guidance.step_title", lang, step=number, title=plain(step.title(lang)))]
    for part, text in (("how", step.how(lang)), ("why", step.why(lang))):
        if text.strip():  # a shop's own step may leave how or why unsaid
            lines.append(f"  {t(f'guidance.{part}', lang)}{plain(text)}")
    return "\n".join(lines)
