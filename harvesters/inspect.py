"""`gongkai inspect`: what an adapter makes of one page, for a data team onboarding a county (接入新站点).

Which CMS family the page looks like and why (`detect`), which kind of page it is (home / column / list / document),
and everything the adapter extracts from it, as plain data for a table or JSON.
"""
from __future__ import annotations

import re

from harvesters.adapters import ADAPTERS, adapter_for
from harvesters.adapters.base import ListResult
from harvesters.adapters.navigation import MIN_TREE, is_column_name
from harvesters.detect import Detection, detect  # noqa: F401  (re-exported for callers of inspect)
from harvesters.encoding import decode_html
from harvesters.errors import SiteChanged


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
