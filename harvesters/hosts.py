"""Per-host limits shared by every harvest: at most N requests in flight to a host (or politeness group), and
request starts at least `delay` seconds apart.

Two registry sites can live on one host (a provincial 集约化 platform serves many counties from one server), and
Dagster runs each site partition in its own process, perhaps on another machine; so the limits are never kept in
memory. Two gates keep them:

- `HostGate`: lock files under ``<data>/hosts/<host>/``. `flock` locks belong to an open file, so threads and
  processes are held to the same limits, and a killed process releases its locks. It holds across machines only when
  the data folder is one POSIX file system with global locks (JuiceFS; not every NFS).
- `SharedHostGate`: the same limits kept in Redis, for workers on several machines. Times come from the Redis
  server's clock, so the machines' clocks need not agree; a slot is a lease that lapses if its holder dies.

`open_gate` picks the shared gate when ``GONGKAI_HOST_GATE`` names a Redis URL (``redis://host:6379/0``).
"""
from __future__ import annotations

import fcntl
import os
import random
import struct
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

GATE_ENV = "GONGKAI_HOST_GATE"


def open_gate(hosts_dir: str | Path) -> HostGate | SharedHostGate:
    """The gate every harvest of this deployment shares: Redis when GONGKAI_HOST_GATE names one, else lock files."""
    url = os.environ.get(GATE_ENV, "").strip()
    return SharedHostGate(url) if url else HostGate(hosts_dir)


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


# Both scripts read the server's clock (milliseconds), so every worker agrees on "now" whatever its own clock says.
_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
# KEYS[1] the host's leases (member → expiry); ARGV: concurrency, lease ms, this holder's token. 1 = slot taken.
_TAKE = _NOW + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0"""
# KEYS[1] the host's earliest next start (ms); ARGV: delay ms, 1 = only push back (robots.txt). Returns ms to wait.
_TURN = _NOW + """
local earliest = tonumber(redis.call('GET', KEYS[1]) or '0')
local delay = tonumber(ARGV[1])
if ARGV[2] == '1' then
  if now + delay > earliest then redis.call('SET', KEYS[1], now + delay, 'PX', delay + 3600000) end
  return 0
end
if now >= earliest then
  redis.call('SET', KEYS[1], now + delay, 'PX', delay + 3600000)
  return 0
end
return earliest - now"""


class SharedHostGate:
    """`HostGate`'s limits kept in Redis, so harvest workers on every machine share them.

    A slot is a lease of `lease_seconds` (longer than any request: `timeout_seconds` bounds a whole response); the
    holder gives it back when its request ends, and a holder that dies loses it when the lease lapses."""

    PREFIX = "gongkai:host:"

    def __init__(self, url: str, lease_seconds: float = 600.0) -> None:
        import redis  # only deployments with a shared gate need the client

        self.url = url
        self.redis = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        self.lease_ms = int(lease_seconds * 1000)
        self._take = self.redis.register_script(_TAKE)
        self._turn = self.redis.register_script(_TURN)

    def __repr__(self) -> str:
        return f"SharedHostGate({self.url!r})"

    @contextmanager
    def slot(self, netloc: str, delay: float, concurrency: int):
        """Hold one of the host's `concurrency` slots, and start no sooner than `delay` after the previous start."""
        leases, token = self.PREFIX + netloc + ":slots", uuid.uuid4().hex
        while not self._take(keys=[leases], args=[max(1, concurrency), self.lease_ms, token]):
            time.sleep(0.01)
        try:
            while wait_ms := int(self._turn(keys=[self.PREFIX + netloc + ":next"], args=[int(delay * 1000), 0])):
                time.sleep(wait_ms / 1000)
            yield
        finally:
            self.redis.zrem(leases, token)

    def push_back(self, netloc: str, seconds: float) -> None:
        """No request to the host for `seconds` from now (robots.txt just named a longer Crawl-delay)."""
        self._turn(keys=[self.PREFIX + netloc + ":next"], args=[int(seconds * 1000), 1])
