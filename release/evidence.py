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

from bs4 import BeautifulSoup, Comment, NavigableString

from harvesters.archive import ArchiveDamaged, ArchiveReader
from harvesters.encoding import decode_html
from release.privacy import redact
from warehouse.lake import Lake

REMOVED = ("script", "noscript", "style", "link", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
           "input", "button", "select", "textarea", "video", "audio", "source", "svg", "math", "canvas", "meta",
           "template", "portal")
BATCH = 500

BANNER_STYLE = ("font:14px/1.5 sans-serif;background:#fff3cd;border-bottom:2px solid #8a6d00;padding:.6rem 1rem;"
                "margin:0 0 1rem;word-break:break-all")


def sanitise(page: str, url: str, captured_at, record: str, digest: str) -> tuple[str, list]:
    """(the page made safe to publish, personal-data hits redacted from it)."""
    soup = BeautifulSoup(page, "lxml")
    for tag in soup.find_all(REMOVED):
        tag.decompose()
    for img in soup.find_all("img"):
        alt = img.get("alt")
        img.replace_with(f"[图片 image{': ' + alt if alt else ''}]")
    for form in soup.find_all("form"):
        form.unwrap()  # some CMS families wrap the whole page in one form: keep what it holds
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(True):
        for name in list(tag.attrs):
            value = tag.attrs[name]
            if (name.lower().startswith("on") or name.lower() in ("style", "srcset", "background", "action", "formaction")
                    or ":" in name or (isinstance(value, str) and value.strip().lower().startswith(
                        ("javascript:", "vbscript:", "data:")))):
                del tag.attrs[name]
            elif name.lower() in ("href", "src") and isinstance(value, str):
                absolute = urljoin(url, value.strip())
                if absolute.lower().startswith(("http://", "https://")):
                    tag.attrs[name] = absolute
                else:  # javascript:, data:, vbscript: …
                    del tag.attrs[name]
    hits = []
    for node in list(soup.find_all(string=True)):
        if isinstance(node, NavigableString) and node.strip():
            clean, found = redact(str(node))
            if found:
                node.replace_with(clean)
                hits += found
    body = soup.body or soup
    title = soup.title.get_text(strip=True) if soup.title else url
    when = captured_at.strftime("%Y-%m-%d %H:%M:%S UTC") if captured_at else "unknown"
    banner = (f'<div id="gongkai-archive" style="{BANNER_STYLE}"><strong>存档副本 Archived copy</strong> · '
              f'存档时间 captured <time id="captured-at">{html.escape(when)}</time> · 来源 source '
              f'<a id="source-url" href="{html.escape(url)}">{html.escape(url)}</a><br>'
              f'原页面的脚本、表单控件和图片已移除，链接保留；个人信息已隐去。 Scripts, form controls and images removed; '
              f'links kept; personal data redacted. WARC record <code>{html.escape(record)}</code>, sha256 '
              f'<code id="digest">{html.escape(digest or "")}</code></div>')
    inner = "".join(str(c) for c in body.contents)
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


def write_snapshots(con, lake: Lake, out: Path, quarantine: list[dict]) -> list[Path]:
    """Write every cited page's snapshot under `out` (the staged release); personal data found goes to `quarantine`."""
    cursor = con.execute("""SELECT DISTINCT snapshot, site_id, url, captured_at, content_type, warc_file, warc_offset,
                                   sha256, run_id
                            FROM evidence WHERE snapshot IS NOT NULL ORDER BY snapshot""")
    readers: dict[str, ArchiveReader] = {}
    written = []
    try:
        while rows := cursor.fetchmany(BATCH):
            for snapshot, site_id, url, captured_at, ctype, warc_file, offset, digest, _run in rows:
                reader = readers.get(site_id) or readers.setdefault(site_id, ArchiveReader(lake.warc_dir(site_id)))
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
                written.append(path)
    finally:
        for reader in readers.values():
            reader.close()
    return written
