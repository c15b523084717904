"""The build lock of an index folder: one writer at a time, across threads and processes."""

from __future__ import annotations

import fcntl
import threading
from pathlib import Path

from .errors import AssistantError

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


class _BuildLock:
    """Held while one build writes an index folder: a per-folder thread lock (builds from threads of one
    process wait their turn) plus a POSIX record lock on ``.lock`` (another process is refused)."""

    def __init__(self, thread_lock: threading.Lock, fh):
        self.thread_lock, self.fh = thread_lock, fh

    def close(self) -> None:
        self.fh.close()
        self.thread_lock.release()


def _lock(index_dir: Path) -> _BuildLock:
    index_dir.mkdir(parents=True, exist_ok=True)
    with _THREAD_LOCKS_GUARD:
        thread_lock = _THREAD_LOCKS.setdefault(str(index_dir.resolve()), threading.Lock())
    thread_lock.acquire()
    try:
        return _BuildLock(thread_lock, _process_lock(index_dir))
    except BaseException:
        thread_lock.release()
        raise


def _process_lock(index_dir: Path):
    fh = open(index_dir / ".lock", "w")
    try:
        # a POSIX record lock (lockf), not flock: it belongs to this process alone, so parser worker
        # processes forked during the build cannot keep it after a kill -9 of the build
        fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fh.close()
        raise AssistantError(f"Another build is writing to {index_dir}; wait for it to finish") from None
    return fh
