"""HTML fragments shared by the three family renderers: the <head> meta tags real government sites carry."""
from __future__ import annotations

from html import escape

from sampleweb.model import County, Doc


def head(county: County, title: str, column: str = "", doc: Doc | None = None) -> str:
    charset = "gbk" if county.encoding == "gbk" else "utf-8"
    metas = [("SiteName", county.name), ("SiteDomain", f"www.{county.slug}.gov.cn"),
             ("SiteIDCode", f"{county.site_id[:6]}0001"), ("ColumnName", column)]
    if doc:
        metas += [("ArticleTitle", doc.title), ("PubDate", f"{doc.published:%Y-%m-%d} 09:30"), ("ContentSource", doc.publisher)]
    tags = "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in metas)
    return f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}">{tags}<title>{escape(title)}</title></head>'


def body_paragraphs(doc: Doc) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in doc.body.split("\n"))


def related_links(doc: Doc, href) -> str:
    links = "".join(f'<li><a href="{href(r)}">{escape(r.title)}</a></li>' for r in doc.related)
    label = "相关文件" if doc.kind == "interpretation" else "政策解读"
    return f'<div class="related-docs"><h4>{label}</h4><ul>{links}</ul></div>' if links else ""


def attachment_links(doc: Doc) -> str:
    links = "".join(f'<a href="{a.path}">{escape(a.name)}.{a.ext}</a><br>' for a in doc.attachments)
    return f'<div class="attachments">附件：{links}</div>' if links else ""


def attachment_bytes(doc_serial: int, size: int, ext: str) -> bytes:
    magic = {"pdf": b"%PDF-1.4\n", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}.get(ext, b"")
    filler = (f"gongkai sample attachment {doc_serial}\n".encode()) * (size // 30 + 1)
    return (magic + filler)[:size]


def nav_tree(columns, href, cls: str = "xxgk-nav") -> str:
    """The disclosure column tree as nested lists; containers are labels, leaves are links."""
    def items(cols):
        out = []
        for c in cols:
            label = (f'<a href="{href(c)}">{escape(c.name)}</a>' if not c.children
                     else f'<span class="lm">{escape(c.name)}</span>')
            sub = f"<ul>{items(c.children)}</ul>" if c.children else ""
            out.append(f"<li>{label}{sub}</li>")
        return "".join(out)
    return f'<div class="{cls}"><ul>{items(columns)}</ul></div>'
