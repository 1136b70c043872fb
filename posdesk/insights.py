"""What the history teaches: counts, shares and medians read from incidents' events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from posdesk.models import STATUSES, Incident, Insights, StepRecord, Text



def by_title(lang: str) -> Callable[[Incident], Any]:
    """The fault's title as it reads in `lang` (Chinese in its text order), for sorting."""
    return lambda i: i.topic_title(lang).casefold()


# The order an incident goes through, which is how a list sorted by status reads best.
STATUS_ORDER = {status: n for n, status in enumerate(STATUSES)}

# How the incident list can be sorted; every column of the Incidents tab has one. A sort by
# fault follows the title a person reads, so it depends on the language: see `sort_key`.
SORT_KEYS: dict[str, Callable[[Incident], Any]] = {
    "id": lambda i: i.id,
    "opened": lambda i: i.opened_moment,
    "fault": by_title("en"),
    "terminal": lambda i: (i.terminal or "").casefold(),
    "status": lambda i: STATUS_ORDER.get(i.status, len(STATUSES)),
    "tried": lambda i: len(i.attempts),
    "resolve": lambda i: (i.minutes_to_resolve is None, i.minutes_to_resolve or 0.0),
}
SORTED_BY_WORDS = {"fault"}  # the sorts whose order depends on the language shown


def sort_key(name: str, lang: str) -> Callable[[Incident], Any]:
    """The key of SORT_KEYS named `name`, for a list shown in `lang`."""
    return by_title(lang) if name in SORTED_BY_WORDS else SORT_KEYS[name]


def insights_of(incidents: list[Incident], weeks: int = 12, today: date | None = None) -> Insights:
    per_fault = Counter(i.topic_id for i in incidents)
    titles = {i.topic_id: i.topic_title for i in incidents}
    resolved = [i for i in incidents if i.resolved]
    minutes = [m for i in resolved if (m := i.minutes_to_resolve) is not None]
    best: dict[str, StepRecord] = {}
    for topic_id in per_fault:
        records = step_records_of([i for i in incidents if i.topic_id == topic_id])
        if (winner := best_of(records.values())) is not None:
            best[topic_id] = winner
    return Insights(
        total=len(incidents),
        per_fault=sorted(((t, titles[t], n) for t, n in per_fault.items()), key=lambda x: (-x[2], x[0])),
        per_week=_per_week(incidents, weeks, today),
        resolved=len(resolved),
        resolved_in_shop=sum(i.resolution == "self" for i in resolved),
        median_minutes=median(minutes) if minutes else None,
        best_steps=best,
    )


def best_of(records: Iterable[StepRecord]) -> StepRecord | None:
    """The step that most often fixed a fault: the most fixes, then the best share of tries;
    None when no step fixed it."""
    winners = [record for record in records if record.fixed]
    return max(winners, key=lambda r: (r.fixed, r.fixed / r.tried)) if winners else None


def step_records_of(incidents: list[Incident]) -> dict[str, StepRecord]:
    """Per step: in how many incidents it was tried (fixed or not) and in how many it fixed it."""
    tried: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    titles: dict[str, Text] = {}
    for incident in incidents:
        outcomes: dict[str, set[str]] = {}
        for attempt in incident.attempts:
            if attempt.outcome in ("fixed", "not_fixed"):  # tried: not skipped, not only noted
                outcomes.setdefault(attempt.step_id, set()).add(attempt.outcome)
                titles[attempt.step_id] = attempt.step_title
        for step_id, seen in outcomes.items():
            tried[step_id] += 1
            fixed[step_id] += "fixed" in seen
    return {s: StepRecord(s, titles[s], fixed[s], tried[s]) for s in tried}


def _per_week(incidents: list[Incident], weeks: int, today: date | None) -> list[tuple[str, int]]:
    """Incidents opened in each of the last `weeks` ISO weeks, the current one last."""
    today = today or datetime.now().astimezone().date()
    counts = Counter(_week_of(date.fromisoformat(i.opened_day)) for i in incidents)  # local weeks
    monday = today - timedelta(days=today.weekday())
    labels = [_week_of(monday - timedelta(weeks=n)) for n in range(weeks - 1, -1, -1)]
    return [(label, counts.get(label, 0)) for label in labels]


def _week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
