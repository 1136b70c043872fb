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
