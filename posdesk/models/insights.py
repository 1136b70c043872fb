"""What the history teaches."""

from __future__ import annotations

from dataclasses import dataclass

from posdesk.models.records import Text


@dataclass(frozen=True)
class StepRecord:
    """How often a step fixed its fault: `fixed` of the `tried` past incidents that tried it."""

    step_id: str
    step_title: Text
    fixed: int
    tried: int


@dataclass(frozen=True)
class Insights:
    """What the history teaches, read from a list of incidents."""

    total: int
    per_fault: list[tuple[str, Text, int]]  # topic id, title, incidents; most first
    per_week: list[tuple[str, int]]  # ISO week ("2026-W47"), incidents; oldest first
    resolved: int
    resolved_in_shop: int
    median_minutes: float | None
    best_steps: dict[str, StepRecord]  # topic id -> the step that most often fixed it

    @property
    def share_in_shop(self) -> float | None:
        return self.resolved_in_shop / self.resolved if self.resolved else None
