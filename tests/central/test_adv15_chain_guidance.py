"""Adversary at the chain's guidance, against the real PostgreSQL: rows the head office's role
writes with plain SQL (not through posdesk, or by an older or a hostile one), rows a shop's
role tries to write, and what a shop then keeps and shows."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import psycopg
import pytest

from chain_data import as_shop, head_office_dsn
from clocks import StepClock
from posdesk.central.schema import SCHEMA
from posdesk.desk.head_office import HeadOffice
from shops import add_shops, joined_shop

HOSTILE = "card 4111 1111 1111 1111 \x1b[2J\x1b]0;pwned\x07\u202eevil\x7f [red]x[/red]"


@pytest.fixture
def estate(cluster, chain_db, central, tmp_path, kb):
    roles = add_shops(cluster, chain_db, "sz-01")
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    shop = joined_shop(cluster, chain_db, roles["sz-01"], "sz-01", tmp_path / "a", kb,
                       StepClock(start))
    office = HeadOffice(head_office_dsn(cluster, chain_db), clock=lambda: start, kb=kb)
    writer = psycopg.connect(head_office_dsn(cluster, chain_db), autocommit=True)
    yield office, shop, writer
    writer.close()
    office.close()


def _raw_topic(writer, topic_id: str, record: dict) -> None:
    writer.execute(f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, published_by) "
                   "VALUES (%s, 'fault', %s, %s)",
                   (topic_id, json.dumps(record), HOSTILE))


def _clean(text: str) -> bool:
    return ("4111 1111 1111 1111" not in text and "\x1b" not in text and "\u202e" not in text
            and "\x7f" not in text and "\x07" not in text)


def test_raw_chain_rows_with_card_numbers_and_controls_reach_the_shop_cleaned(estate, kb):
    office, shop, writer = estate
    step = kb.topic("fault.network").steps[0].id
    writer.execute(f"INSERT INTO {SCHEMA}.chain_notes (on_id, text, who) VALUES (%s, %s, %s)",
                   (step, HOSTILE, HOSTILE))
    texts = {"zh": HOSTILE, "en": HOSTILE}
    _raw_topic(writer, "fault.chain-7", {
        "title": texts, "summary": texts, "keywords": {"zh": [HOSTILE], "en": []},
        "steps": [{"id": "fault.chain-7.1", "order": 1, "kind": "check", "title": texts,
                   "how": texts, "why": texts}]})
    assert shop.sync_once().ok
    [note] = shop.notes_on(step)
    assert _clean(note.text) and _clean(note.who), note
    topic = shop.kb.topic("fault.chain-7")
    assert topic is not None
    for text in (topic.title.zh, topic.summary.en, topic.who, *topic.keywords_zh,
                 topic.steps[0].how.en, topic.steps[0].title.zh):
        assert _clean(text), text
    # Nor does the file the pass kept hold them: exports and other readers read it.
    kept = shop.locations.chain_guidance.read_text(encoding="utf-8")
    assert "4111 1111 1111 1111" not in kept and "\\u001b" not in kept


def test_a_raw_chain_topic_of_a_wrong_shape_is_left_out_and_the_sound_ones_kept(estate):
    office, shop, writer = estate
    good = {"title": {"zh": "好", "en": "Good"}, "steps": [
        {"id": "fault.chain-1.1", "order": 1, "title": {"zh": "看", "en": "Look"}}]}
    _raw_topic(writer, "fault.chain-1", good)
    # Steps of another topic; a step id of the shipped base; a nesting deep enough to hurt.
    _raw_topic(writer, "fault.chain-2", {**good, "steps": [{**good["steps"][0]}]})
    _raw_topic(writer, "fault.chain-3", {**good, "steps": [{**good["steps"][0],
                                                             "id": "fault.network.1"}]})
    deep = "[" * 5000 + '"x"' + "]" * 5000  # JSON no Python json.dumps could write
    writer.execute(f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, published_by) "
                   "VALUES ('fault.chain-4', 'fault', %s, 'x')",
                   (json.dumps(good)[:-1] + f', "summary": {deep}}}',))
    writer.execute(f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, published_by) "
                   "VALUES ('fault.chain-5', 'fault', %s, 'x')",
                   (json.dumps(good)[:-1] + f', "steps": {deep}}}',))
    for depth, topic_id in ((900, "fault.chain-6"), (960, "fault.chain-7")):
        nested = "[" * depth + '"x"' + "]" * depth  # as deep as Python parses, or nearly
        writer.execute(f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, "
                       "published_by) VALUES (%s, 'fault', %s, 'x')",
                       (topic_id, json.dumps(good)[:-1] + f', "extra": {nested}}}'))
    report = shop.sync_once()
    assert report.ok
    assert shop.chain_topics()[0].id == "fault.chain-1"
    # The head office still lists every one, and notes and revises as before.
    listed = office.chain_guidance()["topics"]
    assert [t["id"] for t in listed] == [f"fault.chain-{n}" for n in range(1, 8)]
    assert office.publish_note("fault.chain-1.1", "先看灯", "张伟") == "C1"
    assert office.publish_topic({**good, "id": "fault.chain-4", "category": "fault"},
                                "张伟") == "fault.chain-4"
    shop.sync_once()
    assert "fault.chain-4" in [topic.id for topic in shop.chain_topics()]
    assert shop.chain_guidance_problem() is None
    assert shop.kb.topic("fault.network") is not None  # the shipped topic is untouched


def test_a_shop_cannot_publish_or_withdraw_the_chains_guidance_with_plain_sql(estate, cluster,
                                                                               chain_db):
    office, shop, writer = estate
    topic_id = office.publish_topic({"category": "fault", "title": "T",
                                     "steps": [{"title": "s"}]}, "张伟")
    with as_shop(cluster, chain_db, "sz-01") as raw:
        for statement in (
                f"INSERT INTO {SCHEMA}.chain_topics (id, category, record, published_by) "
                "VALUES ('fault.chain-99', 'fault', '{}', 'shop')",
                f"INSERT INTO {SCHEMA}.chain_notes (on_id, text, who) VALUES ('x', 'y', 'z')",
                f"UPDATE {SCHEMA}.chain_topics SET withdrawn_at = now()",
                f"UPDATE {SCHEMA}.chain_topics SET record = '{{}}'",
                f"DELETE FROM {SCHEMA}.chain_topics",
                f"DELETE FROM {SCHEMA}.chain_notes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
    assert [t["id"] for t in office.chain_guidance()["topics"]] == [topic_id]
    assert office.chain_guidance()["topics"][0].get("withdrawn_at") is None


def test_a_flag_id_reused_after_a_restore_reaches_the_head_office_as_a_new_flag(estate, kb):
    """After a restore of an older backup the shop gives F1 again, on another step: the head
    office gets it as a new flag, and keeps the one raised before (a restore withdraws
    nothing)."""
    office, shop, _ = estate
    first, second = kb.topic("fault.network").steps[:2]
    before = shop.backup()
    shop.flag_step(first.id, "wrong", "旧的")
    assert shop.sync_once().ok
    shop.restore(before)  # the flag F1 is gone from the shop
    again = shop.flag_step(second.id, "out_of_date", "新的")
    assert again.id == "F1"
    assert shop.sync_once().ok
    assert sorted((f.step_id, f.count) for f in office.flagged_steps()) == sorted(
        [(first.id, 1), (second.id, 1)])
