"""Adversary tests for the chain's roles (issue 14): PostgreSQL cuts a name to 63 bytes, and
the roles are named after the database, so a long database name must never make two roles one."""

from __future__ import annotations

import psycopg
import pytest

from posdesk.central import CentralError
from posdesk.central.connection import connect
from posdesk.central.schema import migrate, roles_of, version_of
from posdesk.central.shops import add_shop

INSERT_INCIDENT = ("INSERT INTO posdesk.incidents (shop_id, incident_id, topic_id, topic_title, "
                   "kb_version, step_count, terminal, record) VALUES (%s,%s,'fault.network', "
                   "'{\"zh\": \"x\", \"en\": \"x\"}', '1', 5, 'T1', '{}')")


@pytest.mark.parametrize("length", [62, 63])
def test_a_long_database_name_never_lets_a_shop_read_another_shops_rows(cluster, length):
    name = ("chain_long_" + "x" * 63)[:length]
    cluster.sql(f'CREATE DATABASE "{name}"')
    try:
        with connect(cluster.dsn(dbname=name)) as admin:
            try:
                migrate(admin)
            except CentralError:  # refused, and nothing made: as good as safe
                assert version_of(admin) == 0
                return
            roles = roles_of(admin)
            a = add_shop(admin, "shop-a", "A", None)
            b = add_shop(admin, "shop-b", "B", None)
            admin.commit()
        with psycopg.connect(cluster.dsn(b.role, name), autocommit=True) as as_b:
            as_b.execute(INSERT_INCIDENT, ("shop-b", "20261125-001"))
        with psycopg.connect(cluster.dsn(a.role, name), autocommit=True) as as_a:
            seen = as_a.execute("SELECT shop_id FROM posdesk.incidents").fetchall()
        assert seen == [], f"shop-a read {seen} (roles {roles})"
    finally:
        cluster.sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_shop_id_whose_role_name_is_too_long_is_refused_not_cut(cluster, chain_db):
    """Two shops whose role names agree in their first 63 bytes would be one role."""
    name = chain_db + "_" + "y" * 30
    cluster.sql(f'CREATE DATABASE "{name}"')
    try:
        with connect(cluster.dsn(dbname=name)) as admin:
            migrate(admin)
            admin.commit()
            long_id = "shop-" + "a" * 19  # its role: 67 bytes, cut to 63 it would be
            try:
                add_shop(admin, long_id, "A", None)
                admin.commit()
            except CentralError:
                pass  # refused: what follows cannot happen
            with pytest.raises(CentralError) as refused:
                add_shop(admin, "shop-" + "a" * 18 + "b", "B", None)  # the same role, cut
            assert refused.value.key != "role_exists"  # B never had a role: say why
    finally:
        cluster.sql(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_the_same_shop_added_twice_at_once_is_one_shop_and_one_line(cluster, chain_db, central):
    import threading
    import time

    first = connect(central)
    first.execute("SELECT 1")  # a transaction held open: the first add is not committed yet
    made = add_shop(first, "sz-01", "深圳一店", None)
    outcome: list = []

    def add_again() -> None:
        with connect(central) as admin:
            try:
                outcome.append(add_shop(admin, "sz-01", "深圳一店", None).role)
            except CentralError as error:
                outcome.append(error.key)
            except Exception as error:  # anything else reaches a person as a database's words
                outcome.append(type(error).__name__)

    second = threading.Thread(target=add_again)
    second.start()
    time.sleep(0.5)  # the second is waiting on the first
    first.commit()
    first.close()
    second.join()
    assert made.role == f"{chain_db}_shop_sz_01"
    assert outcome == ["shop_exists"]
    assert cluster.sql("SELECT shop_id FROM posdesk.shops", dbname=chain_db) == [("sz-01",)]


def test_a_shop_cannot_claim_when_it_last_synced(cluster, chain_db, central):
    with connect(central) as admin:
        a = add_shop(admin, "shop-a", "A", None)
        admin.commit()
    with psycopg.connect(cluster.dsn(a.role, chain_db), autocommit=True) as as_a:
        as_a.execute("INSERT INTO posdesk.shop_status (shop_id, synced_at, shop_time) "
                     "VALUES ('shop-a', '2099-01-01T00:00:00Z', '2099-01-01T00:00:00Z')")
    (year,), = cluster.sql("SELECT extract(year FROM synced_at)::int FROM posdesk.shop_status",
                           dbname=chain_db)
    assert year < 2099


def test_a_shop_cannot_claim_when_its_rows_arrived_and_strangers_cannot_connect(cluster, chain_db,
                                                                                 central):
    with connect(central) as admin:
        a = add_shop(admin, "shop-b", "B", None)
        admin.commit()
    with psycopg.connect(cluster.dsn(a.role, chain_db), autocommit=True) as as_b:
        as_b.execute("INSERT INTO posdesk.routine_log (shop_id, entry_key, routine_id, at_text, at, "
                     "body, received_at) VALUES ('shop-b', 'k', 'sec.tamper_inspection', "
                     "'2026-11-25T09:00:00+08:00', '2026-11-25T01:00:00Z', '{}', '2099-01-01Z')")
    assert cluster.sql("SELECT extract(year FROM received_at)::int FROM posdesk.routine_log",
                       dbname=chain_db)[0][0] < 2099
    cluster.sql("CREATE ROLE stranger_14 LOGIN")
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(cluster.dsn("stranger_14", chain_db)).close()
