"""One harvest per site at a time: a lock file beside the site's lake, held for the whole run.

Two harvests of one site at once (a CLI run while a Dagster run is going, two schedules, two machines sharing the
data folder) would each take the other's live journal for a killed run and write into one WARC. `SiteLock` takes an
exclusive `flock` on ``<data>/lake/sites/<site_id>/harvest.lock`` without waiting; the holder writes who it is
(host, pid, start time) into the file, so the second harvest is refused with a message naming the run that holds
it. The kernel releases the lock when the holder exits, however it exits, so a killed run never leaves a stale lock.
On a shared file system the lock is as global as the file system's `flock` (JuiceFS, NFSv4 and CephFS keep it).
"""
from __future__ import annotations

import fcntl
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from gongkai.harvesters.errors import HarvestError


class SiteBusy(HarvestError):
    """Another harvest of the same site holds its lock."""


class SiteLock:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.fd: int | None = None

    def __enter__(self) -> SiteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 400, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise SiteBusy(f"{self.path.parent.name}: another harvest of this site is running ({holder}); this one "
                           f"was not started. Wait for it to finish (its lock is {self.path})") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"host {socket.gethostname()}, pid {os.getpid()}, since "
                      f"{datetime.now(UTC).isoformat(timespec='seconds')}".encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None
