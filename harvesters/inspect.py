"""`gongkai inspect` and `gongkai discover`: what an adapter makes of one page, and where a county's disclosure
platform is, for a data team onboarding a county (接入新站点).

`inspect_url`: which CMS family the page looks like and why (`detect`), which kind of page it is (home / column /
list / document), and everything the adapter extracts from it, as plain data for a table or JSON. `discover_platform`:
the platform reached from a home page, its family and 61号 columns, and a registry entry for it. Both read a live page
(one polite look, harvesters.look) or a saved file.
"""
from __future__ import annotations

import re
from pathlib import Path

from gongkai.harvesters.adapters import ADAPTERS, adapter_for
from gongkai.harvesters.adapters.base import ListResult
from gongkai.harvesters.adapters.navigation import MIN_TREE, is_column_name
from gongkai.harvesters.detect import Detection, detect  # noqa: F401  (re-exported for callers of inspect)
from gongkai.harvesters.discover import describe, discover
from gongkai.harvesters.encoding import decode_html
from gongkai.harvesters.errors import HarvestError, SiteChanged
from gongkai.harvesters.look import Look, LookFailed, read_saved
from gongkai.harvesters.tree import entry_columns


def inspect_url(url: str, hosts_dir: str | Path | None = None, file: str | Path | None = None,
                content_type: str = "", adapter: str | None = None, allow_private: bool = False) -> dict:
    """`inspect_page` for the page at `url`, fetched politely (robots.txt first, the host limits in `hosts_dir`),
    with the files it needs; or, given `file`, for the page saved from `url` (its files named, not fetched).
    A page that cannot be read (a missing file, a refusal, a failed fetch) is a LookFailed naming it."""
    if file is not None:
        return inspect_page(url, read_saved(file), content_type or "", adapter)
    with Look(url, hosts_dir, adapter=adapter, allow_private=allow_private) as look:
        try:
            got = look.fetch(url)
            if not got.ok:
                raise LookFailed(f"{url}: {got.error or f'HTTP {got.status}'}")
            return inspect_page(url, got.body, got.content_type, adapter, look.file)
        except HarvestError as exc:
            raise LookFailed(str(exc)) from exc


def inspect_page(url: str, body: bytes, content_type: str = "", adapter: str | None = None, fetch=None) -> dict:
    """Everything one adapter extracts from one page, and which page kind it is. `fetch(url) -> (body, content type)
    | None` gets the files the page needs read first (Adapter.support, e.g. a script holding the list address);
    without it (a saved page) they are named but not read."""
    text, encoding = decode_html(body, content_type)
    found = detect(text)
    name = adapter or found.adapter or "generic"
    out: dict = {"url": url, "encoding": encoding, "detected": found.adapter, "detection_reasons": found.reasons,
                 "detection_scores": found.scores, "adapter": name}
    if name not in ADAPTERS:
        out["kind"] = "unknown"
        out["problem"] = f"no adapter {name!r} (known: {', '.join(ADAPTERS)})"
        return out
    ad = adapter_for(name)
    doc = ad.document(url, text)
    has_block = "no metadata block found" not in doc.warnings
    try:
        listing = ad.list_page(url, text)
    except SiteChanged as exc:
        listing = ListResult(items=[], note=None)
        out["list_problem"] = str(exc)
    wanted = [r.url for r in ad.support(url, text)]
    support = {}
    for u in wanted if fetch else []:
        got = fetch(u)
        if got is not None:
            support[u] = decode_html(*got)[0]
    out["support"] = {"wanted": wanted, "read": list(support)}
    try:
        columns = ad.columns(url, text, support)
    except SiteChanged as exc:
        columns = []
        if wanted or support:
            out["columns_problem"] = str(exc)
    out["kind"] = page_kind(text, has_block, listing, columns)
    out["document"] = {"title": doc.title, "fields": doc.fields, "index_no": doc.index_no, "doc_no": doc.doc_no,
                       "written_date": _iso(doc.written_date), "published_date": _iso(doc.published_date),
                       "body_excerpt": doc.body_text[:200], "body_chars": len(doc.body_text),
                       "attachments": [{"url": a.url, "name": a.name, "href": a.href} for a in doc.attachments],
                       "related_urls": doc.related_urls, "warnings": doc.warnings,
                       "confidence": doc.confidence}
    out["list"] = {"items": [{"url": i.url, "title": i.title, "date": _iso(i.date)} for i in listing.items],
                   "next_pages": [{"url": r.url, "method": r.method, "data": dict(r.data)} for r in listing.more],
                   "note": listing.note}
    out["columns"] = [{"path": c.path, "url": c.url, "depth": c.depth} for c in columns]
    return out


LATEST = re.compile(r"最新(公开|信息|文件|发布|更新)|近期公开")


def page_kind(text: str, is_document: bool, listing: ListResult, columns: list) -> str:
    """document (metadata and a body), home (a column tree, with at most a short 最新 block and no pager), list
    (items, or a blank column's note) or unknown."""
    names = sum(1 for c in columns if is_column_name(c.name))
    if is_document:
        return "document"
    if names >= MIN_TREE and not listing.more and (not listing.items or LATEST.search(text)):
        return "home"
    if listing.items or listing.note:
        return "list"
    return "home" if len(columns) >= MIN_TREE else "unknown"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def render(report: dict) -> str:
    """The report as a readable text table (the CLI's default; --json prints `report` itself)."""
    lines = [f"URL        {report['url']}", f"encoding   {report['encoding']}",
             f"adapter    {report['adapter'] or '-'}  (detected: {report['detected'] or 'none'}; "
             f"{'; '.join(report['detection_reasons'])})", f"page kind  {report['kind']}"]
    if "problem" in report:
        return "\n".join([*lines, f"problem    {report['problem']}"])
    doc, listing = report["document"], report["list"]
    if report["kind"] == "document":
        lines += ["", "document", f"  title           {doc['title']}", "  as written:"]
        lines += [f"    {k:<15} {v}" for k, v in doc["fields"].items()]
        lines += ["  normalised:", f"    {'index_no':<15} {doc['index_no']}", f"    {'doc_no':<15} {doc['doc_no']}",
                  f"    {'written_date':<15} {doc['written_date']}", f"    {'published_date':<15} {doc['published_date']}",
                  f"  body ({doc['body_chars']} chars)  {doc['body_excerpt'][:80]}…"]
        lines += [f"  attachment      {a['name']}  {a['url']}" for a in doc["attachments"]]
        lines += [f"  related (解读)   {u}" for u in doc["related_urls"]]
        lines += [f"  warning         {w}" for w in doc["warnings"]]
    if listing["items"] or listing["next_pages"] or listing["note"]:
        lines += ["", f"list: {len(listing['items'])} items, {len(listing['next_pages'])} further pages"]
        lines += [f"  {i['date'] or '':<10}  {i['title']}  {i['url']}" for i in listing["items"]]
        lines += [f"  next  {r['method']} {r['url']} {r['data'] or ''}".rstrip() for r in listing["next_pages"][:10]]
        if listing["note"]:
            lines.append(f"  note  {listing['note']}")
    wanted, read = report["support"]["wanted"], report["support"]["read"]
    if wanted:
        lines += ["", "support (files the column tree needs)"]
        lines += [f"  {'read    ' if u in read else 'not read'}  {u}" for u in wanted]
    if report.get("columns_problem"):
        lines.append(f"  problem   {report['columns_problem']}")
    if report["columns"]:
        lines += ["", f"columns: {len(report['columns'])}"]
        lines += [f"  {'  ' * c['depth']}{c['path'].rsplit('/', 1)[-1]}  {c['url'] or ''}".rstrip() for c in report["columns"]]
    return "\n".join(lines)


def discover_platform(url: str, hosts_dir: str | Path | None = None, file: str | Path | None = None,
                      allow_private: bool = False) -> dict:
    """What `gongkai discover` reports (harvesters.discover.describe) for the county home page at `url`: fetched
    politely, its links followed onto hosts of the same government; or, given `file`, the page saved from `url` alone
    (its links not followed). `report["platform"]` is None when no platform was found. A start page that cannot be
    read, or a refusal, is a LookFailed naming it."""
    pages: dict[str, str] = {}
    look = None if file is not None else Look(url, hosts_dir, allow_private=allow_private, same_site=True)

    def fetch(u: str):
        got = look.page(u) if look else None
        if got:
            pages[got[0]] = got[1]
        return got
    try:
        if look is None:
            start, text = url, decode_html(read_saved(file))[0]
        else:
            first = look.raw(url)
            if first is None:
                raise LookFailed(f"{url}: no usable answer; is the address right?")
            start, text = first[2], decode_html(first[0], first[1])[0]
        pages[start] = text
        found = discover(start, text, fetch)
        detection = detect(pages[found.entry]) if found.entry else None
        columns = []
        if found.entry:
            ad = adapter_for(detection.adapter or "generic")
            support = {}
            for req in ad.support(found.entry, pages[found.entry]) if look else []:
                got = fetch(req.url)
                if got:
                    support[req.url] = got[1]
            columns = entry_columns(ad, found.entry, pages[found.entry], support) or []
    except HarvestError as exc:
        raise LookFailed(str(exc)) from exc
    finally:
        if look:
            look.close()
    return describe(found, pages, detection.adapter if detection else None, detection, columns)


def render_discovery(r: dict) -> str:
    """A discovery report as readable text, ending with its registry entry as YAML (the CLI's default)."""
    import yaml

    lines = [f"started at   {r['start']}"]
    lines += [f"  read       {p['url']}  ({p['statutory_columns']} statutory column names)" for p in r["pages_read"]]
    if not r["platform"]:
        lines.append("platform     not found: no page read carries a disclosure column tree; pass the platform's "
                     "URL (政府信息公开 page) instead, or inspect the home page with `gongkai inspect`")
        return "\n".join(lines)
    lines += [f"platform     {r['platform']}",
              f"CMS family   {r['detected'] or 'none known: the generic adapter'}  ({'; '.join(r['detection_reasons'])})",
              "", "the 61号 platform columns:"]
    for name, hit in r["platform_columns"].items():
        lines.append(f"  {'✓' if hit else '✗'} {name:<10} {hit['column'] + '  ' + (hit['url'] or '') if hit else 'not found'}")
    entry_yaml = yaml.safe_dump({"version": 1, "sites": [r["registry_entry"]]}, allow_unicode=True, sort_keys=False)
    lines += ["", f"columns: {len(r['columns'])} (`gongkai inspect {r['platform']}` lists them)",
              f"site id from {r['site_id_from']}", "", "registry entry (check name, level and province):", entry_yaml]
    return "\n".join(lines)
