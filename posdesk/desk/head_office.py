"""The head office's desk: every shop's record in the central database, read-only.

`HeadOffice` is to the head office what `Desk` is to a shop: the one face the app, the command
line and the tests use. It connects on first use (a `central.head_office.Reader`), and every
row it reads becomes a model here, every text in it cleaned with `privacy.clean_stored` first:
a shop's posdesk cleans what is typed, but a shop may run another version, or be hostile.
Every failure of the database or the way to it is a one-line `CentralError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from posdesk import privacy
from posdesk.desk.base import Clock, NotAllowed, UnknownId, local_now
from posdesk.desk.incidents import TAMPER_INSPECTION
from posdesk.desk.learning import is_in_guidance, steps_of, topic_fields, typed_text, typed_who
from posdesk.insights import _week_of, best_of
from posdesk.kb import KnowledgeBase
from posdesk.models import (
    CATEGORIES, FLAG_REASONS, BadRecord, Incident, Insights, StepRecord, Text, own_topic,
)
from posdesk.models.chain import (
    ChainFigure, ChainFilter, ChainFlagCount, ChainIncident, ChainIncidentRow, ChainPage,
    ChainShop, ShopCompliance, routine_state_from_dict,
)
from posdesk.models.guidance import category_of



class HeadOffice:
    """The chain's records in the central database at `dsn`, read-only."""

    def __init__(self, dsn: str, clock: Clock = local_now, kb: KnowledgeBase | None = None) -> None:
        self.dsn = dsn
        self._clock = clock
        self._reader: Any = None
        self._kb = kb

    @property
    def shipped_kb(self) -> KnowledgeBase:
        """The knowledge base shipped with this posdesk: what a chain note may be on besides
        the chain's own topics, and where a flagged step's title is found."""
        if self._kb is None:
            self._kb = KnowledgeBase.open()
        return self._kb

    @property
    def _db(self) -> Any:
        if self._reader is None:
            from posdesk.central.head_office import Reader

            self._reader = Reader(self.dsn)
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()

    def shops(self) -> list[ChainShop]:
        texts: dict[str, str] = {}
        return [ChainShop(row["shop_id"], row["name"], _iso(row["synced_at"]),
                          row["clock_offset"], row["waiting"])
                for row in (_cleaned(raw, texts) for raw in self._db.shops())]

    def find_incidents(self, chosen: ChainFilter, sort: str = "opened", descending: bool = True,
                       limit: int = 200, offset: int = 0, lang: str = "en") -> ChainPage:
        """A page of the incidents `chosen` lets through, sorted by a column of the list
        (opened, id, shop, fault (by its title in `lang`), terminal, status, tried, resolve),
        equal ones newest first; UnknownId for a shop the chain does not have."""
        rows, total, exact = self._db.find_incidents(
            self._where(chosen), sort, descending, limit, offset, lang)
        if not total and chosen.shop is not None and not self._db.shop_known(chosen.shop):
            raise UnknownId(chosen.shop)
        texts: dict[str, str] = {}
        return ChainPage([_row(raw, texts) for raw in rows], total, exact)

    def each_incident(self, chosen: ChainFilter) -> Iterator[ChainIncident]:
        """Every incident `chosen` lets through, whole, newest first, read a page at a time
        (for the command line's list and export: the chain's history is never held whole).
        One that cannot be read is left out; `unreadable` counts them."""
        # Asked now, not when the first incident is wanted: a report's heading is not written
        # before the database is known to answer.
        if chosen.shop is not None and not self._db.shop_known(chosen.shop):
            raise UnknownId(chosen.shop)
        self._db.check()
        return self._each(chosen)

    def _each(self, chosen: ChainFilter) -> Iterator[ChainIncident]:
        self.unreadable = 0
        texts: dict[str, str] = {}
        for raw in self._db.each_incident(self._where(chosen)):
            try:
                yield _incident(raw, texts)
            except BadRecord:
                self.unreadable += 1

    unreadable = 0  # incidents the latest each_incident left out

    def incident(self, shop_id: str, incident_id: str) -> ChainIncident:
        """One incident, rebuilt from its events as the shop recorded them; UnknownId when
        the chain holds none, BadRecord when what the shop sent cannot be read."""
        raw = self._db.incident(shop_id, incident_id)
        if raw is None:
            raise UnknownId(f"{shop_id}/{incident_id}")
        return _incident(raw, {})

    def open_escalations(self) -> list[ChainIncidentRow]:
        """Every incident waiting on the bank, the longest waiting first."""
        texts: dict[str, str] = {}
        return [_row(raw, texts) for raw in self._db.open_escalations()]

    def compliance(self) -> list[ShopCompliance]:
        """Per shop: the routines overdue today, from what the shop reported at its last sync
        (a shop that stopped syncing still shows its routines falling behind), its latest
        tamper inspection, its terminals on record, when it last synced."""
        today = self._clock().date()
        texts: dict[str, str] = {}
        found = []
        for row in (_cleaned(raw, texts) for raw in self._db.compliance(TAMPER_INSPECTION)):
            overdue, unreadable = [], 0
            reported = row["routines"] if isinstance(row["routines"], list) else []
            for raw in reported:
                try:
                    state = routine_state_from_dict(raw)
                except BadRecord:
                    unreadable += 1
                    continue
                late = (today - date.fromisoformat(state.next_due)).days
                if late > 0:
                    overdue.append(replace(state, days_late=late))
            overdue.sort(key=lambda state: (-state.days_late, state.routine_id))
            found.append(ShopCompliance(
                row["shop_id"], row["name"], overdue, row["last_tamper_check"],
                row["terminals"], _iso(row["synced_at"]), row["clock_offset"], unreadable))
        return found

    def insights(self, shop: str | None = None, weeks: int = 12) -> Insights:
        """What the history teaches, as the shop's Insights tab shows it: of one shop, or of
        the whole chain. UnknownId for a shop the chain does not have."""
        if shop is not None and not self._db.shop_known(shop):
            raise UnknownId(shop)
        today = self._clock().date()
        monday = today - timedelta(days=today.weekday())
        mondays = [monday - timedelta(weeks=n) for n in range(weeks - 1, -2, -1)]
        figures = self._db.insight_figures(shop, [_midnight(day) for day in mondays])
        texts: dict[str, str] = {}
        per_fault = sorted(((row["topic_id"], _title(row["title"], row["topic_id"]), row["n"])
                            for row in (_cleaned(raw, texts) for raw in figures["per_fault"])),
                           key=lambda fault: (-fault[2], fault[0]))
        counted = {row["week"]: row["n"] for row in figures["per_week"]}
        per_week = [(_week_of(day), counted.get(n, 0)) for n, day in enumerate(mondays[:-1], 1)]
        median = figures["median_minutes"]
        return Insights(
            total=figures["total"], per_fault=per_fault, per_week=per_week,
            resolved=figures["resolved"], resolved_in_shop=figures["resolved_in_shop"],
            median_minutes=None if median is None else float(median),
            best_steps=self._best_steps(figures["steps"], texts))

    def _best_steps(self, steps: list[dict[str, Any]],
                    texts: dict[str, str]) -> dict[str, StepRecord]:
        """Per fault, the step that most often fixed it (chosen as the shop's insights do)."""
        by_topic: dict[str, dict[str, dict[str, Any]]] = {}
        for step in (_cleaned(raw, texts) for raw in steps):
            by_topic.setdefault(step["topic_id"], {})[step["step_id"]] = step
        best: dict[str, dict[str, Any]] = {}
        for topic_id, found in by_topic.items():
            winner = best_of(StepRecord(s["step_id"], Text(s["step_id"], s["step_id"]),
                                        s["fixed"], s["tried"]) for s in found.values())
            if winner is not None:
                best[topic_id] = found[winner.step_id]
        titles = _cleaned(self._db.step_titles(
            [(s["step_id"], *s["example"]) for s in best.values()]), texts)
        return {topic_id: StepRecord(s["step_id"], _title(titles.get(s["step_id"]), s["step_id"]),
                                     s["fixed"], s["tried"])
                for topic_id, s in best.items()}

    def step_figures(self) -> dict[str, ChainFigure]:
        texts: dict[str, str] = {}
        return {row["step_id"]: ChainFigure(row["step_id"], row["fixed"], row["tried"],
                                            row["shops"])
                for row in (_cleaned(raw, texts) for raw in self._db.step_figures())}

    # The chain's own guidance: the head office's only writes.

    @contextmanager
    def _writing(self) -> Iterator[Any]:
        """A connection of its own for one change, committed at the end (the reader's is
        read-only)."""
        from posdesk.central.connection import opened

        with opened(self.dsn) as connection:
            yield connection

    def publish_topic(self, record: Any, who: str) -> str:
        """Publish a topic record (the shape `posdesk guidance topic show ID --json` prints, a
        shop's topic say) as the chain's: a new chain topic, or the next revision of the chain
        topic whose id it carries. Every text is cleaned as typed text is; a record of another
        shape is refused in one line (BadRecord, EmptyText, NotAllowed). Its id."""
        from posdesk.central.guidance import publish_topic

        topic = _chain_topic(record)
        who = typed_who(who)
        published_at = self._clock().isoformat(timespec="seconds")
        with self._writing() as connection:
            return publish_topic(connection, topic, who, check=lambda kept: own_topic(
                {**kept, "who": who, "at": published_at}, "chain"))

    def publish_note(self, on: str, text: str, who: str) -> str:
        """A note of the chain's beside a topic or step of the shipped base or of the chain's
        own topics (NotAllowed, in one line, for any other id); its id."""
        from posdesk.central.guidance import chain_ids, publish_note

        text, who = typed_text(text, "note"), typed_who(who)
        on = privacy.clean(str(on)).text.strip()
        with self._writing() as connection:
            if not is_in_guidance(self.shipped_kb, on) and on not in chain_ids(connection):
                raise NotAllowed("chain_note_target", id=on)
            return publish_note(connection, on, text, who)

    def withdraw_guidance(self, guidance_id: str) -> bool:
        """Withdraw a chain topic or note (the shops drop it at their next pass); False when
        it was withdrawn already."""
        from posdesk.central.guidance import withdraw

        with self._writing() as connection:
            return withdraw(connection, guidance_id.strip())

    def chain_guidance(self) -> dict[str, Any]:
        """Every topic and note the chain published, withdrawn ones too, cleaned."""
        return _cleaned(self._db.guidance(), {})

    def flagged_steps(self, shop: str | None = None) -> list[ChainFlagCount]:
        """The steps the shops flagged (flags not withdrawn), of one shop or the whole chain,
        most flagged first, each with its title from the shipped base or the chain's topics
        (None when neither has it now). UnknownId for a shop the chain does not have."""
        if shop is not None and not self._db.shop_known(shop):
            raise UnknownId(shop)
        texts: dict[str, str] = {}
        rows = [_cleaned(raw, texts) for raw in self._db.flagged_steps(shop)]
        titles = self._chain_step_titles() if rows else {}
        found = []
        for row in rows:
            step = self.shipped_kb.step(row["step_id"])
            title = step.title if step is not None else titles.get(row["step_id"])
            found.append(ChainFlagCount(
                row["step_id"], row["topic_id"], title, row["count"],
                {reason: n for reason, n in row["reasons"].items() if reason in FLAG_REASONS},
                tuple(row["whys"]), shops=tuple(row["shops"])))
        return found

    def _chain_step_titles(self) -> dict[str, Text]:
        titles = {}
        for topic in self.chain_guidance()["topics"]:
            for step in topic.get("steps") or []:
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    titles[step["id"]] = _title(step.get("title"), step["id"])
        return titles

    def _where(self, chosen: ChainFilter) -> Any:
        from posdesk.central.head_office import Where

        return Where(status=chosen.status, shop=chosen.shop, topic_id=chosen.topic_id,
                     words=chosen.word_list,
                     since=_midnight(date.fromisoformat(chosen.since)) if chosen.since else None,
                     until=_day_after(chosen.until) if chosen.until else None)


def _chain_topic(record: Any) -> dict[str, Any]:
    """A topic record handed to the head office, as the chain keeps it before it is numbered:
    category, texts cleaned (one language only given: both get it), steps in order with the
    ids they came with (a chain topic's steps keep theirs; central.guidance numbers the rest).
    BadRecord, EmptyText or NotAllowed when it has not that shape."""
    if not isinstance(record, dict):
        raise BadRecord("", "not_object")
    given = record.get("id")
    category = record.get("category") or (category_of(given) if isinstance(given, str) else None)
    if category not in CATEGORIES:
        raise NotAllowed("topic_category", categories=", ".join(CATEGORIES))
    keywords = record.get("keywords") or {}
    if not isinstance(keywords, dict):
        raise BadRecord("keywords", "not_object")
    for lang in ("zh", "en"):
        if not isinstance(keywords.get(lang, []), list):
            raise BadRecord(f"keywords.{lang}", "not_list")
    steps = record.get("steps")
    if not isinstance(steps, list):
        raise BadRecord("steps", "missing" if steps is None else "not_list")
    typed_steps = []
    for place, step in enumerate(steps):
        if not isinstance(step, dict):
            raise BadRecord(f"steps[{place}]", "not_object")
        typed_steps.append({**{part: _typed_text(step.get(part, ""), f"steps[{place}].{part}")
                               for part in ("title", "how", "why")},
                            "kind": step.get("kind"), "id": step.get("id")})
    fields = topic_fields(_typed_text(record.get("title", ""), "title"),
                           _typed_text(record.get("summary", ""), "summary"), keywords, who="-")
    # Steps keep the ids they came with here; only their texts and kinds are checked.
    shaped, _ = steps_of("-", typed_steps, {"steps": typed_steps})
    for step, typed in zip(shaped, typed_steps):
        if typed["id"] is None or step["id"] != typed["id"]:
            step.pop("id")
    return {**({"id": given} if isinstance(given, str) else {}), "category": category,
            "title": fields["title"], "summary": fields["summary"],
            "keywords": fields["keywords"], "steps": shaped}


def _typed_text(value: Any, name: str) -> Text | str:
    """A text of a record as a person would have typed it: one string, or both languages."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and all(isinstance(value.get(lang, ""), str)
                                       for lang in ("zh", "en")):
        return Text(value.get("zh", ""), value.get("en", ""))
    raise BadRecord(name, "not_text")


def _cleaned(raw: Any, texts: dict[str, str]) -> Any:
    return privacy.clean_stored(raw, texts)


def _midnight(day: date) -> datetime | None:
    """The local day's first instant; None for a day so early it bounds nothing."""
    try:
        return datetime.combine(day, time()).astimezone()
    except (OverflowError, ValueError):
        return None


def _day_after(day: str) -> datetime | None:
    """The instant a filter's last day ends; None when that day is the calendar's last."""
    last = date.fromisoformat(day)
    return None if last == date.max else _midnight(last + timedelta(days=1))


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def _title(value: Any, fallback: str) -> Text:
    """A title as a shop sent it; its id in both languages when it cannot be read."""
    if isinstance(value, dict) and isinstance(value.get("zh"), str) \
            and isinstance(value.get("en"), str):
        return Text(value["zh"], value["en"])
    return Text(fallback, fallback)


def _row(raw: dict[str, Any], texts: dict[str, str]) -> ChainIncidentRow:
    row = _cleaned(raw, texts)
    minutes = row["minutes"]
    return ChainIncidentRow(
        shop_id=row["shop_id"], shop_name=row["shop_name"], incident_id=row["incident_id"],
        topic_id=row["topic_id"], topic_title=_title(row["topic_title"], row["topic_id"]),
        status=row["status"], opened_text=row["opened_text"] or _iso(row["opened_at"]) or "",
        opened_at=_iso(row["opened_at"]) or "", terminal=row["terminal"],
        attempts=row["attempts"], minutes_to_resolve=None if minutes is None else float(minutes),
        escalated_to=row["escalated_to"], resolution=row["resolution"])


def _incident(raw: dict[str, Any], texts: dict[str, str]) -> ChainIncident:
    """The shop's incident from its record and events, every text cleaned, then checked as
    the shop's own records are (BadRecord says what is wrong)."""
    row = _cleaned(raw, texts)
    record = row["record"] if isinstance(row["record"], dict) else {}
    events = [{**(event["body"] if isinstance(event["body"], dict) else {}),
               "kind": event["kind"], "at": event["at_text"]} for event in row["events"]]
    incident = Incident.from_dict({
        **record, "id": row["incident_id"], "topic_id": row["topic_id"],
        "topic_title": row["topic_title"], "kb_version": row["kb_version"],
        "step_count": row["step_count"], "terminal": record.get("terminal", row["terminal"]),
        "events": events})
    return ChainIncident(**{f.name: getattr(incident, f.name) for f in fields(Incident)},
                         shop_id=row["shop_id"], shop_name=row["shop_name"])
