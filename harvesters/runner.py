"""Harvest many sites at once while every host stays within its limits.

Sites run on threads: a harvest spends nearly all its time waiting for its host's turn or for the server, so one
thread per site costs little, and the shared host gate (lock files under ``<data>/hosts``, or Redis) keeps two sites on one
host, or two processes, from adding up to more than the host's delay and concurrency allow.
"""
from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from gongkai.harvesters.crawl import HarvestReport, harvest_site
from gongkai.harvesters.fetch import DEFAULT_CONTACT
from gongkai.harvesters.hosts import open_gate
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site

MAX_WORKERS = 128


def harvest_many(sites: list[Site], lake: DataFolder, contact: str = DEFAULT_CONTACT, workers: int | None = None,
                 full: bool = False, progress: Callable[[HarvestReport], None] | None = None) -> list[HarvestReport]:
    """Harvest `sites` concurrently (one thread per site, up to `workers`); reports in the order of `sites`."""
    gate = open_gate(lake.hosts_dir)
    workers = max(1, min(workers or MAX_WORKERS, len(sites) or 1))
    with ThreadPoolExecutor(workers, thread_name_prefix="harvest") as pool:
        futures = [pool.submit(harvest_site, s, lake, contact, progress, gate, full) for s in sites]
        return [f.result() for f in futures]


class ProgressBoard:
    """A per-site progress display for the terminal: one line per site, redrawn in place on a TTY; on a pipe or
    log file, one line each time a site finishes."""

    def __init__(self, sites: list[Site], stream=None, interval: float = 0.5) -> None:
        self.order = [s.site_id for s in sites]
        self.reports: dict[str, HarvestReport] = {}
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.interval = interval
        self._lock = threading.Lock()
        self._drawn = 0
        self._last = 0.0
        self._started = time.monotonic()

    def __call__(self, report: HarvestReport) -> None:
        with self._lock:
            self.reports[report.site_id] = report
            if self.tty and time.monotonic() - self._last >= self.interval:
                self._draw()
            elif not self.tty and report.status != "running":
                print(self.line(report), file=self.stream, flush=True)

    @staticmethod
    def line(r: HarvestReport) -> str:
        d = r.docs
        return (f"{r.site_id:<24} {r.status:<8} {r.mode:<11} {r.requests:>6} req {r.not_modified:>5} 304 "
                f"{r.bytes / 1e6:>7.1f} MB  docs +{d['new']} ~{d['changed']} -{d['withdrawn']}  "
                f"{len(r.errors)} err  {time.monotonic() - r.started if r.status == 'running' else r.duration_s:>6.1f} s")

    def _draw(self) -> None:
        lines = [self.line(self.reports[s]) if s in self.reports else f"{s:<24} waiting" for s in self.order]
        done = sum(1 for r in self.reports.values() if r.status != "running")
        lines.append(f"{done}/{len(self.order)} sites done, {time.monotonic() - self._started:.0f} s")
        if self._drawn:
            self.stream.write(f"\x1b[{self._drawn}F")
        self.stream.write("".join(f"\x1b[2K{line}\n" for line in lines))
        self.stream.flush()
        self._drawn = len(lines)
        self._last = time.monotonic()

    def finish(self) -> None:
        with self._lock:
            if self.tty:
                self._draw()
