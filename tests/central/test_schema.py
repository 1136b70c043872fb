"""The central schema: created, migrated forward from the first one, a newer one refused; and
row-level security keeping shops apart, tried with plain SQL as each shop's own role."""

from __future__ import annotations

import psycopg
import pytest

from posdesk.central import CentralError
from posdesk.central.connection import connect, parse_dsn
from posdesk.central.schema import SCHEMA_VERSION, check_version, migrate, roles_of, version_of
from posdesk.central.shops import add_shop


def test_init_creates_the_schema_and_a_second_init_changes_nothing(central):
    with connect(central) as connection:
        assert version_of(connection) == SCHEMA_VERSION
        assert migrate(connection) == (SCHEMA_VERSION, SCHEMA_VERSION)


def test_a_newer_schema_is_refused_untouched(central):
    with connect(central) as connection:
        connection.execute("UPDATE posdesk.meta SET value = '99' WHERE key = 'schema'")
        connection.commit()
        with pytest.raises(CentralError) as refused:
            migrate(connection)
        assert "99" in str(refused.value)
        with pytest.raises(CentralError):
            check_version(connection)
        assert version_of(connection) == 99


def test_a_password_in_the_connection_string_is_refused():
    for dsn in ("host=x password=secret", "postgresql://u:secret@host/db"):
        with pytest.raises(CentralError) as refused:
            parse_dsn(dsn)
        assert ".pgpass" in str(refused.value)


def _shop_row(shop_id: str, incident: str) -> tuple:
    return (shop_id, incident, "fault.network", '{"zh": "连不上网", "en": "No network"}',
            "2026.11.3", 5, "T1", "{}")


INSERT_INCIDENT = ("INSERT INTO posdesk.incidents (shop_id, incident_id, topic_id, topic_title, "
                   "kb_version, step_count, terminal, record) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)")


def test_a_shop_reads_and_writes_only_its_own_rows(cluster, chain_db, central):
    with connect(central) as admin:
        a = add_shop(admin, "shop-a", "A 店", None)
        b = add_shop(admin, "shop-b", "B 店", None)
        admin.execute(f'CREATE ROLE "{roles_of(admin).head_office}_hq" LOGIN '
                      f'IN ROLE "{roles_of(admin).head_office}"')
        admin.commit()
        head_office = f"{roles_of(admin).head_office}_hq"
    as_a = psycopg.connect(cluster.dsn(a.role, chain_db), autocommit=True)
    as_b = psycopg.connect(cluster.dsn(b.role, chain_db), autocommit=True)
    as_a.execute(INSERT_INCIDENT, _shop_row("shop-a", "20261125-140000-aaaa"))
    as_b.execute(INSERT_INCIDENT, _shop_row("shop-b", "20261125-140000-bbbb"))
    # A sees only its own incident, even when it asks for B's by name.
    assert as_a.execute("SELECT shop_id FROM posdesk.incidents").fetchall() == [("shop-a",)]
    assert as_a.execute("SELECT * FROM posdesk.incidents WHERE shop_id = 'shop-b'").fetchall() == []
    assert as_a.execute("SELECT shop_id FROM posdesk.shops").fetchall() == [("shop-a",)]
    # A cannot write a row in B's name.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_a.execute(INSERT_INCIDENT, _shop_row("shop-b", "20261125-140000-cccc"))
    # Nor change or delete B's rows, nor its own events.
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_a.execute("UPDATE posdesk.incidents SET terminal = 'X' WHERE shop_id = 'shop-b'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_a.execute("DELETE FROM posdesk.incidents WHERE shop_id = 'shop-b'")
    assert as_a.execute("UPDATE posdesk.terminals SET on_record = false "
                        "WHERE shop_id = 'shop-b'").rowcount == 0
    # The head office reads both, and writes nothing.
    as_hq = psycopg.connect(cluster.dsn(head_office, chain_db), autocommit=True)
    assert sorted(r[0] for r in as_hq.execute("SELECT shop_id FROM posdesk.incidents")) == [
        "shop-a", "shop-b"]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        as_hq.execute(INSERT_INCIDENT, _shop_row("shop-a", "20261125-140000-dddd"))
    for connection in (as_a, as_b, as_hq):
        connection.close()


def test_a_database_at_the_first_schema_is_migrated_with_its_records_kept(cluster, chain_db):
    dsn = cluster.dsn(dbname=chain_db)
    with connect(dsn) as admin:
        assert migrate(admin, upto=1) == (0, 1)
        admin.execute("INSERT INTO posdesk.shops VALUES ('s1', '一店', 'nobody', now())")
        admin.execute(INSERT_INCIDENT, _shop_row("s1", "20261125-140000-aaaa"))
        for seq, (kind, body) in enumerate([
                ("opened", '{"note": ""}'),
                ("attempt", '{"step_id": "fault.network.1", "outcome": "not_fixed", "note": "灯不亮"}'),
                ("escalated", '{"hotline": "95533", "note": "please send someone"}')]):
            admin.execute(
                "INSERT INTO posdesk.events (shop_id, incident_id, seq, kind, at_text, at, body, "
                "digest) VALUES ('s1', '20261125-140000-aaaa', %s, %s, %s, %s, %s, 'd')",
                (seq, kind, f"2026-11-25T14:0{seq}:00+08:00", f"2026-11-25T14:0{seq}:00+08:00", body))
        admin.commit()
        assert migrate(admin) == (1, SCHEMA_VERSION)
        row = admin.execute(
            "SELECT status, event_count, attempts, escalated_to, opened_text, words "
            "FROM posdesk.incidents").fetchone()
        assert row[:5] == ("escalated", 3, 1, "95533", "2026-11-25T14:00:00+08:00")
        assert "灯不亮" in row[5] and "no network" in row[5]
        assert admin.execute("SELECT count(*) FROM posdesk.events").fetchone()[0] == 3
        assert admin.execute("SELECT step_id, fixed, tried, shops FROM "
                             "posdesk.chain_step_figures").fetchall() == [("fault.network.1", 0, 1, 1)]
