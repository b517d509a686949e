"""Parse one site's latest harvest from its archive alone (no network): documents, sections (栏目), attachments.

A parser fix reruns this step over the WARC files; the crawl is not repeated.
"""
from __future__ import annotations

import hashlib
from datetime import date
from urllib.parse import urlsplit

from gongkai.harvesters.adapters import adapter_for
from gongkai.harvesters.adapters.base import ListItem
from gongkai.harvesters.adapters.dom import host_of
from gongkai.harvesters.adapters.listing import request_of
from gongkai.harvesters.archive import ArchiveReader
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.fetch_log import DEAD_LINK
from gongkai.harvesters.fields import normalise_validity, optional
from gongkai.harvesters.reports import report_rows, report_year
from gongkai.harvesters.state import FULL, usable, window_runs
from gongkai.harvesters.tree import Tree
from gongkai.schemas.clock import china_date
from gongkai.schemas.datafolder import DataFolder
from gongkai.schemas.registry import Site

DEPARTMENT_ROOTS = ("部门信息公开", "部门公开", "部门信息")


def doc_id(site_id: str, url: str) -> str:
    """Stable id from the canonical URL within the site (path and query, never the host or the title)."""
    parts = urlsplit(url)
    canonical = parts.path + (f"?{parts.query}" if parts.query else "")
    return hashlib.sha256(f"{site_id}|{canonical}".encode()).hexdigest()[:20]


def _attachment_status(row: dict | None, external: bool = False) -> str:
    """ok (fetched, or revalidated with a 304) | broken (the server said the file is not there or not for us: 400,
    401, 403, 404, 410) | external (on another host: linked, not fetched) | not_fetched (anything else, e.g. 429 or
    408: the harvest's trouble, not the county's)."""
    if external:
        return "external"
    if row is None:
        return "not_fetched"
    if 200 <= row["status"] < 300 or row["status"] == 304:
        return "ok"
    return "broken" if row["status"] in DEAD_LINK else "not_fetched"


def _scope(path: str) -> str:
    return "department" if path.split("/", 1)[0] in DEPARTMENT_ROOTS else "government"


class SiteParse:
    """Parse the archive window (the latest healthy full sweep and every run after it) into the site's tables.

    After a healthy full sweep the window is that run alone, and what it no longer lists is withdrawn (a dated
    tombstone). Otherwise the window's runs are merged: the newest good answer to each request, and list items
    accumulated over every list page version, so neither an incremental run that stopped early nor a faulty run
    loses what an earlier run harvested.
    """

    def __init__(self, site: Site, lake: DataFolder) -> None:
        self.site, self.lake = site, lake
        window, runs = window_runs(lake, site.site_id)
        if not runs:
            raise FileNotFoundError(f"{lake.site_dir(site.site_id)}: no finished harvest run to parse; "
                                    f"run the harvest for {site.site_id} first")
        latest = runs[-1]
        # The registry's adapter, else the one the latest crawl detected from the entry page (it followed its links).
        self.adapter = adapter_for(site.adapter or latest.get("adapter") or "generic")
        self.run_id = latest["run_id"]
        self._sizes: dict[str, int] = {}
        self.damaged: set[str] = set()  # WARC files cut short: the pages past the cut count as not read
        self.log, self.list_log = self._merge_runs(window)
        # a healthy full sweep read from an intact archive: only then are unlisted documents taken for withdrawn
        self.healthy = latest["status"] == "ok" and (latest.get("mode") or FULL) == FULL and not self.damaged
        self.reader = ArchiveReader(lake.warc_dir(site.site_id))
        harvested = [r["fetched_at"] for r in lake.read_run_table(site.site_id, self.run_id, "fetch_log")]
        self.harvest_date: date = china_date(max(harvested)) if harvested else date.today()

    def _merge_runs(self, runs: list[str]) -> tuple[list[dict], list[dict]]:
        """(newest good row per request in crawl order of the newest run that made it, every good list row oldest
        first). A page that failed in the latest run keeps its last good archived copy."""
        best: dict[tuple, dict] = {}
        lists: list[dict] = []
        self.attempts: dict[str, dict] = {}  # newest answer to each attachment URL, failures included
        self.failed_columns: dict[str, str] = {}  # column path → its page's URL, when no run of the window read it
        read: set[str] = set()
        for run in runs:
            for row in self.lake.read_run_table(self.site.site_id, run, "fetch_log"):
                if row["kind"] == "attachment":
                    self.attempts[row["url"]] = row
                if not usable(row) or not self._archived(row):
                    if row["kind"] == "column":
                        self.failed_columns[row["column_path"]] = row["url"]
                    continue
                key = (row["kind"], row["method"], row["url"], row["post_data"])  # a column's page may be its document
                best.pop(key, None)  # re-insert: order follows the newest run that saw the request
                best[key] = row
                if row["kind"] in ("column", "list"):
                    lists.append(row)
                    if row["kind"] == "column":
                        read.add(row["column_path"])
        for path in read:
            self.failed_columns.pop(path, None)
        return list(best.values()), lists

    def _archived(self, row: dict) -> bool:
        """Whether the row's body is inside its WARC file: a truncated file (a full disk, a kill) loses the records
        past its end, and those pages count as not read (a column's categories `not_harvested`, never `blank`)."""
        name = row["body_warc"]
        if name not in self._sizes:
            path = self.lake.warc_dir(self.site.site_id) / name
            self._sizes[name] = path.stat().st_size if path.exists() else 0
        end = row.get("warc_end") if name == row.get("warc_file") else None
        ok = row["body_offset"] < self._sizes[name] and (end is None or end <= self._sizes[name])
        if not ok:
            self.damaged.add(name)
        return ok

    def _decoded(self, row: dict) -> tuple[str, str]:
        """(text, encoding used) of the archived body a fetch-log row stands for."""
        _, headers, body = self.reader.read_at(row["body_warc"], row["body_offset"])
        ctype = row["content_type"] or next((v for k, v in headers if k.lower() == "content-type"), "")
        return decode_html(body, ctype)

    def _text(self, row: dict) -> str:
        return self._decoded(row)[0]

    def run(self) -> dict[str, int]:
        try:
            return self._run()
        finally:
            self.reader.close()

    def _run(self) -> dict[str, int]:
        sid = self.site.site_id
        tree = Tree(self.adapter, self.site.allowed_hosts)
        items: dict[str, dict[str, ListItem]] = {}
        notes: dict[str, str] = {}
        support = {row["url"]: self._text(row) for row in self.log if row["kind"] == "support"}
        pages = []  # tree_pages rows
        for row in self.log:  # the platform's entry pages (the portal pages read on the way to them are kind 'portal')
            if row["kind"] == "entry":
                tree.add_entry(row["url"], self._text(row), support)
                pages.append({"site_id": sid, "url": row["url"], "column_path": None, "role": "entry", "status": "read"})
        groups: set[str] = set()
        for row in self.list_log:  # oldest first: a newer listing of an item replaces the older one
            text, request = self._text(row), request_of(row["method"], row["url"], row["post_data"])
            path = row["column_path"]
            if row["kind"] == "column":
                page = tree.column_page(tree.ensure(path, row["url"]), row["url"], text, request)
                result = page.result
                if page.columns:
                    groups.add(path)
            else:
                result = self.adapter.list_page(row["url"], text, request)
            col_items = items.setdefault(path, {})
            for item in result.items:
                col_items[item.url] = item
            if result.note:
                notes[path] = result.note
            elif result.items:
                notes.pop(path, None)
        read = {row["column_path"]: row["url"] for row in self.list_log if row["kind"] == "column"}
        for col in tree.columns:
            if col.url and (tree.external(col) or col.path in read or col.path in self.failed_columns):
                status = "external" if tree.external(col) else "read" if col.path in read else "not_read"
                role = "group" if col.path in groups else "column"
                pages.append({"site_id": sid, "url": read.get(col.path, col.url), "column_path": col.path, "role": role,
                              "status": status})
        docs, attachments, figures, checks = self._documents(items, tree)
        sections = self._sections(tree, items, notes, set(read))
        list_rows = [{"site_id": sid, "column_path": path, "url": i.url, "title": i.title, "list_date": i.date}
                     for path, col in items.items() for i in col.values()]
        self.lake.write_site_table(sid, "documents", docs)
        self.lake.write_site_table(sid, "attachments", attachments)
        self.lake.write_site_table(sid, "sections", sections)
        self.lake.write_site_table(sid, "list_items", list_rows)
        self.lake.write_site_table(sid, "tree_pages", pages)
        self.lake.write_site_table(sid, "report_figures", figures)
        self.lake.write_site_table(sid, "report_checks", checks)
        self.lake.write_site_table(sid, "captures", self._captures())
        return {"documents": len(docs), "sections": len(sections), "attachments": len(attachments),
                "list_items": len(list_rows), "report_figures": len(figures)}

    def _captures(self) -> list[dict]:
        """The newest archived copy of each page read by GET (what an evidence URL points at), newest first."""
        newest: dict[str, dict] = {}
        for row in self.log:
            if row["method"] == "GET" and (row["url"] not in newest or row["fetched_at"] > newest[row["url"]]["fetched_at"]):
                newest[row["url"]] = row
        return [{"site_id": self.site.site_id, "url": url, "kind": r["kind"], "run_id": r["run_id"],
                 "captured_at": r["fetched_at"], "status": r["status"], "content_type": r["content_type"],
                 "warc_file": r["body_warc"], "warc_offset": r["body_offset"], "sha256": r["sha256"]}
                for url, r in sorted(newest.items())]

    def _documents(self, items: dict[str, dict[str, ListItem]], tree: Tree) -> tuple[list[dict], ...]:
        sid = self.site.site_id
        previous = {d["doc_id"]: d for d in self.lake.read_site_table(sid, "documents")}
        fetched = {r["url"]: r for r in self.log if r["kind"] == "attachment"}
        list_dates = {url: i.date for col in items.values() for url, i in col.items()}
        docs, attachments, figures, checks, seen = [], [], [], [], set()
        for row in self.log:
            if row["kind"] != "document" or row["url"] in seen:
                continue
            text, encoding = self._decoded(row)
            seen.add(row["url"])
            f = self.adapter.document(row["url"], text)
            did = doc_id(sid, row["url"])
            old = previous.get(did, {})
            docs.append({
                "doc_id": did, "site_id": sid, "url": row["url"], "column_path": row["column_path"],
                "title": f.title, "index_no": f.index_no, "index_no_raw": f.fields.get("index_no"),
                "doc_no": f.doc_no, "publisher": f.publisher, "written_date": f.written_date,
                "published_date": f.published_date, "list_date": list_dates.get(row["url"]),
                "validity": normalise_validity(f.fields.get("validity")), "topic": f.value("topic"), "source": f.value("source"),
                "body_text": f.body_text,
                "related_urls": f.related_urls, "content_sha256": f.content_sha256,
                "first_seen": old.get("first_seen") or self.harvest_date, "last_seen": self.harvest_date,
                "withdrawn_at": None, "adapter": self.adapter.name, "adapter_version": self.adapter.version,
                "encoding": encoding, "parse_warnings": f.warnings, "parse_confidence": f.confidence,
                **{f"{k}_source": f.source_of(k) for k in ("published_date", "written_date", "doc_no", "publisher")},
            })
            if report_year(f.title) is not None:
                figs, fails = report_rows(docs[-1], text)
                figures += figs
                checks += fails
            for url, name, _href in f.attachments:
                got = fetched.get(url) or self.attempts.get(url)
                attachments.append({
                    "doc_id": did, "site_id": sid, "url": url, "name": optional(name),
                    "type": urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path else None,
                    "bytes": got["bytes"] if got and got["sha256"] else None, "sha256": got["sha256"] if got else None,
                    "status": _attachment_status(got, host_of(url) not in tree.hosts),
                })
        current = {d["doc_id"] for d in docs}
        for did, old in previous.items():  # tombstones (撤稿): kept with the date they were first found gone
            if did not in current:
                gone = old.get("withdrawn_at") or (self.harvest_date if self.healthy else None)
                docs.append({**old, "withdrawn_at": gone})
        return docs, attachments, figures, checks

    def _sections(self, tree: Tree, items, notes, read: set[str]) -> list[dict]:
        """Columns with their own and rolled-up item counts, newest item date and status: ok / blank /
        blank_with_note when their page was read (a group's status rolls up its sub-columns), not_read when it could
        not be fetched, external when it lives on another host."""
        rows = []
        columns = tree.columns
        for col in columns:
            inside = [c for c in columns if c.path == col.path or c.path.startswith(col.path + "/")]
            all_items = [i for c in inside for i in items.get(c.path, {}).values()]
            dated = [i for i in all_items if i.date]
            newest = max(dated, key=lambda i: (i.date, i.url), default=None)
            leaves = [c for c in inside if c.url]
            note = notes.get(col.path) or (notes[leaves[0].path] if not all_items and leaves and
                                           all(c.path in notes for c in leaves) else None)
            status = "ok" if all_items else "blank_with_note" if note else "blank"
            if not all_items and col.url and col.path not in read:
                status = "external" if tree.external(col) else "not_read"
            elif not all_items and not col.url and leaves and all(c.path not in read for c in leaves):
                status = "external" if all(tree.external(c) for c in leaves) else "not_read"
            rows.append({
                "site_id": self.site.site_id, "path": col.path, "name": col.name, "parent_path": col.parent_path,
                "depth": col.depth, "scope": _scope(col.path), "url": col.url, "item_count": len(all_items),
                "own_item_count": len(items.get(col.path, {})), "newest_item_date": newest.date if newest else None,
                "newest_item_url": newest.url if newest else None, "undated_items": len(all_items) - len(dated),
                "note": note, "status": status, "found_on": tree.found_on.get(col.path),
            })
        return rows


def parse_site(site: Site, lake: DataFolder) -> dict[str, int]:
    return SiteParse(site, lake).run()
