"""Adversary tests for chain mode's command line (issue 14)."""

from __future__ import annotations

import os
import subprocess

import pytest

from posdesk.cli import main


def test_the_pgpass_line_for_an_ipv6_host_is_escaped_as_libpq_reads_it(cluster, chain_db, central,
                                                                       capsys):
    """.pgpass fields are split at colons: one inside a field (an IPv6 address) is written \\:."""
    assert main(["central", "add-shop", "sz-01", "--name", "深圳一店", "--dsn", central,
                 "--shop-host", "2001:db8::5"]) == 0
    said = capsys.readouterr().out
    role = f"{chain_db}_shop_sz_01"
    (line,) = [line.strip() for line in said.splitlines() if f":{role}:" in line]
    assert line.startswith(f"2001\\:db8\\:\\:5:{cluster.port}:{chain_db}:{role}:")
    assert "host=2001:db8::5 " in said


def test_add_shop_cleans_a_hostile_name_as_join_does(cluster, chain_db, central, capsys):
    """A bidi override or a card number in the name never reaches the administrator's terminal
    (the join line it prints would read reversed) nor the central database."""
    hostile = "深圳\u202e一店 4111 1111 1111 1111"
    assert main(["central", "add-shop", "sz-01", "--name", hostile, "--no-password",
                 "--dsn", central]) == 0
    said = capsys.readouterr().out
    assert "\u202e" not in said and "4111 1111" not in said
    (name,), = cluster.sql("SELECT name FROM posdesk.shops", dbname=chain_db)
    assert "\u202e" not in name and "4111 1111" not in name and name.startswith("深圳一店")


@pytest.fixture
def small_home(tmp_path):
    """A data directory on its own tmpfs, to be made full or read-only."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    home = tmp_path / "home"
    home.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(home)], check=True)
    yield home
    subprocess.run(["umount", "-l", str(home)], check=False)


def _joined(cluster, chain_db: str, central: str, home) -> str:
    """`home` joined to the chain as shop sz-01, from the command line."""
    assert main(["central", "add-shop", "sz-01", "--name", "A", "--no-password",
                 "--dsn", central]) == 0
    assert main(["central", "join", "sz-01", "--name", "A", "--home", str(home),
                 "--dsn", cluster.dsn(f"{chain_db}_shop_sz_01", chain_db)]) == 0
    return str(home)


def test_leaving_on_a_read_only_data_directory_is_one_line_and_keeps_the_link(
        cluster, chain_db, central, small_home, capsys):
    home = _joined(cluster, chain_db, central, small_home)
    assert main(["sync", "--home", home]) == 0
    capsys.readouterr()
    subprocess.run(["mount", "-o", "remount,ro", str(small_home)], check=True)
    assert main(["central", "leave", "--home", home]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert (small_home / "chain.json").exists()


def test_a_pass_on_a_full_disk_is_one_line_and_the_next_one_sends_nothing_twice(
        cluster, chain_db, central, small_home, capsys):
    from posdesk.desk import Desk

    home = _joined(cluster, chain_db, central, small_home)
    desk = Desk(small_home)
    incident = desk.start_incident("fault.network")
    capsys.readouterr()
    filler = small_home / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"x" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    code = main(["sync", "--home", home])
    out, err = capsys.readouterr()
    assert code == 1 and (out + err).count("\n") == 1 and "Traceback" not in err
    filler.unlink()
    assert main(["sync", "--json", "--home", home]) == 0
    assert cluster.sql("SELECT incident_id, event_count FROM posdesk.incidents",
                       dbname=chain_db) == [(incident.id, 1)]
    assert cluster.sql("SELECT count(*) FROM posdesk.events", dbname=chain_db) == [(1,)]
