"""A throwaway PostgreSQL server for the chain-mode tests and the benchmark: a cluster in a
temporary folder, listening on a Unix socket in that folder only (no TCP port to collide with,
nothing reachable from outside), run as an unprivileged user since the server refuses root.

Debian's `postgresql` package provides the binaries (`.ci/run` installs it when missing).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"  # the package makes it; used only when the tests run as root


def server_binaries() -> Path | None:
    """The newest installed server's bin folder, found rather than assumed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    # The socket file's name carries the port; any number no other cluster here uses will do.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """One server: `start()`, `stop()`, `start()` again keeps its data; `remove()` at the end."""

    def __init__(self) -> None:
        self.bin = server_binaries()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed: apt-get install -y postgresql")
        # In the system's temporary folder: the server's user must reach it (pytest's own
        # temporary folders are readable by their owner only).
        self.folder = Path(tempfile.mkdtemp(prefix="posdesk-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
            self.superuser = SERVER_USER
        else:
            self.superuser = pwd.getpwuid(os.geteuid()).pw_name
        self.folder.chmod(0o755)  # the socket is in it; other roles connect through it
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", self.superuser,
                  "--no-sync", "-E", "UTF8", "--locale", "C.UTF-8")
        self.running = False

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise RuntimeError(f"{tool} failed: {done.stderr.strip()}")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")
        self.running = True

    def stop(self, mode: str = "fast") -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
            self.running = False

    def remove(self) -> None:
        try:
            self.stop("immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def dsn(self, user: str | None = None, dbname: str = "postgres") -> str:
        return (f"host={self.folder} port={self.port} dbname={dbname} "
                f"user={user or self.superuser} connect_timeout=3")

    def sql(self, statement: str, dbname: str = "postgres", user: str | None = None) -> list[tuple]:
        """One statement run with autocommit (CREATE DATABASE needs it)."""
        import psycopg

        with psycopg.connect(self.dsn(user, dbname), autocommit=True) as connection:
            cursor = connection.execute(statement)
            return cursor.fetchall() if cursor.description else []
