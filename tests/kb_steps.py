"""The steps of a fault that tests mark: its checks, which can be marked fixed or not fixed (an
information step is only noted)."""

from __future__ import annotations

from posdesk.models import Step, Topic


def checks(topic: Topic) -> list[Step]:
    return [step for step in topic.steps if step.kind == "check"]


def check_ids(topic: Topic) -> list[str]:
    return [step.id for step in checks(topic)]


def tried(step: Step) -> str:
    """How a step that did not fix the fault is marked: a check "not fixed", an information
    step "noted"."""
    return "noted" if step.gathers_info else "not_fixed"
