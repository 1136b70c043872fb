"""`posdesk central guidance publish|note|list|withdraw|flags` over a real central database;
a shop's topic printed by `posdesk guidance topic show ID --json` is what the head office
publishes."""

from __future__ import annotations

import json
import os

import pytest

from chain_data import add_shops, as_shop, head_office_dsn
from posdesk.central.guidance import send_flags
from posdesk.i18n import t
from test_head_office_cli import run

TOPIC = {"id": "fault.shop-2", "category": "fault", "title": {"zh": "后柜路由器", "en": "Back router"},
         "summary": {"zh": "在后柜。", "en": "In the back."}, "keywords": {"zh": [], "en": []},
         "steps": [{"id": "fault.shop-2.1", "order": 1, "kind": "check",
                    "title": {"zh": "重启", "en": "Restart"}, "how": {"zh": "拔电", "en": "Unplug"},
                    "why": {"zh": "", "en": ""}}],
         "who": "李雷", "at": "2026-11-25T09:00:00+08:00", "edited_at": None, "removed_at": None}


@pytest.fixture
def dsn(cluster, chain_db, central, tmp_path, monkeypatch) -> str:
    add_shops(cluster, chain_db, central, ("sz-01", "深圳一店"), ("bj-02", "Beijing 2"))
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("POSDESK_CENTRAL", raising=False)
    return head_office_dsn(cluster, chain_db)


def test_publish_a_shops_topic_note_list_and_withdraw(dsn, capsys, tmp_path):
    topic_file = tmp_path / "topic.json"
    topic_file.write_text(json.dumps(TOPIC, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "central", "guidance", "publish", str(topic_file),
                         "--who", "总部 张伟", "--dsn", dsn, "--lang", "en")
    assert (code, err) == (0, "") and "fault.chain-1" in out
    code, out, err = run(capsys, "central", "guidance", "note", "fault.chain-1.1", "先拔电",
                         "--who", "张伟", "--dsn", dsn, "--lang", "zh")
    assert (code, err) == (0, "") and "C1" in out
    code, out, _ = run(capsys, "central", "guidance", "list", "--dsn", dsn, "--lang", "zh")
    lines = out.splitlines()
    assert lines[0].startswith("fault.chain-1  后柜路由器  总部 张伟")
    assert lines[1].startswith("C1  fault.chain-1.1  先拔电  张伟")
    code, out, _ = run(capsys, "central", "guidance", "withdraw", "C1", "--dsn", dsn, "--lang", "en")
    assert code == 0 and "C1" in out
    code, out, _ = run(capsys, "central", "guidance", "withdraw", "C1", "--dsn", dsn, "--lang", "en")
    assert out.strip() == t("hq.guidance.was_withdrawn", "en", id="C1")
    code, out, _ = run(capsys, "central", "guidance", "list", "--json", "--dsn", dsn)
    listed = json.loads(out)
    assert [n["id"] for n in listed["notes"]] == ["C1"] and listed["notes"][0]["withdrawn_at"]
    assert listed["topics"][0]["steps"][0]["id"] == "fault.chain-1.1"
    # A revision: the file now carries the chain's id.
    topic_file.write_text(json.dumps({**listed["topics"][0], "title": "新标题"}), encoding="utf-8")
    code, out, _ = run(capsys, "central", "guidance", "publish", str(topic_file), "--who", "李娜",
                       "--dsn", dsn)
    assert code == 0 and "fault.chain-1" in out
    code, out, _ = run(capsys, "central", "guidance", "list", "--json", "--dsn", dsn)
    assert [t["title"]["en"] for t in json.loads(out)["topics"]] == ["新标题"]


@pytest.mark.parametrize("content, said", [
    (b"{not json", "hq.guidance.not_json"), (b"\xff\xfe", "hq.guidance.not_json"),
    (b"[1, 2]", "hq.guidance.not_a_topic"), (b"[" * 100_000, "hq.guidance.not_json"),
    (b" " * (300 * 1024), "hq.guidance.too_big"),
])
def test_a_file_that_is_not_a_topic_is_refused_in_one_line(dsn, capsys, tmp_path, content, said):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    code, out, err = run(capsys, "central", "guidance", "publish", str(path), "--who", "x",
                         "--dsn", dsn, "--lang", "en")
    reason = t(said, "en", most=256)
    assert code == 1 and out == "" and err.count("\n") == 1 and reason in err


def test_missing_files_fifos_and_bad_records_are_refused_in_one_line(dsn, capsys, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"category": "fault", "title": "x", "steps": "many"}))
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"category": "fault", "title": "  ", "steps": [{"title": "y"}]}))
    for path in (tmp_path / "none.json", fifo, tmp_path, bad, empty):
        code, out, err = run(capsys, "central", "guidance", "publish", str(path), "--who", "x",
                             "--dsn", dsn, "--lang", "zh")
        assert code == 1 and out == "" and err.count("\n") == 1, (path, err)
        assert "Traceback" not in err
    code, _, err = run(capsys, "central", "guidance", "note", "fault.nope", "x", "--who", "x",
                       "--dsn", dsn, "--lang", "en")
    assert code == 1 and err.count("\n") == 1 and "fault.nope" in err
    code, _, err = run(capsys, "central", "guidance", "withdraw", "fault.chain-4", "--dsn", dsn)
    assert code == 1 and err.count("\n") == 1


def test_flags_across_the_chain_and_per_shop(dsn, capsys, cluster, chain_db):
    flag = {"id": "F1", "step_id": "fault.network.cable", "topic_id": "fault.network",
            "reason": "wrong", "why": "没有这个灯", "who": "王芳",
            "at": "2026-11-25T10:00:00+08:00", "withdrawn_at": None}
    for shop in ("sz-01", "bj-02"):
        with as_shop(cluster, chain_db, shop) as connection:
            send_flags(connection, shop, [flag])
    code, out, err = run(capsys, "central", "guidance", "flags", "--dsn", dsn, "--lang", "en")
    assert code == 0 and err == ""
    assert out.splitlines()[0].startswith("2×  fault.network.cable  ")
    assert "wrong ×2" in out and "bj-02, sz-01" in out and "没有这个灯" in out
    code, out, _ = run(capsys, "central", "guidance", "flags", "--shop", "bj-02", "--json",
                       "--dsn", dsn)
    [found] = json.loads(out)
    assert found["count"] == 1 and found["shops"] == ["bj-02"] and found["title"]["en"]
    code, _, err = run(capsys, "central", "guidance", "flags", "--shop", "xx-99", "--dsn", dsn,
                       "--lang", "en")
    assert code == 1 and "xx-99" in err
