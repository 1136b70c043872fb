"""The administrator's and the shop's commands, end to end against a real server."""

from __future__ import annotations

import json
import sys

import pytest

from posdesk.central.schema import SCHEMA_VERSION
from posdesk.cli import main


def test_init_add_shop_join_and_sync_from_the_command_line(cluster, chain_db, tmp_path, capsys,
                                                           monkeypatch):
    admin = cluster.dsn(dbname=chain_db)
    assert main(["central", "init", "--dsn", admin]) == 0
    assert f"schema {SCHEMA_VERSION}" in capsys.readouterr().out
    assert main(["central", "init", "--dsn", admin]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert main(["central", "add-shop", "sz-01", "--name", "深圳一店", "--dsn", admin,
                 "--shop-host", "db.chain.example"]) == 0
    said = capsys.readouterr().out
    role = f"{chain_db}_shop_sz_01"
    assert role in said and ".pgpass" in said and "posdesk central join sz-01" in said
    assert f"db.chain.example:{cluster.port}:{chain_db}:{role}:" in said
    assert f"host=db.chain.example port={cluster.port} dbname={chain_db} user={role} sslmode=verify-full" in said
    # The same shop twice is one line, exit 1.
    assert main(["central", "add-shop", "sz-01", "--name", "again", "--dsn", admin]) == 1
    assert capsys.readouterr().err.count("\n") == 1
    home = str(tmp_path / "shop")
    shop_dsn = cluster.dsn(role, chain_db)
    assert main(["central", "join", "sz-01", "--name", "深圳一店", "--dsn", shop_dsn,
                 "--home", home]) == 0
    capsys.readouterr()
    assert main(["sync", "--json", "--home", home]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["waiting"] == 0
    # The plain line says what went both ways, the guidance too.
    assert main(["guidance", "flag", "add", "fault.print.paper", "--reason", "wrong",
                 "--home", home]) == 0
    capsys.readouterr()
    assert main(["sync", "--home", home, "--lang", "en"]) == 0
    assert "Guidance: 1 step flags sent; the chain publishes 0 topics and 0 notes" \
        in capsys.readouterr().out
    assert main(["central", "leave", "--home", home]) == 0
    capsys.readouterr()
    assert main(["sync", "--home", home]) == 1
    assert "central join" in capsys.readouterr().err


def test_joining_with_a_password_or_as_another_shop_is_refused(cluster, chain_db, central,
                                                               tmp_path, capsys):
    assert main(["central", "add-shop", "a", "--name", "A", "--no-password", "--dsn", central]) == 0
    assert main(["central", "add-shop", "b", "--name", "B", "--no-password", "--dsn", central]) == 0
    capsys.readouterr()
    home = str(tmp_path / "shop")
    assert main(["central", "join", "a", "--name", "A", "--home", home,
                 "--dsn", cluster.dsn(f"{chain_db}_shop_a", chain_db) + " password=x"]) == 1
    assert ".pgpass" in capsys.readouterr().err
    assert main(["central", "join", "a", "--name", "A", "--home", home,
                 "--dsn", cluster.dsn(f"{chain_db}_shop_b", chain_db)]) == 1
    err = capsys.readouterr().err
    assert "not shop a's" in err and err.count("\n") == 1
    assert main(["sync", "--home", home]) == 1  # nothing was kept


def test_psycopg_is_not_loaded_by_a_shop_outside_a_chain(tmp_path):
    import subprocess

    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "posdesk", "--home",
                           str(tmp_path), "due"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "psycopg" not in done.stderr and "posdesk.central" not in done.stderr


def test_sync_for_a_scheduled_job_says_failures_on_stderr_and_busy_is_not_a_failure(
        cluster, chain_db, central, tmp_path, capsys):
    from posdesk.store.lock import DirectoryLock
    from posdesk.store.locations import Locations

    home = str(tmp_path / "shop")
    assert main(["sync", "--json", "--home", home]) == 1  # not joined: JSON says so too
    out, err = capsys.readouterr()
    assert json.loads(out)["ok"] is False and err.count("\n") == 1
    assert main(["central", "add-shop", "c", "--name", "C", "--no-password", "--dsn", central]) == 0
    assert main(["central", "join", "c", "--name", "C", "--home", home,
                 "--dsn", cluster.dsn(f"{chain_db}_shop_c", chain_db)]) == 0
    capsys.readouterr()
    held = DirectoryLock(Locations.resolve(home).sync_lock, 0)
    held.acquire()  # the app's pass, running
    try:
        import os
        child = os.fork()
        if child == 0:
            os._exit(main(["sync", "--home", home]))
        _, status = os.waitpid(child, 0)
        assert os.WEXITSTATUS(status) == 0
    finally:
        held.release()
    cluster.sql(f"REVOKE CONNECT ON DATABASE {chain_db} FROM {chain_db}_shops")
    try:
        assert main(["sync", "--home", home]) == 1
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "Not synced this time" in err
    finally:
        cluster.sql(f"GRANT CONNECT ON DATABASE {chain_db} TO {chain_db}_shops")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_server_that_cannot_be_reached_is_said_in_the_persons_language_alone(
        cluster, chain_db, central, tmp_path, capsys, lang):
    """libpq's own English stays out of a Chinese line; the detail is kept for --json."""
    home = str(tmp_path / "shop")
    assert main(["central", "add-shop", "d", "--name", "D", "--no-password", "--dsn", central]) == 0
    assert main(["central", "join", "d", "--name", "D", "--home", home,
                 "--dsn", cluster.dsn(f"{chain_db}_shop_d", chain_db)]) == 0
    capsys.readouterr()
    gone = cluster.dsn(dbname=chain_db).replace(f"port={cluster.port}", "port=1")
    for command in (["sync", "--home", home, "--lang", lang],
                    ["central", "overdue", "--dsn", gone, "--lang", lang],
                    ["central", "incidents", "list", "--dsn", gone, "--lang", lang]):
        if command[0] == "sync":
            link = tmp_path / "shop" / "chain.json"
            link.write_text(link.read_text().replace(f"port={cluster.port}", "port=1"))
        assert main(command) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        if lang == "zh":
            assert "连不上中央数据库" in err and "socket" not in err and "No such" not in err, err
    assert main(["sync", "--json", "--home", home]) == 1
    report = json.loads(capsys.readouterr().out)
    assert "No such file" in report["detail"]
