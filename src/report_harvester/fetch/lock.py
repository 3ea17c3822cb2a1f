"""One harvest per database: an OS lock on ``<db>.lock`` (released when the process dies).

The lock is filelock's (fcntl on POSIX, msvcrt on Windows): both belong to the open
file, so a process killed with SIGKILL leaves the file behind but not the lock, and
the next run takes over. It is keyed on the database's real path, so a symlink and
its target share one lock. The holder writes its pid and start time into the file
for the refusal message.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from ..errors import HarvestLockedError, StoreError


def lock_path(db_path: str | Path) -> Path:
    """``<real path of the database>.lock``."""
    return Path(f"{Path(db_path).resolve()}.lock")


class HarvestLock:
    """Hold ``<db>.lock`` exclusively for the life of a harvest (a context manager)."""

    def __init__(self, db_path: str | Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(db_path)
        self._lock = FileLock(self.path, timeout=0)

    def acquire(self) -> None:
        """Take the lock or raise ``HarvestLockedError`` naming the holder."""
        try:
            self._lock.acquire()
        except Timeout:
            pid, since = _read_holder(self.path)
            raise HarvestLockedError(
                f"another harvest (pid {pid}) is running on {self.db_path} since {since}"
            ) from None
        except OSError as exc:
            raise StoreError(f"cannot lock {self.path}: {exc.strerror or exc}") from None
        since = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        try:
            with open(self.path, "r+b") as holder:
                holder.write(f"{os.getpid()} {since}\n".encode())
                holder.truncate()
        except OSError:
            pass  # where the lock forbids a second handle (Windows) the message says "?"

    def release(self) -> None:
        """Let go of the lock (the file may stay; it is harmless)."""
        if self._lock.is_locked:
            self._lock.release()

    def __enter__(self) -> HarvestLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_holder(path: Path) -> tuple[str, str]:
    """(pid, start time) written by the holder; "?" while it is still writing them."""
    try:
        words = path.read_bytes()[:200].decode("ascii", errors="replace").split()
    except OSError:
        words = []
    if len(words) >= 2 and words[0].isdigit():
        return words[0], words[1]
    return "?", "?"
