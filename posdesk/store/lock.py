"""A lock across processes (and threads) on one data directory.

flock on POSIX, msvcrt on Windows; reentrant within a thread, so a transaction can call another.
Small enough to write here instead of importing a library on every start.

A writer opens (and if need be creates) the lock file read-write. A reader makes do: read-only
when the folder cannot be written, and without the lock when the file is not there and cannot be
made (a data directory that does not exist yet, or a read-only one that never had a lock file),
since then nobody can be writing. The lock file is never opened through a symbolic link.
"""

from __future__ import annotations

import errno
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from posdesk.store.errors import CannotUse, CannotWrite, StoreBusy

if TYPE_CHECKING:
    from posdesk.store.locations import Locations

POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 15
NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
CLOSE_ON_EXEC = getattr(os, "O_CLOEXEC", 0)


class LockTimeout(Exception):
    pass


class DirectoryLock:
    @classmethod
    def of(cls, locations: Locations) -> DirectoryLock:
        """The lock of a data directory."""
        return cls(locations.lock, TIMEOUT_SECONDS)

    def __init__(self, path: Path, timeout: float) -> None:
        self.lock_file = path
        self.timeout = timeout
        self._threads = threading.RLock()  # one thread at a time in this process…
        self._depth = 0
        self._fd: int | None = None  # …and one process at a time through the file

    def acquire(self, write: bool = True) -> None:
        """Hold the lock; `write` says whether the holder will write (and so needs the file)."""
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise LockTimeout(self.lock_file)
        # A reader may have gone without the file; a write inside it must still take it.
        if self._depth == 0 or (write and self._fd is None):
            try:
                self._lock_file(deadline, write)
            except BaseException:
                self._threads.release()
                raise
        self._depth += 1

    @contextmanager
    def held(self, write: bool) -> Iterator[None]:
        """The lock for one read or one read-modify-write; StoreBusy when it is not free."""
        try:
            self.acquire(write)
        except LockTimeout:
            raise StoreBusy(self.lock_file, self.timeout) from None
        try:
            yield
        finally:
            self.release()

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        self._threads.release()

    def _lock_file(self, deadline: float, write: bool) -> None:
        fd = self._open(write)
        if fd is None:
            return
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise LockTimeout(self.lock_file)
            time.sleep(POLL_SECONDS)
        self._fd = fd

    def _open(self, write: bool) -> int | None:
        try:
            return os.open(self.lock_file, os.O_RDWR | os.O_CREAT | NO_FOLLOW | CLOSE_ON_EXEC,
                           0o600)
        except OSError as error:
            if write:
                raise CannotWrite(self.lock_file, error) from None
            if error.errno == errno.ELOOP:
                raise CannotUse(self.lock_file, error) from None
        try:
            return os.open(self.lock_file, os.O_RDONLY | NO_FOLLOW | CLOSE_ON_EXEC)
        except FileNotFoundError:
            return None
        except OSError as error:
            raise CannotUse(self.lock_file, error) from None


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
