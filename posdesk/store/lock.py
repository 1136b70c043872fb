"""A lock across processes (and threads) on one data directory.

flock on POSIX, msvcrt on Windows; reentrant within a thread, so a transaction can call another.
Small enough to write here instead of importing a library on every start.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.01


class LockTimeout(Exception):
    pass


class DirectoryLock:
    def __init__(self, path: Path, timeout: float) -> None:
        self.lock_file = path
        self.timeout = timeout
        self._threads = threading.RLock()  # one thread at a time in this process…
        self._depth = 0
        self._fd: int | None = None  # …and one process at a time through the file

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise LockTimeout(self.lock_file)
        if self._depth == 0:
            try:
                self._lock_file(deadline)
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        self._threads.release()

    def _lock_file(self, deadline: float) -> None:
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise LockTimeout(self.lock_file)
            time.sleep(POLL_SECONDS)
        self._fd = fd


if os.name == "nt":  # pragma: no cover - posdesk is tested on Linux
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
