"""Per-host limits shared by every harvest on this machine: at most N requests in flight to a host, and request
starts at least `delay` seconds apart.

Two registry sites can live on one host (a provincial 集约化 platform serves many counties from one server), and
Dagster runs each site partition in its own process; so the limits are kept in lock files under
``<data>/hosts/<host>/`` rather than in memory. `flock` locks belong to an open file, so threads of one process
and separate processes are held to the same limits, and a killed process releases its locks.
"""
from __future__ import annotations

import fcntl
import os
import random
import struct
import time
from contextlib import contextmanager
from pathlib import Path


class HostGate:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _dir(self, netloc: str) -> Path:
        path = self.root / netloc.replace(":", "_").replace("/", "_")
        path.mkdir(parents=True, exist_ok=True)
        return path

    @contextmanager
    def slot(self, netloc: str, delay: float, concurrency: int):
        """Hold one of the host's `concurrency` slots, and start no sooner than `delay` after the previous start."""
        folder = self._dir(netloc)
        fd = self._take_slot(folder, max(1, concurrency))
        try:
            self._wait_turn(folder, delay)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def push_back(self, netloc: str, seconds: float) -> None:
        """No request to the host for `seconds` from now (robots.txt just named a longer Crawl-delay)."""
        fd = os.open(self._dir(netloc) / "next", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            raw = os.pread(fd, 8, 0)
            current = struct.unpack("d", raw)[0] if len(raw) == 8 else 0.0
            os.pwrite(fd, struct.pack("d", max(current, time.time() + seconds)), 0)
        finally:
            os.close(fd)

    @staticmethod
    def _take_slot(folder: Path, concurrency: int) -> int:
        order = list(range(concurrency))
        random.shuffle(order)
        fds = [os.open(folder / f"slot{i}", os.O_RDWR | os.O_CREAT, 0o644) for i in order]
        try:
            while True:
                for fd in fds:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue
                    fds.remove(fd)
                    return fd
                time.sleep(0.002)
        finally:
            for other in fds:
                os.close(other)

    @staticmethod
    def _wait_turn(folder: Path, delay: float) -> None:
        """Start once `delay` has passed since the host's last start (kept as a float in the `next` file as the
        earliest next start). The start is written when it happens, not when it is planned, so a thread that wakes
        late cannot bring the next request closer to its own."""
        while True:
            fd = os.open(folder / "next", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                raw = os.pread(fd, 8, 0)
                now, earliest = time.time(), (struct.unpack("d", raw)[0] if len(raw) == 8 else 0.0)
                if now >= earliest:
                    os.pwrite(fd, struct.pack("d", now + delay), 0)
                    return
            finally:
                os.close(fd)  # closing releases the lock
            time.sleep(earliest - now)
