"""What earlier runs of a site left behind, and so what this run must fetch (增量采集).

The site's current picture is the archive *window*: the latest healthy full sweep and every run after it. Parse
merges that window; a harvest revalidates against it (ETag / Last-Modified of the last good answer to each request)
and skips list items it already holds unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site

FULL, INCREMENTAL = "full", "incremental"
Key = tuple[str, str, "str | None"]


def usable(row: dict) -> bool:
    """A fetch-log row whose archived body can stand for the page: a 2xx, or a 304 pointing at one, that is not a
    soft error (a login wall or "not found" page answered with 200; harvesters.soft_errors)."""
    return (bool(row.get("body_warc")) and (200 <= row["status"] < 300 or row["status"] == 304)
            and not row.get("error"))


def window_runs(lake: DataFolder, site_id: str, skip: str | None = None) -> tuple[list[str], list[dict]]:
    """Finished runs from the latest healthy full sweep on (every run when there is none), and all run rows; `skip`
    leaves out a run (the crashed run a harvest resumes, which is not 'earlier' to itself)."""
    runs = [lake.read_run_table(site_id, r, "harvest_runs")[0] for r in lake.finished_runs(site_id) if r != skip]
    start = 0
    for i, run in enumerate(runs):
        if run["status"] == "ok" and (run.get("mode") or FULL) == FULL:
            start = i
    return [r["run_id"] for r in runs[start:]], runs


@dataclass
class PriorState:
    runs: list[dict] = field(default_factory=list)                 # harvest_runs rows, oldest first
    known: dict[Key, dict] = field(default_factory=dict)           # newest good fetch_log row per request
    listed: dict[str, dict[str, tuple]] = field(default_factory=dict)  # column → url → (title, list date)
    doc_hashes: dict[str, str] = field(default_factory=dict)       # url → content hash of each current document

    @classmethod
    def load(cls, lake: DataFolder, site_id: str, skip: str | None = None) -> PriorState:
        window, runs = window_runs(lake, site_id, skip)
        known: dict[Key, dict] = {}
        for run in window:
            for row in lake.read_run_table(site_id, run, "fetch_log"):
                if usable(row):
                    known[(row["method"], row["url"], row["post_data"])] = row
        listed: dict[str, dict[str, tuple]] = {}
        for item in lake.read_site_table(site_id, "list_items"):
            listed.setdefault(item["column_path"], {})[item["url"]] = (item["title"], item["list_date"])
        hashes = {row["url"]: row["content_sha256"] for row in known.values()
                  if row["kind"] == "document" and row.get("content_sha256")}
        return cls(runs, known, listed, hashes)

    def known_unchanged(self, column_path: str, url: str, title: str, when) -> bool:
        """A list item we hold already, listed the same way, whose document has a good archived copy."""
        return (self.listed.get(column_path, {}).get(url) == (title, when)
                and ("GET", url, None) in self.known)

    def page_unchanged(self, key: Key, sha256: str, not_modified: bool) -> bool:
        prev = self.known.get(key)
        return not_modified or (prev is not None and prev["sha256"] == sha256)


def choose_mode(site: Site, prior: PriorState, now: datetime | None = None, force_full: bool = False) -> str:
    """A full sweep when forced, when there is no healthy earlier run, when the last run was not healthy (so its
    gaps are filled), or when the last healthy full sweep is older than the site's `full_sweep_days`."""
    now = now or datetime.now(UTC)
    if force_full or site.harvest.full_sweep_days == 0 or not prior.runs or prior.runs[-1]["status"] != "ok":
        return FULL
    sweeps = [r for r in prior.runs if r["status"] == "ok" and (r.get("mode") or FULL) == FULL]
    if not sweeps or now - sweeps[-1]["started_at"] >= timedelta(days=site.harvest.full_sweep_days):
        return FULL
    return INCREMENTAL
