"""Helpers the family renderers share: route tables of HTML pages and attachments, leaf columns, blank lists."""
from __future__ import annotations

from html import escape

from gongkai.sampleweb.model import County, Doc
from gongkai.sampleweb.pages import attachment_bytes, portal_chrome


def html_page(text: str):
    def page():
        return "text/html", text
    page.html = text
    return page


def attachment_routes(routes: dict, doc: Doc) -> None:
    for a in doc.attachments:
        if a.broken or a.external:  # linked from the page, missing on the server (or not ours to serve)
            continue
        mime = {"pdf": "application/pdf"}.get(a.ext, "application/octet-stream")
        routes[a.path] = (lambda d=doc, a=a, m=mime: (m, attachment_bytes(d.serial, a.size, a.ext)))


def leaves(county: County):
    return [c for c in county.all_columns() if not c.children and c.kind != "container"]


def list_body(col, items_html: str) -> str:
    if items_html:
        return items_html
    return f'<p class="lm-note">{escape(col.note)}</p>' if col.note else ""


def dress(county: County, routes: dict) -> dict:
    """Put the portal chrome (sampleweb.pages.portal_chrome) around every HTML page of a route table."""
    top, bottom = portal_chrome(county)
    for key, page in routes.items():
        if getattr(page, "html", None) is not None:
            routes[key] = html_page(page.html.replace("<body>", "<body>" + top, 1).replace("</body>", bottom + "</body>", 1))
    return routes


def in_head(routes: dict, markup: str) -> dict:
    """Add markup (a platform's own scripts) at the end of every HTML page's <head>."""
    for key, page in routes.items():
        if getattr(page, "html", None) is not None:
            routes[key] = html_page(page.html.replace("</head>", markup + "</head>", 1))
    return routes
