"""The chain's own guidance and the shops' flags, against the real PostgreSQL: what the head
office publishes reaches every shop at its next pass, what a shop flags reaches the head
office, and row-level security keeps each to its own part."""

from __future__ import annotations

import psycopg
import pytest

from chain_data import add_shops, as_shop, head_office_dsn, incident, send_incident
from posdesk.central import CentralError
from posdesk.central.connection import connect
from posdesk.central.guidance import (
    flagged_steps, publish_note, publish_topic, pull_guidance, published, send_flags, withdraw,
)
from posdesk.central.schema import SCHEMA_VERSION, migrate, roles_of
from posdesk.central.shops import shop_statements

TOPIC = {
    "id": "fault.shop-3", "category": "fault",
    "title": {"zh": "收银台的路由器", "en": "The till's router"},
    "summary": {"zh": "路由器在后面的柜子里。", "en": "The router is in the back cupboard."},
    "keywords": {"zh": ["路由器"], "en": ["router"]},
    "steps": [
        {"id": "fault.shop-3.1", "order": 1, "kind": "check",
         "title": {"zh": "重启路由器", "en": "Restart the router"},
         "how": {"zh": "拔电源十秒再插上。", "en": "Unplug it for ten seconds."},
         "why": {"zh": "多数断网这样就好。", "en": "Most drops clear this way."}},
        {"id": "fault.shop-3.2", "order": 2, "kind": "contact_bank",
         "title": {"zh": "打银行电话", "en": "Call the bank"},
         "how": {"zh": "打 95533。", "en": "Call 95533."},
         "why": {"zh": "银行能远程查。", "en": "The bank can check remotely."}},
    ],
    "who": "李雷", "at": "2026-11-25T09:00:00+08:00", "edited_at": None, "removed_at": None,
}


def flag(flag_id: str, step_id: str, reason: str = "wrong", why: str = "",
         withdrawn_at: str | None = None) -> dict:
    return {"id": flag_id, "step_id": step_id, "topic_id": step_id.rsplit(".", 1)[0],
            "reason": reason, "why": why, "who": "王芳", "at": "2026-11-25T10:00:00+08:00",
            "incident_id": None, "withdrawn_at": withdrawn_at}


@pytest.fixture
def chain(cluster, chain_db, central):
    add_shops(cluster, chain_db, central, ("sz-01", "深圳一店"), ("bj-02", "Beijing 2"))
    hq = psycopg.connect(head_office_dsn(cluster, chain_db))
    a, b = as_shop(cluster, chain_db, "sz-01"), as_shop(cluster, chain_db, "bj-02")
    yield hq, a, b
    for connection in (hq, a, b):
        connection.close()


def test_a_topic_published_reaches_every_shop_with_chain_ids(chain):
    hq, a, b = chain
    topic_id = publish_topic(hq, TOPIC, "总部 张伟")
    assert topic_id == "fault.chain-1"
    note_id = publish_note(hq, "fault.network.1", "先看网线灯。", "总部 张伟")
    assert note_id == "C1"
    for shop in (a, b):
        pulled = pull_guidance(shop)
        [topic] = pulled["topics"]
        assert topic["id"] == "fault.chain-1" and topic["category"] == "fault"
        assert topic["who"] == "总部 张伟" and topic["at"] and topic["edited_at"] is None
        assert [s["id"] for s in topic["steps"]] == ["fault.chain-1.1", "fault.chain-1.2"]
        assert [s["kind"] for s in topic["steps"]] == ["check", "contact_bank"]
        assert topic["title"] == TOPIC["title"] and topic["keywords"] == TOPIC["keywords"]
        assert pulled["notes"] == [{"id": "C1", "on": "fault.network.1", "text": "先看网线灯。",
                                    "who": "总部 张伟", "at": pulled["notes"][0]["at"]}]
    assert publish_topic(hq, {**TOPIC, "category": "security"}, "x") == "sec.chain-2"


def test_a_revision_keeps_its_id_and_its_steps_ids_and_numbers_new_steps_on(chain):
    hq, a, _ = chain
    topic_id = publish_topic(hq, TOPIC, "张伟")
    first = pull_guidance(a)["topics"][0]
    steps = first["steps"]
    # The first step dropped, a new one put first: the kept step keeps its id.
    new_step = {**steps[0], "id": "fault.shop-9.4", "title": {"zh": "看灯", "en": "Look"}}
    assert publish_topic(hq, {**first, "steps": [new_step, steps[1]]}, "李娜") == topic_id
    revised = pull_guidance(a)["topics"][0]
    assert [s["id"] for s in revised["steps"]] == ["fault.chain-1.3", "fault.chain-1.2"]
    assert [s["order"] for s in revised["steps"]] == [1, 2]
    assert revised["who"] == "李娜" and revised["at"] == first["at"] and revised["edited_at"]
    with pytest.raises(CentralError) as refused:
        publish_topic(hq, {**first, "category": "security"}, "李娜")
    assert refused.value.key == "category_kept"
    with pytest.raises(CentralError) as refused:
        publish_topic(hq, {**first, "id": "fault.chain-77"}, "李娜")
    assert refused.value.key == "unknown_guidance"


def test_a_step_number_dropped_in_one_revision_is_never_given_again(chain):
    """Flags and notes on a dropped step must not land on a new step in a later revision."""
    hq, a, _ = chain
    topic_id = publish_topic(hq, TOPIC, "张伟")
    first = pull_guidance(a)["topics"][0]
    last = first["steps"][-1]["id"]
    publish_topic(hq, {**first, "steps": first["steps"][:-1]}, "李娜")  # the last one dropped
    shorter = pull_guidance(a)["topics"][0]
    added = {**shorter["steps"][0], "id": None, "title": {"zh": "新的一步", "en": "New step"}}
    publish_topic(hq, {**shorter, "steps": [*shorter["steps"], added]}, "李娜")
    [revised] = pull_guidance(a)["topics"]
    assert last not in [step["id"] for step in revised["steps"]]
    assert revised["steps"][-1]["title"]["en"] == "New step"


def test_withdrawn_guidance_drops_out_of_the_next_pull_and_the_head_office_still_lists_it(chain):
    hq, a, _ = chain
    topic_id = publish_topic(hq, TOPIC, "张伟")
    note_id = publish_note(hq, topic_id, "只在旗舰店。", "张伟")
    assert withdraw(hq, topic_id) is True
    assert withdraw(hq, topic_id) is False  # already: nothing changes
    assert withdraw(hq, note_id) is True
    assert pull_guidance(a) == {"pulled_at": pull_guidance(a)["pulled_at"], "topics": [],
                                "notes": []}
    listed = published(hq)
    assert [t["withdrawn_at"] is not None for t in listed["topics"]] == [True]
    assert [n["withdrawn_at"] is not None for n in listed["notes"]] == [True]
    for unknown in ("fault.chain-9", "C9", "fault.network"):
        with pytest.raises(CentralError) as refused:
            withdraw(hq, unknown)
        assert refused.value.key == "unknown_guidance"
    # Published again as a revision: back in the shops.
    publish_topic(hq, {**listed["topics"][0]}, "张伟")
    assert [t["id"] for t in pull_guidance(a)["topics"]] == [topic_id]


def test_flags_reach_the_head_office_counted_and_a_withdrawal_is_carried(chain):
    hq, a, b = chain
    assert send_flags(a, "sz-01", [flag("F1", "fault.network.2", why="我们没有路由器"),
                                   flag("F2", "fault.print.1", "out_of_date")]) == 2
    assert send_flags(a, "sz-01", [flag("F1", "fault.network.2", why="我们没有路由器"),
                                   flag("F2", "fault.print.1", "out_of_date")]) == 0
    send_flags(b, "bj-02", [flag("F1", "fault.network.2", "not_our_terminal", "ME31 不一样"),
                            flag("F7", "fault.network.2", "bogus-reason")])
    found = flagged_steps(hq)
    assert [(f["step_id"], f["count"]) for f in found] == [
        ("fault.network.2", 2), ("fault.print.1", 1)]
    top = found[0]
    assert top["topic_id"] == "fault.network"
    assert top["reasons"] == {"wrong": 1, "not_our_terminal": 1}
    assert top["shops"] == ["bj-02", "sz-01"]
    assert sorted(top["whys"]) == ["ME31 不一样", "我们没有路由器"]
    assert [f["step_id"] for f in flagged_steps(hq, "bj-02")] == ["fault.network.2"]
    # The shop withdraws its flag: carried at the next pass, and no longer counted.
    assert send_flags(a, "sz-01", [flag("F1", "fault.network.2",
                                        withdrawn_at="2026-11-26T09:00:00+08:00"),
                                   flag("F2", "fault.print.1", "out_of_date")]) == 1
    assert [(f["step_id"], f["count"]) for f in flagged_steps(hq)] == [
        ("fault.network.2", 1), ("fault.print.1", 1)]


INSERT_FLAG = ("INSERT INTO posdesk.step_flags (shop_id, flag_id, step_id, topic_id, reason, "
               "at_text) VALUES (%s, %s, 'fault.network.2', 'fault.network', 'wrong', "
               "'2026-11-25T10:00:00+08:00')")


def test_a_shop_flags_as_itself_only_reads_only_its_own_and_cannot_publish(chain):
    hq, a, b = chain
    a.execute(INSERT_FLAG, ("sz-01", "F1"))
    b.execute(INSERT_FLAG, ("bj-02", "F1"))
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        a.execute(INSERT_FLAG, ("bj-02", "F2"))
    assert a.execute("SELECT shop_id FROM posdesk.step_flags").fetchall() == [("sz-01",)]
    # Its own flag: only whether it is withdrawn may change; another shop's not at all.
    a.execute("UPDATE posdesk.step_flags SET withdrawn_at_text = 'x' WHERE shop_id = 'sz-01'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        a.execute("UPDATE posdesk.step_flags SET reason = 'out_of_date'")
    assert a.execute("UPDATE posdesk.step_flags SET withdrawn_at_text = 'x' "
                     "WHERE shop_id = 'bj-02'").rowcount == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        a.execute("DELETE FROM posdesk.step_flags")
    assert b.execute("SELECT withdrawn_at_text FROM posdesk.step_flags").fetchall() == [(None,)]
    # A shop publishes nothing, and cannot withdraw what the head office published.
    for attempt in (lambda: publish_topic(a, TOPIC, "me"),
                    lambda: publish_note(a, "fault.network.1", "假的", "me")):
        with pytest.raises(CentralError) as refused:
            attempt()
        assert refused.value.key == "not_allowed_here"
    topic_id = publish_topic(hq, TOPIC, "张伟")
    hq.commit()
    with pytest.raises(CentralError) as refused:
        withdraw(a, topic_id)
    assert refused.value.key == "not_allowed_here"
    assert [t["id"] for t in pull_guidance(b)["topics"]] == [topic_id]
    # The head office reads every flag, and sends none.
    assert len(flagged_steps(hq)[0]["shops"]) == 1  # sz-01's is withdrawn
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        hq.execute(INSERT_FLAG, ("sz-01", "F9"))


def test_a_database_at_schema_5_is_migrated_with_its_records_kept(cluster, chain_db):
    dsn = cluster.dsn(dbname=chain_db)
    with connect(dsn) as admin:
        assert migrate(admin, upto=5) == (0, 5)
        for statement in shop_statements(roles_of(admin), "sz-01", "深圳一店", None).statements:
            admin.execute(statement)
        admin.commit()
    send_incident(cluster, chain_db, "sz-01", incident(
        "20261120-001", "fault.network", ("无法联网", "No network"), "2026-11-20T09:00:00+08:00"))
    with connect(dsn) as admin:
        assert migrate(admin) == (5, SCHEMA_VERSION)
        assert admin.execute("SELECT shop_id, incident_id, status, event_count "
                             "FROM posdesk.incidents").fetchall() == [
            ("sz-01", "20261120-001", "open", 1)]
        assert admin.execute("SELECT shop_id FROM posdesk.shops").fetchall() == [("sz-01",)]
    with as_shop(cluster, chain_db, "sz-01") as shop:
        assert send_flags(shop, "sz-01", [flag("F1", "fault.network.2")]) == 1


# Through the desks: the head office's HeadOffice, two shops' Desk, each pass a real sync.

@pytest.fixture
def estate(cluster, chain_db, central, tmp_path, kb):
    from datetime import datetime, timedelta, timezone

    from clocks import StepClock
    from posdesk.desk.head_office import HeadOffice
    from shops import add_shops as add_shop_roles, joined_shop

    roles = add_shop_roles(cluster, chain_db, "sz-01", "gz-02")
    start = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    a = joined_shop(cluster, chain_db, roles["sz-01"], "sz-01", tmp_path / "a", kb,
                    StepClock(start))
    b = joined_shop(cluster, chain_db, roles["gz-02"], "gz-02", tmp_path / "b", kb,
                    StepClock(start))
    office = HeadOffice(head_office_dsn(cluster, chain_db), clock=lambda: start, kb=kb)
    yield office, a, b
    office.close()


def test_a_chain_topic_and_note_reach_two_shops_and_a_flow_runs_on_it(estate, kb):
    office, a, b = estate
    shipped_step = kb.topic("fault.network").steps[0].id
    # A shop's own topic, as `posdesk guidance topic show ID --json` prints it, handed over.
    own = a.add_own_topic("fault", "后柜的路由器", "Router in the back cupboard",
                          [{"title": "重启路由器", "how": "拔电源十秒。", "why": "多数断网这样就好。"},
                           {"title": "Call the bank", "how": "Call them.", "why": "-",
                            "kind": "contact_bank"}], who="李雷")
    from posdesk.models import topic_record

    topic_id = office.publish_topic(topic_record(own), "总部 张伟")
    assert topic_id == "fault.chain-1"
    note_id = office.publish_note(shipped_step, "总部：先看网线灯 4111 1111 1111 1111", "张伟")
    for shop in (a, b):
        report = shop.sync_once()
        assert report.ok and (report.chain_topics, report.chain_notes) == (1, 1)
        topic = shop.kb.topic(topic_id)
        assert topic is not None and topic.origin == "chain" and topic.who == "总部 张伟"
        assert [s.id for s in topic.steps] == ["fault.chain-1.1", "fault.chain-1.2"]
        assert topic.title.zh == "后柜的路由器"
        assert topic_id in [hit.topic.id for hit in shop.kb.search("后柜的路由器")]
        [note] = shop.notes_on(shipped_step)
        assert note.id == note_id and note.origin == "chain"
        assert "4111 1111 1111 1111" not in note.text and "1111" in note.text
    incident = b.start_incident(topic_id)
    b.record_attempt(incident.id, "fault.chain-1.1", "fixed")
    assert b.incident(incident.id).topic_id == topic_id


def test_a_flag_reaches_the_head_office_and_withdrawals_cross_at_the_next_pass(estate, kb):
    office, a, b = estate
    step = kb.topic("fault.network").steps[1]
    flag_a = a.flag_step(step.id, "not_our_terminal", "我们的 ME31 没有这个键", who="王芳")
    b.flag_step(step.id, "wrong", who="Li")
    assert office.flagged_steps() == []  # nothing leaves a shop by itself
    a.sync_once(), b.sync_once()
    [found] = office.flagged_steps()
    assert (found.step_id, found.count, found.title) == (step.id, 2, step.title)
    assert found.reasons == {"not_our_terminal": 1, "wrong": 1}
    assert found.shops == ("gz-02", "sz-01") and found.whys == ("我们的 ME31 没有这个键",)
    assert [f.count for f in office.flagged_steps("gz-02")] == [1]
    a.withdraw_flag(flag_a.id)
    assert office.flagged_steps()[0].count == 2  # until the shop's next pass
    a.sync_once()
    assert [(f.count, f.shops) for f in office.flagged_steps()] == [(1, ("gz-02",))]
    # A topic withdrawn by the head office leaves every shop at its next pass.
    topic_id = office.publish_topic({"category": "maintenance", "title": "清洁打印头",
                                     "steps": [{"title": "擦一擦"}]}, "张伟")
    assert topic_id == "maint.chain-1"
    a.sync_once()
    assert a.kb.topic(topic_id) is not None
    assert office.withdraw_guidance(topic_id) is True
    a.sync_once()
    assert a.kb.topic(topic_id) is None and a.chain_topics() == []


def test_the_head_office_refuses_what_is_not_a_topic_and_notes_on_nothing(estate):
    from posdesk.desk.base import EmptyText, NotAllowed
    from posdesk.i18n import told
    from posdesk.models import BadRecord

    office, _, _ = estate
    for record, refused in [
        ([1, 2], BadRecord), ({"category": "food", "title": "x", "steps": [{"title": "y"}]},
                              NotAllowed),
        ({"category": "fault", "title": "x", "steps": []}, EmptyText),
        ({"category": "fault", "title": "", "steps": [{"title": "y"}]}, EmptyText),
        ({"category": "fault", "title": {"zh": 3}, "steps": [{"title": "y"}]}, BadRecord),
        ({"category": "fault", "title": "x", "steps": [{"title": "y", "kind": "dance"}]},
         NotAllowed),
    ]:
        with pytest.raises(refused) as error:
            office.publish_topic(record, "张伟")
        assert "\n" not in told(error.value, "zh")
    with pytest.raises(NotAllowed) as error:
        office.publish_note("fault.nothing.9", "x", "张伟")
    assert "fault.nothing.9" in told(error.value, "en")
    # Controls are gone from everything published.
    topic_id = office.publish_topic({"category": "fault", "title": "A\x1b[2Jb",
                                     "steps": [{"title": "\u202eevil"}]}, "张\x07伟")
    [topic] = office.chain_guidance()["topics"]
    assert topic["id"] == topic_id and topic["title"] == {"zh": "Ab", "en": "Ab"}
    assert topic["who"] == "张伟" and topic["steps"][0]["title"]["en"] == "evil"


def test_what_a_hostile_shop_sends_in_a_flag_reaches_the_head_office_cleaned(estate, cluster,
                                                                            chain_db, kb):
    office, _, _ = estate
    step = kb.topic("fault.network").steps[0]
    with as_shop(cluster, chain_db, "sz-01") as shop:  # not through posdesk: raw rows
        send_flags(shop, "sz-01", [flag("F1", step.id,
                                        why="card 4111 1111 1111 1111\x1b[2J\u202e gone")])
    [found] = office.flagged_steps()
    [why] = found.whys
    assert "4111" not in why and "1111" in why and "\x1b" not in why and "\u202e" not in why
