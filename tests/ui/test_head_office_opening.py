"""`posdesk --central [DSN]` on the command line: what it refuses in one line before any screen
opens, and where the DSN comes from when none is given."""

from __future__ import annotations

from posdesk.cli import main


def test_a_password_in_the_dsn_is_refused_before_the_app_opens(capsys):
    assert main(["--central", "host=hq.example password=secret"]) == 1
    err = capsys.readouterr().err
    assert ".pgpass" in err and err.count("\n") == 1 and "secret" not in err


def test_without_a_dsn_posdesk_central_is_read(monkeypatch, capsys):
    monkeypatch.setenv("POSDESK_CENTRAL", "postgresql://hq:secret@hq.example/chain")
    assert main(["--lang", "zh", "--central"]) == 1
    err = capsys.readouterr().err
    assert "~/.pgpass" in err and "连接串里不要写密码" in err


def test_a_command_with_central_is_one_line_in_the_persons_language(capsys):
    assert main(["--lang", "zh", "--central", "service=hq", "due"]) == 2
    err = capsys.readouterr().err
    assert err == "posdesk: --central 打开总部的界面，不和命令一起用；命令行查询请用 posdesk central …\n"


def test_help_names_the_head_offices_app(capsys):
    try:
        main(["--help"])
    except SystemExit:
        pass
    assert "--central [DSN]" in capsys.readouterr().out
