"""Fill a data directory with many realistic incidents, for load tests and the benchmark.

    python tests/benchmarks/generate.py --home DIR --count 10000

Incidents are spread over the past year, across every fault, with marks, notes, escalations and
bank closings in believable proportions. They are written in one batch, not one by one.
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from posdesk.kb import KnowledgeBase
from posdesk.models import Event, Incident, IncidentId
from posdesk.store import Store

NOTES = ("指示灯正常", "顾客在等", "换了网线", "paper roll was fine", "restarted twice",
         "客户说卡是新的", "light blinking orange", "打印很淡")


def make_incidents(count: int, kb: KnowledgeBase, seed: int = 7,
                   end: datetime | None = None) -> list[Incident]:
    rng = random.Random(seed)
    end = end or datetime(2026, 11, 25, 18, 0, tzinfo=timezone(timedelta(hours=8)))
    faults = kb.topics("fault")
    per_day: dict[str, int] = {}
    made = []
    for _ in range(count):
        topic = rng.choice(faults)
        opened = end - timedelta(minutes=rng.randrange(365 * 24 * 60))
        day = IncidentId.day_of(opened.isoformat())
        per_day[day] = per_day.get(day, 0) + 1
        at = opened
        events = [Event("opened", at.isoformat(timespec="seconds"))]
        checks = [s for s in topic.steps if not s.contacts_bank]
        fixed_at = rng.choice([*range(len(checks)), None, None])  # a third need the bank
        for index, step in enumerate(checks):
            at += timedelta(minutes=rng.randint(1, 6))
            outcome = "fixed" if index == fixed_at else rng.choice(["not_fixed"] * 4 + ["skipped"])
            events.append(Event("attempt", at.isoformat(timespec="seconds"), {
                "step_id": step.id, "step_order": step.order, "step_title": step.title.to_dict(),
                "outcome": outcome, "note": rng.choice(NOTES) if rng.random() < 0.3 else "",
            }))
            if outcome == "fixed":
                events.append(Event("resolved", at.isoformat(timespec="seconds"),
                                    {"resolution": "self", "step_id": step.id}))
                break
        else:
            at += timedelta(minutes=rng.randint(2, 20))
            events.append(Event("escalated", at.isoformat(timespec="seconds"), {
                "hotline": "95533", "note": f"{topic.title.zh}，已试 {len(checks)} 步",
                "reference": f"CCB{rng.randrange(10**6):06d}"}))
            if rng.random() < 0.8 or opened < end - timedelta(days=14):  # old ones are settled
                at += timedelta(hours=rng.randint(1, 72))
                events.append(Event("resolved", at.isoformat(timespec="seconds"),
                                    {"resolution": "bank", "note": "银行远程重新下载了参数"}))
        made.append(Incident(
            id=IncidentId.numbered(day, per_day[day]), topic_id=topic.id, topic_title=topic.title,
            kb_version=kb.version, step_count=len(topic.steps), events=tuple(events)))
    return made


def fill(home: Path, count: int, seed: int = 7) -> Store:
    store = Store(home)
    incidents = make_incidents(count, KnowledgeBase.open(), seed)
    store.add_incidents([{**i.to_record(), "closed": i.resolved} for i in incidents])
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", required=True, type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    fill(args.home, args.count)
    print(f"{args.count} incidents in {args.home}")


if __name__ == "__main__":
    main()
