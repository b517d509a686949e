"""`gongkai inspect`: what an adapter makes of one page, for a data team onboarding a county (接入新站点).

Which CMS family the page looks like and why (`detect`), which kind of page it is (home / column / list / document),
and everything the adapter extracts from it, as plain data for a table or JSON.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from harvesters.adapters import ADAPTERS, adapter_for
from harvesters.encoding import decode_html
from harvesters.errors import SiteChanged

# Marks each CMS family leaves in its pages (see shared/domain/site-patterns.md), with what each one means.
SIGNS: dict[str, list[tuple[str, str]]] = {
    "trs": [(r"createPageHTML\(", "createPageHTML pager"), (r"TRS_Editor", "TRS_Editor body"),
            (r"/t\d{8}_\d+\.s?html", "tYYYYMMDD_id.html article links"), (r"var\s+countPage\s*=", "countPage variable"),
            (r'href="(?![^"]*/col/col\d)[^"]*/[a-z0-9_]+/index\.s?html"', "static <column>/index.html links")],
    "hanweb": [(r"<datastore>", "<datastore> list"), (r"dataproxy\.jsp", "dataproxy.jsp pager"),
               (r"/col/col\d+/", "/col/col<id>/ columns"), (r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html", "art_ links")],
    "ucap": [(r"<ucap(title|content)>", "<ucaptitle>/<ucapcontent> tags"), (r"xxgk\.shtml\?code=", "xxgk.shtml?code= lists"),
             (r"/[0-9a-f]{32}\.shtml", "32-hex .shtml articles")],
    "gkmlpt": [(r"/gkmlpt/", "/gkmlpt/ paths"), (r"window\._CONFIG", "window._CONFIG")],
    "epoint": [(r"iList\.jsp", "iList.jsp lists"), (r'class="[^"]*\bewb-', "ewb- CSS classes")],
}


@dataclass
class Detection:
    adapter: str | None
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)


def detect(html: str) -> Detection:
    """The family whose marks the page carries most; None when it carries none (the generic adapter's case)."""
    found = {family: [why for pattern, why in signs if re.search(pattern, html)] for family, signs in SIGNS.items()}
    scores = {family: len(reasons) for family, reasons in found.items()}
    best = max(scores, key=lambda f: (scores[f], f in ADAPTERS))
    if not scores[best]:
        return Detection(None, ["no family's marks found"], scores)
    return Detection(best, found[best], scores)


def inspect_page(url: str, body: bytes, content_type: str = "", adapter: str | None = None) -> dict:
    """Everything one adapter extracts from one page, and which page kind it is."""
    text, encoding = decode_html(body, content_type)
    found = detect(text)
    name = adapter or found.adapter
    out: dict = {"url": url, "encoding": encoding, "detected": found.adapter, "detection_reasons": found.reasons,
                 "detection_scores": found.scores, "adapter": name}
    if name not in ADAPTERS:
        out["kind"] = "unknown"
        out["problem"] = (f"adapter {name!r} is not implemented yet (implemented: {', '.join(ADAPTERS)})" if name else
                          "no adapter recognises this page; pass --adapter to try one")
        return out
    ad = adapter_for(name)
    doc = ad.document(url, text)
    has_block = "no metadata block found" not in doc.warnings
    listing = ad.list_page(url, text)
    try:
        columns = ad.columns(url, text)
    except SiteChanged:
        columns = []
    if has_block:
        out["kind"] = "document"
    elif listing.items or listing.note:
        out["kind"] = "list"
    elif len(columns) >= 3:
        out["kind"] = "home"
    else:
        out["kind"] = "unknown"
    out["document"] = {"title": doc.title, "fields": doc.fields, "index_no": doc.index_no, "doc_no": doc.doc_no,
                       "written_date": _iso(doc.written_date), "published_date": _iso(doc.published_date),
                       "body_excerpt": doc.body_text[:200], "body_chars": len(doc.body_text),
                       "attachments": [{"url": u, "name": n} for u, n in doc.attachments],
                       "related_urls": doc.related_urls, "warnings": doc.warnings}
    out["list"] = {"items": [{"url": i.url, "title": i.title, "date": _iso(i.date)} for i in listing.items],
                   "next_pages": [{"url": r.url, "method": r.method, "data": dict(r.data)} for r in listing.more],
                   "note": listing.note}
    out["columns"] = [{"path": c.path, "url": c.url, "depth": c.depth} for c in columns]
    return out


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
    if report["columns"]:
        lines += ["", f"columns: {len(report['columns'])}"]
        lines += [f"  {'  ' * c['depth']}{c['path'].rsplit('/', 1)[-1]}  {c['url'] or ''}".rstrip() for c in report["columns"]]
    return "\n".join(lines)
