"""Archived copies of the pages a release cites as evidence (存档副本): what the county's page said when it was
harvested, readable from the release alone after the county edits or removes it.

Each page a finding or coverage verdict cites (the catalogue's `evidence` view) is read from the site's WARC files
and written to ``evidence/<site_id>/<hash of the URL>.html``: scripts, styles, frames, forms' controls and images
removed (nothing in it runs or loads from the network), links kept and made absolute, personal data redacted as in
the rest of the release, and a banner naming the capture time, the live URL, the WARC record and its digest.
"""
from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import urljoin

from gongkai.harvesters.archive import ArchiveDamaged, ArchiveReader
from gongkai.harvesters.encoding import decode_html
from gongkai.release.privacy import redact
from gongkai.schemas.datafolder import DataFolder
from lxml import etree
from lxml import html as lxml_html

REMOVED = ("script", "noscript", "style", "link", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
           "input", "button", "select", "textarea", "video", "audio", "source", "svg", "math", "canvas", "meta",
           "template", "portal")
BATCH = 500

BANNER_STYLE = ("font:14px/1.5 sans-serif;background:#fff3cd;border-bottom:2px solid #8a6d00;padding:.6rem 1rem;"
                "margin:0 0 1rem;word-break:break-all")


def sanitise(page: str, url: str, captured_at, record: str, digest: str) -> tuple[str, list]:
    """(the page made safe to publish, personal-data hits redacted from it). lxml: about a millisecond a page."""
    try:
        doc = lxml_html.document_fromstring(page or "<p></p>")
    except (etree.ParserError, ValueError):
        doc = lxml_html.document_fromstring("<p></p>")
    etree.strip_elements(doc, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for el in [e for e in doc.iter(*REMOVED)]:
        el.drop_tree()  # its tail text stays
    for img in doc.iter("img"):
        alt = img.get("alt")
        img.attrib.clear()
        img.tag, img.text = "span", f"[图片 image{': ' + alt if alt else ''}]"
    for form in [f for f in doc.iter("form")]:
        form.drop_tag()  # some CMS families wrap the whole page in one form: keep what it holds
    hits = []
    for el in doc.iter(etree.Element):
        for name, value in list(el.attrib.items()):
            low = name.lower()
            if (low.startswith("on") or low in ("style", "srcset", "background", "action", "formaction") or ":" in name
                    or value.strip().lower().startswith(("javascript:", "vbscript:", "data:"))):
                del el.attrib[name]
            elif low in ("href", "src"):
                absolute = urljoin(url, value.strip())
                if absolute.lower().startswith(("http://", "https://")):
                    el.attrib[name] = absolute
                else:
                    del el.attrib[name]
        for part in ("text", "tail"):
            value = getattr(el, part)
            if value and value.strip():
                clean, found = redact(value)
                if found:
                    setattr(el, part, clean)
                    hits += found
    title = (doc.findtext(".//title") or "").strip() or url
    body = doc.find("body")
    body = body if body is not None else doc
    inner = html.escape(body.text or "", quote=False) + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in body)
    when = captured_at.strftime("%Y-%m-%d %H:%M:%S UTC") if captured_at else "unknown"
    banner = (f'<div id="gongkai-archive" style="{BANNER_STYLE}"><strong>存档副本 Archived copy</strong> · '
              f'存档时间 captured <time id="captured-at">{html.escape(when)}</time> · 来源 source '
              f'<a id="source-url" href="{html.escape(url)}">{html.escape(url)}</a><br>'
              f'原页面的脚本、表单控件和图片已移除，链接保留；个人信息已隐去。 Scripts, form controls and images removed; '
              f'links kept; personal data redacted. WARC record <code>{html.escape(record)}</code>, sha256 '
              f'<code id="digest">{html.escape(digest or "")}</code></div>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>存档 {html.escape(title)}</title></head>\n<body>{banner}\n{inner}\n</body></html>\n'), hits


def unreadable(url: str, captured_at, reason: str) -> str:
    """The page written where an archived copy could not be read, so that the release's links still resolve."""
    when = captured_at.strftime("%Y-%m-%d %H:%M:%S UTC") if captured_at else "unknown"
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>存档不可读</title></head>\n'
            f'<body><div id="gongkai-archive" style="{BANNER_STYLE}"><strong>存档不可读 Archived copy unreadable</strong>'
            f' · captured <time id="captured-at">{html.escape(when)}</time> · 来源 source <a id="source-url" '
            f'href="{html.escape(url)}">{html.escape(url)}</a><br>{html.escape(reason)}</div></body></html>\n')


def write_snapshots(con, lake: DataFolder, out: Path, quarantine: list[dict],
                    runs: list[tuple[str, dict]]) -> list[Path]:
    """Write every cited page's snapshot under `out` (the staged release); personal data found goes to `quarantine`.
    `runs` are the release's runs of sites (WHERE clause, parameters): one query per run, and one site's archive open
    at a time, so neither the query nor the open files grow with the number of sites."""
    written = []
    for where, params in runs:
        cursor = con.execute(f"""SELECT DISTINCT snapshot, site_id, url, captured_at, content_type, warc_file,
                                        warc_offset, sha256
                                 FROM evidence WHERE snapshot IS NOT NULL AND {where} ORDER BY snapshot""", params)
        site, reader = None, None
        try:
            while rows := cursor.fetchmany(BATCH):
                for row in rows:  # ordered by snapshot, so by site: each site's archive opened once
                    if row[1] != site:
                        if reader is not None:
                            reader.close()
                        site, reader = row[1], ArchiveReader(lake.warc_dir(row[1]))
                    written.append(_snapshot(reader, lake, out, quarantine, row))
        finally:
            if reader is not None:
                reader.close()
    return written


def _snapshot(reader: ArchiveReader, lake: DataFolder, out: Path, quarantine: list[dict], row: tuple) -> Path:
    """One cited page's sanitised copy, written under `out`."""
    snapshot, site_id, url, captured_at, ctype, warc_file, offset, digest = row
    record = f"{site_id}/warc/{warc_file}@{offset}"
    try:
        _, headers, body = reader.read_at(warc_file, offset)
        ctype = ctype or next((v for k, v in headers if k.lower() == "content-type"), "")
        page, hits = sanitise(decode_html(body, ctype)[0], url, captured_at, record, digest)
    except (ArchiveDamaged, OSError) as exc:
        page, hits = unreadable(url, captured_at, str(exc).replace(str(lake.data_dir), "<data>")), []
    quarantine += [{"resource": "evidence", "key": url, "field": "snapshot", "kind": h.kind,
                    "masked": h.masked, "source_url": url} for h in hits]
    path = out / snapshot
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
