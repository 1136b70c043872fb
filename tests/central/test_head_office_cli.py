"""`posdesk central incidents list|export` and `posdesk central overdue` over a real central
database holding two shops' records."""

from __future__ import annotations

import csv
import io
import json

import pytest

from chain_data import head_office_dsn, send_routine, send_status, send_terminal
from pg import Cluster
from posdesk.central.connection import connect
from posdesk.central.schema import migrate
from posdesk.cli import main
from posdesk.i18n import t
from test_head_office import send_two_shops, tamper_state


@pytest.fixture
def dsn(cluster, chain_db, central, tmp_path, monkeypatch) -> str:
    send_two_shops(cluster, chain_db, central)
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("POSDESK_CENTRAL", raising=False)
    return head_office_dsn(cluster, chain_db)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    said = capsys.readouterr()
    return code, said.out, said.err


def test_list_shows_every_shop_newest_first_and_filters_by_shop(dsn, capsys):
    code, out, err = run(capsys, "central", "incidents", "list", "--dsn", dsn, "--lang", "en")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split("  ")[:2] for line in lines] == [
        ["sz-01", "20261124-001"], ["bj-02", "20261123-001"], ["bj-02", "20261122-001"],
        ["sz-01", "20261121-001"], ["sz-01", "20261120-001"], ["bj-02", "20261119-001"]]
    assert "\x1b" not in out
    code, out, _ = run(capsys, "central", "incidents", "list", "--dsn", dsn, "--shop", "bj-02",
                       "--status", "escalated", "--lang", "zh")
    assert out.splitlines() == [
        f"bj-02  20261119-001  2026-11-19 08:00  {t('status.escalated', 'zh')}  无法联网"]


def test_list_as_json_is_whole_incidents_with_their_shop_cleaned(dsn, capsys, monkeypatch):
    monkeypatch.setenv("POSDESK_CENTRAL", dsn)  # the default when --dsn is not given
    code, out, _ = run(capsys, "central", "incidents", "list", "--json", "--search", "card")
    listed = json.loads(out)
    assert code == 0 and [(i["shop_id"], i["id"]) for i in listed] == [("sz-01", "20261124-001")]
    assert "4111 1111 1111 1111" not in out and "\\u001b" not in out and "\x1b" not in out
    assert listed[0]["events"][0]["kind"] == "opened"


def test_words_in_chinese_and_english_find_the_same_incidents(dsn, capsys):
    found = {}
    for words in ("打印", "print"):
        _, out, _ = run(capsys, "central", "incidents", "list", "--dsn", dsn, "--search", words)
        found[words] = [line.split("  ")[1] for line in out.splitlines()]
    assert found["打印"] == found["print"] == ["20261122-001", "20261121-001"]


def test_export_names_each_incidents_shop(dsn, capsys, tmp_path):
    code, out, _ = run(capsys, "central", "incidents", "export", "--format", "csv", "--dsn", dsn,
                       "--status", "resolved", "--lang", "en")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert code == 0 and rows[0][:2] == ["Shop", "ID"]
    assert [row[:2] for row in rows[1:]] == [["Beijing 2 (bj-02)", "20261122-001"],
                                            ["深圳一店 (sz-01)", "20261121-001"]]
    target = tmp_path / "hq.md"
    code, out, err = run(capsys, "central", "incidents", "export", "--format", "md", "--dsn", dsn,
                         "-o", str(target), "sz-01/20261124-001", "bj-02/20261119-001")
    written = target.read_text(encoding="utf-8")
    assert code == 0 and "2" in err and "Shop: 深圳一店 (sz-01)" in written
    assert "\x1b" not in written and "4111 1111 1111 1111" not in written
    code, out, _ = run(capsys, "central", "incidents", "export", "--format", "json", "--dsn", dsn,
                       "--shop", "bj-02", "20261119-001")
    assert [i["shop_name"] for i in json.loads(out)] == ["Beijing 2"]


@pytest.mark.parametrize("argv, said", [
    (("incidents", "list", "--shop", "nowhere"), "nowhere"),
    (("incidents", "export", "--format", "md", "sz-01/20261119-001"), "20261119-001"),
    (("incidents", "export", "--format", "md", "20261119-001"), "SHOP/ID"),
])
def test_an_unknown_shop_or_incident_is_one_line(dsn, capsys, argv, said):
    code, out, err = run(capsys, "central", *argv, "--dsn", dsn, "--lang", "en")
    assert (code, out) == (1, "") and said in err and err.count("\n") == 1


def test_overdue_per_shop(dsn, capsys, cluster, chain_db):
    send_status(cluster, chain_db, "sz-01", [tamper_state("2026-11-20", 0)])
    send_routine(cluster, chain_db, "sz-01", {
        "routine_id": "sec.tamper_inspection", "terminal_id": "T1",
        "at": "2026-11-13T10:00:00+08:00", "who": "王\x1b[2J", "note": "", "checked": {},
        "incident_id": None, "serial": None})
    send_terminal(cluster, chain_db, "sz-01", {"id": "T1", "name": "收银台\x1b[31m"})
    code, out, err = run(capsys, "central", "overdue", "--dsn", dsn, "--lang", "en")
    assert code == 0 and err == "" and "\x1b" not in out
    shenzhen = out[out.index("sz-01"):]
    assert "latest tamper inspection: 2026-11-13 10:00" in shenzhen
    assert "terminals on record: 1" in shenzhen and "Tamper inspection" in shenzhen
    assert "bj-02 Beijing 2: last synced never" in out and "Nothing overdue" in out
    code, out, _ = run(capsys, "central", "overdue", "--json", "--dsn", dsn)
    shops = {shop["shop_id"]: shop for shop in json.loads(out)}
    assert [s["routine_id"] for s in shops["sz-01"]["overdue"]] == ["sec.tamper_inspection"]
    assert shops["bj-02"]["last_synced"] is None


def test_a_stopped_server_is_one_line_and_exit_1(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    server = Cluster()
    try:
        server.start()
        server.sql("CREATE DATABASE stopped")
        dsn = server.dsn(dbname="stopped")
        with connect(dsn) as admin:
            migrate(admin)
        server.stop()
        for argv in (("incidents", "list"), ("overdue", "--json"),
                     ("incidents", "export", "--format", "csv")):
            code, out, err = run(capsys, "central", *argv, "--dsn", dsn, "--lang", "zh")
            assert (code, out) == (1, "")
            assert err.startswith("posdesk: 连不上中央数据库") and err.count("\n") == 1
            assert "Traceback" not in err
    finally:
        server.remove()


def test_a_schema_newer_than_known_is_one_line(central, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("POSDESK_HOME", str(tmp_path / "home"))
    with connect(central) as admin:
        admin.execute("UPDATE posdesk.meta SET value = '99' WHERE key = 'schema'")
        admin.commit()
    code, out, err = run(capsys, "central", "overdue", "--dsn", central, "--lang", "en")
    assert (code, out) == (1, "") and "schema 99" in err and err.count("\n") == 1
